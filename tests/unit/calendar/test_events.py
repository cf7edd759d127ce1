"""One event as VEVENT text: properties, all-day dates, series with EXDATEs and overrides."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bolin_events.calendar import EventData, Label, Night, Place, render_event

SHANGHAI = ZoneInfo("Asia/Shanghai")
UID = "event-42@events.example.test"
URL = "https://events.example.test/events/42"
UPDATED = datetime(2027, 5, 1, 16, 30, tzinfo=SHANGHAI)  # 08:30Z
WEEKLY = "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270619T110000Z"  # Fri 4 June to Sat 19 June
SQUARE = Place(Label("银杏广场", "Ginkgo Square"), Label("东胜村", "Dongsheng"), "东胜路1号",
               30.123456, 103.5)
HALL = Place(Label("文化礼堂", "Culture Hall"))


def at(day: int, hour: int = 19) -> datetime:
    """A wall-clock time in June 2027 in Bolin, as the UTC instant the database holds."""
    return datetime(2027, 6, day, hour, tzinfo=SHANGHAI).astimezone(UTC)


def event(**changes: Any) -> EventData:
    fields: dict[str, Any] = dict(
        uid=UID, sequence=3, updated_at=UPDATED, title=Label("银杏夜市", "Ginkgo night market"),
        status="published", all_day=False, timezone="Asia/Shanghai", starts_at=at(4),
        ends_at=at(4, 22), place=SQUARE, url=URL)
    return EventData(**{**fields, **changes})


def night(day: int, state: str, *, hour: int = 19, place: Place | None = SQUARE,
          reason: str | None = None) -> Night:
    return Night(at(day), state, at(day, hour), at(day, hour + 3), place, reason)


def series(*nights: Night, **changes: Any) -> EventData:
    return event(**{"rrule": WEEKLY, "nights": nights, **changes})


def vevents(body: bytes) -> list[list[str]]:
    """Each VEVENT of ``render_event``'s bytes as its unfolded content lines."""
    lines = body[:-2].replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    blocks: list[list[str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            blocks.append([])
        blocks[-1].append(line)
    return blocks


def names(block: list[str]) -> set[str]:
    return {line.split(":", 1)[0].split(";", 1)[0] for line in block}


def test_single_timed_event_renders_one_vevent_with_its_properties() -> None:
    body = render_event(event())

    assert vevents(body) == [[
        "BEGIN:VEVENT",
        "UID:event-42@events.example.test",
        "DTSTAMP:20270501T083000Z",
        "LAST-MODIFIED:20270501T083000Z",
        "SEQUENCE:3",
        "DTSTART;TZID=Asia/Shanghai:20270604T190000",
        "DTEND;TZID=Asia/Shanghai:20270604T220000",
        "SUMMARY:银杏夜市 / Ginkgo night market",
        "DESCRIPTION:https://events.example.test/events/42",
        "LOCATION:银杏广场（东胜村），东胜路1号 / Ginkgo Square\\, Dongsheng",
        "GEO:30.123456;103.500000",
        "URL:https://events.example.test/events/42",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]]


def test_dtstamp_and_last_modified_come_from_updated_at_not_the_render_time() -> None:
    (block,) = vevents(render_event(event(updated_at=datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC))))

    assert "DTSTAMP:20200102T030405Z" in block
    assert "LAST-MODIFIED:20200102T030405Z" in block


def test_texts_appear_once_each_with_both_languages_in_one_value() -> None:
    ev = event(description=Label("小吃, 手工艺", "Snacks; crafts"), price="免费 / free")

    (block,) = vevents(render_event(ev))

    assert [line for line in block if line.startswith(("SUMMARY", "DESCRIPTION", "LOCATION"))] == [
        "SUMMARY:银杏夜市 / Ginkgo night market",
        "DESCRIPTION:小吃\\, 手工艺\\n\\nSnacks\\; crafts\\n\\n费用 / Price: 免费 / free"
        "\\n\\nhttps://events.example.test/events/42",
        "LOCATION:银杏广场（东胜村），东胜路1号 / Ginkgo Square\\, Dongsheng",
    ]


def test_place_without_coordinates_has_a_location_but_no_geo() -> None:
    (block,) = vevents(render_event(event(place=HALL)))

    assert "LOCATION:文化礼堂 / Culture Hall" in block
    assert not any(line.startswith("GEO") for line in block)


def test_all_day_event_uses_dates_with_an_exclusive_end() -> None:
    ev = event(all_day=True, starts_at=at(4, 0), ends_at=at(7, 0))  # 4–6 June, three days

    (block,) = vevents(render_event(ev))

    assert "DTSTART;VALUE=DATE:20270604" in block
    assert "DTEND;VALUE=DATE:20270607" in block
    assert "TRANSP:TRANSPARENT" in block
    assert not any("TZID" in line for line in block)


def test_weekly_series_carries_its_rrule_with_a_utc_until_after_a_tzid_dtstart() -> None:
    (block,) = vevents(render_event(series()))

    assert block[5:8] == ["DTSTART;TZID=Asia/Shanghai:20270604T190000",
                          "DTEND;TZID=Asia/Shanghai:20270604T220000",
                          "RRULE:FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270619T110000Z"]


def test_skipped_night_becomes_an_exdate_with_the_tzid_of_dtstart() -> None:
    blocks = vevents(render_event(series(night(5, "skipped"))))

    assert len(blocks) == 1
    assert "EXDATE;TZID=Asia/Shanghai:20270605T190000" in blocks[0]


def test_skipped_day_of_an_all_day_series_becomes_a_date_exdate() -> None:
    ev = series(night(5, "skipped", hour=0), all_day=True, starts_at=at(4, 0), ends_at=at(5, 0),
                rrule="FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270619")

    (block,) = vevents(render_event(ev))

    assert "EXDATE;VALUE=DATE:20270605" in block


def test_moved_night_becomes_an_override_at_its_new_time_and_place() -> None:
    ev = series(night(11, "moved", hour=20, place=HALL, reason="下雨"))

    master, override = vevents(render_event(ev))

    assert override == [
        "BEGIN:VEVENT",
        "UID:event-42@events.example.test",
        "DTSTAMP:20270501T083000Z",
        "LAST-MODIFIED:20270501T083000Z",
        "SEQUENCE:3",
        "RECURRENCE-ID;TZID=Asia/Shanghai:20270611T190000",
        "DTSTART;TZID=Asia/Shanghai:20270611T200000",
        "DTEND;TZID=Asia/Shanghai:20270611T230000",
        "SUMMARY:银杏夜市 / Ginkgo night market",
        "DESCRIPTION:本场改期 / This night has moved: 下雨"
        "\\n\\nhttps://events.example.test/events/42",
        "LOCATION:文化礼堂 / Culture Hall",
        "URL:https://events.example.test/events/42",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
    assert not any(line.startswith("EXDATE") for line in master)


def test_override_carries_every_property_of_the_master_but_the_rule() -> None:
    ev = series(night(11, "moved", hour=20), description=Label("小吃", "Snacks"),
                category=Label("集市", "Market"), organizer=Label("东胜村委会"),
                price="免费", contact="028-1234567")

    master, override = vevents(render_event(ev))

    assert names(override) == names(master) - {"RRULE"} | {"RECURRENCE-ID"}
    assert {"DESCRIPTION", "LOCATION", "GEO", "CATEGORIES", "URL"} <= names(override)


def test_cancelled_night_becomes_a_cancelled_override_with_the_title_prefix() -> None:
    ev = series(night(12, "cancelled", reason="台风"))

    master, override = vevents(render_event(ev))

    assert "RECURRENCE-ID;TZID=Asia/Shanghai:20270612T190000" in override
    assert "SUMMARY:【已取消】银杏夜市 / [Cancelled] Ginkgo night market" in override
    assert ("DESCRIPTION:本场取消 / This night is cancelled: 台风"
            "\\n\\nhttps://events.example.test/events/42") in override
    assert override[-2:] == ["STATUS:CANCELLED", "END:VEVENT"]
    assert "STATUS:CONFIRMED" in master
    assert not any(line.startswith("EXDATE") for line in master)


def test_cancelled_event_keeps_its_vevent_with_status_cancelled() -> None:
    (block,) = vevents(render_event(event(status="cancelled", status_reason="天气原因",
                                          sequence=4)))

    assert "SEQUENCE:4" in block
    assert "SUMMARY:【已取消】银杏夜市 / [Cancelled] Ginkgo night market" in block
    assert any(line.startswith("DESCRIPTION:活动已取消 / Cancelled: 天气原因") for line in block)
    assert "STATUS:CANCELLED" in block


def test_cancelled_series_cancels_its_moved_nights_too() -> None:
    ev = series(night(11, "moved", hour=20), status="cancelled")

    master, override = vevents(render_event(ev))

    assert "STATUS:CANCELLED" in master
    assert "STATUS:CANCELLED" in override
    assert "SUMMARY:【已取消】银杏夜市 / [Cancelled] Ginkgo night market" in override


def test_hidden_nights_become_exdates_and_lose_their_override() -> None:
    ev = series(night(11, "moved", hour=20, place=HALL), night(5, "skipped"))

    (block,) = vevents(render_event(ev, hidden=[at(11), at(12)]))

    assert [line for line in block if line.startswith("EXDATE")] == [
        "EXDATE;TZID=Asia/Shanghai:20270605T190000",
        "EXDATE;TZID=Asia/Shanghai:20270611T190000",
        "EXDATE;TZID=Asia/Shanghai:20270612T190000",
    ]


def test_hidden_night_that_is_also_skipped_gives_one_exdate() -> None:
    (block,) = vevents(render_event(series(night(5, "skipped")), hidden=[at(5)]))

    assert [line for line in block if line.startswith("EXDATE")] == [
        "EXDATE;TZID=Asia/Shanghai:20270605T190000"]


def test_rendering_equal_snapshots_twice_gives_identical_bytes() -> None:
    first = render_event(series(night(11, "moved", hour=20), night(5, "skipped")))

    second = render_event(series(night(11, "moved", hour=20), night(5, "skipped")))

    assert first == second


def test_exdates_and_overrides_follow_the_original_starts_whatever_the_input_order() -> None:
    given = [night(19, "cancelled"), night(5, "skipped"), night(11, "moved", hour=20),
             night(18, "skipped")]

    body = render_event(series(*given))

    assert body == render_event(series(*reversed(given)))
    master, *overrides = vevents(body)
    assert [line for line in master if line.startswith("EXDATE")] == [
        "EXDATE;TZID=Asia/Shanghai:20270605T190000",
        "EXDATE;TZID=Asia/Shanghai:20270618T190000",
    ]
    assert [o[5] for o in overrides] == ["RECURRENCE-ID;TZID=Asia/Shanghai:20270611T190000",
                                         "RECURRENCE-ID;TZID=Asia/Shanghai:20270619T190000"]
