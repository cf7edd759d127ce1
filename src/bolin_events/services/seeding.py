"""Loading seed/ (reference data, and the demo season) idempotently: a second run adds nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from sqlmodel import SQLModel, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import (
    Category,
    CountingGroup,
    Event,
    EventStatus,
    Occurrence,
    Organizer,
    Programme,
    Role,
    SignupPlan,
    User,
    Venue,
    Village,
)
from bolin_events.schemas import places as s
from bolin_events.schemas.attendance import ReportIn
from bolin_events.schemas.events import EventCreate, OccurrenceCancel, OccurrenceMove, StatusChange
from bolin_events.schemas.signups import PlanIn
from bolin_events.services import places
from bolin_events.services.attendance import reports as attendance
from bolin_events.services.attendance.access import Reporter
from bolin_events.services.attendance.reports import latest_report
from bolin_events.services.refs import load_refs
from bolin_events.services.scheduling.events import change_status, create_event
from bolin_events.services.scheduling.nights import (
    cancel_occurrence,
    move_occurrence,
    skip_occurrence,
)
from bolin_events.services.scheduling.occurrences import get_occurrence, occurrence_id
from bolin_events.services.signups.plans import save_plan
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.slugs import slugify

DEMO_SOURCE = "demo"
DEMO_REPORTER = "demo-reporter"
KINDS: list[tuple[str, type[SQLModel], type[BaseModel]]] = [
    ("villages", Village, s.VillageIn),
    ("venues", Venue, s.VenueIn),
    ("counting_groups", CountingGroup, s.CountingGroupIn),
    ("categories", Category, s.CategoryIn),
    ("organizers", Organizer, s.OrganizerIn),
    ("programmes", Programme, s.ProgrammeIn),
]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.skipped
        target[kind] = target.get(kind, 0) + 1


def seed_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_seed", here.parent.parent / "seed"):
        if (candidate / "reference.yaml").exists():
            return candidate
    raise FileNotFoundError("the seed/ folder is missing from this installation")


def read(name: str) -> dict[str, Any]:
    data = yaml.safe_load((seed_dir() / name).read_text(encoding="utf-8"))
    return data or {}


async def is_empty(session: AsyncSession) -> bool:
    return (await session.exec(select(func.count()).select_from(Village))).one() == 0


async def seed(session: AsyncSession, settings: Settings, *, demo: bool) -> SeedReport:
    report = SeedReport()
    await _places(session, read("reference.yaml"), report)
    if demo:
        data = read("demo.yaml")
        await _places(session, data, report)
        for item in data.get("events", []):
            await _event(session, settings, item, report)
    return report


async def _places(session: AsyncSession, data: dict[str, Any], report: SeedReport) -> None:
    refs = await load_refs(session)  # kept current by places.create, so loaded once
    for kind, model, schema in KINDS:
        for item in data.get(kind, []):
            slug = item.get("slug") or slugify(item["name_zh"], strip_place_suffix=model is Village)
            if slug in places.table_of(refs, model).by_slug:
                report.count(kind, created=False)
                continue
            await places.create(session, model, schema.model_validate(item), refs)
            report.count(kind, created=True)


async def _event(
    session: AsyncSession, settings: Settings, item: dict[str, Any], report: SeedReport
) -> None:
    key = item["key"]
    existing = (
        await session.exec(
            select(Event).where(Event.source == DEMO_SOURCE, Event.external_id == key)
        )
    ).first()
    if existing is not None:
        report.count("events", created=False)
        await _signup_plan(session, settings, existing, item, report)
        await _attendance(session, settings, existing, item, report)
        return
    fields = {
        k: v for k, v in item.items()
        if k not in ("key", "exceptions", "cancel", "attendance", "signup_plan")
    }
    event = await create_event(session, EventCreate.model_validate(fields), settings)
    event.source, event.external_id = DEMO_SOURCE, key
    tz, here = zone(event.timezone), zone(settings.timezone)
    for exception in item.get("exceptions", []):
        night = datetime.fromisoformat(exception["night"]).replace(tzinfo=tz)
        occ = await _occurrence_at(session, event, night)
        if exception.get("skip"):
            await skip_occurrence(session, occ, tz=here)
        elif "move" in exception:
            move = OccurrenceMove.model_validate(
                {**exception["move"], "reason": exception.get("reason")}
            )
            await move_occurrence(session, occ, move, tz=here)
        elif "cancel" in exception:
            await cancel_occurrence(
                session, occ, OccurrenceCancel(reason=exception["cancel"]), tz=here
            )
    if "cancel" in item:
        if event.status == EventStatus.draft:
            await change_status(
                session, event.id or 0, "publish", StatusChange(), settings
            )
        await change_status(
            session, event.id or 0, "cancel", StatusChange(reason=item["cancel"]), settings
        )
    report.count("events", created=True)
    await _signup_plan(session, settings, event, item, report)
    await _attendance(session, settings, event, item, report)


async def _signup_plan(
    session: AsyncSession, settings: Settings, event: Event, item: dict[str, Any],
    report: SeedReport,
) -> None:
    """The demo event's sign-up plan (every night of it), unless it has one already."""
    if "signup_plan" not in item:
        return
    found = (await session.exec(select(SignupPlan).where(SignupPlan.event_id == event.id))).first()
    if found is not None:
        report.count("signup_plans", created=False)
        return
    await save_plan(session, event, None, PlanIn.model_validate(item["signup_plan"]), None,
                    settings=settings)
    report.count("signup_plans", created=True)


async def _attendance(
    session: AsyncSession,
    settings: Settings,
    event: Event,
    item: dict[str, Any],
    report: SeedReport,
) -> None:
    """File the demo's reports (revisions in order) for nights that have none yet."""
    entries = item.get("attendance", [])
    if not entries:
        return
    reporter = await _demo_reporter(session)
    tz = zone(event.timezone)
    done: set[str] = set()
    for entry in entries:
        night = datetime.fromisoformat(entry["night"]).replace(tzinfo=tz)
        key = await _occurrence_at(session, event, night)
        occ = (await get_occurrence(session, key))[1]
        if key not in done and await latest_report(session, occ.id or 0) is not None:
            report.count("attendance", created=False)
            continue
        done.add(key)
        data = ReportIn.model_validate({k: v for k, v in entry.items() if k != "night"})
        filed_at = occ.ends_at + timedelta(days=3 if data.reason else 0, hours=14)
        await attendance.file_report(session, key, data, reporter, settings, now=filed_at)
        report.count("attendance", created=True)


async def _demo_reporter(session: AsyncSession) -> Reporter:
    """A disabled account without a password: the demo's reports need someone who filed them."""
    user = (await session.exec(select(User).where(User.username == DEMO_REPORTER))).first()
    if user is None:
        user = User(
            username=DEMO_REPORTER,
            display_name="演示信息员（演示数据）",
            role=Role.reporter,
            is_active=False,
        )
        session.add(user)
        await session.flush()
    return Reporter(user.id or 0, user.username, None)


async def _occurrence_at(session: AsyncSession, event: Event, night: datetime) -> str:
    occ = (
        await session.exec(
            select(Occurrence).where(
                Occurrence.event_id == event.id, Occurrence.recurrence_id == night
            )
        )
    ).first()
    if occ is None:
        raise ValueError(f"seed: {event.title_zh} has no night at {night.isoformat()}")
    return occurrence_id(event, occ)
