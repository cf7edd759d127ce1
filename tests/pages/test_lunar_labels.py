"""Lunar dates beside Gregorian ones on the public pages: on a night that falls on a festival
or solar term, on every night of a series by the Chinese calendar, and in the list's and the
month's day headings on such days; nowhere on an ordinary day."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import create_event
from tests.conftest import Client
from tests.pages.public_helpers import by_class, headings, month_cells, page, scheduler, text


def _night(day: str, title: str, **changes: Any) -> dict[str, Any]:
    return {"title_zh": title, "title_en": title, "category": "performance",
            "start": f"{day}T19:30", "end": f"{day}T21:30", "status": "published", **changes}


def _dates(tree: Any) -> list[str]:
    """The event page's nights, each as its line reads."""
    return [" ".join(text(li).split()) for li in by_class(tree, "li", "night-date")]


async def test_a_night_on_mid_autumn_says_its_lunar_date(client: Client, reference: None) -> None:
    gala = await create_event(client, await scheduler(client), _night("2027-09-15", "中秋晚会"))

    _, tree = await page(client, f"/events/{gala['id']}")

    assert _dates(tree)[0].startswith("2027年9月15日 周三 · 农历八月十五 中秋节 19:30–21:30")
    _, english = await page(client, f"/events/{gala['id']}?lang=en")
    assert "Wed 15 Sep 2027 · lunar 8/15, Mid-Autumn Festival 19:30–21:30" in _dates(english)[0]


async def test_an_ordinary_night_has_no_lunar_label(client: Client, reference: None) -> None:
    film = await create_event(client, await scheduler(client), _night("2027-09-16", "露天电影"))

    html, tree = await page(client, f"/events/{film['id']}")

    assert _dates(tree)[0].startswith("2027年9月16日 周四 19:30–21:30")
    assert "农历" not in html


async def test_every_night_of_a_lunar_series_says_its_lunar_day(
    client: Client, reference: None
) -> None:
    market = await create_event(client, await scheduler(client), _night(
        "2027-09-01", "逢三六九集市", calendar_rule="LUNARDAYS;ENDINGS=3,6,9;UNTIL=20270912"))

    _, tree = await page(client, f"/events/{market['id']}")

    assert [text(p) for p in by_class(tree, "p", "series-rule")] == [
        "农历逢三、六、九日，至 2027年9月12日"]
    assert [d.split(" 19:30")[0] for d in _dates(tree)] == [
        "2027年9月3日 周五 · 农历八月初三",
        "2027年9月6日 周一 · 农历八月初六",
        "2027年9月9日 周四 · 农历八月初九",
    ]


async def test_list_and_month_headings_name_festivals_and_solar_terms(
    client: Client, reference: None
) -> None:
    headers = await scheduler(client)
    for day in ("2027-09-08", "2027-09-15", "2027-09-16"):
        await create_event(client, headers, _night(day, f"晚会 {day}"))

    _, listing = await page(client, "/events?from=2027-09-01")
    _, month = await page(client, "/calendar?month=2027-09")
    _, english = await page(client, "/calendar?month=2027-09&lang=en")

    assert headings(listing) == [
        "2027年9月8日 周三 · 农历八月初八 白露",
        "2027年9月15日 周三 · 农历八月十五 中秋节",
        "2027年9月16日 周四",
    ]
    cells = month_cells(month)
    marks = {day: by_class(cells[day], "span", "lunar-mark") for day in cells}
    assert [text(m) for m in marks["9月15日 周三"]] == ["中秋节"]
    assert marks["9月15日 周三"][0].get("title") == "农历八月十五 中秋节"
    assert [text(m) for m in marks["9月23日 周四"]] == ["秋分"]  # a day with nothing on, too
    assert marks["9月16日 周四"] == []
    english_marks = by_class(month_cells(english)["Wed 15 Sep"], "span", "lunar-mark")
    assert [text(m) for m in english_marks] == ["Mid-Autumn Festival"]
