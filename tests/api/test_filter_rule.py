"""One filter rule everywhere: the events list, occurrences, feeds, public and staff pages and
the statistics give the same answer for the same filters.

The season: a weekly night market at 东胜银杏夜市 (东胜村) with its third night moved to
清青乐园 (华盖村), its fifth skipped and its sixth cancelled; a gala at 清青乐园, a farming day
at 嘉悦农场 (东胜村) and a legal-awareness session with no venue. All are over, so the
statistics count every night that was held.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bolin_events.models import Role
from tests.api.helpers import create_event
from tests.conftest import Client, Staff
from tests.feeds.helpers import TZ, Seen, seen_by_api, seen_by_icalendar
from tests.pages.login import log_in

NIGHTS = 6


@pytest.fixture
async def season(client: Client, staff: Staff) -> dict[str, Any]:
    first = (datetime.now(TZ) - timedelta(days=60)).replace(hour=19, minute=0, second=0,
                                                             microsecond=0, tzinfo=None)
    market = await create_event(
        client, staff.scheduler, title_zh="夜市", category="market",
        programme="ginkgo-night-market", venue="ginkgo-night-market", start=first.isoformat(),
        end=(first + timedelta(hours=2)).isoformat(), rrule=f"FREQ=WEEKLY;COUNT={NIGHTS}",
        status="published")
    night = [f"{market['id']}-{first + timedelta(weeks=n):%Y%m%dT%H%M%S}" for n in range(NIGHTS)]
    moved = first + timedelta(weeks=2)
    changes = [
        (night[2], "move", {"start": moved.isoformat(),
                            "end": (moved + timedelta(hours=2)).isoformat(),
                            "venue": "qingqing-park", "reason": "夜市搬到清青乐园"}),
        (night[4], "skip", None),
        (night[5], "cancel", {"reason": "下雨"}),
    ]
    for key, action, body in changes:
        response = await client.post(f"/api/v1/occurrences/{key}/{action}", json=body,
                                     headers=staff.scheduler)
        assert response.status_code == 200, response.text

    async def single(title: str, category: str, days: int, **fields: str | None) -> int:
        start = first + timedelta(days=days, hours=-4)
        event = await create_event(client, staff.scheduler, {
            "title_zh": title, "category": category, "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(), "status": "published", **fields})
        return int(event["id"])

    return {
        "first": first,
        "market": market["id"],
        "gala": await single("村晚", "performance", 3, venue="qingqing-park",
                             programme="cunwan"),
        "farm": await single("农耕日", "farming", 10, venue="jiayue-farm",
                             programme="farming-festival"),
        "legal": await single("法治宣传", "legal", 12, venue=None),
    }


FILTERS = [
    {},
    {"village": "huagai"},
    {"village": "dongsheng"},
    {"venue": "qingqing-park"},
    {"village": "huagai,dongsheng"},
    {"category": "market", "village": "huagai"},
    {"programme": "ginkgo-night-market"},
    {"village": "huagai", "venue": "jiayue-farm"},
    {"category": "legal"},
]


def window(season: dict[str, Any]) -> tuple[str, str]:
    first = season["first"].date()
    return (first - timedelta(days=1)).isoformat(), (first + timedelta(days=50)).isoformat()


async def events_listed(client: Client, filters: dict[str, str]) -> set[int]:
    response = await client.get("/api/v1/events", params={**filters, "limit": 500})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def nights_in_feed(client: Client, path: str, season: dict[str, Any],
                         filters: dict[str, str]) -> list[Seen]:
    response = await client.get(path, params=filters)
    assert response.status_code == 200, response.text
    return seen_by_icalendar(response.content, *window(season))


def as_listed(seen: Seen) -> tuple[int, str, str]:
    """How the public list page writes a night: its day heading and its hours."""
    event_id, start, end, _ = seen
    assert isinstance(start, datetime) and isinstance(end, datetime)
    local, until = start.astimezone(TZ), end.astimezone(TZ)
    return event_id, f"{local.month}月{local.day}日", f"{local:%H:%M}–{until:%H:%M}"


async def nights_on_page(client: Client, season: dict[str, Any],
                         filters: dict[str, str]) -> list[tuple[int, str, str]]:
    response = await client.get("/events", params={**filters, "from": window(season)[0]})
    assert response.status_code == 200, response.text
    found = []
    for section in response.text.split('<section class="day">')[1:]:
        day = re.search(r"<h3>(\d+月\d+日)", section)
        assert day is not None
        for hours, event_id in re.findall(
                r'<span class="when">([^<]+)</span>.*?href="/events/(\d+)"', section, re.S):
            found.append((int(event_id), day.group(1), hours.strip()))
    return sorted(found)


async def events_on_staff_page(client: Client, filters: dict[str, str]) -> set[int]:
    response = await client.get("/staff/events", params=filters)
    assert response.status_code == 200, response.text
    return {int(i) for i in re.findall(r'href="/staff/events/(\d+)"', response.text)}


async def held_totals(client: Client, staff: Staff, season: dict[str, Any],
                      filters: dict[str, str]) -> tuple[int, int]:
    start, end = window(season)
    response = await client.get(
        "/api/v1/reports/stats",
        params={**filters, "from": start, "to": end, "group_by": "total"},
        headers=staff.scheduler,
    )
    assert response.status_code == 200, response.text
    total = response.json()["total"]
    return total["sessions"], total["events"]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in
                                                                      f.items()) or "none")
async def test_every_reader_gives_the_same_events_and_nights(
    client: Client, staff: Staff, season: dict[str, Any], filters: dict[str, str]
) -> None:
    await log_in(client, "planner", Role.scheduler)  # for the staff events page

    nights = await seen_by_api(client, *window(season), **filters)
    events = {seen[0] for seen in nights}
    held = [seen for seen in nights if not seen[3]]

    assert await events_listed(client, filters) == events
    assert await nights_in_feed(client, "/feeds/all.ics", season, filters) == nights
    assert await nights_on_page(client, season, filters) == sorted(map(as_listed, nights))
    if set(filters) <= {"category", "village"}:  # what the staff page's form offers
        assert await events_on_staff_page(client, filters) == events
    assert await held_totals(client, staff, season, filters) == (
        len(held), len({seen[0] for seen in held}))


async def test_a_night_moved_to_another_village_belongs_to_that_village(
    client: Client, staff: Staff, season: dict[str, Any]
) -> None:
    moved = season["first"].replace(tzinfo=TZ) + timedelta(weeks=2)

    huagai = await seen_by_api(client, *window(season), village="huagai")
    dongsheng = await seen_by_api(client, *window(season), village="dongsheng")

    market = season["market"]
    assert [s[1] for s in huagai if s[0] == market] == [moved.astimezone(UTC)]
    assert moved.astimezone(UTC) not in [s[1] for s in dongsheng if s[0] == market]
    assert await events_listed(client, {"village": "huagai"}) == {market, season["gala"]}


@pytest.mark.parametrize(("path", "filters"), [
    ("/feeds/villages/huagai.ics", {"village": "huagai"}),
    ("/feeds/villages/dongsheng.ics", {"village": "dongsheng"}),
    ("/feeds/venues/qingqing-park.ics", {"venue": "qingqing-park"}),
    ("/feeds/categories/market.ics", {"category": "market"}),
    ("/feeds/programmes/ginkgo-night-market.ics", {"programme": "ginkgo-night-market"}),
])
async def test_a_scope_feed_holds_what_the_same_filter_selects(
    client: Client, season: dict[str, Any], path: str, filters: dict[str, str]
) -> None:
    assert await nights_in_feed(client, path, season, {}) == await seen_by_api(
        client, *window(season), **filters)


async def test_an_unknown_slug_is_a_404_in_every_reader(
    client: Client, staff: Staff, season: dict[str, Any]
) -> None:
    start, end = window(season)
    asked = {"village": "nowhere"}
    for path, params, headers in [
        ("/api/v1/events", asked, {}),
        ("/api/v1/occurrences", {**asked, "start": start, "end": end}, {}),
        ("/feeds/all.ics", asked, {}),
        ("/api/v1/reports/stats", {**asked, "from": start, "to": end}, staff.scheduler),
    ]:
        response = await client.get(path, params=params, headers=headers)
        assert response.status_code == 404, path
        assert "nowhere" in response.json()["message"], path
