"""Adding an event to a phone's calendar from its page: one night or the nights to come, with a
reminder; inside WeChat, the way out to the phone's browser instead."""

from __future__ import annotations

from typing import Any

from tests.conftest import Client
from tests.pages.public_helpers import (
    ANDROID,
    NIGHT_MARKET,
    SHAHE_GALA,
    WECHAT,
    by_class,
    event_id,
    page,
    page_as,
    text,
)


def buttons(tree: Any) -> dict[str, list[str]]:
    """The submit buttons of the page's forms by their visible words, with where they go."""
    found: dict[str, list[str]] = {}
    for button in tree.iter("button"):
        words = (button.text or "").strip()
        found.setdefault(words, []).append(button.get("formaction") or "")
    return found


def scripts(tree: Any) -> list[str]:
    """The script files a page loads, by their plain names (``copy.js``, not hashed)."""
    names = []
    for script in tree.iter("script"):
        stem, _, rest = (script.get("src") or "").rpartition("/")[2].partition(".")
        if rest:
            names.append(f"{stem}.{rest.rpartition('.')[2]}")
    return names


def guides(tree: Any) -> list[Any]:
    return by_class(tree, "div", "wechat-guide")


async def test_every_night_to_come_has_its_own_add_button_with_a_reminder_choice(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page_as(client, f"/events/{market}", ANDROID)
    form = by_class(tree, "form", "add-nights")[0]
    options = {o.get("value"): text(o) for o in form.iter("option")}
    chosen = [o.get("value") for o in form.iter("option") if o.get("selected") is not None]
    nights = buttons(tree)["加入日历"]

    assert form.get("method") == "get"
    assert options == {"1h": "提前1小时", "1d": "提前1天", "none": "不提醒"} and chosen == ["1h"]
    assert nights[0] == f"/feeds/events/{market}/nights/{market}-20270604T190000.ics"
    assert f"/feeds/events/{market}/nights/{market}-20270618T190000.ics" in nights  # moved
    assert f"/feeds/events/{market}/nights/{market}-20270626T190000.ics" not in nights  # cancelled
    assert buttons(tree)[f"全部加入日历（之后的{len(nights)}场）"] == [
        f"/feeds/events/{market}/upcoming.ics"]
    assert "想自动收到改期和取消" in text(tree.find(".//main"))  # subscribing follows changes
    assert not guides(tree)


async def test_a_series_shows_five_nights_then_the_rest_behind_all_n(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)
    count = (await client.get(f"/api/v1/events/{market}")).json()["occurrence_count"]

    _, tree = await page(client, f"/events/{market}")
    section = tree.find(".//section[@aria-labelledby='dates-heading']")
    first = section.find("form/ul[@class='dates']")
    more = section.find("form/details")

    assert len(first.findall("li")) == 5
    assert count > 5 and text(more.find("summary")) == f"全部{count}场"
    assert len(more.findall(".//li")) == count - 5
    assert "2027年9月25日 周六" in text(more)  # the last night, folded away


async def test_a_cancelled_event_offers_no_add_button(client: Client, seeded: None) -> None:
    gala = await event_id(client, SHAHE_GALA)

    _, tree = await page(client, f"/events/{gala}")

    assert not [b for b in tree.iter("button") if "加入日历" in text(b)]
    assert not by_class(tree, "form", "add-nights")


async def test_inside_wechat_the_event_page_guides_to_the_browser(
    client: Client, seeded: None
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page_as(client, f"/events/{market}", WECHAT)
    guide = guides(tree)
    field = tree.find(".//input[@id='event-address']")
    copy = [b for b in tree.iter("button") if b.get("data-copy") == "event-address"]
    hrefs = [a.get("href") or "" for a in tree.iter("a")]

    assert guide and "请点右上角 ⋯ ，选「在浏览器打开」，再点加入日历" in text(guide[0])
    assert by_class(guide[0], "span", "wechat-arrow")
    assert field.get("value") == f"https://events.example.test/feeds/events/{market}.ics"
    assert field.get("readonly") is not None
    assert copy and copy[0].get("hidden") is not None  # shown by copy.js, never without it
    assert "copy.js" in scripts(tree)
    assert not by_class(tree, "form", "add-nights")
    assert not [h for h in hrefs if h.startswith("webcal:") or h.endswith(".ics")]


async def test_inside_wechat_the_subscribe_page_gives_addresses_to_copy(
    client: Client, seeded: None
) -> None:
    _, tree = await page_as(client, "/subscribe", WECHAT)
    fields = [i.get("value") for i in tree.iter("input") if i.get("readonly") is not None]
    hrefs = [a.get("href") or "" for a in tree.iter("a")]

    assert guides(tree)
    assert "https://events.example.test/feeds/all.ics" in fields
    assert not [h for h in hrefs if h.startswith("webcal:") or h.endswith(".ics")]


async def test_outside_wechat_the_subscribe_page_has_no_wechat_guide(
    client: Client, seeded: None
) -> None:
    _, tree = await page_as(client, "/subscribe", ANDROID)

    assert not guides(tree)
    assert "copy.js" not in scripts(tree)
    assert "webcal://events.example.test/feeds/all.ics" in [a.get("href") for a in tree.iter("a")]
