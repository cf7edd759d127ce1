"""Importing a feed keeps what the source said: states, both languages, moved nights' venues,
and refuses (never cuts) what does not fit, down to a round trip through our own feed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel import SQLModel

from bolin_events.app import fresh_state
from bolin_events.models import Role
from bolin_events.services import seeding
from bolin_events.services.imports.fetch import fetch_calendar, make_client
from bolin_events.services.imports.ics_text import read_description, read_title
from bolin_events.services.imports.rules import load_rules
from bolin_events.settings import Settings
from tests.conftest import Client, Staff, make_user
from tests.feeds.helpers import pin_clock
from tests.imports.calendars import BEFORE, MARKET, TALK, calendar, run_import
from tests.imports.helpers import stored

EVENTS = "/api/v1/events"
OCCURRENCES = "/api/v1/occurrences"
WINDOW = {"start": "2027-06-01", "end": "2027-08-01"}
# Another installation places our feed's categories by their names.
OURS = load_rules("""
rules:
  - {categories: 夜市, category: market}
  - {categories: 文艺表演, category: performance}
""")


async def night_id(client: Client, event_id: int, start: str) -> str:
    response = await client.get(OCCURRENCES, params=WINDOW)
    (found,) = [o["id"] for o in response.json()
                if o["event_id"] == event_id and o["start"].startswith(start)]
    return str(found)


async def made(client: Client, headers: dict[str, str], event: dict[str, Any]) -> int:
    response = await client.post(EVENTS, json=event, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def build_season(client: Client, headers: dict[str, str]) -> None:
    """A bilingual weekly market with a skipped, a moved (to another venue) and a cancelled
    night, and a postponed gala: what a culture station publishes."""
    market = await made(client, headers, {
        "title_zh": "东胜银杏夜市", "title_en": "Dongsheng Ginkgo Night Market",
        "description_zh": "银杏树下的夜市。\n\n每周五、六晚上。",
        "description_en": "A night market under the ginkgo trees.",
        "category": "market", "venue": "ginkgo-night-market", "organizer": "culture-station",
        "price": "免费入场 / Free entry", "start": "2027-06-04T19:00:00",
        "end": "2027-06-04T22:30:00", "rrule": "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270630",
        "status": "published"})
    gala = await made(client, headers, {
        "title_zh": "华盖村纳凉村晚", "title_en": "Huagai summer gala",
        "description_zh": "村民自编自演。", "description_en": "Songs and dances by villagers.",
        "category": "performance", "venue": "qingqing-park", "start": "2027-07-03T19:30:00",
        "end": "2027-07-03T21:30:00", "status": "published"})
    nights = f"{OCCURRENCES}/{{}}/{{}}"
    steps = [
        (await night_id(client, market, "2027-06-12"), "skip", {}),
        (await night_id(client, market, "2027-06-18"), "move", {
            "start": "2027-06-20T19:00:00", "end": "2027-06-20T22:30:00",
            "venue": "jiayue-farm", "reason": "借农场场地"}),
        (await night_id(client, market, "2027-06-26"), "cancel", {"reason": "端午节停市"}),
    ]
    for key, action, body in steps:
        response = await client.post(nights.format(key, action), json=body, headers=headers)
        assert response.status_code == 200, response.text
    response = await client.post(f"{EVENTS}/{gala}/postpone", json={"reason": "天气预报有大雨"},
                                 headers=headers)
    assert response.status_code == 200, response.text


async def season(client: Client, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every event as staff and visitors see it, with its nights, by Chinese title."""
    response = await client.get(OCCURRENCES, params=WINDOW)
    nights = response.json()
    shown = {}
    for e in await stored(client, headers):
        keep = ("title_en", "description_zh", "description_en", "status", "status_reason",
                "price", "rrule", "all_day", "start", "end")
        view = {name: e[name] for name in keep}
        view.update({kind: (e[kind] or {}).get("slug")
                     for kind in ("venue", "category", "organizer")})
        view["nights"] = [(o["original_start"], o["start"], o["end"], o["status"],
                           (o["venue"] or {}).get("slug"))
                          for o in nights if o["event_id"] == e["id"]]
        shown[e["title_zh"]] = view
    return shown


