"""The activity record sheet (活动记录表): for each held night, what an inspector asks to see —
when and where, who organized it and the culture station's part, what was held, who was in
charge, the figures with their split, the evidence photos and every revision of the report;
for a night that took sign-ups, its 报名 and 签到 beside the reported figure.

A period's sheets are gathered in three queries (nights, revisions, photos) however many nights
it held; the nights are the ledger's (services.stats.ledger), so the two always agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import NotFound
from bolin_events.models import (
    AttendanceReport,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
    Organizer,
    ReportPhoto,
    StationRole,
    User,
    utcnow,
)
from bolin_events.schemas.common import Ref
from bolin_events.schemas.events import VenueRef
from bolin_events.schemas.reports import StatsOut
from bolin_events.schemas.signups import NightFigures
from bolin_events.services.attendance.held import is_held
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.stats.ledger import METHOD_ZH
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.queries import GroupBy
from bolin_events.services.stats.signups import figures_of, night_sentence
from bolin_events.services.stats.summary import statistics
from bolin_events.services.timing import recurrence_key, zone
from bolin_events.settings import Settings

Rows = Select[*tuple[Any, ...]]  # a Core query read as plain rows
STATION_SLUG = "culture-station"  # the reference seed's organizer for the town's station


@dataclass(frozen=True)
class Revision:
    """One filed revision of the night's report; times are local."""

    revision: int
    total: int
    onsite: int | None
    online: int | None
    residents: int | None
    visitors: int | None
    volunteers: int | None
    method: str | None  # the stored key (headcount …)
    method_zh: str | None
    note: str | None
    reason: str | None
    reporter: str
    reported_at: datetime


@dataclass(frozen=True)
class Photo:
    id: int
    revision: int  # the revision it was filed with
    width: int
    height: int


