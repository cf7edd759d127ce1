"""The audit trail as the API gives it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditEntryOut(BaseModel):
    id: int
    at: datetime = Field(description="when the change was committed (UTC)")
    user_id: int | None
    username: str | None = Field(description="who; cli:<account> for a command on the server")
    action: str = Field(description="create, update or delete")
    object_type: str = Field(description="event, occurrence, report, photo, user, user_village, "
                             "token, village, venue, category, organizer, programme, import, "
                             "counting_group, baseline, annual_item, year (a close or reopen, "
                             "封账), signup_plan, registration (staff marks on a sign-up, "
                             "never its personal data), holiday_year or holiday_day (a year's "
                             "public holidays entered by hand)")
    object_id: str
    label: str | None = Field(description="what it is, in words (a title, a name)")
    changes: dict[str, Any] = Field(
        description="each changed field: [before, after]; passwords and token hashes show "
        "only as (changed)")
    via: str = Field(description="api, page or cli")
    ip: str | None
    user_agent: str | None
    request_id: str | None = Field(description="matches the access log line (X-Request-ID)")
