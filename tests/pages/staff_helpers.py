"""Shared by the staff page tests: posting forms as a browser would (with the CSRF token), and
the events the editor tests start from."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Client
from tests.pages.login import csrf

FormData = dict[str, str | list[str]]


async def post_form(client: Client, path: str, data: FormData | None = None) -> httpx.Response:
    """POST a form with the CSRF token (a page GET sets its cookie; one is made if needed)."""
    if not any(c.name == "bolin_csrf" for c in client.cookies.jar):
        await client.get("/staff/login")
    return await client.post(path, data={**(data or {}), "_csrf_token": csrf(client)})


def location(response: httpx.Response) -> str:
    """Where a 303 after a write sends the browser."""
    assert response.status_code == 303, (response.status_code, response.text[:2000])
    return response.headers["location"]


# Every Friday and Saturday evening through the summer at the Shahe centre: no demo event is
# there then (its gala on 2027-08-07 is cancelled, so it does not clash).
WEEKLY_FORM: FormData = {
    "title_zh": "沙河村周末电影放映",
    "title_en": "Weekend films in Shahe",
    "category": "culture",
    "venue": "shahe-centre",
    "start_date": "2027-06-04",
    "start_time": "19:30",
    "end_time": "21:30",
    "repeat": "weekly",
    "byday": ["FR", "SA"],
    "ends": "until",
    "until": "2027-08-28",
    "status": "published",
}


def event_id_of(response: httpx.Response) -> int:
    """The new event's id from the redirect after creating it."""
    path = location(response).split("?")[0]
    assert path.startswith("/staff/events/"), path
    return int(path.rsplit("/", 1)[1])


async def event_titled(client: Client, headers: dict[str, str], title: str) -> dict[str, Any]:
    """The event (as the JSON API shows it to staff) with this Chinese title."""
    response = await client.get(
        "/api/v1/events",
        params={"status": "draft,published,cancelled,postponed", "limit": 500},
        headers=headers,
    )
    found: dict[str, Any] = next(e for e in response.json()["items"] if e["title_zh"] == title)
    return found


async def nights_of(client: Client, event_id: int, start: str, end: str) -> list[tuple[str, str]]:
    """(start, status) of an event's nights between two dates, as calendars see them."""
    response = await client.get("/api/v1/occurrences", params={"start": start, "end": end})
    assert response.status_code == 200, response.text
    return [(o["start"], o["status"]) for o in response.json() if o["event_id"] == event_id]
