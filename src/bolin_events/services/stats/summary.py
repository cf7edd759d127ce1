"""Statistics for a period by one grouping, beside the same period a year earlier (同比)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import utcnow
from bolin_events.schemas.reports import DayKindFiguresOut, PeriodOut, StatsOut, StatsRow
from bolin_events.services.filters import Selection
from bolin_events.services.refs import RefData, Table, load_refs
from bolin_events.services.stats import wording
from bolin_events.services.stats.daykinds import day_split
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.queries import Figures, GroupBy, figures, window_of
from bolin_events.services.stats.signups import SignupFigures, signup_groups, summed
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

NONE_NAMES = {  # the row of nights with no such thing (key "-")
    # no village: a venue in none (the culture station in the town seat), or no venue at all
    GroupBy.village: ("未归入村", "No village"),
    GroupBy.venue: ("未指定场地", "No venue"),
    GroupBy.programme: ("未归入项目", "No programme"),
    GroupBy.organizer: ("未指定主办单位", "No organizer"),
}


def period_out(period: Period) -> PeriodOut:
    return PeriodOut(
        key=period.key, label=period.label, kind=period.kind, first=period.first, last=period.last
    )


async def grouped(
    session: AsyncSession,
    settings: Settings,
    period: Period,
    group_by: GroupBy,
    now: datetime,
    selection: Selection | None = None,
) -> dict[str | None, Figures]:
    window = window_of(period, zone(settings.timezone), now)
    return {f.key: f for f in await figures(session, window, group_by, selection)}


def _a_year_later(key: str | None) -> str | None:
    """A month key of last year's period, moved onto this year's ("2024-06" → "2025-06")."""
    if key is None:
        return None
    return f"{int(key[:4]) + 1}{key[4:]}"


def describe(refs: RefData, group_by: GroupBy, key: str | None) -> tuple[str, str, str | None]:
    """The row's key (a slug, a month, '-' for none), Chinese and English names."""
    if group_by == GroupBy.total:
        return "total", "合计", "Total"
    if group_by == GroupBy.month:
        assert key is not None
        return key, f"{key[:4]}年{int(key[5:])}月", key
    if key is None:
        return "-", *NONE_NAMES[group_by]
    tables: dict[GroupBy, Table[Any]] = {
        GroupBy.category: refs.categories,
        GroupBy.village: refs.villages,
        GroupBy.venue: refs.venues,
        GroupBy.programme: refs.programmes,
        GroupBy.organizer: refs.organizers,
    }
    row = tables[group_by].by_id[int(key)]
    return row.slug, row.name_zh, row.name_en


def stats_row(
    names: tuple[str, str, str | None],
    now: Figures | None,
    before: Figures | None,
    min_sessions: int = 1,
    signups: SignupFigures | None = None,
    by_day_kind: list[DayKindFiguresOut] | None = None,
) -> StatsRow:
    """One row; 同比 only when a year earlier had at least ``min_sessions`` sessions (a base
    of three nights would print "同比增长3222.2%"); ``signups``: its nights that took sign-ups;
    ``by_day_kind``: its 场次 and 人次 on holidays, weekends and working days."""
    now = now or Figures(None)
    before = before or Figures(None)
    meaningful = before.sessions >= min_sessions
    pct = wording.change_pct(now.people, before.people) if meaningful else None
    key, name_zh, name_en = names
    return StatsRow(
        key=key,
        name_zh=name_zh,
        name_en=name_en,
        sessions=now.sessions,
        events=now.events,
        people=now.people,
        reported=now.reported,
        unreported=now.unreported,
        residents=now.residents,
        visitors=now.visitors,
        onsite=now.onsite,
        online=now.online,
        volunteers=now.volunteers,
        sessions_last_year=before.sessions,
        people_last_year=before.people,
        people_change_pct=None if pct is None else float(pct),
        people_change=wording.yoy_text(now.people, before.people) if meaningful else None,
        signups=signups.out() if signups else None,
        by_day_kind=by_day_kind or [],
    )


async def both_years(
    session: AsyncSession,
    settings: Settings,
    period: Period,
    group_by: GroupBy,
    now: datetime,
    selection: Selection | None = None,
) -> tuple[dict[str | None, Figures], dict[str | None, Figures]]:
    """The period's figures and those of the same period a year earlier."""
    current = await grouped(session, settings, period, group_by, now, selection)
    before = await grouped(session, settings, period.year_earlier(), group_by, now, selection)
    return current, before


async def statistics(
    session: AsyncSession,
    settings: Settings,
    period: Period,
    group_by: GroupBy,
    *,
    now: datetime | None = None,
    selection: Selection | None = None,
    extras: bool = True,
) -> StatsOut:
    """Rows by ``group_by`` (months in order, anything else busiest first; a group held only
    last year is kept, to show its fall), and the totals, each with this period's split by
    kind of day (services.stats.daykinds) and its nights that took sign-ups; ``selection``
    narrows both years' nights like any filtered list (services.filters). Without
    ``extras`` the split and the sign-ups are left out (None): a chart, or a page showing
    them for one grouping only, does not pay their queries for the others."""
    now = now or utcnow()
    minimum = settings.yoy_min_sessions
    window = window_of(period, zone(settings.timezone), now)
    totals_now, totals_before = await both_years(
        session, settings, period, GroupBy.total, now, selection
    )
    signed_up = await signup_groups(session, window, group_by, selection) if extras else None
    days = await day_split(session, window, group_by, selection) if extras else None
    rows: list[StatsRow] = []
    if group_by != GroupBy.total:
        refs = await load_refs(session)
        current, before = await both_years(session, settings, period, group_by, now, selection)
        if group_by == GroupBy.month:
            before = {_a_year_later(key): f for key, f in before.items()}
            keys: list[str | None] = [f"{m:%Y-%m}" for m in period.months()]
        else:
            both = {**before, **current}
            keys = sorted(both, key=lambda k: (-both[k].people, -both[k].sessions, k or ""))
        rows = [
            stats_row(
                describe(refs, group_by, k), current.get(k), before.get(k), minimum,
                signed_up.get(k) if signed_up is not None else None,
                days.of(k) if days is not None else None,
            )
            for k in keys
        ]
    return StatsOut(
        period=period_out(period),
        compared_with=period_out(period.year_earlier()),
        group_by=group_by,
        rows=rows,
        total=stats_row(
            ("total", "合计", "Total"),
            totals_now.get("total"),
            totals_before.get("total"),
            minimum,
            summed(signed_up) if signed_up is not None else None,
            days.total() if days is not None else None,
        ),
        unknown_holiday_years=days.unknown_years if days is not None else [],
    )

