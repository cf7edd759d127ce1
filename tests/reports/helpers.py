"""Builders for the report tests: past seasons made through the API, reports filed through it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import Client

TZ = ZoneInfo("Asia/Shanghai")
REPORTS = "/api/v1/reports"


async def season(
    client: Client,
    headers: dict[str, str],
    start: str,
    *,
    nights: int = 1,
    category: str = "culture",
    venue: str | None = "ginkgo-night-market",
    hours: int = 2,
    **extra: Any,
) -> tuple[int, list[str]]:
    """A published event of ``nights`` daily nights from ``start`` (local "2025-06-01T19:00");
    gives its id and its occurrence ids."""
    first = datetime.fromisoformat(start)
    body: dict[str, Any] = {
        "title_zh": f"{category}活动 {start}",
        "category": category,
        "venue": venue,
        "start": start,
        "end": (first + timedelta(hours=hours)).isoformat(),
        "status": "published",
        "allow_overlap": True,
        **extra,
    }
    if nights > 1:
        body["rrule"] = f"FREQ=DAILY;COUNT={nights}"
    response = await client.post("/api/v1/events", json=body, headers=headers)
    assert response.status_code == 201, response.text
    event_id = int(response.json()["id"])
    ids = [f"{event_id}-{first + timedelta(days=n):%Y%m%dT%H%M%S}" for n in range(nights)]
    return event_id, ids


async def report(
    client: Client, headers: dict[str, str], occurrence: str, total: int, **figures: Any
) -> None:
    response = await client.post(
        f"/api/v1/occurrences/{occurrence}/reports",
        json={"total": total, **figures},
        headers=headers,
    )
    assert response.status_code == 201, response.text


async def report_all(
    client: Client, headers: dict[str, str], occurrences: list[str], totals: list[int]
) -> None:
    for occurrence, total in zip(occurrences, totals, strict=True):
        await report(client, headers, occurrence, total)


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers."""
    share, rest = divmod(total, parts)
    return [share + (1 if n < rest else 0) for n in range(parts)]


async def get_json(
    client: Client, headers: dict[str, str], path: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(f"{REPORTS}/{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def rows_by_key(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in stats["rows"]}