async def another_installation(client: Client, settings: Settings) -> dict[str, str]:
    """The app on empty tables with only the reference data (another town's fresh install);
    a scheduler's headers there."""
    async with client.app.state.engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await connection.execute(table.delete())
    client.app.state.update(fresh_state(settings))
    async with client.app.state.sessionmaker() as session, session.begin():
        await seeding.seed(session, settings, demo=False)
    return await make_user(client.app, "scheduler", Role.scheduler)


async def fetched(settings: Settings, body: bytes) -> bytes:
    """``body`` as the other installation's importer gets it: over HTTP, through httpx."""
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "text/calendar"})

    async with make_client(settings, httpx.MockTransport(answer)) as http:
        return await fetch_calendar(http, "https://bolin.example/feeds/all.ics", settings)


async def test_own_feed_imported_elsewhere_comes_back_as_it_was(
        client: Client, staff: Staff, settings: Settings) -> None:
    pin_clock(client, BEFORE)
    await build_season(client, staff.scheduler)
    before = await season(client, staff.scheduler)
    response = await client.get("/feeds/all.ics")
    assert response.status_code == 200, response.text

    headers = await another_installation(client, settings)
    assert await stored(client, headers) == []
    report = await run_import(client, settings, await fetched(settings, response.content),
                              source="bolin", rules=OURS)

    assert report.problems == []
    assert await season(client, headers) == before
    gala, market = before["华盖村纳凉村晚"], before["东胜银杏夜市"]
    assert (gala["status"], gala["status_reason"]) == ("postponed", "天气预报有大雨")
    assert [n[3:] for n in market["nights"] if n[3] != "scheduled"] == [
        ("moved", "jiayue-farm"), ("cancelled", "ginkgo-night-market")]


async def test_own_feed_imported_again_changes_nothing(
        client: Client, staff: Staff, settings: Settings) -> None:
    pin_clock(client, BEFORE)
    await build_season(client, staff.scheduler)
    feed = (await client.get("/feeds/all.ics")).content
    await another_installation(client, settings)
    await run_import(client, settings, feed, source="bolin", rules=OURS)

    again = await run_import(client, settings, feed, source="bolin", rules=OURS)

    assert [(r.title, r.action) for r in again.rows] == [
        ("东胜银杏夜市", "unchanged"), ("华盖村纳凉村晚", "unchanged")]


POSTPONED_TALK = TALK.replace("SUMMARY:柑橘种植讲座", "SUMMARY:【延期】柑橘种植讲座")
TENTATIVE_TALK = TALK.replace("SUMMARY:", "STATUS:TENTATIVE\nSUMMARY:")


@pytest.mark.parametrize("talk", [POSTPONED_TALK, TENTATIVE_TALK], ids=["prefix", "status"])
async def test_feed_tentative_or_postponed_title_comes_in_postponed(
        client: Client, staff: Staff, settings: Settings, talk: str) -> None:
    await run_import(client, settings, calendar(talk))

    (stored_talk,) = await stored(client, staff.scheduler)
    assert (stored_talk["title_zh"], stored_talk["status"], stored_talk["status_reason"]) == (
        "柑橘种植讲座", "postponed", "来源日历已延期 / Postponed in the source calendar")


async def test_feed_confirmed_again_publishes_the_postponed_event(
        client: Client, staff: Staff, settings: Settings) -> None:
    await run_import(client, settings, calendar(TENTATIVE_TALK))

    report = await run_import(client, settings, calendar(TALK))

    assert [(r.action, r.changes) for r in report.rows] == [("update", ["status"])]
    (talk,) = await stored(client, staff.scheduler)
    assert (talk["status"], talk["status_reason"]) == ("published", None)


async def test_feed_postponed_for_drafts_stays_a_draft_and_says_so(
        client: Client, staff: Staff, settings: Settings) -> None:
    report = await run_import(client, settings, calendar(TENTATIVE_TALK),
                              rules=load_rules("status: draft"))

    assert report.rows[0].notes == [
        "来源中已延期；草稿不能延期，仍为草稿 / postponed in the source: a draft stays a draft"]
    (talk,) = await stored(client, staff.scheduler)
    assert talk["status"] == "draft"


