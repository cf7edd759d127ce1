"""`bolin-events import template|sheet|ics`: a season from a spreadsheet, events from a feed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import click

from bolin_events.cli.common import Progress, fail, in_transaction, run_domain, staged_import
from bolin_events.errors import DomainError
from bolin_events.services.imports import ics, sheet
from bolin_events.services.imports.fetch import fetch_calendar, make_client
from bolin_events.services.imports.rules import load_rules, rules_text
from bolin_events.services.imports.summary import report_lines
from bolin_events.services.imports.template import template_bytes
from bolin_events.services.refs import load_refs
from bolin_events.settings import get_settings


@click.group("import", help="导入 / Bring a season in: a spreadsheet (XLSX/CSV) or an iCal feed.")
def import_group() -> None:
    pass


@import_group.command("template", help="写出导入模板 / Write the XLSX import template.")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def import_template(out: Path, lang: str) -> None:
    async def work(session: Any) -> bytes:
        return template_bytes(await load_refs(session), lang)

    out.write_bytes(in_transaction(get_settings(), work))
    click.echo(f"已写出 / written: {out}")


@import_group.command(
    "sheet",
    help="导入表格（全部或全不）/ Import a spreadsheet: every row or none. "
    "The same file twice changes nothing; a corrected one updates only the changed rows.",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只预览，不写入 / preview; write nothing")
@click.option("--source", default="sheet", show_default=True, help="sheet, or sheet-<name>")
@click.option("--all", "show_all", is_flag=True, help="也列出不变的行 / list unchanged rows too")
def import_sheet_command(file: Path, dry_run: bool, source: str, show_all: bool) -> None:
    settings, bar = get_settings(), Progress("导入 / importing")
    content = file.read_bytes()
    try:
        report = staged_import(
            settings,
            lambda s: sheet.import_sheet(
                s, content, file.name, settings, source=source, dry_run=dry_run, progress=bar
            ),
            dry_run=dry_run,
        )
    except sheet.SheetRejected as exc:
        report = exc.report
    except DomainError as exc:
        fail(f"{exc.zh}\n{exc.en}")
        return
    finally:
        bar.close()
    click.echo("\n".join(report_lines(report, unchanged=show_all)))
    if report.problems:
        sys.exit(1)


@import_group.command(
    "ics",
    help="导入远程日历 / Import events from an iCal feed. A re-run updates what changed and "
    "cancels what the source dropped. Rules: --rules FILE, or DATA_DIR/import-rules/SOURCE.yaml.",
)
@click.argument("url")
@click.option("--source", required=True, help="a short name for the feed, e.g. district")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML: categories and venues by CATEGORIES/LOCATION/SUMMARY (docs/import.md)",
)
@click.option("--dry-run", is_flag=True, help="只预览，不写入 / preview; write nothing")
def import_ics_command(url: str, source: str, rules_file: Path | None, dry_run: bool) -> None:
    settings = get_settings()
    rules = load_rules(rules_text(settings, source, rules_file))

    async def fetch() -> bytes:
        async with make_client(settings) as client:
            return await fetch_calendar(client, url, settings)

    content = asyncio.run(run_domain(fetch()))
    try:
        report = staged_import(
            settings,
            lambda s: ics.import_feed(s, content, settings, source=source, rules=rules,
                                      dry_run=dry_run),
            dry_run=dry_run,
        )
    except DomainError as exc:
        fail(f"{exc.zh}\n{exc.en}")
        return
    click.echo("\n".join(report_lines(report)))
