"""`bolin-events feeds check`: is a published feed fit to print on a poster?

Pure checks over the feed's bytes (ICAL.md, "Text and wire" and "Time"), then a parse with
icalendar and an expansion with recurring-ical-events, as Home Assistant and many scripts
read feeds. Fetching is one small httpx call whose transport tests replace.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import click
import httpx
import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from bolin_events.settings import get_settings

MAX_OCTETS = 75
BOM = b"\xef\xbb\xbf"
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "SUMMARY")
REMOTE = ("http://", "https://", "webcal://")


@dataclass(frozen=True, slots=True)
class Problem:
    zh: str
    en: str


@dataclass(slots=True)
class Report:
    problems: list[Problem] = field(default_factory=list)
    occurrences: list[tuple[date | datetime, str]] = field(default_factory=list)
    events: int = 0


def _lines_word(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (f" … (+{len(numbers) - 5})" if len(numbers) > 5 else "")


def wire_problems(body: bytes) -> list[Problem]:
    """CRLF endings, no BOM, ≤75 octets a line, no UTF-8 character split by a fold."""
    problems: list[Problem] = []
    if body.startswith(BOM):
        problems.append(Problem("文件以 BOM 开头", "the file starts with a byte-order mark (BOM)"))
        body = body[len(BOM):]
    physical = body.split(b"\n")
    if physical and physical[-1] == b"":
        physical.pop()
    bare_lf = [n for n, line in enumerate(physical, 1) if not line.endswith(b"\r")]
    lines = [line.removesuffix(b"\r") for line in physical]
    bare_cr = [n for n, line in enumerate(lines, 1) if b"\r" in line]
    if bare_lf:
        problems.append(Problem(f"行尾不是 CRLF（第 {_lines_word(bare_lf)} 行）",
                                f"lines not ended by CRLF (line {_lines_word(bare_lf)})"))
    if bare_cr:
        problems.append(Problem(f"行内有单独的 CR（第 {_lines_word(bare_cr)} 行）",
                                f"a bare CR inside a line (line {_lines_word(bare_cr)})"))
    long = [n for n, line in enumerate(lines, 1) if len(line) > MAX_OCTETS]
    if long:
        problems.append(Problem(
            f"有超过 {MAX_OCTETS} 字节的行（第 {_lines_word(long)} 行）",
            f"lines longer than {MAX_OCTETS} octets (line {_lines_word(long)})"))
    split: list[int] = []
    invalid: list[int] = []
    for n, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            # A character cut by a fold: the line ends mid-sequence or the next one (after its
            # folding space) starts with continuation bytes.
            follows = n < len(lines) and lines[n][:1] in (b" ", b"\t") and (
                len(lines[n]) > 1 and lines[n][1] & 0xC0 == 0x80)
            starts = line[:1] in (b" ", b"\t") and len(line) > 1 and line[1] & 0xC0 == 0x80
            (split if follows or starts else invalid).append(n)
    if split:
        problems.append(Problem(
            f"折行切断了 UTF-8 字符（第 {_lines_word(split)} 行）",
            f"a fold splits a UTF-8 character (line {_lines_word(split)})"))
    if invalid:
        problems.append(Problem(f"不是有效的 UTF-8（第 {_lines_word(invalid)} 行）",
                                f"not valid UTF-8 (line {_lines_word(invalid)})"))
    return problems


def content_type_problems(content_type: str | None) -> list[Problem]:
    media, _, params = (content_type or "").partition(";")
    if media.strip().lower() != "text/calendar":
        return [Problem(f"Content-Type 应为 text/calendar，实际是 {content_type or '（无）'}",
                        f"Content-Type should be text/calendar, not {content_type or '(none)'}")]
    charset = params.strip().lower().removeprefix("charset=").strip('"')
    if charset and charset not in ("utf-8", "utf8"):
        return [Problem(f"字符集应为 utf-8，实际是 {charset}",
                        f"charset should be utf-8, not {charset}")]
    return []


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _label(event: icalendar.cal.Component) -> str:
    uid = str(event.get("UID", "?"))
    recurrence = event.get("RECURRENCE-ID")
    return f"{uid} ({recurrence.to_ical().decode()})" if recurrence is not None else uid


def calendar_problems(calendar: icalendar.Calendar) -> list[Problem]:
    """Every TZID has its VTIMEZONE, every VEVENT its required properties, no METHOD."""
    problems: list[Problem] = []
    if "METHOD" in calendar:
        problems.append(Problem(f"订阅源不应有 METHOD（{calendar['METHOD']}）",
                                f"a feed should carry no METHOD ({calendar['METHOD']})"))
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE") if "TZID" in tz}
    used: set[str] = set()
    for component in calendar.walk():
        if component.name in ("VTIMEZONE", "STANDARD", "DAYLIGHT"):
            continue
        for value in component.values():
            for item in _values(value):
                tzid = getattr(item, "params", {}).get("TZID")
                if tzid:
                    used.add(str(tzid))
    for tzid in sorted(used - defined):
        problems.append(Problem(f"TZID {tzid} 没有对应的 VTIMEZONE",
                                f"TZID {tzid} has no VTIMEZONE in the file"))
    for event in calendar.walk("VEVENT"):
        missing = [name for name in REQUIRED if name not in event]
        if missing:
            problems.append(Problem(f"活动 {_label(event)} 缺少 {', '.join(missing)}",
                                    f"event {_label(event)} lacks {', '.join(missing)}"))
    return problems


def _sort_key(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return datetime.combine(value, time())


def upcoming(calendar: icalendar.Calendar, start: datetime,
             days: int) -> list[tuple[date | datetime, str]]:
    found = recurring_ical_events.of(calendar).between(start, start + timedelta(days=days))
    seen = [(e["DTSTART"].dt, str(e.get("SUMMARY", ""))) for e in found]
    return sorted(seen, key=lambda item: _sort_key(item[0]))


def check_bytes(body: bytes, *, content_type: str | None = None, fetched: bool = False,
                now: datetime | None = None, days: int = 90) -> Report:
    report = Report(wire_problems(body))
    if fetched:
        report.problems.extend(content_type_problems(content_type))
    try:
        calendar = icalendar.Calendar.from_ical(body.removeprefix(BOM))
    except Exception as exc:  # icalendar raises ValueError, KeyError … on malformed input
        report.problems.append(Problem(f"无法解析：{exc}", f"cannot parse: {exc}"))
        return report
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        report.problems.append(Problem("不是 VCALENDAR", "not a VCALENDAR"))
        return report
    report.problems.extend(calendar_problems(calendar))
    report.events = len(calendar.walk("VEVENT"))
    try:
        report.occurrences = upcoming(calendar, now or datetime.now(UTC), days)
    except Exception as exc:  # a broken RRULE or date the expansion trips on
        report.problems.append(Problem(f"无法展开重复活动：{exc}",
                                       f"cannot expand recurrences: {exc}"))
    return report


def fetch(url: str, transport: httpx.BaseTransport | None = None,
          timeout: float = 20.0) -> tuple[bytes, str | None]:
    """The feed's bytes and Content-Type; webcal:// is fetched over https."""
    if url.startswith("webcal://"):
        url = "https://" + url.removeprefix("webcal://")
    with httpx.Client(transport=transport, timeout=timeout, follow_redirects=True) as client:
        response = client.get(url)
        response.raise_for_status()
        return response.content, response.headers.get("content-type")


