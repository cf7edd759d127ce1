"""`bolin-events feeds check`: a good feed passes, each broken rule is named, URLs are fetched."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from bolin_events.cli import feeds as feed_check
from bolin_events.cli import main
from tests.conftest import Client

START = datetime(2026, 10, 1, tzinfo=UTC)  # inside the demo season


def good_feed() -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\n"
        "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\n"
        "END:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:event-1@x\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;TZID=Asia/Shanghai:20261002T190000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        "SUMMARY:夜市 Night market\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def run(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["feeds", "check", str(path)])
    return result.exit_code, result.output


def test_small_good_feed_passes() -> None:
    report = feed_check.check_bytes(good_feed(), now=START)
    assert report.problems == []
    assert report.events == 1
    assert [str(summary) for _, summary in report.occurrences] == ["夜市 Night market"] * 3


async def test_app_feed_passes(client: Client, seeded: None, tmp_path: Path) -> None:
    response = await client.get("/feeds/all.ics")
    assert response.status_code == 200
    path = tmp_path / "all.ics"
    path.write_bytes(response.content)
    assert feed_check.check_source(str(path), now=START).occurrences
    code, output = run(path)
    assert code == 0, output
    assert "没有问题 / no problems found" in output


@pytest.mark.parametrize(
    ("body", "zh", "en"),
    [
        (good_feed().replace(b"\r\n", b"\n"), "行尾不是 CRLF", "not ended by CRLF"),
        (good_feed().replace(b"SUMMARY:", b"DESCRIPTION:" + b"x" * 78 + b"\r\nSUMMARY:"),
         "超过 75 字节", "longer than 75 octets"),
        (good_feed().replace(b"TZID:Asia/Shanghai\r\n", b"TZID:Asia/Other\r\n"),
         "TZID Asia/Shanghai 没有对应的 VTIMEZONE", "TZID Asia/Shanghai has no VTIMEZONE"),
        (good_feed().replace("夜市".encode(), "夜".encode() + "汉".encode()[:1] + b"\r\n "
                             + "汉".encode()[1:]), "折行切断了 UTF-8 字符", "splits a UTF-8"),
        (b"\xef\xbb\xbf" + good_feed(), "BOM", "byte-order mark"),
        (good_feed().replace(b"VERSION:2.0\r\n", b"VERSION:2.0\r\nMETHOD:PUBLISH\r\n"),
         "METHOD", "no METHOD"),
        (good_feed().replace(b"DTSTAMP:20260101T000000Z\r\n", b""), "缺少 DTSTAMP",
         "lacks DTSTAMP"),
    ],
    ids=["lf", "long-line", "tzid", "split-fold", "bom", "method", "dtstamp"],
)
def test_broken_feed_is_named(tmp_path: Path, body: bytes, zh: str, en: str) -> None:
    path = tmp_path / "broken.ics"
    path.write_bytes(body)
    code, output = run(path)
    assert code == 1, output
    assert zh in output
    assert en in output
    # Chinese first, then English.
    assert output.index(zh) < output.index(en)


def test_fetch_through_transport() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=good_feed(),
                              headers={"Content-Type": "text/calendar; charset=utf-8"})

    report = feed_check.check_source("webcal://feeds.example.test/all.ics",
                                     transport=httpx.MockTransport(handler), now=START)
    assert seen == ["https://feeds.example.test/all.ics"]
    assert report.problems == []
    assert len(report.occurrences) == 3


def test_fetch_checks_content_type_and_status() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/missing.ics":
            return httpx.Response(404)
        return httpx.Response(200, content=good_feed(), headers={"Content-Type": "text/plain"})

    transport = httpx.MockTransport(handler)
    report = feed_check.check_source("https://x.test/all.ics", transport=transport, now=START)
    assert [p.en for p in report.problems] == [
        "Content-Type should be text/calendar, not text/plain"]
    missing = feed_check.check_source("https://x.test/missing.ics", transport=transport)
    assert missing.problems and "cannot fetch" in missing.problems[0].en
