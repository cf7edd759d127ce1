"""Programme pages, printable posters and the subscribe page."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from bolin_events.routes.pages import public
from tests.conftest import Client
from tests.pages.public_helpers import (
    NIGHT_MARKET,
    OPENING,
    SHAHE_GALA,
    by_class,
    event_id,
    headings,
    page,
    scheduler,
    text,
)


@pytest.fixture
def in_november(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages made on 30 November 2026, months before the demo summer of 2027."""
    monkeypatch.setattr(public, "utcnow", lambda: datetime(2026, 11, 30, 2, tzinfo=UTC))


async def test_programme_page_lists_its_and_its_sub_programmes_events_by_day(
    client: Client, seeded: None, in_november: None
) -> None:
    html, tree = await page(client, "/programmes/haixiaji")

    days = headings(tree)
    series = text(tree.find(".//section[@aria-labelledby='series-heading']"))
    assert days[:2] == ["2027年7月3日 周六", "2027年7月9日 周五"]  # single nights, by day
    assert NIGHT_MARKET in series and "6月4日 周五" not in days  # the series: in one line
    listing = text(tree.find(".//main"))
    assert NIGHT_MARKET in listing and OPENING in listing
    assert '“云岭翠湖”杯 决赛（演示）' in listing  # two levels down: 嗨夏季 › 2027 › 杯
    assert "广场舞培训班" not in listing
    assert 'href="/programmes/haixiaji-2027"' in html  # its sub-programme
    assert 'href="webcal://events.example.test/feeds/programmes/haixiaji.ics"' in html
    assert 'href="/programmes/haixiaji/poster"' in html


def poster_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 60, 30)).save(out, "JPEG")
    return out.getvalue()


async def test_programme_page_shows_its_own_picture_and_shares_it(
    client: Client, seeded: None, in_november: None
) -> None:
    uploaded = await client.put(
        "/api/v1/programmes/haixiaji-2027/picture", headers=await scheduler(client),
        files={"picture": ("stage.jpg", poster_jpeg(), "image/jpeg")},
        data={"alt_zh": "嗨夏季开幕式的舞台"})
    picture = uploaded.json()

    _, tree = await page(client, "/programmes/haixiaji-2027")
    parent, _ = await page(client, "/programmes/haixiaji")
    opening, _ = await page(client, f"/events/{await event_id(client, OPENING)}")

    og_images = [m.get("content") for m in tree.iter("meta") if m.get("property") == "og:image"]
    shown = by_class(tree, "p", "programme-picture")
    image = next(shown[0].iter("img"))
    assert og_images == [picture["src"]]
    assert image.get("alt") == "嗨夏季开幕式的舞台"
    assert image.get("srcset") == picture["jpeg_srcset"] and image.get("loading") == "lazy"
    assert picture["key"] not in parent  # the parent programme does not borrow it
    assert picture["key"] not in opening  # nor do the programme's events


async def test_programme_page_without_a_picture_shows_none(
    client: Client, seeded: None, in_november: None
) -> None:
    html, tree = await page(client, "/programmes/haixiaji-2027")

    assert by_class(tree, "p", "programme-picture") == []
    assert 'property="og:image"' not in html


async def test_sub_programme_links_back_to_its_parent(
    client: Client, seeded: None, in_november: None
) -> None:
    html, tree = await page(client, "/programmes/yunling-cuihu-cup-2027")

    assert 'href="/programmes/haixiaji-2027"' in html
    assert NIGHT_MARKET not in text(tree.find(".//main"))
    assert headings(tree)[:2] == ["2027年7月17日 周六", "2027年7月24日 周六"]


