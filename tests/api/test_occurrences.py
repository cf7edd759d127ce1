"""/api/v1/occurrences: what a calendar shows in a window, and its filters (on the demo season)."""

from __future__ import annotations

import pytest

from tests.api.helpers import OCCURRENCES, calendar, problem
from tests.conftest import Client

SUMMER = ("2027-06-01", "2027-10-01")


def titles(occurrences: list[dict[str, object]]) -> list[str]:
    return sorted({str(o["title_zh"]) for o in occurrences})


async def test_occurrences_of_june_on_the_demo_season(client: Client, seeded: None) -> None:
    occurrences = await calendar(client, "2027-06-01", "2027-06-08")

    assert [(o["title_zh"], o["start"], o["status"]) for o in occurrences] == [
        ("东胜银杏夜市（演示）", "2027-06-04T19:00:00+08:00", "scheduled"),
        ("法治宣传进村（演示）", "2027-06-05T09:30:00+08:00", "scheduled"),
        ("东胜银杏夜市（演示）", "2027-06-05T19:00:00+08:00", "scheduled"),
    ]


async def test_occurrences_leave_out_drafts(client: Client, seeded: None) -> None:
    occurrences = await calendar(client, "2027-10-01", "2027-10-31")

    assert occurrences == []


async def test_occurrences_mark_a_cancelled_event_with_its_reason(client: Client,
                                                                  seeded: None) -> None:
    occurrences = await calendar(client, "2027-08-07", "2027-08-08", category="performance")

    assert [(o["title_zh"], o["status"], o["event_status"], o["reason"]) for o in occurrences] == [
        ("沙河村纳凉村晚（演示）", "cancelled", "cancelled",
         "场地维修，本年度取消 / Cancelled this year: the venue is under repair")]


async def test_occurrences_include_one_that_started_before_the_window(client: Client,
                                                                      seeded: None) -> None:
    occurrences = await calendar(client, "2027-08-20T12:00", "2027-08-21", category="exhibition")

    assert [(o["start"], o["end"], o["all_day"]) for o in occurrences] == [
        ("2027-08-14", "2027-08-22", True)]


async def test_occurrences_filter_by_category(client: Client, seeded: None) -> None:
    occurrences = await calendar(client, *SUMMER, category="sports,farming")

    assert [(o["title_en"], o["category"]["slug"]) for o in occurrences] == [
        ("Farming Culture Festival (demo)", "farming"),
        ("Yunling Cuihu Cup, group round 1 (demo)", "sports"),
        ("Yunling Cuihu Cup final (demo)", "sports"),
    ]


async def test_occurrences_filter_by_village(client: Client, seeded: None) -> None:
    occurrences = await calendar(client, *SUMMER, village="huagai")

    assert titles(occurrences) == ["2027嗨夏季开幕式（演示）", "“云岭翠湖”杯 决赛（演示）",
                                   "“云岭翠湖”杯 小组赛第一轮（演示）"]
    assert {o["venue"]["village"]["slug"] for o in occurrences} == {"huagai"}


async def test_occurrences_filter_by_venue(client: Client, seeded: None) -> None:
    occurrences = await calendar(client, *SUMMER, venue="xingnong-centre")

    assert [(o["title_en"], o["start"]) for o in occurrences] == [
        ("Legal awareness session (demo)", "2027-06-05T09:30:00+08:00"),
        ("Legal awareness session (demo)", "2027-07-03T09:30:00+08:00"),
        ("Legal awareness session (demo)", "2027-08-07T09:30:00+08:00"),
        ("Heritage exhibition: Bolin's old crafts (demo)", "2027-08-14"),
        ("Legal awareness session (demo)", "2027-09-04T09:30:00+08:00"),
    ]


async def test_occurrences_filter_by_programme_includes_sub_programmes(client: Client,
                                                                       seeded: None) -> None:
    cup = await calendar(client, *SUMMER, programme="yunling-cuihu-cup-2027")
    festival = await calendar(client, *SUMMER, programme="haixiaji")

    assert titles(cup) == ['“云岭翠湖”杯 决赛（演示）', '“云岭翠湖”杯 小组赛第一轮（演示）']
    assert titles(festival) == ["2027嗨夏季开幕式（演示）", "“云岭翠湖”杯 决赛（演示）",
                                "“云岭翠湖”杯 小组赛第一轮（演示）", "东胜银杏夜市（演示）",
                                "农耕文化体验节（演示）"]


