"""The season planner (排期表): a month of nights by venue and day, clashes marked in words."""

from __future__ import annotations

from typing import Any

import pytest

from bolin_events.models import Role
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.public_helpers import NIGHT_MARKET, event_id, page, text

MARKET_VENUE = "东胜银杏夜市"  # the venue (reference data) the demo night market is held at
CONCERT = "银杏树下音乐会"


@pytest.fixture
async def scheduler(client: Client, seeded: None) -> dict[str, str]:
    return await log_in(client, "scheduler", Role.scheduler)


def row_name(head: Any) -> str:
    """A row heading's venue name (without its village), or 地点待定."""
    return text(head).split(" · ")[0].strip()


def row_names(tree: Any) -> list[str]:
    return [row_name(th) for th in tree.iter("th") if th.get("scope") == "row"]


def venue_row(tree: Any, name: str) -> dict[int, Any]:
    """The cells of the row headed ``name``, by day of the month."""
    for row in tree.iter("tr"):
        head = row.find("th")
        if head is not None and head.get("scope") == "row" and row_name(head) == name:
            return {int(td.get("data-day")[-2:]): td for td in row.iter("td")}
    raise AssertionError(f"no row for {name!r}: {row_names(tree)}")


def entries(cell: Any, title: str) -> list[Any]:
    """The nights a cell lists whose link is titled ``title``."""
    return [li for li in cell.iter("li")
            if li.find("a") is not None and li.find("a").get("title", "").startswith(title)]


async def make_event(client: Client, headers: dict[str, str], **fields: Any) -> int:
    response = await client.post("/api/v1/events", headers=headers, json={
        "category": "performance", "allow_overlap": True, **fields})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_the_night_market_is_under_its_venue_on_its_nights(
    client: Client, scheduler: dict[str, str]
) -> None:
    html, tree = await page(client, "/staff/planner?month=2027-06")

    row = venue_row(tree, MARKET_VENUE)
    # Fridays and Saturdays from the 4th; the 12th skipped, the 18th moved to Sunday the 20th
    assert [day for day, cell in sorted(row.items()) if entries(cell, NIGHT_MARKET)] == [
        4, 5, 11, 19, 20, 25, 26]
    moved = entries(row[20], NIGHT_MARKET)[0]
    assert "已改期" in text(moved)
    market = await event_id(client, NIGHT_MARKET)
    assert moved.find("a").get("href") == f"/staff/occurrences/{market}-20270618T190000"
    heads = {text(th).split()[0]: th for th in tree.iter("th") if th.get("scope") == "col"}
    assert text(heads["4"]).split()[1] == "五"
    assert "weekend" in heads["5"].get("class").split()
    assert "weekend" not in heads["4"].get("class").split()
    assert '<a href="/staff/planner" aria-current="page">排期表</a>' in html


async def test_a_cancelled_night_is_struck_through(
    client: Client, scheduler: dict[str, str]
) -> None:
    _, tree = await page(client, "/staff/planner?month=2027-06")

    cancelled = entries(venue_row(tree, MARKET_VENUE)[26], NIGHT_MARKET)[0]
    struck = cancelled.find(".//s")
    assert struck is not None and NIGHT_MARKET in text(struck)
    assert "已取消" in text(cancelled)
    assert "冲突" not in text(cancelled)


async def test_two_events_at_one_venue_at_one_time_are_a_clash_on_both(
    client: Client, scheduler: dict[str, str]
) -> None:
    await make_event(client, scheduler, title_zh=CONCERT, title_en="Concert under the ginkgo",
                     venue="ginkgo-night-market", start="2027-06-05T20:00",
                     end="2027-06-05T21:30", status="published")
    # the night market's night of the 26th is cancelled: it leaves the venue free
    await make_event(client, scheduler, title_zh="银杏广场舞", venue="ginkgo-night-market",
                     start="2027-06-26T20:00", end="2027-06-26T21:00", status="published")

    _, tree = await page(client, "/staff/planner?month=2027-06")

    row = venue_row(tree, MARKET_VENUE)
    market, concert = entries(row[5], NIGHT_MARKET)[0], entries(row[5], CONCERT)[0]
    for entry, other in ((market, CONCERT), (concert, NIGHT_MARKET)):
        assert "clash" in entry.get("class").split()
        assert "冲突" in text(entry)
        assert f"「{other}」" in text(entry)
    assert "冲突" not in text(row[4]) + text(row[26])
    summary = tree.find(".//section[@id='clashes']")
    assert "场地冲突" in text(summary) and CONCERT in text(summary)
    _, english = await page(client, "/staff/planner?month=2027-06&lang=en")
    assert "Clash with “Concert under the ginkgo”" in text(
        entries(venue_row(english, "Dongsheng Ginkgo Night Market")[5], "Dongsheng")[0])


async def test_nights_with_no_venue_have_their_own_row_and_a_village_narrows_the_rows(
    client: Client, scheduler: dict[str, str]
) -> None:
    meeting = await make_event(client, scheduler, title_zh="村民议事会", category="culture",
                               start="2027-06-09T14:00", end="2027-06-09T16:00")

    _, tree = await page(client, "/staff/planner?month=2027-06")

    assert row_names(tree)[-1] == "地点待定"
    draft = entries(venue_row(tree, "地点待定")[9], "村民议事会")[0]
    assert "草稿" in text(draft)
    assert draft.find("a").get("href") == f"/staff/events/{meeting}"
    _, narrowed = await page(client, "/staff/planner?month=2027-06&village=dongsheng")
    assert row_names(narrowed) == [MARKET_VENUE]
    following = [a.get("href") for a in narrowed.iter("a") if a.get("rel") == "next"]
    assert following == ["/staff/planner?month=2027-07&village=dongsheng"]


async def test_a_reporter_may_not_open_the_planner(client: Client, seeded: None) -> None:
    await log_in(client, "reporter", Role.reporter, ["dongsheng"])

    html, _ = await page(client, "/staff/planner?month=2027-06", 403)

    assert "无权编排活动" in html
    assert 'href="/staff/planner"' not in html


@pytest.mark.parametrize("month", ["2027-13", "六月", "2027-06-01"])
async def test_a_bad_month_is_a_page_that_shows_the_format(
    client: Client, scheduler: dict[str, str], month: str
) -> None:
    response = await client.get("/staff/planner", params={"month": month})

    assert response.status_code in (400, 422)
    assert_good_page(response.text)
    assert "格式 YYYY-MM，例如 2027-06" in response.text


async def test_an_unknown_venue_is_a_page_that_lists_the_known_ones(
    client: Client, scheduler: dict[str, str]
) -> None:
    html, _ = await page(client, "/staff/planner?month=2027-06&venue=nowhere", 404)

    assert "找不到场地「nowhere」" in html
    assert "ginkgo-night-market" in html
