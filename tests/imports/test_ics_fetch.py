"""Fetching a remote calendar: through an injected client, and from a real HTTP server."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bolin_events.errors import InvalidInput, UpstreamError
from bolin_events.services.imports.fetch import fetch_calendar, make_client
from bolin_events.settings import Settings
from tests.conftest import Client, Staff
from tests.imports.calendars import FARM, farm_server, run_import
from tests.imports.helpers import stored

URL = "https://farm.example/calendar.ics"


def answering(status: int, body: bytes = b"", **headers: str) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handle)


async def fetch(
    settings: Settings, transport: httpx.AsyncBaseTransport | None, url: str = URL
) -> bytes:
    async with make_client(settings, transport) as client:
        return await fetch_calendar(client, url, settings)


async def test_fetch_through_a_mock_transport_imports_the_feed(client: Client, staff: Staff,
                                                               settings: Settings) -> None:
    asked: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, content=FARM, headers={"Content-Type": "text/calendar"})

    content = await fetch(settings, httpx.MockTransport(handle), "webcal://farm.example/c.ics")
    await run_import(client, settings, content)

    assert str(asked[0].url) == "https://farm.example/c.ics"
    assert asked[0].headers["User-Agent"].startswith("bolin-events/")
    assert len(await stored(client, staff.scheduler)) == 3


async def test_fetch_404_says_not_found(settings: Settings) -> None:
    with pytest.raises(UpstreamError) as raised:
        await fetch(settings, answering(404))

    assert (raised.value.zh, raised.value.en) == (
        f"远程日历返回 404（找不到）：{URL}",
        f"The remote calendar answered 404 Not Found: {URL}",
    )
    assert raised.value.status == 502


async def test_fetch_timeout_says_how_long_it_waited(settings: Settings) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(UpstreamError) as raised:
        await fetch(settings, httpx.MockTransport(handle))

    assert raised.value.zh == f"读取远程日历超时（20 秒）：{URL}"


async def test_fetch_larger_than_the_limit_is_refused(settings: Settings) -> None:
    small = settings.model_copy(update={"import_max_bytes": 10_000})

    with pytest.raises(UpstreamError) as raised:
        await fetch(small, answering(200, b"x" * 20_000))

    assert raised.value.en == (
        f"The remote calendar is over 10,000 bytes (BOLIN_IMPORT_MAX_BYTES): {URL}"
    )


async def test_fetch_of_a_non_web_address_is_refused(settings: Settings) -> None:
    with pytest.raises(InvalidInput) as raised:
        await fetch(settings, answering(200, FARM), "file:///etc/passwd")

    assert raised.value.en == (
        "The calendar address must start with http://, https:// or webcal://: file:///etc/passwd"
    )


async def test_import_of_a_web_page_says_it_is_not_a_calendar(client: Client, reference: None,
                                                              settings: Settings) -> None:
    content = await fetch(settings, answering(200, b"<!doctype html><title>Login</title>"))

    with pytest.raises(UpstreamError) as raised:
        await run_import(client, settings, content)

    assert raised.value.zh == (
        "远程日历无法导入：返回的是网页（HTML），不是 iCalendar（应以 BEGIN:VCALENDAR 开头）。"
    )


async def test_import_of_broken_icalendar_says_so(client: Client, reference: None,
                                                  settings: Settings) -> None:
    with pytest.raises(UpstreamError) as raised:
        await run_import(client, settings, b"BEGIN:VCALENDAR\r\nthis is not a line\r\n")

    assert raised.value.en.startswith("The remote calendar cannot be imported: not valid")


async def test_real_server_feed_is_fetched_and_imported(client: Client, staff: Staff,
                                                        settings: Settings) -> None:
    with farm_server() as server:
        content = await fetch(settings, None, server.url("/farm.ics"))

    report = await run_import(client, settings, content)

    assert report.counts.create == 3


async def test_real_server_404_is_told(settings: Settings) -> None:
    with farm_server() as server, pytest.raises(UpstreamError) as raised:
        await fetch(settings, None, server.url("/missing.ics"))

    assert raised.value.zh == f"远程日历返回 404（找不到）：{server.url('/missing.ics')}"


async def test_real_server_too_slow_times_out(settings: Settings) -> None:
    impatient = settings.model_copy(update={"import_timeout_seconds": 0.5})

    with farm_server() as server, pytest.raises(UpstreamError) as raised:
        await fetch(impatient, None, server.url("/slow.ics"))

    assert raised.value.en == (
        f"The remote calendar did not answer within 0.5 s: {server.url('/slow.ics')}"
    )


async def test_real_server_redirect_loop_stops(settings: Settings) -> None:
    with farm_server() as server, pytest.raises(UpstreamError) as raised:
        await fetch(settings, None, server.url("/loop"))

    assert raised.value.zh == f"远程日历重定向超过 5 次：{server.url('/loop')}"


def test_rules_file_beside_the_data_is_found(tmp_path: Path) -> None:
    from bolin_events.services.imports.rules import rules_text

    folder = tmp_path / "import-rules"
    folder.mkdir()
    (folder / "farm.yaml").write_text("default_category: farming\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path)

    assert rules_text(settings, "farm", None) == "default_category: farming\n"
    assert rules_text(settings, "district", None) is None
