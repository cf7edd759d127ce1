"""Closing a year (封账) and opening it again, as the API takes and gives them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from bolin_events.schemas.common import Schema, clean_text

YearReason = Annotated[str, AfterValidator(clean_text), Field(max_length=500)]


class YearCloseIn(Schema):
    reason: YearReason | None = Field(
        default=None, description="optional: why now (e.g. 年报已报送), kept in the audit trail"
    )


class YearReopenIn(Schema):
    reason: YearReason | None = Field(
        default=None,
        description="required, at least 4 characters (422 when missing or shorter): what has to be "
        "corrected, and why (kept in the audit trail)"
    )


class YearOut(Schema):
    year: int
    closed: bool = Field(description="true: the year's figures are frozen (封账)")
    reason: str | None = Field(description="the reason given with the last close or reopen")
    changed_by: str | None = Field(description="user name of whoever closed or reopened it last")
    changed_at: datetime | None = Field(description="when it was last closed or reopened (UTC)")
