"""`bolin-events photos sweep`: photo files that no report names are cleared away."""

from __future__ import annotations

import os
import time

from tests.cli.conftest import Cli


def test_photos_sweep_lists_then_deletes_old_orphans(cli: Cli) -> None:
    assert cli("db", "upgrade").exit_code == 0
    uploads = cli.data_dir / "uploads" / "2026" / "10"
    uploads.mkdir(parents=True)
    orphan, young = uploads / "lost.jpg", uploads / "this-morning.jpg"
    orphan.write_bytes(b"x")
    young.write_bytes(b"x")
    two_days_ago, two_hours_ago = time.time() - 2 * 86400, time.time() - 7200
    os.utime(orphan, (two_days_ago, two_days_ago))
    os.utime(young, (two_hours_ago, two_hours_ago))

    dry = cli("photos", "sweep", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2026/10/lost.jpg" in dry.output and "would delete 1 files" in dry.output
    assert orphan.exists()

    real = cli("photos", "sweep")
    assert real.exit_code == 0, real.output
    assert "deleted 1 files" in real.output
    assert not orphan.exists() and young.exists()


def test_photos_sweep_never_takes_a_file_younger_than_a_day(cli: Cli) -> None:
    assert cli("db", "upgrade").exit_code == 0

    refused = cli("photos", "sweep", "--older-than-hours", "1")

    assert refused.exit_code == 2
    assert "24" in refused.output
