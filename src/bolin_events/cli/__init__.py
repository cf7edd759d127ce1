"""The `bolin-events` command: one module per command group, registered on ``main`` here.

Settings come from ``BOLIN_*`` environment variables (``settings.get_settings``).
"""

from __future__ import annotations

import click

from bolin_events import __version__
from bolin_events.cli.backup import backup, restore
from bolin_events.cli.client import client
from bolin_events.cli.common import Main
from bolin_events.cli.db import db
from bolin_events.cli.events import events
from bolin_events.cli.feeds import feeds_group
from bolin_events.cli.imports import import_group
from bolin_events.cli.photos import photos_group
from bolin_events.cli.report import report
from bolin_events.cli.seed import seed
from bolin_events.cli.serve import serve
from bolin_events.cli.signups import signups_group
from bolin_events.cli.tokens import tokens
from bolin_events.cli.users import users


@click.group(
    "bolin-events",
    cls=Main,
    help="柏林镇文化活动管理 / Bolin town events. Settings come from BOLIN_* variables.",
    context_settings={"help_option_names": ["-h", "--help"]},  # every command inherits it
)
@click.version_option(__version__, "--version", prog_name="bolin-events",
                      message="%(prog)s %(version)s")
def main() -> None:
    pass


for command in (serve, db, seed, users, tokens, events, import_group, report, feeds_group,
                photos_group, signups_group, backup, restore,
                client):
    main.add_command(command)
