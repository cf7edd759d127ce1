"""The bytes on the wire: CRLF, folding between characters, escaping, time zones."""

from __future__ import annotations

import icalendar
from ical.calendar_stream import IcsCalendarStream

from tests.conftest import Client, Staff
from tests.feeds.helpers import BEFORE_DEMO, event_blocks, feed, pin_clock, summary

BOM = b"\xef\xbb\xbf"
ODD_TITLE = "夜市, 特别场; A\\B\n第二行"
ONE_LINE = "夜市, 特别场; A\\B 第二行"  # a title is one line: its break became a space


def physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


async def test_feed_is_crlf_utf8_without_bom_folded_at_75_octets(client: Client,
                                                                 seeded: None) -> None:
    pin_clock(client, BEFORE_DEMO)

    body = await feed(client, "/feeds/all.ics")

    assert not body.startswith(BOM)
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    lines = physical_lines(body)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold inside a character would raise here
    assert sum(line.startswith(b" ") for line in lines) > 10


async def test_title_with_separators_is_escaped_and_its_newline_flattened(
        client: Client, staff: Staff) -> None:
    pin_clock(client, BEFORE_DEMO)
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": ODD_TITLE, "title_en": "Night, market; special", "category": "market",
        "venue": "ginkgo-night-market", "start": "2027-06-01T19:00", "end": "2027-06-01T21:00",
        "description_zh": "第一段\n第二段, 含逗号", "status": "published"})
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]

    body = await feed(client, f"/feeds/events/{event_id}.ics")

    (block,) = event_blocks(body, event_id)
    assert summary(block) == ("SUMMARY:夜市\\, 特别场\\; A\\\\B 第二行 / "
                              "Night\\, market\\; special")
    assert any(line.startswith("DESCRIPTION:第一段\\n第二段\\, 含逗号\\n\\n") for line in block)
    (read,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(read["SUMMARY"]) == f"{ONE_LINE} / Night, market; special"
    (other,) = IcsCalendarStream.calendar_from_ics(body.decode()).events
    assert other.summary == f"{ONE_LINE} / Night, market; special"


async def test_long_chinese_title_folds_between_characters(client: Client, staff: Staff) -> None:
    pin_clock(client, BEFORE_DEMO)
    title = "柏林镇东胜村银杏夜市暨乡村好物展销会" * 10
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": title, "category": "market", "start": "2027-06-01T19:00",
        "end": "2027-06-01T21:00", "status": "published"})
    assert created.status_code == 201, created.text

    body = await feed(client, f"/feeds/events/{created.json()['id']}.ics")

    lines = physical_lines(body)
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") for line in lines)
    (read,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(read["SUMMARY"]) == title
