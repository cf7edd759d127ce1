"""The live tally at the gates (计数器): what a phone sends and what it is shown."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from bolin_events.schemas.common import Count, Flag, Schema, ShortText, clean_text

MAX_BATCH = 10_000
"""People one batch may add or take away: a phone sends what was pressed in about a second,
or, after a long time offline, what piled up meanwhile."""

EntranceName = Annotated[
    str, AfterValidator(clean_text), StringConstraints(min_length=1, max_length=40)
]
BatchKey = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,64}$"),
]
Step = Annotated[Count, Field(ge=-MAX_BATCH, le=MAX_BATCH)]


class EntranceIn(Schema):
    name: EntranceName = Field(description="入口, e.g. 东门; the same name gives the same entrance")
    split: Flag | None = Field(
        default=None,
        description="分本地/外地: count residents and visitors apart. Taken when the tally is "
        "opened (its first entrance); later entrances follow the tally.",
    )


class BatchIn(Schema):
    """A few presses at one entrance, sent as one: stored once per ``key``."""

    key: BatchKey = Field(
        description="made at random on the phone (1–64 of A–Z a–z 0–9 . _ : -); the same key "
        "sent again is the same batch and counts once"
    )
    delta: Step = Field(description="people in all: +1, +5, −1 … (negative undoes)")
    residents: Step = Field(default=0, description="of them 本地 (split tallies only)")
    visitors: Step = Field(default=0, description="of them 外地 (split tallies only)")


class CloseIn(Schema):
    reason: ShortText | None = Field(
        default=None,
        description="why the night's report is corrected: needed when it already has one",
    )


class EntranceOut(Schema):
    id: int
    name: str
    count: int = Field(description="people counted at this entrance")
    residents: int
    visitors: int


class TallyOut(Schema):
    night: str
    state: Literal["none", "open", "closed"] = Field(
        description="none: not opened yet; open: counting; closed: filed as a report"
    )
    split: bool
    total: int = Field(description="the night's total: every entrance added up")
    residents: int
    visitors: int
    entrances: list[EntranceOut] = Field(description="in the order they were added")
    closed_at: datetime | None = None
    report_id: int | None = Field(default=None, description="the report closing filed")
    as_of: datetime = Field(description="when these figures were read (the server's clock)")


class BatchOut(TallyOut):
    entrance_id: int
    counted: bool = Field(description="false when this key had been counted before")
