"""What the sign-up page tests share: a night that takes sign-ups, signing up through the
public form, and reading what the pages show."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlmodel import select

from bolin_events.models import User
from bolin_events.schemas.signups import PlanIn
from bolin_events.services.scheduling.events import get_event
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.signups import plans
from tests.attendance.helpers import make_event
from tests.conftest import Client

JIAYUE = "jiayue-farm"  # 嘉悦农场研学基地 (东胜村)
PHONE = "13812345678"
MASKED = "138****5678"
PRIVATE = "private, no-store"


async def study_day(
    client: Client, headers: dict[str, str], *, days_from_now: int = 10,
    status: str = "published", **plan: Any
) -> tuple[int, str]:
    """A 研学 day ten days ahead with a sign-up plan for its night (the event's plan;
    ``plan`` overrides PlanIn's defaults, places 5 unless given)."""
    event_id, night = await make_event(client, headers, days_from_now=days_from_now, hour=9,
                                       venue=JIAYUE, title_zh="嘉悦农场研学体验日", status=status)
    await set_plan(client, event_id, None, **plan)
    return event_id, night


async def set_plan(client: Client, event_id: int, night: str | None, **plan: Any) -> None:
    """Saves a plan through the service (as the API or the staff page would)."""
    async with client.app.state.sessionmaker() as session, session.begin():
        event = await get_event(session, event_id)
        occ = (await get_occurrence(session, night))[1] if night else None
        user = (await session.exec(select(User).where(User.username == "scheduler"))).one()
        assert user.id is not None
        await plans.save_plan(session, event, occ, PlanIn(**{"places": 5, **plan}), user.id)


def form_path(event_id: int, night: str) -> str:
    return f"/events/{event_id}/nights/{night}/signup"


async def sign_up(client: Client, event_id: int, night: str, name: str = "小王",
                  phone: str = PHONE, **extra: str) -> httpx.Response:
    """Posts the public form as a phone's browser would (no cookie, no CSRF token)."""
    return await client.post(form_path(event_id, night),
                             data={"name": name, "phone": phone, **extra})


async def signed_up(client: Client, event_id: int, night: str, name: str = "小王",
                    phone: str = PHONE, **extra: str) -> str:
    """Signs up and gives the visitor's own page's path."""
    response = await sign_up(client, event_id, night, name, phone, **extra)
    assert response.status_code == 303, (response.status_code, response.text[:1000])
    path = response.headers["location"]
    assert re.fullmatch(r"/signups/[A-Za-z0-9_-]{20,}", path), path
    return path


def code_on(html: str) -> str:
    """The check-in code the visitor's page shows in large."""
    found = re.search(r'<strong class="code">([A-Z0-9]+)</strong>', html)
    assert found, "no code on the page"
    return found.group(1)
