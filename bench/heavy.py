"""Heavy work beside the feeds: warm feed latency while log-ins and big photo uploads run.

    python bench/heavy.py [--seconds 8] [--rounds 3] [--logins 5] [--uploads 2]

`bolin-events serve` (1 worker, the demo season on a fresh SQLite file, passwords hashed at
the default argon2 cost) answers `/feeds/all.ics`, warm, to wrk (1 thread, 4 connections) for
``--seconds``: once idle, once while ``--logins`` clients log in over and over (argon2) and
``--uploads`` clients upload a 12-megapixel phone photo over and over (Pillow decodes and
re-encodes it), in alternating rounds. Prints the feed's p50/p99 latency both ways, their
ratio (goal: p99 within 2× of idle), and how many log-ins and uploads went through. The
clients run at the lowest CPU priority: on a real server they are other people's phones, so
here they should not take the cores the server and wrk need.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path

import httpx
from PIL import Image
from season import percentile_ms  # (also puts src/ and the project on the path)
from tests.support.db import PASSWORD, Person, prepare
from tests.support.servers import serve

from bolin_events.models import Role
from bolin_events.settings import Settings


def phone_photo() -> bytes:
    """A 4000×3000 JPEG with a phone photo's texture (a few MB, not one flat colour)."""
    rng = random.Random(7)
    small = Image.frombytes("RGB", (400, 300), bytes(rng.randrange(256) for _ in range(360_000)))
    out = io.BytesIO()
    small.resize((4000, 3000), Image.Resampling.BICUBIC).save(out, "JPEG", quality=92)
    return out.getvalue()


def latency(url: str, seconds: int) -> tuple[float, float]:
    output = subprocess.run(["wrk", "-t", "1", "-c", "4", "-d", f"{seconds}s", "--latency", url],
                            capture_output=True, text=True, timeout=seconds + 30,
                            check=True).stdout
    return percentile_ms(output, "50"), percentile_ms(output, "99")


def _remote() -> None:
    """This client thread yields the CPU to the server and wrk: real clients are other phones,
    and their CPU is not the server's (Linux: per thread)."""
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class Load:
    """Log-ins and photo uploads, each client repeating its request until stopped."""

    def __init__(self, url: str, occurrence: str, token: str, logins: int, uploads: int) -> None:
        self.url, self.occurrence, self.token = url, occurrence, token
        self.logins, self.uploads = logins, uploads
        self.stop = threading.Event()
        self.done = {"log-ins": 0, "uploads": 0}
        self.failed: list[str] = []
        self.photo = phone_photo()
        self.threads: list[threading.Thread] = []

    def _login(self) -> None:
        _remote()
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not self.stop.is_set():
                answer = client.post("/api/v1/auth/token", json={
                    "username": "scheduler", "password": PASSWORD, "name": "bench"})
                self._count("log-ins", answer)

    def _upload(self) -> None:
        _remote()
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, timeout=60, headers=headers) as client:
            while not self.stop.is_set():
                answer = client.post(f"/api/v1/occurrences/{self.occurrence}/photos",
                                     files={"photo": ("IMG_0001.jpg", self.photo, "image/jpeg")})
                self._count("uploads", answer)

    def _count(self, kind: str, answer: httpx.Response) -> None:
        if answer.status_code in (200, 201):
            self.done[kind] += 1
        else:
            self.failed.append(f"{kind}: {answer.status_code} {answer.text[:100]}")

    def __enter__(self) -> Load:
        self.stop.clear()
        self.threads = ([threading.Thread(target=self._login) for _ in range(self.logins)]
                        + [threading.Thread(target=self._upload) for _ in range(self.uploads)])
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--logins", type=int, default=5)
    parser.add_argument("--uploads", type=int, default=2)
    parser.add_argument("--cheap-hash", action="store_true",
                        help="a control: passwords hashed at argon2's lowest cost (1 pass, "
                        "64 KiB), so a log-in is the same request without the hash's CPU")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="bolin-bench-heavy-") as tmp_name:
        data = Path(tmp_name) / "data"
        cheap = {"password_hash_time_cost": 1, "password_hash_memory_kib": 64,
                 "environment": "test"}  # (only a test install may hash this cheaply)
        settings = Settings(data_dir=data, max_photo_bytes=20_000_000,
                            **(cheap if args.cheap_hash else {}))
        tokens = prepare(settings, (Person("scheduler", Role.scheduler),
                                    Person("reporter", Role.reporter, ("dongsheng",))), demo=True)
        env = {"BOLIN_MAX_PHOTO_BYTES": "20000000"}
        with serve(data, demo=True, env=env) as server, httpx.Client(
                base_url=server.url, timeout=60) as client:
            pending = client.get("/api/v1/reports/pending", headers={
                "Authorization": f"Bearer {tokens['reporter']}"}).json()["items"]
            occurrence = pending[0]["id"]
            filed = client.post(f"/api/v1/occurrences/{occurrence}/reports", json={"total": 80},
                                headers={"Authorization": f"Bearer {tokens['reporter']}"})
            assert filed.status_code == 201, filed.text
            feed = server.at("/feeds/all.ics")
            client.get(feed)
            load = Load(server.url, occurrence, tokens["reporter"], args.logins, args.uploads)
            print(f"feed /feeds/all.ics, wrk 1 thread × 4 connections, {args.rounds} rounds of "
                  f"{args.seconds}s; busy: {args.logins} clients logging in, {args.uploads} "
                  f"uploading a {len(load.photo) / 1e6:.1f} MB 12-megapixel photo")
            idle, busy = [], []
            for _ in range(args.rounds):
                idle.append(latency(feed, args.seconds))
                with load:
                    busy.append(latency(feed, args.seconds))
        p99_idle = statistics.median(p99 for _, p99 in idle)
        p99_busy = statistics.median(p99 for _, p99 in busy)
        p50_idle = statistics.median(p50 for p50, _ in idle)
        p50_busy = statistics.median(p50 for p50, _ in busy)
        verdict = "ok" if p99_busy <= 2 * p99_idle else "BEYOND GOAL"
        print(f"   idle: p50 {p50_idle:.1f} ms, p99 {p99_idle:.1f} ms")
        print(f"   busy: p50 {p50_busy:.1f} ms, p99 {p99_busy:.1f} ms "
              f"({load.done['log-ins']} log-ins, {load.done['uploads']} uploads, "
              f"{len(load.failed)} failed)")
        print(f"   p99 busy / idle: {p99_busy / p99_idle:.2f} (goal ≤ 2) {verdict}")
        for failure in load.failed[:5]:
            print(f"   failed: {failure}")


if __name__ == "__main__":
    main()
