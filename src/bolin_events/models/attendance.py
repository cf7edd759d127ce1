"""Attendance reports (one row per revision), their photos, and idempotency keys.

Nothing here is updated or deleted by the API: a correction is a new revision, and the
latest revision of an occurrence is the one that counts.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, utcnow


class CountingMethod(StrEnum):
    headcount = "headcount"  # 现场点数
    clicker = "clicker"  # 计数器
    sign_in = "sign_in"  # 签到表
    tickets = "tickets"  # 门票、票务
    estimate = "estimate"  # 估算


class AttendanceReport(SQLModel, table=True):
    """One revision of the count for one occurrence; ``revision`` runs 1, 2, 3 … per occurrence."""

    __tablename__ = "attendance_report"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "revision", name="uq_attendance_occurrence_revision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    revision: int
    total: int
    residents: int | None = None
    visitors: int | None = None
    onsite: int | None = None
    online: int | None = None
    volunteers: int | None = None
    method: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, max_length=1000)
    reason: str | None = Field(default=None, max_length=500, description="why it was corrected")
    capacity: int | None = Field(default=None, description="the capacity it was checked against")
    review_flag: str | None = Field(default=None, max_length=32)
    reported_by: int = Field(foreign_key="user_account.id", index=True)
    reported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportPhoto(SQLModel, table=True):
    """Evidence (a photo of the crowd or the sign-in sheet), stored without location metadata."""

    __tablename__ = "report_photo"

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    report_id: int = Field(foreign_key="attendance_report.id", index=True)
    storage_key: str = Field(max_length=200, unique=True)
    content_type: str = Field(max_length=32)
    size: int
    sha256: str = Field(max_length=64)
    width: int
    height: int
    filename: str | None = Field(default=None, max_length=200)
    taken_at: str | None = Field(default=None, max_length=32, description="EXIF time, local")
    uploaded_by: int = Field(foreign_key="user_account.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class IdempotencyKey(SQLModel, table=True):
    """The first answer given to a user's ``Idempotency-Key``, replayed to every retry."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    key: str = Field(max_length=200)
    fingerprint: str = Field(max_length=64, description="sha256 of method, path and body")
    status: int | None = None
    body: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
