"""`bolin-events seed`: the reference data and the demo season; running it twice changes
nothing.
"""

from __future__ import annotations

import click

from bolin_events import migrate
from bolin_events.cli.common import in_transaction
from bolin_events.services import seeding
from bolin_events.settings import get_settings


@click.command(
    help="载入参考数据（和演示季） / Load reference data (and the demo season); "
    "running it twice changes nothing."
)
@click.option("--demo/--no-demo", default=True, show_default=True)
def seed(demo: bool) -> None:
    settings = get_settings()
    migrate.upgrade(settings)
    report = in_transaction(settings, lambda s: seeding.seed(s, settings, demo=demo),
                            audited=False)
    for kind in sorted(set(report.created) | set(report.skipped)):
        click.echo(
            f"{kind:12} 新建 created {report.created.get(kind, 0):3}   "
            f"已有 unchanged {report.skipped.get(kind, 0):3}"
        )
