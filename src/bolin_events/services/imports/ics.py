"""Importing another calendar: series stay series, and a re-run keeps ours in step with it.

Events are found again by (source, UID). A changed event is updated, a changed night
skipped, moved, cancelled or restored; an event the source no longer lists is cancelled
(never deleted: subscribers must see it), unless it is already over — feeds drop the past.
Each event is written in its own savepoint: one the service refuses (a venue clash, a rule it
does not support, a title longer than ours may be) is reported and skipped, and the others go
in. Nothing is cut to fit: like a spreadsheet row, an event whose text is too long is refused
with the field, its length and the limit. The source's state is followed: postponed there,
postponed here (and published again when the source confirms it); cancelled there, cancelled.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import DomainError, InvalidInput
from bolin_events.models import Event, EventStatus, utcnow
from bolin_events.schemas.events import EventCreate, EventUpdate, StatusChange
from bolin_events.schemas.imports import Action, ImportReport, Problem, RowResult
from bolin_events.services.imports.changes import TIMING_FIELDS, differences
from bolin_events.services.imports.ics_parse import FeedEvent, external_id, parse_calendar
from bolin_events.services.imports.ics_text import LABELS, PARAGRAPH, refusal
from bolin_events.services.imports.nights import sync_nights
from bolin_events.services.imports.rules import (
    MappingRules,
    check_rules,
    organizer_named,
    place,
)
from bolin_events.services.imports.writes import (
    Where,
    check_source,
    count,
    events_of,
    explain,
    in_savepoint,
    record_import,
)
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.scheduling.events import (
    change_status,
    create_event,
    get_event,
    update_event,
)
from bolin_events.settings import Settings

# What a feed always speaks for; English texts, price, contact and organizer only when it
# gives them (ADDED), else what staff add here stays.
FIELDS = frozenset(("title_zh", "description_zh", "category", "venue", *TIMING_FIELDS))
ADDED = ("title_en", "description_en", "price", "contact", "organizer")
GONE = "来源日历已删除此活动 / Removed from the source calendar"
CANCELLED = "来源日历已取消 / Cancelled in the source calendar"
POSTPONED = "来源日历已延期 / Postponed in the source calendar"
DRAFT_POSTPONED = (
    "来源中已延期；草稿不能延期，仍为草稿 / postponed in the source: a draft stays a draft"
)
# (our status, the source's) → the status change that makes them agree.
FOLLOW = {
    (EventStatus.draft, "cancelled"): "cancel",
    (EventStatus.published, "cancelled"): "cancel",
    (EventStatus.postponed, "cancelled"): "cancel",
    (EventStatus.published, "postponed"): "postpone",
    (EventStatus.postponed, "published"): "publish",
}
REASON_MAX = 300  # StatusChange.reason


async def import_feed(
    session: AsyncSession,
    content: bytes,
    settings: Settings,
    *,
    source: str,
    rules: MappingRules,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    check_source(source, sheet=False)
    now = now or utcnow()
    refs = await load_refs(session)
    check_rules(rules, refs)
    feed = parse_calendar(content, settings.timezone, horizon=date(now.year + 1, 12, 31))
    existing = await events_of(session, source)
    writer = _Writer(session, refs, settings, rules, source)
    savepoint = await session.begin_nested()
    try:
        results: list[RowResult | None] = [
            await writer.event(e, existing.get(e.external_id)) for e in feed.events
        ]
        listed = {e.external_id for e in feed.events} | {external_id(s.uid) for s in feed.skipped}
        gone = [e for key, e in existing.items() if key not in listed]
        notes = []
        if feed.events or not gone:
            results += [await writer.gone(e, now) for e in gone]
        else:
            notes.append(
                "来源日历没有任何活动，为安全起见未取消任何活动 / the source lists no events: "
                "nothing was cancelled, to be safe"
            )
    except BaseException:
        await savepoint.rollback()
        raise
    rows = [r for r in results if r is not None]
    for skipped in feed.skipped:
        at = _where(skipped.title, skipped.uid)
        problem = Problem(message=f"{at.zh}：{skipped.zh}", message_en=f"{at.en}: {skipped.en}")
        rows.append(_result(skipped.uid, skipped.title, Action.skip, problems=[problem]))
    await (savepoint.rollback() if dry_run else savepoint.commit())
    report = ImportReport(
        kind="ics",
        source=source,
        dry_run=dry_run,
        written=not dry_run,
        counts=count(rows),
        problems=[p for r in rows for p in r.problems],
        notes=notes,
        rows=rows,
    )
    if not dry_run:
        await record_import(session, report, source)
    return report


def _where(title: str, uid: str) -> Where:
    short = title if len(title) <= 40 else f"{title[:40]}…"
    return Where(f"「{short}」（{uid[:60]}）", f"“{short}” ({uid[:60]})")


def _reason(event: FeedEvent, default: str) -> str:
    """The source's own reason, which visitors read, when it fits ours."""
    given = event.status_reason
    return given if given and len(given) <= REASON_MAX else default


def _result(key: str, title: str, action: Action, **more: object) -> RowResult:
    return RowResult(external_id=key, title=title, action=action, **more)


