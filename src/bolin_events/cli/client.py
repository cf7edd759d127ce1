"""`bolin-events client …`: report attendance to a server from a laptop."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from bolin_events.cli.common import JSON, echo_json
from bolin_events.client.api import (
    Answer,
    BolinClient,
    ClientConfig,
    ClientError,
    ConnectionLost,
    config_path,
    load_config,
    save_config,
)
from bolin_events.client.sheet import LABELS, METHODS, Row, SheetError, read_sheet


def _fail(message: str, code: int = 1) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(code)


def _connect() -> BolinClient:
    config = load_config(config_path())
    if config is None:
        _fail("尚未登录：请先运行 bolin-events client login URL 用户名 / run `client login` first")
        raise AssertionError  # _fail exits
    return BolinClient(config.url, config.token)


@click.group(help="连接服务器上报人次 / Report attendance to a bolin-events server.")
def client() -> None:
    pass


@client.command(help="登录并保存令牌 / Log in; the server address and token are saved (0600).")
@click.argument("url")
@click.argument("username")
def login(url: str, username: str) -> None:
    password = os.environ.get("BOLIN_CLIENT_PASSWORD") or click.prompt(
        "密码 / password", hide_input=True
    )
    api = BolinClient(url)
    try:
        token = api.login(username, password)
    except (ClientError, ConnectionLost) as exc:
        _fail(f"登录失败 / login failed: {exc}")
    path = config_path()
    save_config(ClientConfig(url=api.url, username=username, token=token), path)
    click.echo(f"已登录 {api.url}，令牌保存在 {path} / logged in; token saved")


@client.command(help="待上报的场次（最早的在前）/ Held occurrences still to report, oldest first.")
@click.option("--village", "villages", multiple=True, help="village slug (repeat)")
@JSON
def pending(villages: tuple[str, ...], as_json: bool) -> None:
    try:
        items = _connect().pending(list(villages))
    except (ClientError, ConnectionLost) as exc:
        _fail(str(exc))
        return
    if as_json:
        echo_json(items)  # as the server sent them (GET /api/v1/reports/pending)
        return
    for item in items:
        venue = item.get("venue") or {}
        village = (venue.get("village") or {}).get("name_zh", "")
        start = str(item["start"])[:16].replace("T", " ")
        click.echo(f"{item['id']:<24} {start:<16}  {item['title_zh']}  {village}")
    click.echo(f"共 {len(items)} 场待上报 / {len(items)} to report")


def _figures(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in options.items() if v is not None}


def _describe(answer: Answer) -> str:
    body = answer.body
    if body.get("dry_run"):
        return f"可以上报（将为第 {body['revision']} 版）/ ok, would be revision {body['revision']}"
    revision, total = body["revision"], body["total"]
    text = f"已上报第 {revision} 版，总人次 {total} / filed revision {revision}"
    if answer.replayed:
        text = (
            f"此前已上报（第 {body['revision']} 版），未重复计数 / already filed, not counted again"
        )
    for flag in body.get("review", []):
        text += f"\n  ⚠ {flag['message']}"
    return text


@client.command(help="上报一个场次 / Report one occurrence (a correction needs --reason).")
@click.argument("occurrence")
@click.option("--total", type=int, required=True, help="总人次")
@click.option("--residents", type=int, help="本地居民")
@click.option("--visitors", type=int, help="外地游客")
@click.option("--onsite", type=int, help="现场")
@click.option("--online", type=int, help="线上（直播）")
@click.option("--volunteers", type=int, help="志愿者（不计入总人次）")
@click.option("--method", type=click.Choice(sorted(METHODS)), help="统计方式")
@click.option("--note", help="备注")
@click.option("--reason", help="更正原因（更正时必填）")
@click.option("--photo", "photos", multiple=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只检查，不写入 / check only")
def report(occurrence: str, photos: tuple[str, ...], dry_run: bool, **options: Any) -> None:
    api = _connect()
    figures = _figures(options)
    if "method" in figures:
        figures["method"] = METHODS[figures["method"]]
    try:
        click.echo(_describe(api.report(occurrence, figures, dry_run=dry_run)))
        for photo in [] if dry_run else photos:
            added = api.add_photo(occurrence, Path(photo))
            click.echo(f"照片已保存 / photo saved: {added.body['url']}")
    except ClientError as exc:
        _fail(f"未上报 / not filed: {exc.message}\n{exc.message_en}")
    except ConnectionLost as exc:
        _fail(f"连接中断，可原样重试，不会重复计数 / connection lost, safe to retry: {exc}", 2)


@dataclass
class BatchResult:
    filed: int = 0
    already: int = 0
    checked: int = 0
    errors: list[tuple[Row, str]] = field(default_factory=list)
    lost_at: Row | None = None
    lines: list[str] = field(default_factory=list)


def upload_rows(
    api: BolinClient,
    rows: list[Row],
    *,
    dry_run: bool,
    progress: Callable[[int], None] = lambda _: None,
) -> BatchResult:
    """Send each row (its key comes from its content); stop at the first lost connection."""
    result = BatchResult()
    for row in rows:
        progress(1)
        where = f"第 {row.line} 行 {row.occurrence or '?'}"
        if row.problems:
            result.errors.append((row, "；".join(row.problems)))
            result.lines.append(f"{where}：✗ {'；'.join(row.problems)}")
            continue
        try:
            answer = api.report(row.occurrence, row.figures, dry_run=dry_run)
        except ClientError as exc:
            result.errors.append((row, exc.message))
            result.lines.append(f"{where}：✗ {exc.message}")
            continue
        except ConnectionLost:
            result.lost_at = row
            break
        if answer.body.get("dry_run"):
            result.checked += 1
        elif answer.replayed:
            result.already += 1
        else:
            result.filed += 1
        result.lines.append(f"{where}：✓ {_describe(answer)}")
    return result


@client.command(help="批量上报 CSV/XLSX / Report a batch from CSV or XLSX, one row per occurrence.")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="逐行检查，不写入 / check every row, write nothing")
def upload(sheet: Path, dry_run: bool) -> None:
    try:
        rows = read_sheet(sheet)
    except SheetError as exc:
        _fail(str(exc))
        return
    api = _connect()
    with click.progressbar(length=len(rows), label="上报 / sending", file=sys.stderr) as bar:
        result = upload_rows(api, rows, dry_run=dry_run, progress=bar.update)
    for line in result.lines:
        click.echo(line)
    click.echo(
        f"新上报 filed {result.filed}，此前已上报 already {result.already}，"
        f"检查通过 ok {result.checked}，有误 errors {len(result.errors)}"
    )
    if result.lost_at is not None:
        _fail(
            f"第 {result.lost_at.line} 行时连接中断。请原样再运行一次：已上报的行不会重复计数。\n"
            f"Connection lost at line {result.lost_at.line}; run the same command again — "
            "rows already sent are not counted twice.",
            2,
        )
    if result.errors:
        sys.exit(1)


@client.command(help="一个场次的上报记录 / The revisions of one occurrence.")
@click.argument("occurrence")
def history(occurrence: str) -> None:
    try:
        ledger = _connect().history(occurrence)
    except (ClientError, ConnectionLost) as exc:
        _fail(str(exc))
        return
    tz = ZoneInfo(ledger["occurrence"]["timezone"])
    for rev in ledger["revisions"]:
        when = datetime.fromisoformat(rev["reported_at"].replace("Z", "+00:00")).astimezone(tz)
        parts = [f"{LABELS[k]} {rev[k]}" for k in LABELS if rev.get(k) is not None]
        why = f"  原因：{rev['reason']}" if rev.get("reason") else ""
        click.echo(
            f"第 {rev['revision']} 版 {when:%Y-%m-%d %H:%M} {rev['reported_by']}："
            + "，".join(parts)
            + why
        )
    if not ledger["revisions"]:
        click.echo("尚未上报 / not reported yet")
