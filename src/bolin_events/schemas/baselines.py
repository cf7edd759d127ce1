"""Baselines entered by hand: a year's totals per counting group, what 同比 compares with."""

from __future__ import annotations

from pydantic import Field

from bolin_events.schemas.common import Ref, Schema, ShortText


class BaselineIn(Schema):
    sessions: int = Field(
        ge=0, le=1_000_000, description="the group's count that year, in its unit"
    )
    people: int = Field(ge=0, le=100_000_000, description="on-site people that year")
    note: ShortText = Field(description="where the figures came from, e.g. 2022年工作总结")


class BaselineOut(Schema):
    year: int
    group: Ref
    sessions: int
    people: int
    note: str
