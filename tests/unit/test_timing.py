"""Turning what a scheduler typed into stored instants, and back into what people read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bolin_events.errors import InvalidInput
from bolin_events.services.timing import (
    local_end,
    local_start,
    parse_recurrence_key,
    recurrence_key,
    span,
    zone,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def refusal(start: date | datetime, end: date | datetime, *, all_day: bool) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        span(start, end, SHANGHAI, all_day=all_day)
    return caught.value


def test_zone_unknown_names_the_zone() -> None:
    with pytest.raises(InvalidInput) as caught:
        zone("Asia/Beijing")

    assert caught.value.en == "Unknown timezone 'Asia/Beijing'; use an IANA name such as " \
        "Asia/Shanghai."
    assert caught.value.details == [{"field": "timezone", "value": "Asia/Beijing"}]


def test_span_reads_a_naive_time_in_the_events_zone() -> None:
    starts_at, ends_at = span(datetime(2027, 6, 4, 19), datetime(2027, 6, 4, 22, 30), SHANGHAI,
                              all_day=False)

    assert (starts_at, ends_at) == (datetime(2027, 6, 4, 11, tzinfo=UTC),
                                    datetime(2027, 6, 4, 14, 30, tzinfo=UTC))


def test_span_keeps_an_explicit_offset() -> None:
    starts_at, _ = span(datetime(2027, 6, 4, 11, tzinfo=UTC), datetime(2027, 6, 4, 14, tzinfo=UTC),
                        SHANGHAI, all_day=False)

    assert starts_at == datetime(2027, 6, 4, 11, tzinfo=UTC)


def test_span_all_day_end_is_the_last_day_inclusive() -> None:
    starts_at, ends_at = span(date(2027, 7, 9), date(2027, 7, 11), SHANGHAI, all_day=True)

    assert (starts_at, ends_at) == (datetime(2027, 7, 8, 16, tzinfo=UTC),
                                    datetime(2027, 7, 11, 16, tzinfo=UTC))
    assert local_start(starts_at, SHANGHAI, all_day=True) == date(2027, 7, 9)
    assert local_end(ends_at, SHANGHAI, all_day=True) == date(2027, 7, 11)


def test_span_one_all_day_is_allowed() -> None:
    starts_at, ends_at = span(date(2027, 7, 9), date(2027, 7, 9), SHANGHAI, all_day=True)

    assert ends_at - starts_at == datetime(2027, 1, 2) - datetime(2027, 1, 1)


def test_span_end_before_start_is_refused() -> None:
    error = refusal(datetime(2027, 6, 4, 19), datetime(2027, 6, 4, 18), all_day=False)

    assert (error.en, error.details) == ("end must be after start.", [{"field": "end"}])


def test_span_end_equal_to_start_is_refused() -> None:
    error = refusal(datetime(2027, 6, 4, 19), datetime(2027, 6, 4, 19), all_day=False)

    assert error.en == "end must be after start."


def test_span_over_a_year_is_refused() -> None:
    error = refusal(date(2027, 1, 1), date(2028, 1, 5), all_day=True)

    assert error.en == "One occurrence cannot last over a year; use a recurrence rule."


def test_span_all_day_with_a_time_is_refused() -> None:
    error = refusal(datetime(2027, 7, 9, 9), date(2027, 7, 11), all_day=True)

    assert error.en == "An all-day event takes a date for start (e.g. 2027-07-10), not a time."


def test_span_timed_with_only_a_date_is_refused() -> None:
    error = refusal(datetime(2027, 7, 9, 9), date(2027, 7, 11), all_day=False)

    assert error.en == ("end needs a date and time (e.g. 2027-06-04T19:00); set all_day for a "
                        "whole-day event.")
    assert error.details == [{"field": "end"}]


@pytest.mark.parametrize("year", [1, 9999])
def test_span_outside_the_calendar_range_is_refused(year: int) -> None:
    error = refusal(date(year, 12, 31), date(year, 12, 31), all_day=True)

    assert error.en == "start must fall between 1900 and 2199."
    assert error.details == [{"field": "start", "value": f"{year:04d}-12-31"}]


def test_recurrence_key_round_trips_a_timed_start() -> None:
    moment = datetime(2027, 6, 4, 11, tzinfo=UTC)

    key = recurrence_key(moment, SHANGHAI, all_day=False)

    assert key == "20270604T190000"
    assert parse_recurrence_key(key, SHANGHAI) == moment


def test_recurrence_key_of_an_all_day_start_is_the_date() -> None:
    moment = datetime(2027, 7, 8, 16, tzinfo=UTC)

    key = recurrence_key(moment, SHANGHAI, all_day=True)

    assert key == "20270709"
    assert parse_recurrence_key(key, SHANGHAI) == moment


@pytest.mark.parametrize("key", ["yesterday", "20270231T190000", "00010101T000000", "99991231"])
def test_parse_recurrence_key_of_no_instant_is_none(key: str) -> None:
    assert parse_recurrence_key(key, SHANGHAI) is None
