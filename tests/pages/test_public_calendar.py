"""The month grid and the list of events: the right nights on the right days, and filters."""

from __future__ import annotations

import pytest

from tests.conftest import Client
from tests.pages.public_helpers import (
    NIGHT_MARKET,
    headings,
    month_cells,
    page,
    scheduler,
    text,
)


async def test_june_2027_shows_the_night_market_with_its_exceptions(
    client: Client, seeded: None
) -> None:
    html, tree = await page(client, "/calendar?month=2027-06")
    cells = month_cells(tree)

    assert "2027年6月" in html
    assert NIGHT_MARKET in text(cells["6月4日 周五"])
    assert NIGHT_MARKET in text(cells["6月5日 周六"])
    assert NIGHT_MARKET not in text(cells["6月12日 周六"])  # skipped: not held, not listed
    assert NIGHT_MARKET not in text(cells["6月18日 周五"])  # moved away …
    assert "改期" in text(cells["6月20日 周日"])  # … to the Sunday
    cancelled = cells["6月26日 周六"].findall(".//s")
    assert [text(s) for s in cancelled] == [NIGHT_MARKET]
    assert cancelled[0].get("class") == "cancelled"
    assert "已取消" in text(cells["6月26日 周六"])


async def test_july_2027_shows_a_festival_on_each_of_its_days(
    client: Client, seeded: None
) -> None:
    _, tree = await page(client, "/calendar?month=2027-07")
    cells = month_cells(tree)

    for day in ("7月9日 周五", "7月10日 周六", "7月11日 周日"):
        assert "农耕文化体验节（演示）" in text(cells[day])
    assert "农耕文化体验节" not in text(cells["7月12日 周一"])
    assert "19:30" in text(cells["7月3日 周六"]) and "开幕式" in text(cells["7月3日 周六"])
    assert "广场舞培训班（演示）" in text(cells["7月6日 周二"])


async def test_calendar_filters_narrow_and_include_sub_programmes(
    client: Client, seeded: None
) -> None:
    _, tree = await page(client, "/calendar?month=2027-07&programme=haixiaji")
    july = text(tree.find(".//table"))

    assert '“云岭翠湖”杯 决赛（演示）' in july  # a sub-sub-programme of 嗨夏季
    assert NIGHT_MARKET in july
    assert "广场舞培训班" not in july  # in no programme

    _, tree = await page(client, "/calendar?month=2027-07&category=sports,farming")
    both = text(tree.find(".//table"))
    assert "决赛" in both and "农耕文化体验节" in both and NIGHT_MARKET not in both


async def test_month_links_keep_the_filters(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/calendar?month=2027-06&village=dongsheng")

    assert 'href="/calendar?month=2027-05&amp;village=dongsheng"' in html
    assert 'href="/calendar?month=2027-07&amp;village=dongsheng"' in html
    assert '<input type="hidden" name="month" value="2027-06">' in html


@pytest.mark.parametrize("month", ["2027-13", "June", "2027/06", "20270601", "0000-01", "-1"])
async def test_a_bad_month_is_a_422_page_that_shows_the_format(
    client: Client, seeded: None, month: str
) -> None:
    html, _ = await page(client, f"/calendar?month={month}", status=422)

    assert "YYYY-MM" in html and "2027-06" in html


async def test_calendar_unknown_venue_is_a_404_page(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/calendar?month=2027-06&venue=moon-base", status=404)

    assert "找不到场地「moon-base」" in html


async def test_event_list_groups_nights_by_day(client: Client, seeded: None) -> None:
    _, tree = await page(client, "/events?from=2027-06-01")
    days = [d.removeprefix("2027年") for d in headings(tree)]  # not this year: the year shows

    assert days[:3] == ["6月4日 周五", "6月5日 周六", "6月11日 周五"]
    assert "6月12日 周六" not in days  # the skipped night
    assert "6月18日 周五" not in days and "6月20日 周日" in days  # the moved night


async def test_event_list_pages_on_by_whole_days(client: Client, seeded: None) -> None:
    response = await client.post("/api/v1/events", headers=await scheduler(client), json={
        "title_zh": "每日讲座", "category": "lecture", "start": "2028-01-01T10:00",
        "end": "2028-01-01T11:00", "rrule": "FREQ=DAILY;COUNT=70", "status": "published"})
    assert response.status_code == 201, response.text

    _, tree = await page(client, "/events?from=2028-01-01&category=lecture")
    first_days = [d.removeprefix("2028年") for d in headings(tree)]
    next_link = [a.get("href") for a in tree.iter("a") if a.get("rel") == "next"]
    _, following = await page(client, next_link[0])

    assert first_days[0] == "1月1日 周六" and len(first_days) == 50
    assert next_link == ["/events?from=2028-02-20&category=lecture"]
    assert headings(following)[0] == "2028年2月20日 周日" and len(headings(following)) == 20
    assert not [a for a in following.iter("a") if a.get("rel") == "next"]


async def test_event_list_filter_with_no_result_says_so(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/events?village=fuxing")

    assert "没有符合条件的活动" in html


@pytest.mark.parametrize("day", ["2027-02-30", "tomorrow", "2027-6-1x"])
async def test_event_list_bad_from_is_a_422_page(client: Client, seeded: None, day: str) -> None:
    html, _ = await page(client, f"/events?from={day}", status=422)

    assert "YYYY-MM-DD" in html


async def test_a_busy_day_shows_five_nights_and_links_to_the_rest(
    client: Client, reference: None
) -> None:
    headers = await scheduler(client)
    for hour in range(8, 16):  # eight events on one day, each at its own venue
        created = await client.post("/api/v1/events", headers=headers, json={
            "title_zh": f"柏林镇赶场日第{hour}场", "category": "market",
            "venue": ["jiayue-farm", "qingqing-park"][hour % 2], "allow_overlap": True,
            "start": f"2027-08-14T{hour:02d}:00:00", "end": f"2027-08-14T{hour:02d}:30:00",
            "status": "published"})
        assert created.status_code == 201, created.text

    _, tree = await page(client, "/calendar?month=2027-08&category=market")
    cell = month_cells(tree)["8月14日 周六"]
    more = [a for a in cell.iter("a") if a.get("href", "").startswith("/events?from=")]
    _, day_tree = await page(client, more[0].get("href"))

    assert text(cell).count("柏林镇赶场日") == 5
    assert [text(a) for a in more] == ["还有3场"]
    assert more[0].get("href") == "/events?from=2027-08-14&category=market"
    assert text(day_tree).count("柏林镇赶场日") == 8
