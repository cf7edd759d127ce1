"""`bolin-events backup` and `restore`: a season with its reports and photos, there and back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest

from bolin_events.settings import SECRET_FILE
from tests.cli.conftest import Cli, row_counts
from tests.support.db import scratch_postgres


@pytest.fixture
def second(cli: Cli, tmp_path: Path) -> Iterator[Cli]:
    """An empty data directory (and, on PostgreSQL, an empty database) to restore into."""
    kind = scratch_postgres("bolin_restore") if cli.database_url else nullcontext(None)
    with kind as url:
        yield Cli(tmp_path / "restored", url)


def test_backup_and_restore_carry_the_season_its_photos_pictures_and_secret(
        cli: Cli, second: Cli, tmp_path: Path) -> None:
    assert cli("seed").exit_code == 0  # the demo season, with its attendance reports
    photo = cli.data_dir / "uploads" / "photos" / "2026" / "11" / "sign-in.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a sign-in sheet \xff\xd9")
    picture = cli.data_dir / "pictures" / "0a1b2c3d-480.webp"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"RIFF an event picture")
    (cli.data_dir / SECRET_FILE).write_text("the-stations-secret")
    before = row_counts(cli.url)
    archive = tmp_path / "backups" / "bolin-2026-11-30.tar.gz"

    made = cli("backup", str(archive))
    restored = second("restore", str(archive))

    assert made.exit_code == 0, made.output
    assert "照片 / photos: 1/1" in made.output  # progress as it goes
    assert "活动图片 / pictures: 1/1" in made.output
    assert archive.stat().st_mode & 0o777 == 0o600
    assert restored.exit_code == 0, restored.output
    assert row_counts(second.url) == before
    assert before["attendance_report"] > 0
    assert (second.data_dir / "uploads" / "photos" / "2026" / "11" / "sign-in.jpg"
            ).read_bytes() == photo.read_bytes()
    assert (second.data_dir / "pictures" / picture.name).read_bytes() == picture.read_bytes()
    assert (second.data_dir / SECRET_FILE).read_text() == "the-stations-secret"
    assert second("db", "current").output == cli("db", "current").output  # same revision


def test_restore_refuses_a_database_that_is_not_empty(cli: Cli, tmp_path: Path) -> None:
    assert cli("seed", "--no-demo").exit_code == 0
    archive = tmp_path / "backup.tar.gz"
    assert cli("backup", str(archive)).exit_code == 0
    before = row_counts(cli.url)

    refused = cli("restore", str(archive))

    assert refused.exit_code == 1
    assert "只能恢复到空数据库" in refused.output
    assert row_counts(cli.url) == before
