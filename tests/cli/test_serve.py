"""`bolin-events serve` as a real process, started twice on one data directory."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bolin_events.settings import SECRET_FILE
from tests.support.servers import serve

SEEDED = "空数据库，已载入种子数据 / empty database: seed loaded"


@dataclass
class Start:
    """What one start of the server showed."""

    url: str
    output: str
    health: dict[str, str]
    villages: list[str]
    events_total: int
    feed_urls: list[str]
    secret: str
    secret_mode: int


PUBLIC = "https://events.example.test"


def serve_once(data_dir: Path, env: dict[str, str] | None = None) -> Start:
    """The server as a new user starts it: only BOLIN_DATA_DIR (and ``env``) set, any port."""
    with serve(data_dir, demo=True, env=env) as server, httpx.Client(base_url=server.url) as client:
        health = client.get("/healthz").json()
        villages = client.get("/api/v1/villages",
                              headers={"X-Request-ID": "serve-test-1"}).json()["items"]
        events = client.get("/api/v1/events").json()
        feeds = client.get("/api/v1/feeds").json()
    secret = data_dir / SECRET_FILE
    return Start(
        url=server.url,
        output=server.output.text,
        health=health,
        villages=[v["name_zh"] for v in villages],
        events_total=events["total"],
        feed_urls=[f["url"] for f in feeds],
        secret=secret.read_text(),
        secret_mode=secret.stat().st_mode & 0o777,
    )


@pytest.fixture(scope="module")
def starts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Start, Start]:
    data_dir = tmp_path_factory.mktemp("serve") / "data"
    return serve_once(data_dir), serve_once(data_dir, {"BOLIN_PUBLIC_URL": PUBLIC,
                                                       "BOLIN_LOG_FORMAT": "json"})


def test_serve_on_empty_data_dir_loads_seed(starts: tuple[Start, Start]) -> None:
    first, _ = starts

    assert first.health == {"status": "ok"}
    assert SEEDED in first.output
    assert {"华盖村", "东胜村", "沙河村", "兴农村", "复兴村"} <= set(first.villages)
    assert first.events_total > 0  # the demo season


def test_serve_second_start_does_not_seed_again(starts: tuple[Start, Start]) -> None:
    first, second = starts

    assert second.health == {"status": "ok"}
    assert SEEDED not in second.output
    assert "准备用时 / ready in" in second.output
    assert (second.villages, second.events_total) == (first.villages, first.events_total)


def test_serve_without_secret_key_writes_private_secret_file(
    starts: tuple[Start, Start],
) -> None:
    first, _ = starts

    assert first.secret_mode == 0o600
    assert len(first.secret.strip()) >= 48


def test_serve_second_start_reuses_secret_file(starts: tuple[Start, Start]) -> None:
    first, second = starts

    assert second.secret == first.secret


def test_serve_links_to_the_port_it_listens_on_when_no_public_url_is_set(
    starts: tuple[Start, Start],
) -> None:
    first, _ = starts

    assert first.feed_urls[0] == f"{first.url}/feeds/all.ics"
    assert all(url.startswith(f"{first.url}/feeds/") for url in first.feed_urls)
    assert f"公开地址 / public address: {first.url}" in first.output


def test_serve_keeps_a_public_url_that_is_set(starts: tuple[Start, Start]) -> None:
    _, second = starts

    assert second.feed_urls[0] == f"{PUBLIC}/feeds/all.ics"
    assert not any(url.startswith(second.url) for url in second.feed_urls)
    assert f"公开地址 / public address: {PUBLIC}" in second.output


def test_serve_writes_one_access_line_per_request_with_its_request_id(
    starts: tuple[Start, Start],
) -> None:
    first, second = starts

    text_lines = [line for line in first.output.splitlines() if "serve-test-1" in line]
    json_lines = [json.loads(line) for line in second.output.splitlines()
                  if line.startswith("{") and "serve-test-1" in line]

    assert len(text_lines) == 1
    assert '"GET /api/v1/villages" 200 ' in text_lines[0]
    assert "HTTP/1.1" not in first.output  # uvicorn's own access log is off
    assert len(json_lines) == 1
    assert json_lines[0]["method"] == "GET"
    assert json_lines[0]["path"] == "/api/v1/villages"
    assert json_lines[0]["status"] == 200
    assert json_lines[0]["bytes"] > 0


async def test_connections_accepted_on_the_serve_socket_have_nagle_off() -> None:
    """Otherwise each answer's body waits ~40 ms for the client's delayed ACK of its headers
    (every request to `serve` took 44 ms before this was fixed)."""
    import asyncio
    import socket

    from bolin_events.cli.serve import listen

    listener = listen("127.0.0.1", 0)
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def connected(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(connected, sock=listener)
    async with server:
        _, writer = await asyncio.open_connection(*listener.getsockname())
        nodelay = await asyncio.wait_for(accepted, 5)
        writer.close()

    assert nodelay != 0
