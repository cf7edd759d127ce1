"""Reading another calendar's text, before anything touches the database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bolin_events.services.imports.ics_parse import parse_calendar
from bolin_events.services.imports.rules import load_rules
from tests.imports.calendars import FARM, HARVEST, MARKET, calendar

TZ = ZoneInfo("Asia/Shanghai")
HORIZON = date(2028, 12, 31)


def test_series_keeps_rule_skipped_and_changed_nights() -> None:
    feed = parse_calendar(FARM, "Asia/Shanghai", horizon=HORIZON)

    market = feed.events[0]
    assert (market.uid, market.timezone, market.all_day) == (
        "market-2027@farm.example", "Asia/Shanghai", False)
    assert market.start == datetime(2027, 6, 4, 19, 0, tzinfo=TZ)
    assert market.rrule == "FREQ=WEEKLY;UNTIL=20270630T155959Z;BYDAY=FR,SA"
    assert market.exdates == [datetime(2027, 6, 12, 11, 0, tzinfo=UTC)]
    assert [(o.recurrence_id, o.start, o.cancelled) for o in market.overrides] == [
        (datetime(2027, 6, 18, 11, 0, tzinfo=UTC), datetime(2027, 6, 20, 19, 0, tzinfo=TZ), False),
        (datetime(2027, 6, 26, 11, 0, tzinfo=UTC), datetime(2027, 6, 26, 19, 0, tzinfo=TZ), True),
    ]
    assert market.categories == ["市集", "美食"]


def test_all_day_end_becomes_the_last_day() -> None:
    (harvest,) = parse_calendar(calendar(HARVEST), "Asia/Shanghai", horizon=HORIZON).events

    assert (harvest.all_day, harvest.start, harvest.end) == (
        True, date(2027, 7, 9), date(2027, 7, 11))


def test_floating_time_is_read_in_the_town_zone() -> None:
    floating = HARVEST.replace("DTSTART;VALUE=DATE:20270709", "DTSTART:20270709T190000")
    floating = floating.replace("DTEND;VALUE=DATE:20270712", "DTEND:20270709T210000")

    (event,) = parse_calendar(calendar(floating), "Asia/Shanghai", horizon=HORIZON).events

    assert event.start == datetime(2027, 7, 9, 19, 0, tzinfo=TZ)
    assert event.timezone == "Asia/Shanghai"


def test_event_without_an_end_lasts_an_hour_and_says_so() -> None:
    open_ended = HARVEST.replace("DTSTART;VALUE=DATE:20270709", "DTSTART:20270709T110000Z")
    open_ended = open_ended.replace("DTEND;VALUE=DATE:20270712\n", "")

    (event,) = parse_calendar(calendar(open_ended), "Asia/Shanghai", horizon=HORIZON).events

    assert event.end == datetime(2027, 7, 9, 20, 0, tzinfo=TZ)
    assert event.notes == [
        "来源没有结束时间，按 1 小时导入 / no end in the source: one hour assumed"
    ]


def test_changed_nights_without_their_event_are_skipped() -> None:
    only_override = MARKET[MARKET.index("BEGIN:VEVENT", 10):]

    feed = parse_calendar(calendar(only_override), "Asia/Shanghai", horizon=HORIZON)

    assert feed.events == []
    assert [(s.uid, s.en) for s in feed.skipped] == [
        ("market-2027@farm.example",
         "only changed nights (RECURRENCE-ID) without the event itself; skipped.")]


def test_rules_match_every_condition_they_give() -> None:
    rules = load_rules("""
rules:
  - {location: 清溪沟, summary: 村晚, category: performance}
  - {summary: 村晚, venue: qingqing-park}
""")
    (harvest,) = parse_calendar(calendar(HARVEST), "Asia/Shanghai", horizon=HORIZON).events
    harvest.summary, harvest.location = "华盖村村晚", "东胜村"

    assert [rule.matches(harvest) for rule in rules.rules] == [False, True]
