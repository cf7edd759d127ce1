"""The live tally at the gates (计数器): entrances of a night and the batches counted at each.

An entrance's count is the sum of its batches; a batch is stored once per client ``key``, so
a batch sent again after a dropped connection counts once. Closing the tally files the
night's attendance report (method clicker) and keeps the entrances as its breakdown.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, state_column, utcnow


class TallyState(StrEnum):
    open = "open"
    closed = "closed"


class Tally(SQLModel, table=True):
    __tablename__ = "tally"

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", ondelete="CASCADE", unique=True)
    state: TallyState = Field(
        default=TallyState.open, sa_type=state_column(TallyState, "state")
    )
    split: bool = Field(default=False, description="residents and visitors counted apart")
    opened_by: int = Field(foreign_key="user_account.id")
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_by: int | None = Field(default=None, foreign_key="user_account.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    report_id: int | None = Field(
        default=None, foreign_key="attendance_report.id",
        description="the attendance report closing it filed",
    )


class TallyEntrance(SQLModel, table=True):
    __tablename__ = "tally_entrance"
    __table_args__ = (UniqueConstraint("tally_id", "name", name="uq_tally_entrance_tally_name"),)

    id: int | None = Field(default=None, primary_key=True)
    tally_id: int = Field(foreign_key="tally.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=40)
    created_by: int = Field(foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The sums of its batches, kept with each batch under the entrance's row lock: the phones
    # poll these few rows every two seconds instead of adding up thousands of batches.
    count: int = 0
    residents: int = 0
    visitors: int = 0


class TallyBatch(SQLModel, table=True):
    """A few clicks at one entrance: ``delta`` people in all, of whom ``residents`` and
    ``visitors`` when the tally counts them apart (each may be negative: −1 undoes a click)."""

    __tablename__ = "tally_batch"
    __table_args__ = (UniqueConstraint("entrance_id", "key", name="uq_tally_batch_entrance_key"),)

    id: int | None = Field(default=None, primary_key=True)
    entrance_id: int = Field(foreign_key="tally_entrance.id", ondelete="CASCADE", index=True)
    key: str = Field(max_length=64)
    delta: int
    residents: int = 0
    visitors: int = 0
    sent_by: int = Field(foreign_key="user_account.id")
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
