"""Start-up time of `bolin-events serve`: process start → first 200 from /healthz.

    python bench/startup.py [--runs 3]

Cold: an empty data directory (migrations and the seed run first). Warm: the same
directory again (nothing to migrate or seed). Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def time_to_healthy(data_dir: Path) -> float:
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("BOLIN_DATABASE_URL", "BOLIN_SECRET_KEY")
    }
    env.update(BOLIN_DATA_DIR=str(data_dir), BOLIN_LOG_LEVEL="WARNING")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bolin_events", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        while time.perf_counter() - started < TIMEOUT:
            if process.poll() is not None:
                raise SystemExit(f"serve exited with {process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.02)
        raise SystemExit(f"/healthz did not answer within {TIMEOUT:.0f}s")
    finally:
        process.terminate()
        process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    cold: list[float] = []
    warm: list[float] = []
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="bolin-bench-") as tmp:
            cold.append(time_to_healthy(Path(tmp) / "data"))
            warm.append(time_to_healthy(Path(tmp) / "data"))
        print(f"run {run}: cold {cold[-1]:.2f}s   warm {warm[-1]:.2f}s", flush=True)
    cold_median, warm_median = statistics.median(cold), statistics.median(warm)
    print(
        f"median of {runs}: cold (migrate + seed) {cold_median:.2f}s   "
        f"warm {warm_median:.2f}s   cold/warm {cold_median / warm_median:.2f}×"
    )


if __name__ == "__main__":
    main()