async def test_programme_with_nothing_coming_says_so(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/programmes/yunling-cuihu-cup")

    assert "这个项目暂时没有接下来的活动" in html


async def test_unknown_programme_is_a_404_page(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/programmes/olympics", status=404)
    await page(client, "/programmes/olympics/poster", status=404)
    await page(client, "/programmes/" + "x" * 300, status=404)

    assert "找不到活动项目「olympics」" in html


async def test_event_poster_has_a_big_qr_code_and_a4_print_rules(
    client: Client, seeded: None, in_november: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    html, tree = await page(client, f"/events/{market}/poster")
    sheets = [link.get("href") for link in tree.iter("link") if link.get("rel") == "stylesheet"]

    poster_css = [href for href in sheets if href.startswith("/static/poster.")]
    print_rules = await client.get(poster_css[0])
    assert "@page { size: A4; margin: 15mm; }" in print_rules.text
    assert tree.find(".//figure/{http://www.w3.org/2000/svg}svg") is not None or "<svg" in html
    assert "扫码查看最新安排、加入手机日历" in html
    assert f"https://events.example.test/events/{market}" in html
    lines = [text(li) for li in by_class(tree, "ul", "poster-lines")[0].iter("li")]
    assert lines[0] == "2027年6月4日至9月25日 每周五、六 19:00–22:30"  # not this year
    assert "2027年6月26日（周六） 19:00–22:30 已取消" in lines
    assert "2027年6月20日（周日） 19:00–22:30（改期）" in lines
    assert "东胜银杏夜市 · 东胜村" in html
    button = [b for b in tree.iter("button") if "print-button" in (b.get("class") or "")]
    assert button and "打印" in text(button[0])
    assert button[0].get("hidden") is not None  # public.js shows it; without it, a hint:
    assert "用浏览器菜单打印" in text(by_class(tree, "p", "poster-tools")[0])
    assert by_class(tree, "p", "no-print")  # the screen-only tools leave the printout


async def test_cancelled_event_poster_says_cancelled(client: Client, seeded: None) -> None:
    gala = await event_id(client, SHAHE_GALA)

    html, tree = await page(client, f"/events/{gala}/poster")

    assert by_class(tree, "p", "banner-cancelled")
    assert '<s class="cancelled">' in html


async def test_programme_poster_lists_its_events(
    client: Client, seeded: None, in_november: None
) -> None:
    html, tree = await page(client, "/programmes/haixiaji-2027/poster")

    lines = [text(li) for li in by_class(tree, "ul", "poster-lines")[0].iter("li")]
    assert lines[0].startswith("东胜银杏夜市（演示）：2027年6月4日至9月25日，每周五、六 "
                               "19:00–22:30，共")
    assert any(line.startswith("2027嗨夏季开幕式（演示）：2027年7月3日") for line in lines)
    assert "2027年6月4日 – 9月25日" in html  # the programme's own dates
    assert "<svg" in html and "/static/poster." in html


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


async def test_subscribe_page_offers_the_town_and_the_busiest_feeds_first(
    client: Client, seeded: None, in_november: None
) -> None:
    headers = await scheduler(client)
    for event in (
        {"title_zh": "读书会", "category": "reading", "start": "2026-12-01T09:00",
         "end": "2026-12-01T10:00", "rrule": "FREQ=DAILY;COUNT=60"},
        {"title_zh": "邻里篮球赛报名", "category": "sports", "programme": "yunling-cuihu-cup",
         "start": "2026-11-30T11:00", "end": "2026-11-30T12:00"},
    ):
        response = await client.post("/api/v1/events", headers=headers,
                                      json={**event, "status": "published", "allow_overlap": True})
        assert response.status_code == 201, response.text
    titles = {(f["kind"], f["slug"]): f["title_zh"]
              for f in (await client.get("/api/v1/feeds")).json()}

    _, tree = await page(client, "/subscribe")
    featured = [text(h).strip() for h in
                tree.find(".//section[@aria-labelledby='featured-heading']").iter("h3")]
    more = tree.find(".//section[@aria-labelledby='more-heading']")
    folded = [text(h).strip() for details in more.iter("details") for h in details.iter("h3")]
    howto = text(tree.find(".//section[@aria-labelledby='howto-heading']"))

    assert featured[0] == titles[("all", None)]
    assert titles[("programmes", "yunling-cuihu-cup")] in featured  # on next
    assert titles[("categories", "reading")] in featured  # the most nights to come
    assert titles[("categories", "reading")] not in folded
    assert titles[("villages", "fuxing")] in folded
    assert set(featured) | set(folded) == set(titles.values())
    assert howto.index("ICSx⁵") < howto.index("Google")  # mainland phones first
