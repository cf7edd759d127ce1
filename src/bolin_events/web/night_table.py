"""The nights table of the staff event page: which nights clash with another event at the
same venue, and the series sentence counted by what is held ("共 13 场，1 场不举办")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Event, Occurrence, OccurrenceState
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.clashes import ACTIVE, clash_words, find_clashes
from bolin_events.services.scheduling.occurrences import is_series, occurrence_id

# What a series sentence says of the nights that are not held, in this order.
NOT_HELD = ((OccurrenceState.skipped, "不举办", "skipped"),
            (OccurrenceState.cancelled, "取消", "cancelled"))


@dataclass(frozen=True)
class NightClash:
    """Another event's night at the same venue and time, as the table marks it."""

    event_id: int
    title_zh: str
    title_en: str | None
    zh: str  # 与「村晚」6月5日 19:30–21:30 在东胜村文化广场冲突
    en: str


async def clash_marks(
    session: AsyncSession, refs: RefData, event: Event, shown: Iterable[OccurrenceOut]
) -> dict[str, list[NightClash]]:
    """Night id → the clashes of that night, for the nights the table shows: their rows in one
    query and every other event's night at their venues in another, however many there are."""
    wanted = {night.id for night in shown}
    if not wanted:
        return {}
    rows = await session.exec(
        select(Occurrence).where(
            Occurrence.event_id == event.id, col(Occurrence.state).in_(ACTIVE)
        )
    )
    mine = [o for o in rows if occurrence_id(event, o) in wanted]
    marks: dict[str, list[NightClash]] = {}
    for clash in await find_clashes(session, event, mine):
        other = clash.other_event
        zh, en = clash_words(clash, refs)
        marks.setdefault(occurrence_id(event, clash.occurrence), []).append(
            NightClash(other.id or 0, other.title_zh, other.title_en, zh, f"Clashes with {en}")
        )
    return marks


async def night_counts(session: AsyncSession, event: Event) -> Counter[str]:
    """How many of the event's nights are in each state, in one query."""
    rows = await session.exec(
        select(Occurrence.state, func.count())
        .where(Occurrence.event_id == event.id)
        .group_by(col(Occurrence.state))
    )
    return Counter({str(state): number for state, number in rows})


def held_sentence(
    event: Event, sentence: tuple[str, str], counts: Counter[str]
) -> tuple[str, str]:
    """The series sentence ending with the nights held, then those skipped or cancelled:
    "…，共 12 场，1 场不举办，1 场取消". The rule's sentence counts every night it makes."""
    zh, en = sentence
    planned = sum(counts.values())
    ends_zh, ends_en = f"，共 {planned} 场", f", {planned} times"
    if not is_series(event) or not (zh.endswith(ends_zh) and en.endswith(ends_en)):
        return sentence
    held = counts[OccurrenceState.scheduled] + counts[OccurrenceState.moved]
    zh, en = zh.removesuffix(ends_zh) + f"，共 {held} 场", en.removesuffix(ends_en) + (
        f", {held} {'time' if held == 1 else 'times'}")
    for state, word_zh, word_en in NOT_HELD:
        if counts[state]:
            zh += f"，{counts[state]} 场{word_zh}"
            en += f", {counts[state]} {word_en}"
    return zh, en
