"""`bolin-events backup FILE` and `bolin-events restore FILE` (see bolin_events.backup)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from bolin_events import backup as archive
from bolin_events.settings import get_settings


def _say(line: str) -> None:
    click.echo(f"  … {line}")


@click.command(help="把数据库、照片、图片和密钥备份成一个文件 / Back up the database, photos, "
               "pictures and secret into one file (.tar.gz).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    try:
        manifest = archive.backup(get_settings(), file, _say)
    except (archive.BackupError, subprocess.CalledProcessError) as exc:
        raise click.ClickException(_why(exc)) from exc
    rows = sum(manifest["rows"].values())
    click.echo(f"已备份 / backed up: {file} — {rows} 行 / rows, {manifest['files']} 个文件 / "
               f"files, 版本 / revision {manifest['revision']}")


@click.command(help="从备份文件恢复到空的数据目录和数据库 / Restore a backup into an empty data "
               "directory and database.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    try:
        manifest = archive.restore(get_settings(), file, _say)
    except (archive.BackupError, subprocess.CalledProcessError) as exc:
        raise click.ClickException(_why(exc)) from exc
    click.echo(f"已恢复 / restored: {sum(manifest['rows'].values())} 行 / rows (与备份一致 / "
               f"as backed up on {manifest['created_at']}), {manifest['files']} 个文件 / files")


def _why(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        detail = (exc.stderr or b"").decode(errors="replace").strip()
        return f"{exc.cmd[0]} 失败 / failed: {detail}"
    return str(exc)
