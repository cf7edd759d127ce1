"""Events, and the occurrences they expand to."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, state_column, utcnow


class EventStatus(StrEnum):
    draft = "draft"
    published = "published"
    cancelled = "cancelled"
    postponed = "postponed"


PUBLIC_STATUSES = (EventStatus.published, EventStatus.cancelled, EventStatus.postponed)


class OccurrenceState(StrEnum):
    scheduled = "scheduled"
    moved = "moved"
    cancelled = "cancelled"
    skipped = "skipped"


class Event(SQLModel, table=True):
    """One event or one series; times are instants, ``timezone`` gives their wall clock."""

    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_event_source_external"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=200, unique=True)
    title_zh: str = Field(max_length=200)
    title_en: str | None = Field(default=None, max_length=300)
    description_zh: str | None = Field(default=None, max_length=5000)
    description_en: str | None = Field(default=None, max_length=5000)
    category_id: int = Field(foreign_key="category.id", index=True)
    venue_id: int | None = Field(default=None, foreign_key="venue.id", index=True)
    organizer_id: int | None = Field(default=None, foreign_key="organizer.id", index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    all_day: bool = False
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    rrule: str | None = Field(default=None, max_length=500)
    calendar_rule: str | None = Field(
        default=None, max_length=200,
        description="a rule of the Chinese calendar (lunar date, solar term, lunar days), "
        "never beside an rrule; feeds write its nights as RDATEs",
    )
    status: EventStatus = Field(
        default=EventStatus.draft, sa_type=state_column(EventStatus, "status"), index=True
    )
    status_reason: str | None = Field(default=None, max_length=500)
    sequence: int = 0
    capacity: int | None = None
    course: bool = Field(default=False, description="one training course: 1 班次 however often")
    enrolled: int | None = Field(default=None, description="a course's trainees signed up")
    completed: int | None = Field(default=None, description="a course's trainees who finished")
    price: str | None = Field(default=None, max_length=200)
    image_url: str | None = Field(default=None, max_length=500)
    contact: str | None = Field(default=None, max_length=200)
    source: str | None = Field(
        default=None,
        max_length=100,
        description="where an imported event came from (seed, sheet, feed)",
    )
    external_id: str | None = Field(default=None, max_length=200)
    span_end: datetime = Field(sa_type=UTCDateTime, description="end of the last occurrence")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Occurrence(SQLModel, table=True):
    """One night of an event, kept so that attendance and exceptions have something to hold.

    ``recurrence_id`` is the start the rule gave it; ``starts_at``/``ends_at``/``venue_id``
    are where it really happens (they differ from the rule's only when ``state`` is moved).
    """

    __table_args__ = (
        UniqueConstraint("event_id", "recurrence_id", name="uq_occurrence_event_recurrence"),
        Index("ix_occurrence_window", "starts_at", "ends_at"),
        Index("ix_occurrence_venue_start", "venue_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    recurrence_id: datetime = Field(sa_type=UTCDateTime)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    venue_id: int | None = Field(default=None, foreign_key="venue.id")
    state: OccurrenceState = Field(
        default=OccurrenceState.scheduled, sa_type=state_column(OccurrenceState, "state")
    )
    reason: str | None = Field(default=None, max_length=500)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
