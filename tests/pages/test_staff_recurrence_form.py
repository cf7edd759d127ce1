"""The recurrence form's rules, without a database: to and from RRULE, and the sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bolin_events.errors import InvalidInput
from bolin_events.models import Event
from bolin_events.web.recurrence_form import Repeat, describe, from_rrule, to_rrule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _read(rule: str, all_day: bool = False) -> Repeat:
    return from_rrule(rule, tz=SHANGHAI, all_day=all_day, max_count=1000)


@pytest.mark.parametrize(
    ("repeat", "rule"),
    [
        (Repeat(), None),
        (Repeat("weekly", ("FR", "SA"), "until", date(2027, 8, 28)),
         "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270828"),
        (Repeat("weekly", ("SA", "FR"), "until", date(2027, 8, 28)),  # said in week order
         "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270828"),
        (Repeat("daily", (), "count", None, 5), "FREQ=DAILY;COUNT=5"),
        (Repeat("monthly", (), "count", None, 3), "FREQ=MONTHLY;COUNT=3"),
        (Repeat("custom", custom="FREQ=MONTHLY;BYDAY=1SA;COUNT=4"),
         "FREQ=MONTHLY;BYDAY=1SA;COUNT=4"),
    ],
)
def test_form_to_rrule(repeat: Repeat, rule: str | None) -> None:
    assert to_rrule(repeat, date(2027, 6, 4)) == rule


def test_an_unfinished_form_names_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        to_rrule(Repeat("weekly", ("FR",), "count"), date(2027, 6, 4))

    assert caught.value.details[0]["field"] == "count"


def test_stored_rules_read_back_into_the_form() -> None:
    assert _read("FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270828T155959Z") == Repeat(
        "weekly", ("FR", "SA"), "until", date(2027, 8, 28)
    )
    assert _read("FREQ=DAILY;UNTIL=20270710", all_day=True) == Repeat(
        "daily", (), "until", date(2027, 7, 10)
    )


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=1SA;COUNT=4",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;COUNT=4",
        "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=4",
        "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270828T110000Z",  # not the end of a local day
    ],
)
def test_rules_the_form_cannot_say_are_kept_as_custom(rule: str) -> None:
    assert _read(rule) == Repeat("custom", custom=rule)


def _event(rule: str | None, *, all_day: bool = False) -> Event:
    start = datetime(2027, 6, 4, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai
    end = datetime(2027, 6, 4, 13, 30, tzinfo=UTC)
    if all_day:
        start, end = datetime(2027, 7, 8, 16, tzinfo=UTC), datetime(2027, 7, 11, 16, tzinfo=UTC)
    return Event(uid="x", title_zh="x", category_id=1, starts_at=start, ends_at=end,
                 span_end=end, rrule=rule, all_day=all_day)


def test_describe_a_weekly_series() -> None:
    assert describe(_event("FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270828T155959Z"), 1000) == (
        "每周五、周六 19:30–21:30，2027-06-04 至 2027-08-28，共 26 场",
        "Every Friday and Saturday, 19:30–21:30, 2027-06-04 to 2027-08-28, 26 times",
    )


def test_describe_single_and_all_day_events() -> None:
    assert describe(_event(None), 1000) == ("2027-06-04 19:30–21:30", "2027-06-04 19:30–21:30")
    assert describe(_event(None, all_day=True), 1000)[0] == "2027-07-09 全天，每次 3 天"
    assert describe(_event("FREQ=MONTHLY;BYDAY=1SA;COUNT=4"), 1000)[0] == (
        "按规则 FREQ=MONTHLY;BYDAY=1SA;COUNT=4 19:30–21:30，2027-06-05 至 2027-09-04，共 4 场"
    )
