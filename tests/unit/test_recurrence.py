"""The RRULE subset: what is refused (naming the part), and how rules expand in local time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bolin_events.errors import InvalidInput
from bolin_events.services.scheduling.recurrence import Rule, expand, parse_rule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def refusal(text: str, max_count: int = 1000) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_rule(text, max_count=max_count)
    return caught.value


def local_starts(text: str, first: datetime, *, all_day: bool = False) -> list[datetime]:
    rule = parse_rule(text, max_count=1000)
    return expand(rule, first, tz=SHANGHAI, all_day=all_day, max_count=1000)


@pytest.mark.parametrize(
    ("text", "part", "en"),
    [
        ("FREQ=YEARLY;COUNT=3", "FREQ", "must be DAILY, WEEKLY or MONTHLY"),
        ("FREQ=WEEKLY;BYDAY=FR", "COUNT/UNTIL",
         "a rule must end: give COUNT or UNTIL (unbounded rules are refused)"),
        ("FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1;COUNT=3", "BYSETPOS",
         "is not supported (only FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL, WKST)"),
        ("FREQ=WEEKLY;BYDAY=FRI;COUNT=3", "BYDAY",
         "'FRI' is not a day (MO, TU … SU; monthly rules may use 1SA, -1FR)"),
        ("FREQ=WEEKLY;BYDAY=1SA;COUNT=3", "BYDAY",
         "'1SA': an ordinal is only for MONTHLY rules, ±1…5"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270930", "COUNT/UNTIL", "give COUNT or UNTIL, not both"),
        ("FREQ=DAILY;INTERVAL=0;COUNT=3", "INTERVAL", "must be a whole number 1–366"),
        ("FREQ=DAILY;COUNT=1001", "COUNT", "must be a whole number 1–1000"),
        ("FREQ=DAILY;UNTIL=20270231", "UNTIL", "is not a real date"),
        ("FREQ=DAILY;UNTIL=next-year", "UNTIL", "must be YYYYMMDD or YYYYMMDDTHHMMSSZ"),
        ("FREQ=DAILY;UNTIL=99991231", "UNTIL", "must fall between 1900 and 2199"),
        ("FREQ=MONTHLY;BYMONTHDAY=32;COUNT=2", "BYMONTHDAY", "'32' must be 1…31 or -31…-1"),
        ("FREQ=DAILY;COUNT=2;COUNT=3", "COUNT", "it appears twice"),
        ("FREQ=DAILY;WKST=XX;COUNT=2", "WKST", "must be one of MO…SU"),
        ("RRULE:", "RRULE", "the rule is empty"),
    ],
)
def test_parse_rule_refuses_naming_the_part(text: str, part: str, en: str) -> None:
    error = refusal(text)

    assert error.en == f"The recurrence rule's {part} is wrong: {en}"
    assert error.zh.startswith(f"重复规则中的 {part} 有误：")
    assert error.details == [{"field": "rrule", "part": part}]


def test_parse_rule_reads_every_supported_part() -> None:
    rule = parse_rule("rrule:freq=monthly;interval=2;byday=1SA,-1FR;wkst=mo;count=6",
                      max_count=1000)

    assert rule == Rule("MONTHLY", interval=2, byday=("1SA", "-1FR"), count=6, wkst="MO")


def test_rule_to_ical_turns_a_date_until_into_the_end_of_that_local_day_in_utc() -> None:
    rule = parse_rule("FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930", max_count=1000)

    assert rule.to_ical(all_day=False, tz=SHANGHAI) == (
        "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930T155959Z")
    assert rule.to_ical(all_day=True, tz=SHANGHAI) == "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930"


def test_expand_snaps_the_first_start_to_the_rules_first_day() -> None:
    thursday = datetime(2027, 6, 3, 19, 0)

    starts = local_starts("FREQ=WEEKLY;BYDAY=FR,SA;COUNT=4", thursday)

    assert starts == [datetime(2027, 6, 4, 19), datetime(2027, 6, 5, 19),
                      datetime(2027, 6, 11, 19), datetime(2027, 6, 12, 19)]


def test_expand_with_a_date_until_includes_that_evening() -> None:
    starts = local_starts("FREQ=WEEKLY;BYDAY=TH;UNTIL=20270617", datetime(2027, 6, 3, 19, 30))

    assert starts == [datetime(2027, 6, 3, 19, 30), datetime(2027, 6, 10, 19, 30),
                      datetime(2027, 6, 17, 19, 30)]


def test_expand_monthly_first_saturday() -> None:
    starts = local_starts("FREQ=MONTHLY;BYDAY=1SA;COUNT=4", datetime(2027, 6, 5, 9, 30))

    assert [s.date() for s in starts] == [date(2027, 6, 5), date(2027, 7, 3), date(2027, 8, 7),
                                          date(2027, 9, 4)]


def test_expand_with_interval_skips_weeks() -> None:
    starts = local_starts("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3", datetime(2027, 7, 6, 19, 30))

    assert [s.date() for s in starts] == [date(2027, 7, 6), date(2027, 7, 20), date(2027, 8, 3)]


def test_expand_monthly_by_month_day() -> None:
    starts = local_starts("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20270901", datetime(2027, 6, 1, 9))

    assert [s.date() for s in starts] == [date(2027, 6, 15), date(2027, 7, 15), date(2027, 8, 15)]


def test_expand_all_day_daily_until_a_date() -> None:
    starts = local_starts("FREQ=DAILY;UNTIL=20270711", datetime(2027, 7, 9), all_day=True)

    assert starts == [datetime(2027, 7, 9), datetime(2027, 7, 10), datetime(2027, 7, 11)]


def test_expand_refuses_more_occurrences_than_the_limit() -> None:
    rule = parse_rule("FREQ=DAILY;UNTIL=20300101", max_count=1000)

    with pytest.raises(InvalidInput) as caught:
        expand(rule, datetime(2027, 1, 1, 9), tz=SHANGHAI, all_day=False, max_count=100)

    assert caught.value.en == ("The recurrence rule's COUNT/UNTIL is wrong: the rule makes more "
                               "than 100 occurrences; shorten it")


def test_expand_refuses_a_rule_that_ends_before_it_starts() -> None:
    rule = parse_rule("FREQ=WEEKLY;UNTIL=20270101", max_count=1000)

    with pytest.raises(InvalidInput) as caught:
        expand(rule, datetime(2027, 6, 4, 19), tz=SHANGHAI, all_day=False, max_count=1000)

    assert caught.value.en == ("The recurrence rule's RRULE is wrong: it gives no occurrence "
                               "after the start")


def test_expand_refuses_a_count_that_runs_past_the_last_year() -> None:
    rule = parse_rule("FREQ=MONTHLY;INTERVAL=366;COUNT=10", max_count=1000)

    with pytest.raises(InvalidInput) as caught:
        expand(rule, datetime(2027, 1, 1, 9), tz=SHANGHAI, all_day=False, max_count=1000)

    assert caught.value.en == ("The recurrence rule's COUNT is wrong: the rule runs past 2199; "
                               "give a smaller COUNT")
