"""A series cut to the nights it keeps (calendar.series) shows exactly those nights, whatever
the rule: both parsers expand the cut rule to the original rule's later instances."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bolin_events.calendar import (
    EventData,
    FeedHeader,
    Label,
    ZoneUse,
    night_uid,
    render_event,
    render_feed,
)
from bolin_events.services.scheduling.recurrence import expand, parse_rule
from tests.feeds.helpers import TZ, lines, seen_by_ical, seen_by_icalendar

HEADER = FeedHeader("柏林镇活动 / Bolin town events", "测试", "https://events.example.test/")
WINDOW = ("2027-01-01", "2029-01-01")


def series(rule_text: str, first: datetime, end: datetime, *, all_day: bool = False
           ) -> tuple[EventData, list[datetime]]:
    """The event as the service stores it (rule written back in its own form), and the UTC
    start of every instance."""
    rule = parse_rule(rule_text, max_count=1000)
    local = expand(rule, first.replace(tzinfo=None), tz=TZ, all_day=all_day, max_count=1000)
    starts = [moment.replace(tzinfo=TZ).astimezone(UTC) for moment in local]
    event = EventData(uid="event-7@events.example.test", sequence=0,
                      updated_at=datetime(2026, 12, 1, tzinfo=UTC), title=Label("夜游"),
                      status="published", all_day=all_day, timezone="Asia/Shanghai",
                      starts_at=first.astimezone(UTC), ends_at=end.astimezone(UTC),
                      rrule=rule.to_ical(all_day=all_day, tz=TZ))
    return event, starts


def read(block: bytes) -> list[datetime | object]:
    body = render_feed(HEADER, [ZoneUse("Asia/Shanghai", 2027, 2028)], [block])
    by_icalendar = [seen[1] for seen in seen_by_icalendar(body, *WINDOW)]
    assert [seen[1] for seen in seen_by_ical(body, *WINDOW)] == by_icalendar
    return by_icalendar


@pytest.mark.parametrize("rule", [
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR,SA;UNTIL=20271231",
    "FREQ=MONTHLY;BYDAY=1SA;COUNT=12",
    "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=7",
    "FREQ=DAILY;INTERVAL=3;COUNT=40",
])
@pytest.mark.parametrize("dropped", [0, 1, 5])
def test_series_cut_from_a_later_night_keeps_the_rest_of_the_rule(rule: str,
                                                                  dropped: int) -> None:
    event, starts = series(rule, datetime(2027, 1, 1, 19, tzinfo=TZ),
                           datetime(2027, 1, 1, 21, tzinfo=TZ))

    block = render_event(event, frozenset(starts[:dropped]), instances=starts, trim=True)

    assert read(block) == starts[dropped:]
    assert f"DTSTART;TZID=Asia/Shanghai:{starts[dropped].astimezone(TZ):%Y%m%dT%H%M%S}" \
        in lines(block)


def test_count_is_reduced_by_the_nights_dropped() -> None:
    event, starts = series("FREQ=WEEKLY;BYDAY=SA;COUNT=10", datetime(2027, 5, 1, 9, 30, tzinfo=TZ),
                           datetime(2027, 5, 1, 11, tzinfo=TZ))

    block = render_event(event, frozenset(starts[:4]), instances=starts, trim=True)

    assert "RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=6" in lines(block)


def test_all_day_series_cut_ends_on_a_date() -> None:
    event, starts = series("FREQ=WEEKLY;BYDAY=SA,SU;UNTIL=20270930",
                           datetime(2027, 6, 5, tzinfo=TZ), datetime(2027, 6, 6, tzinfo=TZ),
                           all_day=True)
    kept = starts[3:9]  # Sunday 06-13 to Saturday 07-03

    block = render_event(event, frozenset(starts) - frozenset(kept), instances=starts)

    assert "DTSTART;VALUE=DATE:20270613" in lines(block)
    assert "RRULE:FREQ=WEEKLY;BYDAY=SA,SU;UNTIL=20270703" in lines(block)
    assert read(block) == [moment.astimezone(TZ).date() for moment in kept]


def test_a_night_has_a_uid_of_its_own_from_its_original_start() -> None:
    start = datetime(2027, 6, 4, 19, 30, tzinfo=TZ)

    assert night_uid("event-5@bolin.example", start) == "event-5-20270604T113000Z@bolin.example"
    assert night_uid("imported-uid", start) == "imported-uid-20270604T113000Z"
