"""One file that holds everything the service keeps: `bolin-events backup` and `restore`.

The archive (a .tar.gz) holds

- ``database.sqlite`` — SQLite's own online backup of the database (consistent while the
  server runs and writes), or ``database.pgdump`` — ``pg_dump --format=custom`` of the
  PostgreSQL database;
- ``uploads/…`` — the evidence photos, as stored;
- ``pictures/…`` — the pictures of events, categories and programmes, in their sizes, as stored;
- ``secret_key`` — the data directory's generated secret, when there is one;
- ``manifest.json`` — when, from which schema revision, and the row count of every table.

``restore`` writes them back into an empty data directory and an empty database, then
checks every table's row count against the manifest.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel

from bolin_events import migrate
from bolin_events.db import copy_sqlite
from bolin_events.settings import SECRET_FILE, Settings

Say = Callable[[str], None]
FORMAT = 1


class BackupError(Exception):
    """Something the operator must fix (said in Chinese and English)."""


def _sqlite_file(settings: Settings) -> Path:
    path = settings.sqlite_file
    if path is None:
        raise BackupError("内存数据库无法备份 / an in-memory database cannot be backed up")
    return path


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端 / {name} is missing: install "
                          "the PostgreSQL client tools (apt-get install postgresql-client)")
    return found


def row_counts(settings: Settings) -> dict[str, int]:
    """Every table this version knows, as the database holds it."""
    return migrate.count_rows(settings, [t.name for t in SQLModel.metadata.sorted_tables])


def backup(settings: Settings, target: Path, say: Say) -> dict[str, Any]:
    """Writes the archive to ``target``; gives its manifest."""
    revision = migrate.current(settings)
    if revision is None:
        raise BackupError("数据库是空的，没有可备份的内容 / the database is empty: "
                          "nothing to back up")
    manifest: dict[str, Any] = {
        "format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": revision, "database": "sqlite" if settings.is_sqlite else "postgresql",
        "rows": row_counts(settings),
    }
    with tempfile.TemporaryDirectory(prefix="bolin-backup-") as scratch_name:
        scratch = Path(scratch_name)
        if settings.is_sqlite:
            say("数据库（SQLite 在线备份）/ database (SQLite online backup)")
            dump = scratch / "database.sqlite"
            copy_sqlite(_sqlite_file(settings), dump)
        else:
            say("数据库（pg_dump）/ database (pg_dump)")
            dump = scratch / "database.pgdump"
            subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file",
                            str(dump), settings.libpq_url], check=True, capture_output=True)
        stored = {name: _files(folder) for name, folder, _ in _folders(settings)}
        manifest["files"] = len(stored["uploads"])
        manifest["pictures"] = len(stored["pictures"])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            for name, folder, label in _folders(settings):
                files = stored[name]
                for number, path in enumerate(files, start=1):
                    archive.add(path, arcname=f"{name}/{path.relative_to(folder).as_posix()}")
                    if number % 100 == 0 or number == len(files):
                        say(f"{label}: {number}/{len(files)}")
            secret = settings.data_dir / SECRET_FILE
            if secret.is_file():
                archive.add(secret, arcname=SECRET_FILE)
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        partial.chmod(0o600)  # it holds people's figures and phone photos
        partial.replace(target)
    return manifest


def _folders(settings: Settings) -> list[tuple[str, Path, str]]:
    """The stored files' folders: name in the archive, where they live, what to call them."""
    return [("uploads", settings.uploads_dir, "照片 / photos"),
            ("pictures", settings.pictures_dir, "活动图片 / pictures")]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def restore(settings: Settings, source: Path, say: Say) -> dict[str, Any]:
    """Writes the archive back into an empty data directory and database; gives the
    manifest after checking every table's row count against it."""
    if migrate.current(settings) is not None:
        raise BackupError("数据库不是空的：只能恢复到空数据库 / the database is not empty: "
                          "restore only into an empty one")
    if any(folder.is_dir() and any(folder.iterdir()) for _, folder, _ in _folders(settings)):
        raise BackupError("数据目录里已有照片或图片：请换一个空的数据目录 / the data directory "
                          "already holds photos or pictures: restore into an empty one")
    with tarfile.open(source, "r:gz") as archive:
        member = archive.extractfile("manifest.json")
        if member is None:
            raise BackupError("不是本服务的备份文件 / not a bolin-events backup")
        manifest: dict[str, Any] = json.loads(member.read())
        kind = "sqlite" if settings.is_sqlite else "postgresql"
        if manifest["database"] != kind:
            raise BackupError(f"备份来自 {manifest['database']}，而目标是 {kind} / the backup is "
                              f"of a {manifest['database']} database, the target is {kind}")
        with tempfile.TemporaryDirectory(prefix="bolin-restore-") as scratch_name:
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            archive.extractall(scratch_name, **safe)  # type: ignore[arg-type]
            scratch = Path(scratch_name)
            say("数据库 / database")
            if kind == "sqlite":
                copy_sqlite(scratch / "database.sqlite", _sqlite_file(settings))
            else:
                subprocess.run([_tool("pg_restore"), "--no-owner", "--exit-on-error",
                                "--dbname", settings.libpq_url, str(scratch / "database.pgdump")],
                               check=True, capture_output=True)
            for name, folder, label in _folders(settings):
                if (scratch / name).is_dir():
                    say(label)
                    shutil.copytree(scratch / name, folder, dirs_exist_ok=True)
            if (scratch / SECRET_FILE).is_file() and not settings.secret_key:
                settings.data_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy2(scratch / SECRET_FILE, settings.data_dir / SECRET_FILE)
                (settings.data_dir / SECRET_FILE).chmod(0o600)
    counts = row_counts(settings)
    if counts != manifest["rows"]:
        differ = {t: (manifest["rows"].get(t), counts.get(t)) for t in counts
                  if counts.get(t) != manifest["rows"].get(t)}
        raise BackupError(f"恢复后行数不符 / row counts differ after restoring: {differ}")
    return manifest