def check_source(source: str, *, transport: httpx.BaseTransport | None = None,
                 now: datetime | None = None, days: int = 90) -> Report:
    """Check a URL (fetched) or a local file path."""
    if source.lower().startswith(REMOTE):
        try:
            body, content_type = fetch(source, transport)
        except httpx.HTTPError as exc:
            return Report([Problem(f"无法获取 {source}：{exc}", f"cannot fetch {source}: {exc}")])
        return check_bytes(body, content_type=content_type, fetched=True, now=now, days=days)
    try:
        body = Path(source).read_bytes()
    except OSError as exc:
        return Report([Problem(f"无法读取 {source}：{exc}", f"cannot read {source}: {exc}")])
    return check_bytes(body, now=now, days=days)


def report_lines(report: Report, days: int = 90, shown: int = 5) -> list[str]:
    lines = [f"活动 / VEVENTs: {report.events}",
             f"未来 {days} 天的场次 / occurrences in the next {days} days: "
             f"{len(report.occurrences)}"]
    for start, summary in report.occurrences[:shown]:
        lines.append(f"  {start.isoformat()}  {summary}")
    if report.problems:
        lines.append(f"问题 / problems: {len(report.problems)}")
        for problem in report.problems:
            lines += [f"✘ {problem.zh}", f"  {problem.en}"]
    else:
        lines.append("✔ 没有问题 / no problems found")
    return lines


@click.group("feeds", help="订阅源 / iCal feeds.")
def feeds_group() -> None:
    pass


@feeds_group.command(
    "check",
    help="印海报前检查订阅源 / Check a feed before printing it: URL (default: "
    "BOLIN_PUBLIC_URL/feeds/all.ics) or a local .ics file. Exit 1 on any problem.",
)
@click.argument("source", required=False)
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660))
def feeds_check(source: str | None, days: int) -> None:
    source = source or get_settings().public_url.rstrip("/") + "/feeds/all.ics"
    click.echo(f"检查 / checking: {source}")
    report = check_source(source, days=days)
    click.echo("\n".join(report_lines(report, days)))
    if report.problems:
        sys.exit(1)
