"""The demo season shows sign-ups: the farming festival at 嘉悦农场研学基地 takes families by
sign-up, and seeding again adds no second plan."""

from __future__ import annotations

from sqlmodel import select

from bolin_events.models import Event, SignupPlan
from bolin_events.services import seeding
from bolin_events.settings import Settings
from tests.conftest import Client
from tests.signups.helpers import signups_url


async def test_demo_festival_takes_sign_ups(client: Client, seeded: None) -> None:
    async with client.app.state.sessionmaker() as session:
        festival = (await session.exec(
            select(Event).where(Event.title_zh == "农耕文化体验节（演示）"))).one()

    shown = (await client.get(signups_url(f"{festival.id}-20270709"))).json()

    assert (shown["places"], shown["remaining"], shown["max_party"], shown["open"]) == (
        60, 60, 4, True)
    assert shown["questions"] == ["同行孩子的年龄"]


async def test_demo_seeded_twice_has_one_plan(
        client: Client, seeded: None, settings: Settings) -> None:
    async with client.app.state.sessionmaker() as session, session.begin():
        again = await seeding.seed(session, settings, demo=True)
        plans = (await session.exec(select(SignupPlan))).all()

    assert (again.created.get("signup_plans", 0), again.skipped["signup_plans"]) == (0, 1)
    assert len(plans) == 1