async def test_feed_cancelled_by_its_title_prefix_only_is_not_imported(
        client: Client, staff: Staff, settings: Settings) -> None:
    cancelled = TALK.replace("SUMMARY:柑橘种植讲座", "SUMMARY:【已取消】柑橘种植讲座")

    report = await run_import(client, settings, calendar(cancelled))

    assert [(r.title, r.action) for r in report.rows] == [("柑橘种植讲座", "skip")]
    assert await stored(client, staff.scheduler) == []


async def test_feed_title_too_long_is_refused_naming_its_length_and_the_limit(
        client: Client, staff: Staff, settings: Settings) -> None:
    long_title = "柑橘种植讲座" * 40  # 240 characters
    long_talk = TALK.replace("SUMMARY:柑橘种植讲座", f"SUMMARY:{long_title}")

    report = await run_import(client, settings, calendar(long_talk, MARKET), dry_run=True)

    assert [r.action for r in report.rows] == ["skip", "create"]
    assert [p.message for p in report.problems] == [
        f"「{long_title[:40]}…」（talk-2027@farm.example）：「活动名称」有 240 个字，"
        "超过上限 200 个字，未导入（不会截断）。"]
    assert report.problems[0].message_en.endswith(
        "Title (Chinese): 240 characters, over the limit of 200; not imported "
        "(nothing is cut).")
    await run_import(client, settings, calendar(long_talk, MARKET))
    assert [e["title_zh"] for e in await stored(client, staff.scheduler)] == ["农场周末夜市"]


MOVED_BY_RULE = """BEGIN:VEVENT
UID:camp-market@farm.example
DTSTAMP:20270101T000000Z
DTSTART;TZID=Asia/Shanghai:20270604T190000
DTEND;TZID=Asia/Shanghai:20270604T223000
RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20270630T155959Z
SUMMARY:周五农夫市集
LOCATION:农场东门广场
END:VEVENT
BEGIN:VEVENT
UID:camp-market@farm.example
DTSTAMP:20270101T000000Z
RECURRENCE-ID;TZID=Asia/Shanghai:20270611T190000
DTSTART;TZID=Asia/Shanghai:20270611T190000
DTEND;TZID=Asia/Shanghai:20270611T223000
SUMMARY:周五农夫市集（本周在露营地）
LOCATION:清溪沟露营地
END:VEVENT
"""
PLACES = load_rules("""
rules:
  - {location: 农场东门, venue: jiayue-farm}
  - {location: 清溪沟, venue: qingqing-park}
""")


async def test_feed_night_moved_elsewhere_is_placed_by_the_location_rules(
        client: Client, staff: Staff, settings: Settings) -> None:
    await run_import(client, settings, calendar(MOVED_BY_RULE), rules=PLACES)

    response = await client.get(OCCURRENCES, params=WINDOW)
    assert [(o["start"], o["status"], o["venue"]["slug"]) for o in response.json()] == [
        ("2027-06-04T19:00:00+08:00", "scheduled", "jiayue-farm"),
        ("2027-06-11T19:00:00+08:00", "moved", "qingqing-park"),
        ("2027-06-18T19:00:00+08:00", "scheduled", "jiayue-farm"),
        ("2027-06-25T19:00:00+08:00", "scheduled", "jiayue-farm"),
    ]


def test_bilingual_title_splits_where_the_english_begins() -> None:
    titles = ["村晚 / 篮球赛 / Gala / Show", "【延期】村晚 / [Postponed] Gala",
              "村晚 / 2027", "Gala / Show", "农耕节"]

    assert [(t.zh, t.en, t.state) for t in map(read_title, titles)] == [
        ("村晚 / 篮球赛", "Gala / Show", None), ("村晚", "Gala", "postponed"),
        ("村晚 / 2027", None, None), ("Gala / Show", None, None), ("农耕节", None, None),
    ]


def test_description_keeps_each_language_and_takes_out_what_our_feeds_add() -> None:
    text = ("活动延期，新日期待定 / Postponed, new date to be announced: 下雨\n\n"
            "第一段。\n\n第二段。\n\nFirst.\n\nSecond.\n\n费用 / Price: 免费\n\n"
            "https://bolin.example/events/7")

    details = read_description(text, "https://bolin.example/events/7")

    assert (details.zh, details.en, details.reason, details.labelled) == (
        "第一段。\n\n第二段。", "First.\n\nSecond.", "下雨", {"price": "免费"})
    assert read_description("请带伞。\n\nBring 雨伞.", "").en is None
