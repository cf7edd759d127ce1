"""`bolin-events signups purge`: delete sign-ups' personal data past its retention now.

Each app process does the same every BOLIN_SIGNUP_PURGE_MINUTES; this is for a server run
with the periodic purge off (0), for cron, or to see at once that nothing is kept too long.
"""

from __future__ import annotations

import click

from bolin_events.cli.common import JSON, echo_json, in_transaction
from bolin_events.services.signups.retention import purge
from bolin_events.settings import get_settings


@click.group("signups", help="报名 / Sign-ups.")
def signups_group() -> None:
    pass


@signups_group.command(
    "purge",
    help="删除超过保存期限的报名个人信息（姓名、手机号等；人数统计保留） / Delete sign-ups' "
    "personal data past its retention (names, phone numbers; headcounts stay).",
)
@JSON
def signups_purge(as_json: bool) -> None:
    settings = get_settings()
    emptied = in_transaction(settings, lambda s: purge(s, settings), audited=False)
    if as_json:
        echo_json({"purged": emptied})
        return
    click.echo(f"已删除 {emptied} 份报名的个人信息 / personal data deleted from {emptied} "
               "sign-ups")