async def test_occurrences_filters_combine(client: Client, seeded: None) -> None:
    occurrences = await calendar(client, *SUMMER, village="dongsheng", category="farming")

    assert titles(occurrences) == ["农耕文化体验节（演示）"]


@pytest.mark.parametrize(
    ("name", "slug", "en"),
    [
        ("category", "market,opera", "No category with slug 'opera'. Known: culture, "
         "exhibition, farming, lecture, legal, market, opera-tour, performance, public-lecture, "
         "reading, sports, study-tour, training"),
        ("village", "bolin", "No village with slug 'bolin'. Known: dongsheng, fuxing, huagai, "
         "shahe, xingnong"),
        ("venue", "nowhere", "No venue with slug 'nowhere'. Known: culture-station, "
         "ginkgo-night-market, jiayue-farm, qingqing-park, shahe-centre, xingnong-centre"),
        ("programme", "winter", "No programme with slug 'winter'. Known: cunwan, "
         "farming-festival, ginkgo-night-market, haixiaji, haixiaji-2027, heritage, "
         "legal-awareness, yunling-cuihu-cup, yunling-cuihu-cup-2027"),
    ],
)
async def test_occurrences_unknown_filter_slug_is_404(client: Client, seeded: None, name: str,
                                                      slug: str, en: str) -> None:
    response = await client.get(OCCURRENCES, params={"start": SUMMER[0], "end": SUMMER[1],
                                                     name: slug})

    assert response.status_code == 404
    body = problem(response)
    assert (body["code"], body["message_en"], body["details"]) == (
        "not_found", en, [{"field": name, "value": slug.split(",")[-1]}])


@pytest.mark.parametrize(
    ("start", "end", "en"),
    [
        ("2027-01-01", "2029-01-03", "The window is at most two years; narrow start and end."),
        ("2027-07-01", "2027-06-01", "end must be after start."),
        ("2027-07-01", "2027-07-01", "end must be after start."),
        ("June", "2027-07-01", "start is not a date or date-time (e.g. 2027-06-01 or "
         "2027-06-01T19:00)."),
        ("2027-06-01", "2027-13-01", "end is not a date or date-time (e.g. 2027-06-01 or "
         "2027-06-01T19:00)."),
        ("0001-01-01", "0001-06-01", "start must fall between 1900 and 2199."),
    ],
)
async def test_occurrences_bad_window_is_refused(client: Client, seeded: None, start: str,
                                                 end: str, en: str) -> None:
    response = await client.get(OCCURRENCES, params={"start": start, "end": end})

    assert response.status_code == 422
    assert problem(response)["message_en"] == en


async def test_occurrences_without_a_window_is_refused(client: Client, seeded: None) -> None:
    response = await client.get(OCCURRENCES, params={"start": "2027-06-01"})

    assert response.status_code == 422
    assert problem(response)["message_en"] == (
        "The request is not valid: Missing required query parameter 'end' for path "
        "/api/v1/occurrences?start=2027-06-01")


async def test_occurrence_by_id_answers_one_night(client: Client, seeded: None) -> None:
    first = (await calendar(client, "2027-06-26", "2027-06-27", category="market"))[0]

    response = await client.get(f"{OCCURRENCES}/{first['id']}")

    assert response.json() == first


async def test_occurrences_come_in_pages_that_link_to_the_next(
    client: Client, seeded: None
) -> None:
    whole = await calendar(client, *SUMMER)
    pages, url, totals = [], f"{OCCURRENCES}?start={SUMMER[0]}&end={SUMMER[1]}&limit=7", set()

    while url:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        totals.add(response.headers["x-total-count"])
        link = response.headers.get("link", "")
        url = link[1:link.index(">")] if 'rel="next"' in link else ""

    assert totals == {str(len(whole))}
    assert [len(page) for page in pages[:-1]] == [7] * (len(pages) - 1)
    assert [o["id"] for page in pages for o in page] == [o["id"] for o in whole]


async def test_a_window_that_fits_one_page_has_no_next_link(client: Client, seeded: None) -> None:
    response = await client.get(OCCURRENCES, params={"start": SUMMER[0], "end": SUMMER[1]})

    assert "link" not in response.headers
    assert response.headers["x-total-count"] == str(len(response.json()))


async def test_a_page_larger_than_the_most_is_refused_saying_so(
    client: Client, seeded: None
) -> None:
    response = await client.get(OCCURRENCES, params={"start": SUMMER[0], "end": SUMMER[1],
                                                     "limit": 5001})

    assert response.status_code == 422
    assert "limit" in response.json()["message_en"]
