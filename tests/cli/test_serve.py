"""`bolin-events serve` as a real process, started twice on one data directory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bolin_events.settings import SECRET_FILE

READY_WITHIN = 30.0
SEEDED = "空数据库，已载入种子数据 / empty database: seed loaded"


@dataclass
class Start:
    """What one start of the server showed."""

    output: str
    health: dict[str, str]
    villages: list[str]
    events_total: int
    secret: str
    secret_mode: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_once(data_dir: Path, log: Path) -> Start:
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("BOLIN_DATABASE_URL", "BOLIN_SECRET_KEY")
    }
    env["BOLIN_DATA_DIR"] = str(data_dir)
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bolin_events", "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            health = wait_until_healthy(process, base, log)
            villages = httpx.get(f"{base}/api/v1/villages").json()["items"]
            events = httpx.get(f"{base}/api/v1/events").json()
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    secret = data_dir / SECRET_FILE
    return Start(
        output=log.read_text(),
        health=health,
        villages=[v["name_zh"] for v in villages],
        events_total=events["total"],
        secret=secret.read_text(),
        secret_mode=secret.stat().st_mode & 0o777,
    )


def wait_until_healthy(process: subprocess.Popen[bytes], base: str, log: Path) -> dict[str, str]:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            response = httpx.get(f"{base}/healthz", timeout=2)
            if response.status_code == 200:
                health: dict[str, str] = response.json()
                return health
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"/healthz did not answer 200 within {READY_WITHIN:.0f}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def starts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Start, Start]:
    root = tmp_path_factory.mktemp("serve")
    first = serve_once(root / "data", root / "first.log")
    second = serve_once(root / "data", root / "second.log")
    return first, second


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
