"""`bolin-events report …`: statistics, the ledger, the annual return, the review, charts."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from bolin_events.cli.common import JSON, echo_json, in_transaction
from bolin_events.errors import DomainError
from bolin_events.schemas.reports import LedgerOut, StatsOut
from bolin_events.services.filters import KINDS, Filters, Selection
from bolin_events.services.filters import resolve as resolve_filters
from bolin_events.services.refs import load_refs
from bolin_events.services.stats.annual import BESIDE_TITLE, annual_return
from bolin_events.services.stats.charts import CHART_GROUPING, ChartKind, chart_svg
from bolin_events.services.stats.files import Table, to_csv, to_xlsx
from bolin_events.services.stats.ledger import ledger
from bolin_events.services.stats.periods import Period, resolve
from bolin_events.services.stats.queries import GroupBy
from bolin_events.services.stats.return_file import return_csv, return_xlsx
from bolin_events.services.stats.review import review
from bolin_events.services.stats.summary import statistics
from bolin_events.services.stats.tables import ledger_table, stats_table
from bolin_events.services.timing import zone
from bolin_events.settings import Settings, get_settings

T = TypeVar("T")
PERIOD_HELP = "2025, 2025-Q2 or 2025-06 (or --from and --to)"


def _read(work: Callable[[Any, Settings], Awaitable[T]]) -> T:
    """Run ``work(session, settings)`` in one transaction; a domain error exits with its text."""
    settings = get_settings()

    async def guarded(session: Any) -> T:
        return await work(session, settings)

    try:
        return in_transaction(settings, guarded)
    except DomainError as exc:
        click.secho(f"{exc.zh}\n{exc.en}", fg="red", err=True)
        sys.exit(1)


def _period(period: str | None, first: str | None, last: str | None) -> Period:
    try:
        return resolve(period, first, last)
    except DomainError as exc:
        raise click.UsageError(f"{exc.zh}\n{exc.en}") from None


def _write(table: Table, fmt: str, output: Path | None) -> None:
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX 需要 --output 文件 / XLSX needs --output FILE")
    if fmt == "text":
        lines = ["\t".join("" if v is None else str(v) for v in row) for row in table.all_rows()]
        content = "\n".join(["\t".join(table.headers), *lines, ""]).encode()
    else:
        content = to_xlsx(table) if fmt == "xlsx" else to_csv(table)
    _put(content, output)


def _put(content: bytes, output: Path | None) -> None:
    """To the file, or to standard output."""
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    output.write_bytes(content)
    click.echo(f"已写出 / written: {output}", err=True)


def period_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--to", "last", default=None, help="last day, included")(command)
    command = click.option("--from", "first", default=None, help="first day, e.g. 2025-01-01")(
        command
    )
    return click.option("--period", default=None, help=PERIOD_HELP)(command)


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--category/--village/--venue/--programme: narrow the nights counted, as the API does."""
    for kind in reversed(KINDS):
        command = click.option(f"--{kind}", default=None, help=f"{kind} slugs, comma-separated")(
            command
        )
    return command


async def _selected(session: Any, **slugs: str | None) -> Selection:
    return resolve_filters(await load_refs(session), Filters.of(**slugs))


OUTPUT = click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="file"
)
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "csv", "xlsx"]), default="text")


@click.group(help="统计报表 / Figures: statistics, ledger, annual return, review, charts.")
def report() -> None:
    pass


