"""Personal data is kept only as long as the plan says: past its retention a sign-up's name,
phone number, answers and address are gone, while every headcount of the night stays."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from bolin_events.db import make_engine, make_sessionmaker, write_session
from bolin_events.housekeeping import purge_every
from bolin_events.models import Registration
from bolin_events.schemas.events import EventCreate
from bolin_events.services import seeding
from bolin_events.services.scheduling.events import create_event
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.signups.retention import purge
from bolin_events.settings import Settings
from tests.attendance.helpers import evening, make_event
from tests.cli.conftest import Cli
from tests.conftest import DATABASE_KINDS, Client, Staff
from tests.signups.helpers import figures, list_url, night_with_plan, sign_up, token_of
from tests.support.db import scratch_postgres


async def a_full_night(client: Client, staff: Staff, **plan: object) -> tuple[str, str]:
    """A night with a sign-up that answered a question, one waiting, one cancelled and a
    walk-in; the night's id and the first visitor's token."""
    _, night = await night_with_plan(client, staff.scheduler, places=2, max_party=2,
                                     questions=["孩子年龄"], **plan)
    first = await sign_up(client, night, 1, party=2, answers=["8岁"])
    await sign_up(client, night, 2)
    cancelled = await sign_up(client, night, 3)
    await client.post(f"/api/v1/signups/{token_of(cancelled)}/cancel")
    await client.post(list_url(night), headers=staff.scheduler,
                      json={"name": "李大爷", "party": 1, "door": "东门"})
    return night, token_of(first)


async def purge_at(client: Client, settings: Settings, night: str, days_after: float) -> int:
    """The purge as it runs ``days_after`` the night ends."""
    async with write_session(client.app.state.sessionmaker) as session:
        _, occ = await get_occurrence(session, night)
        return await purge(session, settings, now=occ.ends_at + timedelta(days=days_after))


async def registrations(client: Client) -> list[Registration]:
    async with client.app.state.sessionmaker() as session:
        found = await session.exec(select(Registration).order_by(col(Registration.id)))
        return list(found.all())


async def test_retention_past_it_the_personal_fields_are_gone_and_the_headcounts_stay(
        client: Client, staff: Staff, settings: Settings) -> None:
    night, token = await a_full_night(client, staff, retention_days=7)
    before = await figures(client, night)

    emptied = await purge_at(client, settings, night, days_after=7)

    assert emptied == 4
    rows = await registrations(client)
    assert [(r.name, r.phone_hash, r.phone_masked, r.answers, r.address_hash) for r in rows] == [
        (None, None, None, None, None)] * 4
    assert all(r.purged_at is not None for r in rows)
    assert [(r.state, r.party, r.walk_in) for r in rows] == [
        ("confirmed", 2, False), ("waitlisted", 1, False), ("cancelled", 1, False),
        ("confirmed", 1, True)]
    assert await figures(client, night) == before
    seen = (await client.get(f"/api/v1/signups/{token}")).json()
    assert (seen["state"], seen["name"], seen["phone_masked"]) == ("confirmed", None, None)
    assert seen["purged_at"] is not None and seen["purge_at"] <= seen["purged_at"]
    listed = (await client.get(list_url(night), headers=staff.scheduler)).json()
    assert [(r["name"], r["phone_masked"], r["answers"], r["purged"]) for r in listed] == [
        (None, None, [], True)] * 4


async def test_retention_before_it_ends_nothing_is_emptied(
        client: Client, staff: Staff, settings: Settings) -> None:
    night, token = await a_full_night(client, staff, retention_days=7)

    emptied = await purge_at(client, settings, night, days_after=6.9)

    assert emptied == 0
    seen = (await client.get(f"/api/v1/signups/{token}")).json()
    assert (seen["name"], seen["phone_masked"], seen["purged_at"]) == (
        "游客1", "138****0001", None)
    assert seen["purge_at"] == (datetime.fromisoformat(seen["ends_at"]) + timedelta(days=7)
                                ).isoformat().replace("+00:00", "Z")


async def test_retention_of_a_night_without_a_plan_is_the_installations_default(
        client: Client, staff: Staff, settings: Settings) -> None:
    _, night = await make_event(client, staff.scheduler, days_from_now=3)
    await client.post(list_url(night), headers=staff.scheduler, json={"name": "王阿姨"})
    settings.signup_retention_days = 5

    early, due = (await purge_at(client, settings, night, days_after=4),
                  await purge_at(client, settings, night, days_after=5))

    assert (early, due) == (0, 1)


async def test_retention_a_second_purge_finds_nothing_more(
        client: Client, staff: Staff, settings: Settings) -> None:
    night, _ = await a_full_night(client, staff)

    first = await purge_at(client, settings, night, days_after=30)
    second = await purge_at(client, settings, night, days_after=31)

    assert (first, second) == (4, 0)


async def test_retention_purge_runs_on_its_own_in_every_app_process(
        client: Client, staff: Staff, settings: Settings) -> None:
    _, night = await make_event(client, staff.scheduler, days_from_now=-40)
    await client.post(list_url(night), headers=staff.scheduler, json={"name": "王阿姨"})
    settings.signup_purge_minutes = 0.001  # every 60 ms

    task = asyncio.create_task(purge_every(client.app.state.sessionmaker, settings, first=0))
    try:
        for _ in range(200):
            if all(r.purged_at for r in await registrations(client)):
                break
            await asyncio.sleep(0.02)
    finally:
        task.cancel()

    (row,) = await registrations(client)
    assert (row.name, row.walk_in, row.party) == (None, True, 1)
    assert row.purged_at is not None


@pytest.fixture(params=DATABASE_KINDS)
def cli(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cli]:
    if request.param == "sqlite":
        yield Cli(tmp_path / "data")
        return
    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without PostgreSQL
    with scratch_postgres("bolin_purge") as url:
        yield Cli(tmp_path / "data", url)


def past_sign_ups(settings: Settings) -> None:
    """Two sign-ups of a night 40 days ago and one of a night 10 days ago (kept 30 days)."""

    async def run() -> None:
        engine = make_engine(settings)
        try:
            async with write_session(make_sessionmaker(engine)) as session:
                await seeding.seed(session, settings, demo=False)
                for days, names in ((40, ["甲", "乙"]), (10, ["丙"])):
                    start = evening(-days)
                    event = await create_event(session, EventCreate.model_validate({
                        "title_zh": f"{days}天前的研学", "category": "study-tour",
                        "venue": "jiayue-farm", "status": "published",
                        "start": start.replace(tzinfo=None).isoformat(),
                        "end": (start + timedelta(hours=2)).replace(tzinfo=None).isoformat(),
                    }), settings)
                    _, occ = await get_occurrence(session, f"{event.id}-{start:%Y%m%dT%H%M%S}")
                    for name in names:
                        session.add(Registration(
                            occurrence_id=occ.id or 0, code=f"CODE{name.encode().hex()[:4]}",
                            token_hash=name.encode().hex().ljust(64, "0"), state="confirmed",
                            party=1, name=name, phone_masked="138****0000"))
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_retention_cli_purge_prints_how_many_were_emptied(cli: Cli) -> None:
    assert cli("db", "upgrade").exit_code == 0
    past_sign_ups(cli.settings)

    first = cli("signups", "purge")
    again = cli("signups", "purge", "--json")

    assert first.exit_code == 0, first.output
    assert first.stdout == "已删除 2 份报名的个人信息 / personal data deleted from 2 sign-ups\n"
    assert (again.exit_code, json.loads(again.stdout)) == (0, {"purged": 0})
