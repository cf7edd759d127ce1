"""Real servers for tests: `bolin-events serve --port 0` in a subprocess.

The server binds a free port itself and prints the address it listens on; the harness reads
it from the output (no port is picked here and then released, so none can be taken by
another process in between), then waits until ``/healthz`` answers. Used by the browser
tests, the attendance concurrency and client tests, the two-process feed test and the
tests of `serve` itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

STARTS_WITHIN = 60.0
READY = re.compile(r"→ (http://\S+?)/?$")


@dataclass
class Output:
    """Everything the server printed so far, collected by a thread so the pipe never fills."""

    lines: list[str] = field(default_factory=list)
    address: str | None = None
    found: threading.Event = field(default_factory=threading.Event)

    def read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line.rstrip("\n"))
            match = READY.search(line.strip())
            if match and self.address is None:
                self.address = match.group(1)
                self.found.set()
        self.found.set()  # the process ended: stop waiting

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    output: Output

    def at(self, path: str) -> str:
        return self.url + path


def _environment(data_dir: Path, database_url: str | None, env: dict[str, str]) -> dict[str, str]:
    """This process's environment without its BOLIN_* settings, plus the server's own."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("BOLIN_")}
    base.update({"BOLIN_DATA_DIR": str(data_dir), "BOLIN_LOG_LEVEL": "WARNING",
                 "PYTHONUNBUFFERED": "1"})
    if database_url:
        base["BOLIN_DATABASE_URL"] = database_url
    return {**base, **env}


@contextmanager
def serve(
    data_dir: Path,
    *,
    database_url: str | None = None,
    workers: int = 1,
    demo: bool = False,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """`bolin-events serve` on ``database_url`` (SQLite in ``data_dir`` when None), stopped at
    the end. ``env`` adds or overrides BOLIN_* settings (BOLIN_PUBLIC_URL, when unset, is the
    address the server listens on)."""
    command = [sys.executable, "-m", "bolin_events", "serve", "--host", "127.0.0.1",
               "--port", "0", "--workers", str(workers), "--demo" if demo else "--no-demo"]
    process = subprocess.Popen(
        command, env=_environment(data_dir, database_url, env or {}), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    output = Output()
    reader = threading.Thread(target=output.read, args=(process.stdout,), daemon=True)
    reader.start()
    try:
        url = _address(process, output)
        _wait_until_healthy(process, output, url)
        yield Server(url, process, output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)


def _address(process: subprocess.Popen[str], output: Output) -> str:
    if not output.found.wait(STARTS_WITHIN) or output.address is None:
        process.kill()
        raise RuntimeError(f"serve printed no address (exit {process.poll()}):\n{output.text}")
    return output.address


def _wait_until_healthy(process: subprocess.Popen[str], output: Output, url: str) -> None:
    """The address is printed just before uvicorn starts: ask until the app answers."""
    deadline = time.monotonic() + STARTS_WITHIN
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with {process.returncode}:\n{output.text}")
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)  # the socket is bound but no worker accepts yet
    raise RuntimeError(f"{url}/healthz did not answer within {STARTS_WITHIN:.0f}s:\n{output.text}")
