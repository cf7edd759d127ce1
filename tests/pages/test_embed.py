"""/embed: the next nights as a compact list that the town's website shows in a frame — no site
header, no script, links that open the full event page in a new tab."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Client
from tests.pages.public_helpers import by_class, page, text


async def _next_nights(client: Client, limit: int, **filters: str) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    params = {"start": now.isoformat(), "end": (now + timedelta(days=730)).isoformat(),
              "limit": limit, **filters}
    return list((await client.get("/api/v1/occurrences", params=params)).json())


def _night_links(tree: Any) -> list[Any]:
    return [a for li in tree.iter("li") for a in li.iter("a")]


async def test_the_list_shows_the_next_nights_and_opens_them_in_a_new_tab(
    client: Client, seeded: None
) -> None:
    expected = await _next_nights(client, 8)

    html, tree = await page(client, "/embed")

    links = _night_links(tree)
    assert [a.get("href") for a in links] == [f"/events/{n['event_id']}" for n in expected]
    assert [text(a) for a in links] == [n["title_zh"] for n in expected]
    every_link = list(tree.iter("a"))
    assert all(a.get("target") == "_blank" and a.get("rel") == "noopener" for a in every_link)
    assert "<script" not in html
    assert not by_class(tree, "header", "site-header") and tree.find(".//nav") is None


async def test_filters_and_limit_narrow_the_list(client: Client, seeded: None) -> None:
    expected = await _next_nights(client, 3, village="dongsheng")

    _, tree = await page(client, "/embed?village=dongsheng&limit=3")

    assert [a.get("href") for a in _night_links(tree)] == [
        f"/events/{n['event_id']}" for n in expected]
    assert "东胜村" in text(tree.find(".//h1"))
    assert tree.find(".//h1/a").get("href") == "/events?village=dongsheng"


@pytest.mark.parametrize("limit", ["0", "21", "many"])
async def test_a_limit_outside_1_to_20_is_a_422_in_words(
    client: Client, seeded: None, limit: str
) -> None:
    html, _ = await page(client, f"/embed?limit={limit}", 422)

    assert "limit" in html


async def test_an_unknown_village_is_a_404_that_lists_the_known_ones(
    client: Client, seeded: None
) -> None:
    html, _ = await page(client, "/embed?village=nowhere", 404)

    assert "找不到村「nowhere」" in html and "dongsheng" in html


async def test_any_site_may_frame_it_and_it_is_cached(client: Client, seeded: None) -> None:
    answer = await client.get("/embed?category=market")
    home = await client.get("/")

    assert "frame-ancestors *" in answer.headers["content-security-policy"]
    assert "x-frame-options" not in answer.headers
    assert "frame-ancestors 'self'" in home.headers["content-security-policy"]
    assert "set-cookie" not in answer.headers  # shared by the public cache
    assert answer.headers["cache-control"] == "public, max-age=60"


async def test_in_english_with_lang_en(client: Client, seeded: None) -> None:
    expected = await _next_nights(client, 8)

    _, tree = await page(client, "/embed?lang=en")

    assert tree.get("lang") == "en"
    assert [text(a) for a in _night_links(tree)] == [
        n["title_en"] or n["title_zh"] for n in expected]