class _Writer:
    def __init__(
        self,
        session: AsyncSession,
        refs: RefData,
        settings: Settings,
        rules: MappingRules,
        source: str,
    ) -> None:
        self.session, self.refs, self.settings = session, refs, settings
        self.rules, self.source = rules, source

    async def nights(self, ours: Event, event: FeedEvent) -> tuple[list[str], list[str]]:
        return await sync_nights(
            self.session, ours, event, self.refs, self.settings, rules=self.rules
        )

    def planned(self, event: FeedEvent) -> EventCreate:
        """What the event would be here; InvalidInput when a text does not fit."""
        placed = place(event, self.rules, self.refs)
        kept = [event.description]  # what has no field of ours stays readable in the text
        if event.location and placed.venue is None:
            kept.append(f"地点 / Location: {event.location}")
        organizer_line = event.labelled.get("organizer")
        organizer = organizer_named(organizer_line, self.refs) if organizer_line else None
        if organizer_line and organizer is None:
            kept.append(LABELS["organizer"] + organizer_line)
        try:
            return EventCreate(
                title_zh=event.title_zh,
                title_en=event.title_en,
                description_zh=PARAGRAPH.join(text for text in kept if text) or None,
                description_en=event.description_en,
                category=placed.category,
                venue=placed.venue,
                organizer=organizer,
                price=event.labelled.get("price"),
                contact=event.labelled.get("contact"),
                all_day=event.all_day,
                start=event.start,
                end=event.end,
                timezone=event.timezone,
                rrule=event.rrule,
                status=EventStatus(self.rules.status),
                allow_overlap=self.rules.allow_overlap,
            )
        except ValidationError as exc:
            raise refusal(exc) from None

    async def follow_status(self, event_id: int, ours: EventStatus, event: FeedEvent,
                            result: RowResult) -> bool:
        """Our status brought in line with the source's; True when it changed."""
        action = FOLLOW.get((ours, event.status))
        if action is None:
            if (ours, event.status) == (EventStatus.draft, "postponed"):
                result.notes.append(DRAFT_POSTPONED)
            return False
        default = {"cancel": CANCELLED, "postpone": POSTPONED}.get(action)
        reason = StatusChange(reason=_reason(event, default) if default else None)
        await change_status(self.session, event_id, action, reason, self.settings)
        return True

    async def event(self, event: FeedEvent, ours: Event | None) -> RowResult:
        result = _result(event.external_id, event.title_zh, Action.unchanged, notes=event.notes)
        result.event_id = ours.id if ours else None
        try:
            data = self.planned(event)
        except (DomainError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
            zh = exc.zh if isinstance(exc, DomainError) else str(exc)
            return self._failed(event, result, InvalidInput(zh, str(exc)))
        if ours is None:
            if event.cancelled:
                result.action = Action.skip
                result.notes.append("来源中已取消，未导入 / cancelled in the source: not imported")
                return result
            return await self._create(event, data, result)
        if ours.status == EventStatus.cancelled:
            if not event.cancelled:
                result.notes.append("我们这边已取消，不会恢复 / cancelled here: not revived")
            return result
        return await self._update(event, ours, data, result)

    async def _create(self, event: FeedEvent, data: EventCreate, result: RowResult) -> RowResult:
        async def work() -> None:
            made = await create_event(
                self.session,
                data,
                self.settings,
                refs=self.refs,
                source=self.source,
                external_id=event.external_id,
            )
            if made.rrule:
                _, notes = await self.nights(made, event)
                result.notes.extend(notes)
            await self.follow_status(made.id or 0, made.status, event, result)

        error = await in_savepoint(self.session, work)
        if error is not None:
            return self._failed(event, result, error)
        result.action = Action.create
        return result

    async def _update(
        self, event: FeedEvent, ours: Event, data: EventCreate, result: RowResult
    ) -> RowResult:
        event_id = ours.id or 0
        spoken = FIELDS | {name for name in ADDED if getattr(data, name) is not None}
        differ, values = differences(
            ours, data, spoken, self.refs, self.settings.max_occurrences_per_series
        )

        async def work() -> None:
            changed = list(differ)
            if differ:
                values["allow_overlap"] = self.rules.allow_overlap
                await update_event(
                    self.session, event_id, EventUpdate(**values), self.settings
                )
            mine = await get_event(self.session, event_id)
            if mine.rrule:
                nights, notes = await self.nights(mine, event)
                changed += ["nights"] if nights else []
                result.notes.extend(notes)
            if await self.follow_status(event_id, mine.status, event, result):
                changed.append("status")
            result.changes = changed

        error = await in_savepoint(self.session, work)
        if error is not None:
            return self._failed(event, result, error)
        result.action = Action.update if result.changes else Action.unchanged
        return result

    async def gone(self, ours: Event, now: datetime) -> RowResult | None:
        """Cancel what the source dropped, unless it is over or cancelled already."""
        if ours.status == EventStatus.cancelled or ours.span_end <= now:
            return None
        result = _result(ours.external_id or "", ours.title_zh, Action.cancel, event_id=ours.id)
        event_id = ours.id or 0

        async def work() -> None:
            reason = StatusChange(reason=GONE)
            await change_status(self.session, event_id, "cancel", reason, self.settings)

        error = await in_savepoint(self.session, work)
        if error is not None:
            where = _where(result.title, result.external_id)
            result.problems.append(explain(error, where, self.refs, {}))
            result.action = Action.skip
        return result

    def _failed(self, event: FeedEvent, result: RowResult, error: DomainError) -> RowResult:
        where = _where(event.title_zh, event.uid)
        result.problems.append(explain(error, where, self.refs, {}))
        result.action = Action.skip
        result.changes = []
        return result
