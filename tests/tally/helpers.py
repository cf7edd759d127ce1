"""Builders for the tally tests: a night at the night market (东胜村) and the tally's URLs."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.attendance.helpers import make_event


def tally_url(night: str, tail: str = "") -> str:
    return f"/api/v1/occurrences/{night}/tally{tail}"


def batches_url(night: str, entrance_id: int) -> str:
    return tally_url(night, f"/entrances/{entrance_id}/batches")


def batch(delta: int, residents: int = 0, visitors: int = 0, key: str | None = None
          ) -> dict[str, Any]:
    return {"key": key or uuid.uuid4().hex, "delta": delta, "residents": residents,
            "visitors": visitors}


async def held_night(client: httpx.AsyncClient, headers: dict[str, str], **extra: Any) -> str:
    """A published night at the ginkgo night market (东胜村) that started yesterday."""
    _, night = await make_event(client, headers, days_from_now=-1, **extra)
    return night


async def entrance(client: httpx.AsyncClient, headers: dict[str, str], night: str, name: str,
                   *, split: bool | None = None) -> int:
    body: dict[str, Any] = {"name": name}
    if split is not None:
        body["split"] = split
    response = await client.post(tally_url(night, "/entrances"), json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return int(response.json()["id"])


async def count(client: httpx.AsyncClient, headers: dict[str, str], night: str,
                entrance_id: int, *deltas: int) -> httpx.Response:
    """Presses sent one batch each, in order; the last answer."""
    answer = None
    for delta in deltas:
        answer = await client.post(batches_url(night, entrance_id), json=batch(delta),
                                   headers=headers)
        assert answer.status_code == 201, answer.text
    assert answer is not None
    return answer
