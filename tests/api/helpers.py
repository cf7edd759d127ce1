"""Small builders shared by the API tests: one way to make an event and to read a calendar."""

from __future__ import annotations

from typing import Any

from tests.conftest import Client

EVENTS = "/api/v1/events"
OCCURRENCES = "/api/v1/occurrences"

# A one-evening performance at 清青乐园 in May 2027, before the demo season starts.
GALA: dict[str, Any] = {
    "title_zh": "华盖村村晚",
    "title_en": "Huagai village gala",
    "category": "performance",
    "venue": "qingqing-park",
    "programme": "cunwan",
    "start": "2027-05-01T19:30",
    "end": "2027-05-01T21:30",
}

# Every Friday and Saturday evening in June 2027 at the night market.
MARKET: dict[str, Any] = {
    "title_zh": "东胜银杏夜市",
    "category": "market",
    "venue": "ginkgo-night-market",
    "programme": "ginkgo-night-market",
    "start": "2027-06-04T19:00",
    "end": "2027-06-04T22:30",
    "rrule": "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270630",
    "status": "published",
}


async def create_event(client: Client, headers: dict[str, str], base: dict[str, Any] | None = None,
                       **changes: Any) -> dict[str, Any]:
    """POST an event (``GALA`` unless another base is given) and insist that it was created."""
    response = await client.post(EVENTS, json={**(base or GALA), **changes}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def calendar(client: Client, start: str, end: str, headers: dict[str, str] | None = None,
                   **filters: str) -> list[dict[str, Any]]:
    """The occurrences ``/api/v1/occurrences`` gives for a window."""
    response = await client.get(OCCURRENCES, params={"start": start, "end": end, **filters},
                                headers=headers or {})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()
    return items


def nights(occurrences: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(start, status) pairs: what a visitor reads off a calendar."""
    return [(o["start"], o["status"]) for o in occurrences]


def problem(response: Any) -> dict[str, Any]:
    """The error body, after checking it has the one shape every error has."""
    body: dict[str, Any] = response.json()
    assert set(body) == {"status", "code", "message", "message_en", "details"}, body
    assert body["status"] == response.status_code
    return body