@report.command("stats", help="统计 / Statistics for a period, grouped, with 同比.")
@period_options
@filter_options
@click.option("--group-by", type=click.Choice([g.value for g in GroupBy]), default="category")
@FORMAT
@OUTPUT
@JSON
def stats_command(
    period: str | None,
    first: str | None,
    last: str | None,
    group_by: str,
    fmt: str,
    output: Path | None,
    as_json: bool,
    **slugs: str | None,
) -> None:
    if as_json and (fmt != "text" or output is not None):
        raise click.UsageError("--json 只输出到屏幕，不与 --format/--output 同用 / --json prints "
                               "to standard output, without --format or --output")
    chosen = _period(period, first, last)

    async def work(session: Any, settings: Settings) -> StatsOut:
        selection = await _selected(session, **slugs)
        return await statistics(session, settings, chosen, GroupBy(group_by), selection=selection)

    found = _read(work)
    if as_json:
        echo_json(found)  # the shape GET /api/v1/reports/stats answers
        return
    _write(stats_table(found), fmt, output)


@report.command("ledger", help="台账 / The activity ledger: one row per held occurrence.")
@period_options
@filter_options
@FORMAT
@OUTPUT
def ledger_command(
    period: str | None,
    first: str | None,
    last: str | None,
    fmt: str,
    output: Path | None,
    **slugs: str | None,
) -> None:
    chosen = _period(period, first, last)

    async def work(session: Any, settings: Settings) -> LedgerOut:
        return await ledger(session, settings, chosen, selection=await _selected(session, **slugs))

    _write(ledger_table(_read(work)), fmt, output)


@report.command("review", help="总结段落 / The review paragraph, ready to paste. PERIOD: 2025 …")
@click.argument("period")
@click.option("--digits", type=click.IntRange(1, 3), default=None, help="BOLIN_FIGURE_DIGITS")
@JSON
def review_command(period: str, digits: int | None, as_json: bool) -> None:
    chosen = _period(period, None, None)
    found = _read(lambda s, settings: review(s, settings, chosen, digits))
    if as_json:
        echo_json(found)  # the shape GET /api/v1/reports/review answers (warnings included)
        return
    click.echo(found.paragraph)
    for warning in found.warnings:
        click.secho(f"注意 / note: {warning}", fg="yellow", err=True)


@report.command("annual", help="年报 / The annual return: the station form's items. PERIOD: 2025")
@click.argument("period")
@FORMAT
@OUTPUT
def annual_command(period: str, fmt: str, output: Path | None) -> None:
    chosen = _period(period, None, None)
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX 需要 --output 文件 / XLSX needs --output FILE")
    found = _read(lambda s, settings: annual_return(s, settings, chosen))
    if fmt != "text":
        today = datetime.now(zone(get_settings().timezone)).date()
        content = (return_xlsx if fmt == "xlsx" else return_csv)(found, today)
        _put(content, output)
        return
    click.echo(found.title)
    for line in found.lines:
        click.echo(
            f"{line.item}（{line.unit}）\t{line.value}\t{line.people_item}\t{line.people}"
            f"\t上年 {line.value_last_year} / {line.people_last_year}"
        )
    if online := sum(line.online for line in found.lines):
        click.echo(f"注：另有线上观看{online}人次（直播等），未计入上列人次。")
    for item in found.kept:
        value = "未填" if item.value is None else str(item.value)
        click.echo(f"{item.item}（{item.unit}）\t{value}")
    click.echo(BESIDE_TITLE)
    for beside in found.beside:
        click.echo(f"{beside.name_zh}\t{beside.sessions}场次\t{beside.people}人次")
    for warning in found.warnings:
        click.secho(f"注意 / note: {warning}", fg="yellow", err=True)
    if found.unreported:
        click.secho(f"注意 / note: 尚有{found.unreported}场次未上报人次", fg="yellow", err=True)


@report.command("chart", help="图表 / A chart as SVG: trend, categories or villages.")
@click.argument("kind", type=click.Choice([k.value for k in ChartKind]))
@click.argument("period")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def chart_command(kind: str, period: str, output: Path) -> None:
    chosen, chart = _period(period, None, None), ChartKind(kind)
    stats = _read(lambda s, settings: statistics(
        s, settings, chosen, CHART_GROUPING[chart], extras=False))
    output.write_bytes(chart_svg(stats, chart))
    click.echo(f"已写出 / written: {output}", err=True)
