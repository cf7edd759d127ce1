"""What staff keep for a whole year: hand-entered baselines, the annual return's hand-kept
items, and whether the year's figures are closed (signed off)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, utcnow


class YearBaseline(SQLModel, table=True):
    """A year's totals for one counting group, entered by hand (the first year of use has no
    data for the year before): what 同比 compares with."""

    __tablename__ = "year_baseline"
    __table_args__ = (UniqueConstraint("year", "group_id", name="uq_year_baseline_year_group"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    group_id: int = Field(foreign_key="counting_group.id")
    sessions: int
    people: int
    note: str = Field(max_length=500, description="where the figures came from")
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


class AnnualItem(SQLModel, table=True):
    """An item of the annual return kept by hand for the year (藏书, 志愿者 …)."""

    __tablename__ = "annual_item"
    __table_args__ = (UniqueConstraint("year", "item", name="uq_annual_item_year_item"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    item: str = Field(max_length=32)
    value: int
    note: str | None = Field(default=None, max_length=500)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


class YearClose(SQLModel, table=True):
    """A year signed off: while ``closed``, its figures are frozen. Each close and reopen is
    recorded by the audit trail, with its reason."""

    __tablename__ = "year_close"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    closed: bool = True
    reason: str | None = Field(default=None, max_length=500)
    changed_by: int | None = Field(default=None, foreign_key="user_account.id")
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
