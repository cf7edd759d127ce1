"""Attendance reports: what a reporter sends, and the ledger's view of the revisions."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from bolin_events.models import CountingMethod
from bolin_events.schemas.common import Count, Schema, ShortText
from bolin_events.schemas.events import OccurrenceOut

FIGURE_RULES = """\
Figures are whole numbers of 人次 (attendances) from 0 to 1,000,000.

- `total` is everyone who took part: on-site plus online.
- `onsite` + `online` = `total` when both are given; either alone is at most `total`.
- `residents` (本地居民) and `visitors` (外地游客) split the on-site audience, which is
  `onsite`, or `total` − `online` when `onsite` is left out (just `total` when both are):
  `residents` + `visitors` = that on-site figure when both are given; either alone is at
  most it.
- `volunteers` (志愿者) are counted apart and are not part of `total`.
- An on-site figure over twice the venue's capacity (the event's capacity when the venue
  has none) is accepted but flagged for review (`needs_review`, `review`).
"""


class ReportIn(Schema):
    total: Count = Field(description="总人次: all attendances, on-site plus online")
    residents: Count | None = Field(default=None, description="本地居民 (on-site)")
    visitors: Count | None = Field(default=None, description="外地游客 (on-site)")
    onsite: Count | None = Field(default=None, description="现场人次")
    online: Count | None = Field(default=None, description="线上观看人次 (livestream)")
    volunteers: Count | None = Field(default=None, description="志愿者, not part of total")
    method: CountingMethod | None = Field(
        default=None, description="headcount, clicker, sign_in (sheet), tickets or estimate"
    )
    note: str | None = Field(default=None, max_length=1000)
    reason: ShortText | None = Field(
        default=None,
        description="why the earlier figures are corrected; required once a report exists",
    )


class ReviewFlag(Schema):
    code: str
    message: str
    message_en: str


class Change(Schema):
    field: str
    before: int | str | None
    after: int | str | None


class ReportOut(Schema):
    id: int | None = Field(description="null in a dry run")
    occurrence_id: str
    revision: int = Field(description="1 for the first report, then 2, 3 … for corrections")
    total: int
    residents: int | None
    visitors: int | None
    onsite: int | None
    online: int | None
    volunteers: int | None
    method: CountingMethod | None
    note: str | None
    reason: str | None
    reported_by: str
    reported_at: datetime
    needs_review: bool
    review: list[ReviewFlag]
    changes: list[Change] = Field(description="what differs from the previous revision")
    dry_run: bool = False


class PhotoOut(Schema):
    id: int
    occurrence_id: str
    revision: int = Field(description="the report revision current when it was uploaded")
    content_type: str
    size: int
    width: int
    height: int
    filename: str | None
    taken_at: str | None = Field(description="EXIF capture time (camera's local clock)")
    uploaded_by: str
    uploaded_at: datetime
    url: str = Field(description="download address (staff only)")


class ReportHistory(Schema):
    occurrence: OccurrenceOut
    current: ReportOut | None = Field(description="the latest revision: the one that counts")
    revisions: list[ReportOut] = Field(description="every revision, oldest first")
    photos: list[PhotoOut]
