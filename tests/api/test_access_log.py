"""Every request is given an id, echoes it, and leaves one access line."""

from __future__ import annotations

import asyncio
import io
import json
import re

from bolin_events.routes.access_log import Writer
from tests.conftest import Client

TEXT_LINE = re.compile(
    r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (\S+) "(\S+) (\S+)" (\d{3}) (\d+) '
    r"([\d.]+)ms (\S+)$"
)


def capture(client: Client, *, as_json: bool = False) -> tuple[Writer, io.StringIO]:
    stream = io.StringIO()
    writer = Writer(as_json, stream)
    client.app.state.access_log = writer
    return writer, stream


async def test_every_answer_carries_a_request_id_and_keeps_a_sensible_one_sent(
        client: Client, reference: None) -> None:
    first = await client.get("/api/v1/villages")
    second = await client.get("/api/v1/villages")
    kept = await client.get("/api/v1/villages", headers={"X-Request-ID": "nginx-7f3a.2"})
    replaced = await client.get("/api/v1/villages", headers={"X-Request-ID": "a b\"c" * 30})
    missing = await client.get("/no/such/page")

    ids = [r.headers["x-request-id"] for r in (first, second, replaced, missing)]
    assert len(set(ids)) == 4
    assert kept.headers["x-request-id"] == "nginx-7f3a.2"
    assert " " not in replaced.headers["x-request-id"]
    assert missing.status_code == 404


async def test_one_text_line_per_request_with_method_path_status_size_and_id(
        client: Client, reference: None) -> None:
    writer, stream = capture(client)

    page = await client.get("/calendar", headers={"X-Request-ID": "page-1"})
    etag = page.headers["etag"]
    again = await client.get("/calendar", headers={"If-None-Match": etag,
                                                     "X-Request-ID": "page-2"})
    missing = await client.get("/events/999999", headers={"X-Request-ID": "page-3"})
    writer.flush()

    lines = [TEXT_LINE.match(line) for line in stream.getvalue().splitlines()]
    assert all(lines), stream.getvalue()
    seen = {m.group(7): m.groups() for m in lines if m}
    assert again.status_code == 304
    assert seen["page-1"][1:5] == ("GET", "/calendar", "200", str(page.num_bytes_downloaded))
    assert seen["page-2"][1:5] == ("GET", "/calendar", "304", "0")
    assert seen["page-3"][1:4] == ("GET", "/events/999999", "404")
    assert missing.status_code == 404


async def test_json_lines_carry_the_same_fields(client: Client, reference: None) -> None:
    writer, stream = capture(client, as_json=True)

    answer = await client.get("/api/v1/venues?village=dongsheng",
                              headers={"X-Request-ID": "json-1"})
    writer.flush()

    (line,) = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["request_id"] == "json-1"
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/venues?village=dongsheng"
    assert line["status"] == 200
    assert line["bytes"] == answer.num_bytes_downloaded
    assert line["duration_ms"] >= 0
    assert line["logger"] == "bolin_events.access"


async def test_lines_are_written_within_half_a_second_without_being_asked(
        client: Client, reference: None) -> None:
    _, stream = capture(client)

    await client.get("/api/v1/villages", headers={"X-Request-ID": "soon-1"})
    assert stream.getvalue() == ""  # kept to be written together …
    await asyncio.sleep(0.7)

    assert "soon-1" in stream.getvalue()  # … but not for long
