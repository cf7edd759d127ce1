"""Programme pages, printable posters and the subscribe page."""

from __future__ import annotations

from tests.conftest import Client
from tests.pages.public_helpers import (
    NIGHT_MARKET,
    OPENING,
    SHAHE_GALA,
    by_class,
    event_id,
    headings,
    page,
    text,
)


async def test_programme_page_lists_its_and_its_sub_programmes_events_by_day(
    client: Client, seeded: None
) -> None:
    html, tree = await page(client, "/programmes/haixiaji")

    days = headings(tree)
    assert days[:2] == ["6月4日 周五", "6月5日 周六"]
    assert "6月12日 周六" not in days  # the skipped market night
    listing = text(tree.find(".//main"))
    assert NIGHT_MARKET in listing and OPENING in listing
    assert '“云岭翠湖”杯 决赛（演示）' in listing  # two levels down: 嗨夏季 › 2027 › 杯
    assert "广场舞培训班" not in listing
    assert 'href="/programmes/haixiaji-2027"' in html  # its sub-programme
    assert 'href="webcal://events.example.test/feeds/programmes/haixiaji.ics"' in html
    assert 'href="/programmes/haixiaji/poster"' in html


async def test_sub_programme_links_back_to_its_parent(client: Client, seeded: None) -> None:
    html, tree = await page(client, "/programmes/yunling-cuihu-cup-2027")

    assert 'href="/programmes/haixiaji-2027"' in html
    assert NIGHT_MARKET not in text(tree.find(".//main"))
    assert headings(tree) [:2] == ["7月17日 周六", "7月24日 周六"]


async def test_programme_with_nothing_coming_says_so(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/programmes/yunling-cuihu-cup")

    assert "这个项目暂时没有接下来的活动" in html


async def test_unknown_programme_is_a_404_page(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/programmes/olympics", status=404)
    await page(client, "/programmes/olympics/poster", status=404)
    await page(client, "/programmes/" + "x" * 300, status=404)

    assert "找不到活动项目「olympics」" in html


async def test_event_poster_has_a_big_qr_code_and_a4_print_rules(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    html, tree = await page(client, f"/events/{market}/poster")

    assert '<link rel="stylesheet" href="/static/poster.css">' in html
    print_rules = await client.get("/static/poster.css")
    assert "@page { size: A4; margin: 15mm; }" in print_rules.text
    assert tree.find(".//figure/{http://www.w3.org/2000/svg}svg") is not None or "<svg" in html
    assert "扫码查看最新安排、加入手机日历" in html
    assert f"https://events.example.test/events/{market}" in html
    lines = [text(li) for li in by_class(tree, "ul", "poster-lines")[0].iter("li")]
    assert lines[0] == "6月4日至9月25日 每周五、周六 19:00–22:30"
    assert "6月26日（周六） 19:00–22:30 已取消" in lines
    assert "6月20日（周日） 19:00–22:30（改期）" in lines
    assert "东胜银杏夜市 · 东胜村" in html
    button = [b for b in tree.iter("button") if "print-button" in (b.get("class") or "")]
    assert button and "打印" in text(button[0])
    assert by_class(tree, "p", "no-print")  # the screen-only tools leave the printout


async def test_cancelled_event_poster_says_cancelled(client: Client, seeded: None) -> None:
    gala = await event_id(client, SHAHE_GALA)

    html, tree = await page(client, f"/events/{gala}/poster")

    assert by_class(tree, "p", "banner-cancelled")
    assert '<s class="cancelled">' in html


async def test_programme_poster_lists_its_events(client: Client, seeded: None) -> None:
    html, tree = await page(client, "/programmes/haixiaji-2027/poster")

    lines = [text(li) for li in by_class(tree, "ul", "poster-lines")[0].iter("li")]
    assert lines[0].startswith("东胜银杏夜市（演示）：6月4日至9月25日，共")
    assert any(line.startswith("2027嗨夏季开幕式（演示）：7月3日") for line in lines)
    assert "6月4日 – 9月25日" in html  # the programme's own dates
    assert "<svg" in html and "/static/poster.css" in html


async def test_subscribe_page_lists_every_feed_with_its_links(
    client: Client, seeded: None
) -> None:
    feeds = (await client.get("/api/v1/feeds")).json()

    html, tree = await page(client, "/subscribe")
    shown = text(tree.find(".//main"))
    hrefs = {a.get("href") for a in tree.iter("a")}

    assert len(feeds) > 20
    for feed in feeds:
        assert {feed["url"], feed["webcal_url"], feed["google_url"]} <= hrefs, feed["url"]
        assert feed["title_zh"] in shown
    qrs = [img for img in tree.iter("img") if "qr" in (img.get("class") or "")]
    assert len(qrs) == len(feeds) and {img.get("loading") for img in qrs} == {"lazy"}
    assert "在浏览器打开" in html and "iPhone" in html and "安卓" in html
    assert "通过网址添加" in html
