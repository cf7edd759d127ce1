"""Builders for the attendance tests: past and future events made through the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

TZ = ZoneInfo("Asia/Shanghai")
EVENTS = "/api/v1/events"


def evening(days_from_now: int, hour: int = 19) -> datetime:
    """A local evening ``days_from_now`` days away (negative: in the past)."""
    day = datetime.now(TZ).date() + timedelta(days=days_from_now)
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def occurrence_key(event_id: int, start: datetime) -> str:
    return f"{event_id}-{start:%Y%m%dT%H%M%S}"


async def make_event(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    days_from_now: int = -2,
    hour: int = 19,
    venue: str | None = "ginkgo-night-market",
    rrule: str | None = None,
    status: str = "published",
    **extra: Any,
) -> tuple[int, str]:
    """POST a two-hour event; gives its id and the id of its first occurrence."""
    start = evening(days_from_now, hour)
    body: dict[str, Any] = {
        "title_zh": f"测试活动 {start:%m-%d %H}",
        "category": "culture",
        "venue": venue,
        "start": start.replace(tzinfo=None).isoformat(),
        "end": (start + timedelta(hours=2)).replace(tzinfo=None).isoformat(),
        "status": status,
        "allow_overlap": True,
        **extra,
    }
    if rrule:
        body["rrule"] = rrule
    response = await client.post(EVENTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    event_id = int(response.json()["id"])
    return event_id, occurrence_key(event_id, start)


def reports_url(occurrence: str) -> str:
    return f"/api/v1/occurrences/{occurrence}/reports"
