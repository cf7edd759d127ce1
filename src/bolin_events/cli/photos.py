"""`bolin-events photos sweep`: photo files no report names (a failed report's, a crash's).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from bolin_events.cli.common import in_transaction
from bolin_events.services.attendance import photos
from bolin_events.settings import Settings, get_settings
from bolin_events.storage import LocalStore

ORPHAN_AGE = timedelta(days=1)


async def sweep_photos(
    session: Any, settings: Settings, older_than: timedelta, *, dry_run: bool = False
) -> list[str]:
    store = LocalStore(settings.uploads_dir)
    return await photos.sweep_orphans(session, store, older_than=older_than, dry_run=dry_run)


@click.group("photos", help="证据照片 / Evidence photos.")
def photos_group() -> None:
    pass


@photos_group.command(
    "sweep",
    help="删除没有记录的照片文件（上报失败留下的） / Delete photo files no report names "
    "(left by reports that failed).",
)
@click.option("--older-than-hours", default=24.0, show_default=True, type=click.FloatRange(24),
              help="files younger than a day are never deleted")
@click.option("--dry-run", is_flag=True, help="只列出，不删除 / list them, delete nothing")
def photos_sweep(older_than_hours: float, dry_run: bool) -> None:
    settings = get_settings()
    found = in_transaction(
        settings,
        lambda s: sweep_photos(s, settings, timedelta(hours=older_than_hours), dry_run=dry_run),
    )
    for key in found:
        click.echo(key)
    verb = ("将删除", "would delete") if dry_run else ("已删除", "deleted")
    click.echo(f"{verb[0]} {len(found)} 个文件 / {verb[1]} {len(found)} files")
