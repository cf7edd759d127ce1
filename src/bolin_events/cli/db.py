"""`bolin-events db upgrade|downgrade|current`: the schema, by Alembic.
"""

from __future__ import annotations

import click

from bolin_events import migrate
from bolin_events.cli.common import database_ready
from bolin_events.settings import get_settings


@click.group(help="数据库迁移 / Database migrations (Alembic).")
def db() -> None:
    pass


@db.command(help="升级到最新 / Upgrade to a revision (default: head).")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    migrate.upgrade(get_settings(), revision)
    click.echo(f"已升级 / upgraded: {migrate.current(get_settings())}")


@db.command(help="回退 / Downgrade to a revision (default: one step back; 'base' for none).")
@click.argument("revision", default="-1")
@click.option("--yes", is_flag=True,
              help="drop tables that hold data without asking (their rows are lost)")
def downgrade(revision: str, yes: bool) -> None:
    settings = get_settings()
    database_ready(settings, any_revision=True)  # Alembic would make an empty SQLite file
    lost = migrate.rows_lost(settings, revision)
    if lost and not yes:
        listing = "\n".join(f"  {table}: {rows} 行 / rows" for table, rows in lost.items())
        raise click.ClickException(
            f"回退会删除这些表及其中的数据 / this downgrade drops these tables and their "
            f"data:\n{listing}\n先备份；确需回退请加 --yes / back up first; add --yes to "
            "go ahead."
        )
    migrate.downgrade(settings, revision)
    click.echo(f"已回退 / downgraded: {migrate.current(get_settings()) or 'base'}")


@db.command(help="当前版本 / Show the database's revision and the newest one.")
def current() -> None:
    settings = get_settings()
    click.echo(f"current: {migrate.current(settings) or 'base (empty)'}")
    click.echo(f"head:    {migrate.head(settings)}")
