"""Field types every schema shares, and the short reference to another thing."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from bolin_events.slugs import SLUG_PATTERN

# Control characters other than tab and line breaks: calendar clients choke on them, and
# PostgreSQL refuses NUL in text where SQLite stores it.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Strip control characters (they break calendar clients) and outer white space."""
    return CONTROL.sub("", value).strip()


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty / 不能为空")
    return value


Name = Annotated[str, AfterValidator(clean_text), AfterValidator(_not_blank), Field(max_length=100)]
Title = Annotated[
    str, AfterValidator(clean_text), AfterValidator(_not_blank), Field(max_length=200)
]
ShortText = Annotated[str, AfterValidator(clean_text), Field(max_length=300)]
Reason = Annotated[
    str, AfterValidator(clean_text), AfterValidator(_not_blank), Field(max_length=300)
]
LongText = Annotated[str, AfterValidator(clean_text), Field(max_length=5000)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
HttpUrl = Annotated[
    str, StringConstraints(pattern=r"^https?://\S+$", max_length=500), AfterValidator(clean_text)
]


FIRST_YEAR, LAST_YEAR = 1900, 2199  # the years a date may fall in, everywhere


def _not_a_number(value: object) -> object:
    """A number is no date (pydantic would read 1700000000 as seconds since 1970)."""
    if isinstance(value, int | float):
        raise ValueError("write a date as text, e.g. 2027-07-02 or 2027-07-02T19:30 "
                         "/ 日期请写成 2027-07-02 或 2027-07-02T19:30")
    return value


def _date_or_datetime(value: object) -> object:
    """Keep "2027-07-10" a date: pydantic would otherwise read it as midnight."""
    value = _not_a_number(value)
    if isinstance(value, str) and len(value.strip()) == 10:
        return date.fromisoformat(value.strip())
    return value


def _in_years(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must fall between {FIRST_YEAR} and {LAST_YEAR} "
                         f"/ 须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
    return value


When = Annotated[datetime | date, BeforeValidator(_date_or_datetime)]
Day = Annotated[date, BeforeValidator(_not_a_number), AfterValidator(_in_years)]
Moment = Annotated[datetime, BeforeValidator(_not_a_number)]  # naive: the station's wall clock


def _whole_number(value: object) -> object:
    """JSON's own number, taken as it is: "100" is no count, nor is true."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number such as 120, not text or true/false "
                         "/ 应为整数，如 120")
    return value


def _true_or_false(value: object) -> object:
    if not isinstance(value, bool):
        raise ValueError("must be true or false / 应为 true 或 false")
    return value


# Checked before pydantic's own conversion (which Litestar runs in its lenient mode).
Count = Annotated[int, BeforeValidator(_whole_number)]
Flag = Annotated[bool, BeforeValidator(_true_or_false)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Ref(BaseModel):
    """A short reference to another thing, enough to show and link it."""

    slug: str
    name_zh: str
    name_en: str | None = None
