"""Readiness, and a data directory that takes no writes: reads go on, writes say why not.

The directory is made immutable with `chattr +i` (root ignores file modes, so a chmod would
prove nothing here); where that cannot be done the test skips, saying so — except in CI.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bolin_events.settings import Settings
from tests.attendance.helpers import make_event, reports_url
from tests.attendance.test_attendance_photos import photo, upload
from tests.conftest import IN_CI, Client, Staff


@contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    chattr = shutil.which("chattr")
    done = chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode
    if not chattr or done != 0:
        if IN_CI:
            pytest.fail("chattr +i must work in CI (run as root on a filesystem with attributes)")
        pytest.skip("cannot make a folder unwritable here: chattr +i needs root and ext4/xfs")
    try:
        yield
    finally:
        subprocess.run([str(chattr), "-i", str(folder)], check=True)


async def test_ready_when_the_database_and_the_data_directory_take_writes(
        client: Client, reference: None) -> None:
    answer = await client.get("/readyz")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "database": "ok", "storage": "ok"}


async def test_an_unwritable_data_directory_keeps_reads_and_refuses_file_writes_with_503(
        client: Client, staff: Staff, settings: Settings) -> None:
    _, night = await make_event(client, staff.scheduler)
    filed = await client.post(reports_url(night), json={"total": 80}, headers=staff.reporter)
    assert filed.status_code == 201

    with unwritable(settings.data_dir / "uploads"):
        ready = await client.get("/readyz")
        healthy = await client.get("/healthz")
        events = await client.get("/api/v1/events")
        refused = await client.post(f"/api/v1/occurrences/{night}/photos",
                                    **upload(photo()), headers=staff.reporter)
        ledger = await client.get(reports_url(night), headers=staff.reporter)

    assert ready.status_code == 503
    assert ready.json()["storage"] != "ok" and ready.json()["database"] == "ok"
    assert healthy.status_code == 200  # alive, only not ready
    assert events.status_code == 200
    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "storage_unwritable"
    assert "存储暂时无法写入" in refused.json()["message"]
    assert ledger.json()["photos"] == []  # nothing half-saved
    assert (await client.get("/readyz")).status_code == 200  # and back once it is writable
