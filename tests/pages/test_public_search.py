"""The search page: one box that finds events by title, description, venue, village and
programme, in Chinese or pinyin, a typo forgiven; drafts never."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.api.helpers import MARKET, create_event
from tests.conftest import Client, Staff
from tests.pages.public_helpers import (
    DRAFT,
    NIGHT_MARKET,
    OPENING,
    SHAHE_GALA,
    by_class,
    event_id,
    page,
    scheduler,
    text,
)
from tests.pages.test_public_queries import selects

AUTUMN_MARKET = "东胜银杏夜市·秋季（演示）"  # held in autumn 2026: over
HUAGAI_GALA = "华盖村重阳村晚（演示）"  # held in autumn 2026: over
LEGAL = "法治宣传进村（演示）"
HERITAGE = "非遗展：柏林镇老手艺（演示）"


def results(tree: Any) -> list[Any]:
    return by_class(tree, "li", "result")


def titles(tree: Any) -> list[str]:
    return [text(li.find(".//a")).strip() for li in results(tree)]


def result_of(tree: Any, title: str) -> str:
    return next(text(li) for li in results(tree) if title in text(li))


async def search(client: Client, q: str, status: int = 200) -> tuple[str, Any]:
    return await page(client, f"/search?q={quote(q)}", status)


async def publish(client: Client, title: str, description: str | None = None,
                  start: str = "2027-06-01T19:00", end: str = "2027-06-01T21:00") -> int:
    response = await client.post("/api/v1/events", headers=await scheduler(client), json={
        "title_zh": title, "description_zh": description, "category": "culture",
        "venue": "culture-station", "start": start, "end": end, "status": "published",
        "allow_overlap": True})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.mark.parametrize("q", ["夜市", "yeshi", "ye shi", "YeShi", "ＹＥＳＨＩ", "「夜市」", "ys"])
async def test_search_finds_the_night_market_in_chinese_and_pinyin(
    client: Client, seeded: None, q: str
) -> None:
    _, tree = await search(client, q)

    assert NIGHT_MARKET in titles(tree)
    assert AUTUMN_MARKET in titles(tree)


async def test_search_result_links_to_the_event_with_its_next_night(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await search(client, "夜市")

    item = next(li for li in results(tree) if NIGHT_MARKET in text(li))
    assert item.find(".//a").get("href") == f"/events/{market}"
    assert "下一场" in text(item) and "6月4日 周五 19:00–22:30" in " ".join(text(item).split())
    assert "东胜银杏夜市 · 东胜村" in text(item)  # where it is held


async def test_search_lists_events_still_to_come_before_those_over(
    client: Client, seeded: None
) -> None:
    _, tree = await search(client, "夜市")

    assert titles(tree).index(NIGHT_MARKET) < titles(tree).index(AUTUMN_MARKET)
    over = " ".join(result_of(tree, AUTUMN_MARKET).split())
    assert "已结束" in over and "最后一场" in over and "11月21日 周六" in over


async def test_search_ranks_a_title_hit_before_a_description_hit(
    client: Client, seeded: None
) -> None:
    await publish(client, "篝火音乐会", "就在夜市旁边的广场。")  # sooner than the night market

    _, tree = await search(client, "夜市")

    assert "篝火音乐会" in titles(tree)
    assert titles(tree).index(NIGHT_MARKET) < titles(tree).index("篝火音乐会")


@pytest.mark.parametrize("q", ["村晚", "cunwan"])
async def test_search_finds_the_village_galas_but_never_the_draft(
    client: Client, seeded: None, q: str
) -> None:
    _, tree = await search(client, q)

    assert SHAHE_GALA in titles(tree)
    assert HUAGAI_GALA in titles(tree)
    assert DRAFT not in titles(tree)
    assert "已取消" in result_of(tree, SHAHE_GALA)  # cancelled this year, and says so


async def test_search_lists_a_cancelled_event_after_the_held_ones(
    client: Client, seeded: None
) -> None:
    await publish(client, "复兴村村晚", start="2027-09-04T19:30", end="2027-09-04T21:30")

    _, tree = await search(client, "村晚")

    assert titles(tree) == ["复兴村村晚", SHAHE_GALA, HUAGAI_GALA]  # held, cancelled, over


async def test_search_never_shows_a_draft_even_by_its_own_title(
    client: Client, seeded: None
) -> None:
    html, tree = await search(client, "秋季村晚筹备")

    assert not results(tree)
    assert DRAFT not in html


@pytest.mark.parametrize("q", ["清青乐园", "qingqingleyuan"])
async def test_search_by_venue_finds_the_events_held_there(
    client: Client, seeded: None, q: str
) -> None:
    _, tree = await search(client, q)

    assert OPENING in titles(tree)
    assert HUAGAI_GALA in titles(tree)
    assert NIGHT_MARKET not in titles(tree)


@pytest.mark.parametrize("q", ["兴农村", "xingnongcun"])
async def test_search_by_village_finds_the_events_there(
    client: Client, seeded: None, q: str
) -> None:
    _, tree = await search(client, q)

    assert {LEGAL, HERITAGE} <= set(titles(tree))
    assert NIGHT_MARKET not in titles(tree)


async def test_search_by_programme_finds_events_of_its_sub_programmes(
    client: Client, seeded: None
) -> None:
    _, tree = await search(client, "haixiaji")

    assert OPENING in titles(tree)
    assert "“云岭翠湖”杯 决赛（演示）" in titles(tree)  # under 2027“云岭翠湖”杯, under 2027嗨夏季


async def test_search_forgives_one_letter_wrong_in_pinyin(client: Client, seeded: None) -> None:
    _, tree = await search(client, "yinxng")

    assert NIGHT_MARKET in titles(tree)
    assert "相近" in text(tree.find(".//p[@role='status']"))


@pytest.mark.parametrize(("title", "q"), [("柏林镇篮球友谊赛", "lanqiu"),
                                          ("柏林镇篮球友谊赛", "bolin"),
                                          ("银杏节开幕", "yinxing")])
async def test_search_reads_characters_as_their_phrase_says(
    client: Client, seeded: None, title: str, q: str
) -> None:
    await publish(client, title)

    _, tree = await search(client, q)

    assert title in titles(tree)


async def test_search_sees_an_event_published_after_an_earlier_search(
    client: Client, seeded: None
) -> None:
    await search(client, "灯会")
    await publish(client, "元宵灯会")

    _, tree = await search(client, "灯会")

    assert titles(tree) == ["元宵灯会"]


async def test_search_with_nothing_found_says_so_and_offers_the_lists(
    client: Client, seeded: None
) -> None:
    html, tree = await search(client, "火星探险")

    assert not results(tree)
    assert "没有找到与「火星探险」有关的活动" in html
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert "/events" in hrefs and "/calendar" in hrefs


async def test_search_empty_shows_the_box_and_a_hint(client: Client, seeded: None) -> None:
    _, tree = await search(client, "   ")

    assert tree.find(".//input[@name='q']") is not None
    assert "中文或拼音都可以" in text(by_class(tree, "p", "hint")[0])
    assert not results(tree)


async def test_search_one_letter_asks_for_two(client: Client, seeded: None) -> None:
    _, tree = await search(client, "y")

    assert "请输入至少两个字母" in text(by_class(tree, "p", "hint")[0])
    assert not results(tree)


async def test_search_one_chinese_character_searches(client: Client, seeded: None) -> None:
    _, tree = await search(client, "夜")

    assert NIGHT_MARKET in titles(tree)


async def test_search_too_long_is_a_422_page_with_the_box(client: Client, seeded: None) -> None:
    _, tree = await search(client, "夜" * 101, status=422)

    assert "搜索词太长" in text(tree.find(".//p[@role='alert']"))
    assert tree.find(".//input[@name='q']") is not None


async def test_search_page_title_and_description_say_what_was_searched(
    client: Client, seeded: None
) -> None:
    _, tree = await search(client, "夜市")

    assert "搜索「夜市」" in text(tree.find(".//title"))
    description = next(m.get("content") for m in tree.iter("meta")
                       if m.get("name") == "description")
    assert "夜市" in description and "找到 2 个活动" in description
    assert tree.find(".//input[@name='q']").get("value") == "夜市"


async def test_search_page_in_english(client: Client, seeded: None) -> None:
    _, tree = await page(client, "/search?q=yeshi&lang=en")

    assert "Search: yeshi" in text(tree.find(".//title"))
    assert "Dongsheng Ginkgo Night Market (demo)" in titles(tree)
    assert "Next:" in result_of(tree, "Dongsheng Ginkgo Night Market (demo)")


async def test_search_answer_may_be_shared_and_revalidated(client: Client, seeded: None) -> None:
    first = await client.get("/search?q=yeshi")

    again = await client.get("/search?q=yeshi", headers={"If-None-Match": first.headers["etag"]})

    assert "set-cookie" not in first.headers  # no CSRF cookie: one copy serves every visitor
    assert again.status_code == 304


@pytest.mark.parametrize(("q", "title"), [
    ("cw", SHAHE_GALA), ("cunwn", SHAHE_GALA), ("夜市 东胜", NIGHT_MARKET),
    ("night market", NIGHT_MARKET), ("bailin", HERITAGE),
])
async def test_search_finds_what_the_guide_promises(
    client: Client, seeded: None, q: str, title: str
) -> None:
    _, tree = await search(client, q)

    assert title in titles(tree)


async def test_search_asks_the_database_a_fixed_few_questions(
    client: Client, seeded: None, staff: Staff
) -> None:
    before = await selects(client, "/search?q=yeshi")
    for night in range(12):  # a dozen more series, hundreds more nights
        await create_event(client, staff.scheduler, MARKET, title_zh=f"夜市{night}",
                           allow_overlap=True)

    after = await selects(client, "/search?q=yeshi")

    assert before == after == 2  # the data version: the page cache's, then the index's
