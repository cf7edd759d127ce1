"""Language that sticks, and garbage in the address never breaks a public page."""

from __future__ import annotations

import pytest

from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.public_helpers import NIGHT_MARKET, event_id, page, text


async def test_english_choice_sticks_across_pages(client: Client, seeded: None) -> None:
    html, tree = await page(client, "/?lang=en")
    assert '<html lang="en">' in html and text(tree.find(".//h1")) == "What's on in Bolin"
    assert client.cookies.get("lang") == "en"

    calendar, tree = await page(client, "/calendar?month=2027-06")
    assert '<html lang="en">' in calendar
    assert "June 2027" in text(tree.find(".//h1"))
    _, subscribe = await page(client, "/subscribe")
    assert text(subscribe.find(".//h1")) == "Subscribe to Bolin's events"

    back, _ = await page(client, "/events?lang=zh")
    assert '<html lang="zh-CN">' in back and client.cookies.get("lang") == "zh"


async def test_nav_marks_the_current_page(client: Client, seeded: None) -> None:
    html, _ = await page(client, "/subscribe")

    assert '<a href="/subscribe" aria-current="page">' in html
    assert '<a href="/calendar">' in html


GARBAGE = [
    "/?category=%27%20or%201%3D1--",
    "/?village=" + "x" * 2000,
    "/?lang=xx&category=",
    "/calendar?month=%00",
    "/calendar?month=99999-01",
    "/calendar?month=2027-06&month=2027-07",
    "/calendar?month=2199-12",
    "/calendar?month=1900-01",
    "/calendar?programme=,,,",
    "/events?from=2199-12-31",
    "/events?from=%F0%9F%8E%89",
    "/events?venue=%E4%B8%9C%E8%83%9C",
    "/events/0",
    "/events/-1",
    "/events/1.5",
    "/events/1/poster?x=%00",
    "/programmes/%E5%98%BF",
    "/programmes/..%2F..%2Fetc",
    "/subscribe?kind=<script>",
    "/events/%00",  # echoed back in the language link and the message: not as a NUL
    "/events/1%00/poster?lang=en",
    "/programmes/a%00b",
    "/programmes/%C2%85/poster?lang=en",
    "/calendar?category=%EF%BF%BF",
]


@pytest.mark.parametrize("path", GARBAGE)
async def test_garbage_in_the_address_is_never_a_server_error(
    client: Client, seeded: None, path: str
) -> None:
    response = await client.get(path)

    assert response.status_code < 500, (path, response.text[:300])
    if response.headers.get("content-type", "").startswith("text/html"):
        assert_good_page(response.text)
    assert "<script>" not in response.text.split("</head>")[-1]


async def test_pages_stay_within_budget_with_the_demo_season(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)
    css = len((await client.get("/static/site.css")).content)
    css += len((await client.get("/static/public.css")).content)
    css += len((await client.get("/static/public.js")).content)
    for path in ["/", "/calendar?month=2027-06", "/events", f"/events/{market}", "/subscribe",
                 "/programmes/haixiaji", f"/events/{market}/poster"]:
        html = (await client.get(path)).text
        assert len(html.encode()) + css < 100_000, path
