"""A year's public holidays and 调休 working days, as the API takes and gives them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from bolin_events.schemas.common import Schema, clean_text

Kind = Literal["holiday", "workday"]
Status = Literal["package", "entered", "unknown"]
HolidayName = Annotated[str, AfterValidator(clean_text), Field(min_length=1, max_length=40)]
HolidayNameEn = Annotated[str, AfterValidator(clean_text), Field(max_length=80)]

MAX_ENTRIES = 100  # lines of one year's arrangement (a real one has about 15)


class HolidayEntryIn(Schema):
    """One day, or a run of days, of the State Council's notice."""

    start: date = Field(description="the first day, e.g. 2027-10-01")
    end: date | None = Field(
        default=None, description="the last day of a run, inclusive (e.g. 2027-10-07); "
        "absent for one day"
    )
    kind: Kind = Field(
        default="holiday",
        description="holiday (放假) or workday (调休上班: a Saturday or Sunday worked)",
    )
    name_zh: HolidayName = Field(description="国庆节; for a workday, the holiday it serves")
    name_en: HolidayNameEn | None = Field(
        default=None, description="English name; known holidays get theirs when absent"
    )


class HolidayYearIn(Schema):
    days: list[HolidayEntryIn] = Field(
        min_length=1, max_length=MAX_ENTRIES,
        description="every holiday and 调休 working day of the year; a day listed twice is a 422",
    )
    source: Annotated[str, AfterValidator(clean_text), Field(max_length=300)] | None = Field(
        default=None,
        description="where it is from, e.g. 国务院办公厅关于2027年部分节假日安排的通知",
    )


class HolidayDayOut(Schema):
    day: date
    kind: Kind = Field(description="holiday (休) or workday (班: a weekend day worked, 调休)")
    name_zh: str
    name_en: str


class HolidayYearOut(Schema):
    year: int
    status: Status = Field(
        description="package: published, from the holiday package; entered: published, "
        "entered by hand by an admin (it wins over the package); unknown: 假日安排未公布"
    )
    status_zh: str
    source: str | None = Field(description="the package and its version, or the notice named "
                               "by whoever entered the year")
    entered_by: str | None = Field(description="user name of the admin who entered the year")
    entered_at: datetime | None = Field(description="when it was entered (UTC)")
    days: list[HolidayDayOut] = Field(description="the marked days in order; ordinary weekends "
                                      "are not listed")