@dataclass(frozen=True)
class RecordSheet:
    """One held night's record; ``start``/``end`` are local, an all-day ``end`` is the
    midnight after its last day."""

    occurrence_id: str
    title_zh: str
    title_en: str | None
    category: Ref
    start: datetime
    end: datetime
    all_day: bool
    venue: VenueRef | None
    address: str | None
    organizer: Ref | None
    station_role: str | None  # 主办 / 承办 / 协办 / 协助; None: nobody said
    programme: Ref | None
    contact: str | None
    content_zh: str | None
    content_en: str | None
    revisions: list[Revision]  # oldest first; the last one counts
    photos: list[Photo]
    signups: NightFigures | None = None  # None: the night took no sign-ups

    @property
    def latest(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def signup_sentence(self) -> tuple[str, str] | None:
        """ "报名 40 人，签到 36 人，上报 38 人" and its English; None without sign-ups."""
        if self.signups is None:
            return None
        return night_sentence(self.signups, self.latest.total if self.latest else None)

    @property
    def last_day(self) -> date:
        if self.all_day:
            return (self.end - timedelta(days=1)).date()
        return self.end.date()


@dataclass(frozen=True)
class RecordBook:
    """A period's sheets in date order, and the cover's totals (场次, 人次, by category)."""

    period: Period
    sheets: list[RecordSheet]
    totals: StatsOut


async def record_book(
    session: AsyncSession, settings: Settings, period: Period, *, now: datetime | None = None
) -> RecordBook:
    now = now or utcnow()
    start, end = period.bounds(zone(settings.timezone))
    sheets = await _sheets(session, settings, is_held(start, end, now))
    totals = await statistics(session, settings, period, GroupBy.category, now=now)
    return RecordBook(period=period, sheets=sheets, totals=totals)


async def record_sheet(
    session: AsyncSession, settings: Settings, key: str, *, now: datetime | None = None
) -> RecordSheet:
    """The sheet of the night ``key`` (12-20230715T193000); a night not held has none."""
    event, occ = await get_occurrence(session, key)
    _check_held(event, occ, key, now or utcnow(), zone(settings.timezone))
    (sheet,) = await _sheets(session, settings, [col(Occurrence.id) == occ.id])
    return sheet


def _check_held(event: Event, occ: Occurrence, key: str, now: datetime, tz: ZoneInfo) -> None:
    why: tuple[str, str] | None = None
    if event.status == EventStatus.draft:
        why = "活动尚未发布（草稿）", "the event is a draft"
    elif event.status == EventStatus.cancelled:
        why = "活动已取消", "the event is cancelled"
    elif event.status == EventStatus.postponed:
        why = "活动已延期", "the event is postponed"
    elif occ.state == OccurrenceState.cancelled:
        why = "这一场已取消", "this night was cancelled"
    elif occ.state == OccurrenceState.skipped:
        why = "这一场不举办（已从日历中去掉）", "this night was taken off the calendar"
    elif occ.ends_at > now:
        ends = f"{occ.ends_at.astimezone(tz):%Y-%m-%d %H:%M}"
        why = f"这一场尚未结束（{ends} 结束）", f"this night is not over yet (it ends {ends})"
    if why:
        raise NotFound(
            f"场次 {key} 没有活动记录表：{why[0]}。只有已举办的场次才有记录。",
            f"Night {key} has no record sheet: {why[1]}. Only held nights have one.",
            [{"field": "occurrence_id", "value": key}],
        )


async def _sheets(
    session: AsyncSession, settings: Settings, nights: list[ColumnElement[bool]]
) -> list[RecordSheet]:
    """The sheets of the occurrences ``nights`` picks (conditions on Occurrence ⋈ Event)."""
    tz = zone(settings.timezone)
    refs = await load_refs(session)
    connection = await session.connection()  # plain rows: no need to build ORM objects
    revisions: dict[int, list[Revision]] = defaultdict(list)
    for row in await connection.execute(_revisions_query(nights)):
        revisions[row.occurrence_id].append(_revision(row, tz))
    photos: dict[int, list[Photo]] = defaultdict(list)
    for row in await connection.execute(_photos_query(nights)):
        photos[row.occurrence_id].append(Photo(row.id, row.revision, row.width, row.height))
    rows = (await connection.execute(_nights_query(nights))).all()
    counts = await figures_of(session, [row.id for row in rows])
    return [
        _sheet(refs, tz, row, revisions[row.id], photos[row.id], counts.get(row.id))
        for row in rows
    ]


def _on_nights(query: Rows, nights: list[ColumnElement[bool]]) -> Rows:
    return query.join(Event, col(Event.id) == col(Occurrence.event_id)).where(*nights)


def _nights_query(nights: list[ColumnElement[bool]]) -> Rows:
    query: Rows = select(
        col(Occurrence.id),
        col(Occurrence.recurrence_id),
        col(Occurrence.starts_at),
        col(Occurrence.ends_at),
        col(Occurrence.venue_id),
        col(Event.id).label("event_id"),
        col(Event.timezone),
        col(Event.all_day),
        col(Event.title_zh),
        col(Event.title_en),
        col(Event.description_zh),
        col(Event.description_en),
        col(Event.category_id),
        col(Event.organizer_id),
        col(Event.programme_id),
        col(Event.contact),
    ).select_from(Occurrence)
    return _on_nights(query, nights).order_by(col(Occurrence.starts_at), col(Occurrence.id))


def _revisions_query(nights: list[ColumnElement[bool]]) -> Rows:
    report = AttendanceReport
    query: Rows = (
        select(
            col(report.occurrence_id),
            col(report.revision),
            col(report.total),
            col(report.onsite),
            col(report.online),
            col(report.residents),
            col(report.visitors),
            col(report.volunteers),
            col(report.method),
            col(report.note),
            col(report.reason),
            col(report.reported_at),
            col(User.username),
        )
        .select_from(report)
        .join(Occurrence, col(Occurrence.id) == col(report.occurrence_id))
        .join(User, col(User.id) == col(report.reported_by))
    )
    return _on_nights(query, nights).order_by(col(report.occurrence_id), col(report.revision))


def _photos_query(nights: list[ColumnElement[bool]]) -> Rows:
    query: Rows = (
        select(
            col(ReportPhoto.id),
            col(ReportPhoto.occurrence_id),
            col(ReportPhoto.width),
            col(ReportPhoto.height),
            col(AttendanceReport.revision),
        )
        .select_from(ReportPhoto)
        .join(AttendanceReport, col(AttendanceReport.id) == col(ReportPhoto.report_id))
        .join(Occurrence, col(Occurrence.id) == col(ReportPhoto.occurrence_id))
    )
    return _on_nights(query, nights).order_by(col(ReportPhoto.id))


def _revision(row: Any, tz: ZoneInfo) -> Revision:
    return Revision(
        revision=row.revision,
        total=row.total,
        onsite=row.onsite if row.onsite is not None else row.total - (row.online or 0),
        online=row.online,
        residents=row.residents,
        visitors=row.visitors,
        volunteers=row.volunteers,
        method=row.method,
        method_zh=METHOD_ZH.get(row.method, row.method) if row.method else None,
        note=row.note,
        reason=row.reason,
        reporter=row.username,
        reported_at=row.reported_at.astimezone(tz),
    )


def _sheet(
    refs: RefData,
    tz: ZoneInfo,
    row: Any,
    revisions: list[Revision],
    photos: list[Photo],
    signups: NightFigures | None,
) -> RecordSheet:
    # the id occurrences.occurrence_id gives: the event and the rule's original local start
    key = recurrence_key(row.recurrence_id, zone(row.timezone), all_day=row.all_day)
    venue = refs.venues.by_id.get(row.venue_id or -1)
    organizer = refs.organizers.by_id.get(row.organizer_id or -1)
    programme = refs.programmes.by_id.get(row.programme_id or -1)
    return RecordSheet(
        occurrence_id=f"{row.event_id}-{key}",
        title_zh=row.title_zh,
        title_en=row.title_en,
        category=refs.ref(refs.categories.by_id[row.category_id]),
        start=row.starts_at.astimezone(tz),
        end=row.ends_at.astimezone(tz),
        all_day=row.all_day,
        venue=refs.venue_ref(row.venue_id) if venue else None,
        address=venue.address if venue else None,
        organizer=refs.ref(organizer),
        station_role=station_role(refs, row.programme_id, organizer),
        programme=refs.ref(programme),
        contact=row.contact,
        content_zh=row.description_zh,
        content_en=row.description_en,
        revisions=revisions,
        photos=photos,
        signups=signups,
    )


def station_role(
    refs: RefData, programme_id: int | None, organizer: Organizer | None
) -> str | None:
    """The culture station's part: its programme's ``station_role`` (a sub-programme without
    one takes its parent's); failing that 主办 when the station is the organizer."""
    seen: set[int] = set()
    while programme_id is not None and programme_id not in seen:
        seen.add(programme_id)
        programme = refs.programmes.by_id.get(programme_id)
        if programme is None:
            break
        if programme.station_role:
            return programme.station_role
        programme_id = programme.parent_id
    if organizer is not None and is_station(organizer):
        return StationRole.host.value
    return None


def is_station(organizer: Organizer) -> bool:
    return organizer.slug == STATION_SLUG or organizer.name_zh.endswith("综合文化站")
