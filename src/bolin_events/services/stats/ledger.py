"""The activity ledger (台账): one row per held occurrence, with the record an inspector checks —
date (and last day, for a night over several days), place, organizer, category, 人次 with its
on-site/online and residents/visitors parts, how it was counted, the note, who reported it and
when, photos; and for a night that took sign-ups, its 报名 and 签到 beside the reported figure,
each with its method (services.stats.signups)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import col, func
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import (
    AttendanceReport,
    Event,
    Occurrence,
    ReportPhoto,
    User,
    Venue,
    utcnow,
)
from bolin_events.schemas.reports import LedgerOut, LedgerRow
from bolin_events.schemas.signups import NightFigures
from bolin_events.services.attendance.figures import days_spanned, onsite_figure
from bolin_events.services.attendance.held import is_held, is_latest
from bolin_events.services.filters import Selection
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.signups import (
    CHECKED_IN_METHOD,
    REGISTERED_METHOD,
    figures_of,
    night_sentence,
)
from bolin_events.services.stats.summary import period_out
from bolin_events.services.timing import recurrence_key, zone
from bolin_events.settings import Settings

METHOD_ZH = {
    "headcount": "现场点数",
    "clicker": "计数器",
    "sign_in": "签到表",
    "tickets": "票务",
    "estimate": "估算",
}


async def ledger(
    session: AsyncSession,
    settings: Settings,
    period: Period,
    *,
    now: datetime | None = None,
    selection: Selection | None = None,
) -> LedgerOut:
    """One row per held night of the period (narrowed by ``selection``), oldest first."""
    now = now or utcnow()
    start, end = period.bounds(zone(settings.timezone))
    latest = aliased(AttendanceReport, name="latest")
    photos = type_coerce(
        select(func.count(col(ReportPhoto.id)))
        .where(col(ReportPhoto.occurrence_id) == col(Occurrence.id))
        .scalar_subquery(),
        Integer,
    )
    query: Select[*tuple[Any, ...]] = (
        select(
            col(Occurrence.id),
            col(Occurrence.recurrence_id),
            col(Occurrence.starts_at),
            col(Occurrence.ends_at),
            col(Occurrence.venue_id),
            col(Event.id).label("event_id"),
            col(Event.timezone),
            col(Event.all_day),
            col(Event.title_zh),
            col(Event.organizer_id),
            col(Event.category_id),
            col(latest.total),
            col(latest.onsite),
            col(latest.online),
            col(latest.residents),
            col(latest.visitors),
            col(latest.method),
            col(latest.note),
            col(latest.reported_at),
            col(latest.revision),
            col(User.username),
            photos.label("photos"),
        )
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .outerjoin(latest, is_latest(latest))
        .outerjoin(User, col(User.id) == col(latest.reported_by))
        .where(*is_held(start, end, now), *(selection or Selection()).night_conditions())
        .order_by(col(Occurrence.starts_at), col(Occurrence.id))
    )
    refs = await load_refs(session)
    connection = await session.connection()  # plain rows: no need to build ORM objects
    nights = (await connection.execute(query)).all()
    counts = await figures_of(session, [night.id for night in nights])
    rows = [_row(refs, settings, night, counts.get(night.id)) for night in nights]
    return LedgerOut(
        period=period_out(period),
        rows=rows,
        sessions=len(rows),
        people=sum(r.people or 0 for r in rows),
    )


def _row(refs: RefData, settings: Settings, row: Any, counts: NightFigures | None) -> LedgerRow:
    tz = zone(settings.timezone)
    local = row.starts_at.astimezone(tz)
    venue = refs.venues.by_id.get(row.venue_id or -1)
    organizer = refs.organizers.by_id.get(row.organizer_id or -1)
    # the id occurrences.occurrence_id gives: the event and the rule's original local start
    key = recurrence_key(row.recurrence_id, zone(row.timezone), all_day=row.all_day)
    return LedgerRow(
        occurrence_id=f"{row.event_id}-{key}",
        date=local.date(),
        end_date=_last_day(row.starts_at, row.ends_at, tz),
        time="全天" if row.all_day else f"{local:%H:%M}",
        title=row.title_zh,
        venue=venue.name_zh if venue else None,
        village=_village_name(refs, venue),
        organizer=organizer.name_zh if organizer else None,
        category=refs.categories.by_id[row.category_id].name_zh,
        people=row.total,
        onsite=None if row.total is None else onsite_figure(row),
        online=row.online,
        residents=row.residents,
        visitors=row.visitors,
        method=METHOD_ZH.get(row.method or "", row.method),
        note=row.note,
        reporter=row.username,
        reported_at=row.reported_at.astimezone(tz) if row.reported_at else None,
        revision=row.revision,
        photos=int(row.photos),
        **_signup_fields(counts, row.total),
    )


def _signup_fields(counts: NightFigures | None, reported: int | None) -> dict[str, Any]:
    """报名 and 签到 with their methods and the sentence; nothing for a night without sign-ups."""
    if counts is None:
        return {}
    zh, en = night_sentence(counts, reported)
    return {
        "registered": counts.registered,
        "registered_method": REGISTERED_METHOD,
        "checked_in": counts.checked_in,
        "walk_ins": counts.walk_ins,
        "no_shows": counts.no_shows,
        "checked_in_method": CHECKED_IN_METHOD,
        "signups": zh,
        "signups_en": en,
    }


def _last_day(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> date | None:
    """The last local day of a night over several days (its end is exclusive); None for one."""
    if days_spanned(starts_at, ends_at) == 1:
        return None
    return (ends_at.astimezone(tz) - timedelta(microseconds=1)).date()


def _village_name(refs: RefData, venue: Venue | None) -> str | None:
    village = refs.villages.by_id.get(venue.village_id or -1) if venue else None
    return village.name_zh if village else None
