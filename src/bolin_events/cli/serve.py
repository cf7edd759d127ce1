"""`bolin-events serve`: migrate, seed an empty database, sweep orphan photos, then serve.
"""

from __future__ import annotations

import time
from typing import Any

import click

from bolin_events import migrate
from bolin_events.cli.common import in_transaction
from bolin_events.cli.photos import ORPHAN_AGE, sweep_photos
from bolin_events.services import seeding
from bolin_events.settings import get_settings


@click.command(
    help="迁移数据库、空库时载入种子数据，然后启动服务 / Migrate, seed an empty database, serve."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--demo/--no-demo",
    default=True,
    show_default=True,
    help="load the demo season into an empty database",
)
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    import uvicorn

    settings = get_settings()
    started = time.perf_counter()
    click.echo(f"数据库 / database: {settings.resolved_database_url.split('@')[-1]}")
    migrate.upgrade(settings)

    async def seed_if_empty(session: Any) -> bool:
        if not await seeding.is_empty(session):
            return False
        await seeding.seed(session, settings, demo=demo)
        return True

    if in_transaction(settings, seed_if_empty):
        click.echo("空数据库，已载入种子数据 / empty database: seed loaded")
    swept = in_transaction(settings, lambda s: sweep_photos(s, settings, ORPHAN_AGE))
    if swept:
        click.echo(f"已清理未入库的照片文件 {len(swept)} 个 / removed {len(swept)} orphan photos")
    settings.resolved_secret_key()  # made once here, not raced by several workers
    click.echo(f"准备用时 / ready in {time.perf_counter() - started:.2f}s → http://{host}:{port}/")
    uvicorn.run(
        "bolin_events.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
    )
