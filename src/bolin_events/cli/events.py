"""`bolin-events events list|show`: a quick look at the programme from a shell, as the staff
pages show it (drafts included); changes are made on the pages or through the API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.cli.common import JSON, echo_json, fail, in_transaction, run_domain
from bolin_events.errors import DomainError
from bolin_events.models import EventStatus, Occurrence, OccurrenceState
from bolin_events.schemas.events import EventOut
from bolin_events.services.filters import Filters
from bolin_events.services.refs import load_refs
from bolin_events.services.scheduling.calendar_rules import parse_calendar_rule
from bolin_events.services.scheduling.events import get_event
from bolin_events.services.scheduling.queries import event_out, list_events, listed_statuses
from bolin_events.services.stats.periods import Period, resolve
from bolin_events.services.timing import local_end, local_start, zone
from bolin_events.settings import get_settings

WORDS = {  # as the staff pages say them (templates/staff/_macros.html)
    "draft": "草稿", "published": "已发布", "cancelled": "已取消", "postponed": "已延期",
    "scheduled": "照常", "moved": "已改期", "skipped": "不举办",
}
EVERY_EVENT = 100_000  # a town's events, however many years: the list is never cut short


def when(start: datetime | date, end: datetime | date) -> str:
    """ "2025-06-07 19:30–21:00", or the days of an all-day event."""
    if isinstance(start, datetime) and isinstance(end, datetime):
        last = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
        return f"{start:%Y-%m-%d %H:%M}–{last}"
    return start.isoformat() if start == end else f"{start.isoformat()}–{end.isoformat()}"


def venue_words(event: EventOut) -> str:
    if event.venue is None:
        return "（无场地）"
    village = f"（{event.venue.village.name_zh}）" if event.venue.village else ""
    return event.venue.name_zh + village


async def _in_period(session: AsyncSession, period: Period, tz: str) -> set[int]:
    """Events with a night (not a skipped one) in the period's days."""
    start, end = period.bounds(zone(tz))
    found = await session.exec(
        select(Occurrence.event_id).distinct().where(
            col(Occurrence.starts_at) < end, col(Occurrence.ends_at) > start,
            Occurrence.state != OccurrenceState.skipped,
        )
    )
    return set(found.all())


@click.group(help="活动 / Events: a quick look (changes: the staff pages or the API).")
def events() -> None:
    pass


@events.command("list", help="列出活动（按开始时间）/ List events in order of their start.")
@click.option("--from", "first", default=None, help="起始日期 first day, e.g. 2025-06-01")
@click.option("--to", "last", default=None, help="截止日期（含）last day, included")
@click.option("--status", default=None,
              help="draft, published, cancelled, postponed (comma-separated; default: all)")
@JSON
def events_list(first: str | None, last: str | None, status: str | None,
                as_json: bool) -> None:
    settings = get_settings()
    try:
        period = resolve(None, first, last) if first or last else None
        statuses = listed_statuses(status or ",".join(EventStatus), staff=True)
    except DomainError as exc:
        fail(f"{exc.zh}\n{exc.en}")
        return

    async def work(session: AsyncSession) -> list[EventOut]:
        found, _ = await list_events(session, await load_refs(session), statuses, Filters(),
                                     EVERY_EVENT, 0)
        if period is None:
            return found
        held = await _in_period(session, period, settings.timezone)
        return [event for event in found if event.id in held]

    found = in_transaction(settings, work)
    if as_json:
        echo_json([event.model_dump(mode="json") for event in found])
        return
    for event in found:
        click.echo(f"#{event.id:<5} {WORDS[event.status]:4} {when(event.start, event.end):33} "
                   f"{event.occurrence_count:>3} 场  {event.title_zh}  @ {venue_words(event)}")
    click.echo(f"共 {len(found)} 个活动 / {len(found)} events")


def night_rows(event: EventOut, nights: list[Occurrence]) -> list[dict[str, Any]]:
    """Each night where and when it really happens (a moved one at its new time), in the
    event's wall clock, with its state."""
    tz = zone(event.timezone)
    return [{"start": local_start(night.starts_at, tz, all_day=event.all_day),
             "end": local_end(night.ends_at, tz, all_day=event.all_day),
             "state": str(night.state), "reason": night.reason} for night in nights]


def repeat_words(event: EventOut) -> str:
    """How the series repeats: its RRULE, or a Chinese-calendar rule in words and as stored."""
    if event.calendar_rule:
        words, _ = parse_calendar_rule(event.calendar_rule).describe()
        return f"  重复 {words}（{event.calendar_rule}）"
    return f"  重复 {event.rrule}" if event.rrule else ""


@events.command("show", help="一个活动的详情和各场次 / One event and its nights.")
@click.argument("event_id", type=int)
@JSON
def events_show(event_id: int, as_json: bool) -> None:
    async def work(session: AsyncSession) -> tuple[EventOut, list[Occurrence]]:
        event = await get_event(session, event_id)
        shown = await event_out(session, await load_refs(session), event)
        nights = await session.exec(select(Occurrence).where(Occurrence.event_id == event_id)
                                    .order_by(col(Occurrence.starts_at)))
        return shown, list(nights.all())

    event, nights = in_transaction(get_settings(), lambda s: run_domain(work(s)))
    rows = night_rows(event, nights)
    if as_json:
        echo_json({**event.model_dump(mode="json"), "nights": rows})
        return
    lines = [
        f"#{event.id} {event.title_zh}" + (f" / {event.title_en}" if event.title_en else ""),
        f"状态 status: {WORDS[event.status]} {event.status}"
        + (f"（{event.status_reason}）" if event.status_reason else ""),
        f"时间 when: {when(event.start, event.end)}"
        + repeat_words(event),
        f"场地 venue: {venue_words(event)}",
        f"类别 category: {event.category.name_zh}",
        f"场次 nights: {event.occurrence_count}",
    ]
    for row in rows:
        reason = f"（{row['reason']}）" if row["reason"] else ""
        lines.append(f"  {when(row['start'], row['end']):33} {WORDS[row['state']]}{reason}")
    click.echo("\n".join(lines))
