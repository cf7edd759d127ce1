"""The admin's holiday form: a year's arrangement typed as lines, as the State Council's notice
reads ("10月1日至7日放假调休，共7天。9月26日（星期日）、10月9日（星期六）上班"):

    2027-10-01..2027-10-07 国庆节
    2027-09-26 班 国庆节
    2027-06-18 休 端午节 / Dragon Boat Festival

A line is a day or a run (``..``, ``至`` or ``~`` between two dates), then 休 (the default) or
班, then the holiday's name and, after " / ", its English name. Blank lines and lines starting
with ``#`` are skipped.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import ValidationError

from bolin_events.errors import InvalidInput
from bolin_events.schemas.holidays import (
    MAX_ENTRIES,
    HolidayDayOut,
    HolidayEntryIn,
    HolidayYearIn,
    Kind,
)

_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
LINE = re.compile(
    rf"^(?P<start>{_DATE})(?:\s*(?:\.\.|至|~|～)\s*(?P<end>{_DATE}))?"
    r"(?:\s+(?P<kind>休|放假|班|上班))?\s+(?P<name>\S.*)$"
)
KINDS: dict[str, Kind] = {"休": "holiday", "放假": "holiday", "班": "workday", "上班": "workday"}
EXAMPLE = "2027-10-01..2027-10-07 国庆节；2027-09-26 班 国庆节"


def _date(text: str, number: int) -> date:
    year, month, day = (int(part) for part in text.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            f"第{number}行：没有 {text} 这一天。", f"Line {number}: there is no day {text}.",
            [{"line": number, "value": text}],
        ) from None


def _entry(line: str, number: int) -> HolidayEntryIn:
    found = LINE.match(line)
    if found is None:
        raise InvalidInput(
            f"第{number}行看不懂：「{line[:60]}」。每行写日期（或日期..日期）、休或班、节日名称，"
            f"例如 {EXAMPLE}。",
            f"Line {number} cannot be read: “{line[:60]}”. Write a date (or date..date), "
            "休 or 班, and the holiday's name, e.g. 2027-10-01..2027-10-07 国庆节.",
            [{"line": number}],
        )
    name_zh, _, name_en = found["name"].partition(" / ")
    try:
        return HolidayEntryIn(
            start=_date(found["start"], number),
            end=_date(found["end"], number) if found["end"] else None,
            kind=KINDS[found["kind"] or "休"],
            name_zh=name_zh.strip(),
            name_en=name_en.strip() or None,
        )
    except ValidationError:
        raise InvalidInput(
            f"第{number}行：节日名称最多 40 个字，英文名称最多 80 个字符。",
            f"Line {number}: a holiday's name has at most 40 characters, its English name 80.",
            [{"line": number}],
        ) from None


def parse_lines(text: str, source: str | None) -> HolidayYearIn:
    """The form's lines as the API's body; InvalidInput (422) naming the first bad line."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            entries.append(_entry(line, number))
    if not entries:
        raise InvalidInput(
            f"请至少写一行，例如 {EXAMPLE}。", "Write at least one line, e.g. "
            "2027-10-01..2027-10-07 国庆节.", [{"field": "lines"}],
        )
    if len(entries) > MAX_ENTRIES:
        raise InvalidInput(
            f"最多 {MAX_ENTRIES} 行。", f"At most {MAX_ENTRIES} lines.", [{"field": "lines"}]
        )
    return HolidayYearIn(days=entries, source=source or None)


def format_lines(days: list[HolidayDayOut]) -> str:
    """A year's days as the form's lines, runs of one holiday joined: what the admin edits."""
    runs: list[list[HolidayDayOut]] = []
    for day in days:
        last = runs[-1][-1] if runs else None
        if (last is not None and (day.day - last.day).days == 1 and day.kind == last.kind
                and (day.name_zh, day.name_en) == (last.name_zh, last.name_en)):
            runs[-1].append(day)
        else:
            runs.append([day])
    lines = []
    for run in runs:
        first, last = run[0], run[-1]
        when = first.day.isoformat() + (f"..{last.day.isoformat()}" if len(run) > 1 else "")
        kind = "班 " if first.kind == "workday" else ""
        english = f" / {first.name_en}" if first.name_en and first.name_en != first.name_zh else ""
        lines.append(f"{when} {kind}{first.name_zh}{english}")
    return "\n".join(lines)
