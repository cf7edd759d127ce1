"""Public holidays and 调休 working days entered by hand, for a year the installed package
(chinese_calendar) does not cover yet: the State Council publishes each next year around
December, and until a new package release the admin types the arrangement in.

A year with a ``HolidayYear`` row takes its days from ``HolidayDay`` only; any other year from
the package; a year neither knows is shown as 假日安排未公布, never guessed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, state_column, utcnow


class DayKind(StrEnum):
    holiday = "holiday"  # 放假
    workday = "workday"  # 调休上班 (a weekend day worked)


class HolidayYear(SQLModel, table=True):
    """A year whose arrangement was entered by hand (its days are the ``HolidayDay`` rows)."""

    __tablename__ = "holiday_year"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    source: str | None = Field(default=None, max_length=300, description="the notice it is from")
    entered_by: int | None = Field(default=None, foreign_key="user_account.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class HolidayDay(SQLModel, table=True):
    __tablename__ = "holiday_day"

    day: date = Field(primary_key=True)
    year: int = Field(foreign_key="holiday_year.year", ondelete="CASCADE", index=True)
    kind: DayKind = Field(sa_type=state_column(DayKind, "kind"))
    name_zh: str = Field(max_length=40, description="国庆节; for a workday, the holiday it serves")
    name_en: str | None = Field(default=None, max_length=80)
