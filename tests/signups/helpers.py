"""Builders for the sign-up tests: an event with a sign-up plan, made through the API, and a
visitor signing up as one would (no login)."""

from __future__ import annotations

from typing import Any

import httpx

from bolin_events.schemas.signups import NightFigures
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.signups.figures import one_night_figures
from tests.attendance.helpers import make_event
from tests.conftest import Client

DONGSHENG = "ginkgo-night-market"  # 东胜村: the tests' reporter works here
HUAGAI = "qingqing-park"  # 华盖村: not the reporter's


def event_plan_url(event_id: int) -> str:
    return f"/api/v1/events/{event_id}/signup-plan"


def night_plan_url(night: str) -> str:
    return f"/api/v1/occurrences/{night}/signup-plan"


def signups_url(night: str) -> str:
    return f"/api/v1/occurrences/{night}/signups"


def list_url(night: str) -> str:
    return f"/api/v1/occurrences/{night}/registrations"


def phone(n: int) -> str:
    return f"1380000{n:04d}"


async def night_with_plan(
    client: httpx.AsyncClient, headers: dict[str, str], *, days_from_now: int = 3,
    venue: str = DONGSHENG, status: str = "published", rrule: str | None = None,
    **plan: Any,
) -> tuple[int, str]:
    """A two-hour event ``days_from_now`` days away, taking sign-ups under an event-wide plan
    (``plan`` over 10 places); its id and its first night's id."""
    event_id, night = await make_event(client, headers, days_from_now=days_from_now,
                                       venue=venue, status=status, rrule=rrule)
    saved = await client.put(event_plan_url(event_id), json={"places": 10, **plan},
                             headers=headers)
    assert saved.status_code == 200, saved.text
    return event_id, night


async def sign_up(client: httpx.AsyncClient, night: str, n: int = 0,
                  **body: Any) -> httpx.Response:
    """One visitor's sign-up (number ``n`` gives the name and phone number)."""
    sent = {"name": f"游客{n}", "phone": phone(n), **body}
    return await client.post(signups_url(night), json=sent)


async def figures(client: Client, night: str) -> NightFigures:
    async with client.app.state.sessionmaker() as session:
        _, occ = await get_occurrence(session, night)
        assert occ.id is not None
        return await one_night_figures(session, occ.id)


def token_of(answer: httpx.Response) -> str:
    link: str = answer.json()["link"]
    return link.rsplit("/", 1)[1]
