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

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Strip control characters (they break calendar clients) and outer white space."""
    return _CONTROL.sub("", value).strip()


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


def _date_or_datetime(value: object) -> object:
    """Keep "2027-07-10" a date: pydantic would otherwise read it as midnight."""
    if isinstance(value, str) and len(value.strip()) == 10:
        return date.fromisoformat(value.strip())
    return value


When = Annotated[datetime | date, BeforeValidator(_date_or_datetime)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Ref(BaseModel):
    """A short reference to another thing, enough to show and link it."""

    slug: str
    name_zh: str
    name_en: str | None = None
