"""One spreadsheet row → a planned event, or the problems that stop it, in plain words.

Pure: it needs the reference data (to resolve names) but never the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from bolin_events.errors import InvalidInput
from bolin_events.models import EventStatus
from bolin_events.schemas.events import EventCreate
from bolin_events.schemas.imports import Problem
from bolin_events.services.imports import cells
from bolin_events.services.imports.changes import TEXT_FIELDS, planned_timing
from bolin_events.services.imports.columns import BY_KEY, invalid_words, problem
from bolin_events.services.imports.mapping import Names, label_en, label_zh
from bolin_events.services.imports.phrases import PhraseError, to_rrule
from bolin_events.services.imports.table import Cell
from bolin_events.services.refs import RefData
from bolin_events.settings import Settings

TEXT_KEYS = tuple(name for name in TEXT_FIELDS if name != "capacity")
STATUS_WORDS = {
    "草稿": EventStatus.draft,
    "draft": EventStatus.draft,
    "发布": EventStatus.published,
    "已发布": EventStatus.published,
    "published": EventStatus.published,
    "publish": EventStatus.published,
}
TIMING_COLUMNS = ("开始时间", "结束时间", "全天", "重复")
REF_KINDS = {
    "category": ("类别", "category"),
    "venue": ("场地", "venue"),
    "organizer": ("主办单位", "organizer"),
    "programme": ("活动项目", "programme"),
    "village": ("村", "village"),
}


@dataclass
class Planned:
    """One row as the scheduling service will be asked for it."""

    row: int
    external_id: str
    data: EventCreate
    status: EventStatus | None  # None: the cell was empty (new → draft, existing → as it is)
    fields: frozenset[str]  # EventCreate fields the file has columns for


@dataclass
class RowPlan:
    row: int
    title: str
    external_id: str
    planned: Planned | None = None
    problems: list[Problem] = field(default_factory=list)


FIELD_KEYS = (*TEXT_KEYS, "category", "venue", "organizer", "programme", "rrule", "capacity")
TABLES = {
    "category": "categories",
    "venue": "venues",
    "organizer": "organizers",
    "programme": "programmes",
    "village": "villages",
}


@dataclass
class Known:
    """What every row is read against: the reference data, indexed by name once per file."""

    refs: RefData
    settings: Settings
    names: dict[str, Names] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for kind, attribute in TABLES.items():
            self.names[kind] = Names(getattr(self.refs, attribute))


class RowReader:
    def __init__(self, row: int, values: dict[str, Cell], keys: set[str], known: Known) -> None:
        self.row, self.values, self.keys = row, values, keys
        self.refs, self.settings, self.names = known.refs, known.settings, known.names
        self.problems: list[Problem] = []

    def fail(
        self, key: str, zh: str, en: str, value: object = None, suggestions: list[str] | None = None
    ) -> None:
        self.problems.append(problem(BY_KEY[key], self.row, zh, en, value, suggestions))

    def text(self, key: str) -> str | None:
        if key not in self.values:
            return None
        return cells.text(self.values[key].value) or None

    def read(self) -> RowPlan:
        title = self.text("title_zh") or ""
        if not title:
            self.fail("title_zh", "必填。", "required.")
        data: dict[str, Any] = {k: self.text(k) for k in TEXT_KEYS}
        data["timezone"] = self.settings.timezone
        for kind in ("category", "organizer", "programme"):
            data[kind] = self._ref(kind)
        data["venue"] = self._venue()
        data.update(self._timing())
        data["rrule"] = self._rule(data.get("start"))
        if "start" in data and not any(p.column in TIMING_COLUMNS for p in self.problems):
            self._check_timing(data)
        data["capacity"] = self._cell("capacity", cells.whole_number)
        status = self._status()
        external_id = self.text("external_id") or derived_id(
            title, data.get("start"), data["venue"]
        )
        plan = RowPlan(self.row, title, external_id, problems=self.problems)
        if self.problems:
            return plan
        create = self._validate({k: v for k, v in data.items() if v is not None})
        if create is not None:
            fields = {k for k in FIELD_KEYS if k in self.keys} | {"start", "end", "all_day"}
            plan.planned = Planned(self.row, external_id, create, status, frozenset(fields))
        return plan

    def _cell(self, key: str, parse: Callable[[object], Any]) -> Any:
        if key not in self.values:
            return None
        try:
            return parse(self.values[key].value)
        except cells.CellError as exc:
            self.fail(key, exc.zh, exc.en, self.values[key].value)
            return None

    def _ref(self, kind: str) -> str | None:
        typed = self.text(kind)
        if typed is None:
            if BY_KEY[kind].required:
                self.fail(kind, "必填。", "required.")
            return None
        rows = self.names[kind].find(typed)
        if len(rows) == 1:
            return str(rows[0].slug)
        self._missing(kind, typed)
        return None

    def _missing(self, kind: str, typed: str) -> None:
        zh, en = REF_KINDS[kind]
        close = self.names[kind].suggest(typed)
        if close:
            hint_zh = f"是否指：{'、'.join(label_zh(r) for r in close)}？"
            hint_en = f"Did you mean: {', '.join(label_en(r) for r in close)}?"
        else:
            hint_zh, hint_en = "见模板中的「参考」表。", "See the Reference sheet of the template."
        self.fail(
            kind,
            f"找不到{zh}「{typed}」。{hint_zh}",
            f'no {en} "{typed}". {hint_en}',
            typed,
            [r.slug for r in close],
        )

    def _venue(self) -> str | None:
        """The venue; the village, when given, must be its village and picks among namesakes."""
        village = self.refs.villages.by_slug.get(self._ref("village") or "")
        typed = self.text("venue")
        if typed is None:
            return None
        rows = self.names["venue"].find(typed)
        if len(rows) > 1 and village is not None:
            rows = [r for r in rows if r.village_id == village.id] or rows
        if not rows:
            self._missing("venue", typed)
            return None
        if len(rows) > 1:
            names = "、".join(r.slug for r in rows)
            self.fail(
                "venue",
                f"有多个场地叫「{typed}」（{names}），请在「村」列注明所在村或改填标识。",
                f'Several venues are called "{typed}" ({names}); fill in the Village '
                "or use a slug.",
                typed,
                [r.slug for r in rows],
            )
            return None
        venue = rows[0]
        if village is not None and venue.village_id != village.id:
            home = self.refs.villages.by_id.get(venue.village_id or -1)
            where = f"在{home.name_zh}" if home else "不属于任何村"
            self.fail(
                "village",
                f"场地「{venue.name_zh}」{where}，不在{village.name_zh}。",
                f"The venue {venue.slug} is in {home.slug if home else 'no village'}, "
                f"not {village.slug}.",
                self.text("village"),
            )
        return str(venue.slug)

    def _moment(self, key: str) -> Any:
        cell = self.values[key]
        return self._cell(key, lambda v: cells.moment(v, date_only_format=cell.date_only))

    def _timing(self) -> dict[str, Any]:
        start, end = self._moment("start"), self._moment("end")
        all_day = self._cell("all_day", cells.yes_no)
        for key, value in (("start", start), ("end", end)):
            if value is None and not self.text(key):
                self.fail(key, "必填。", "required.")
        if start is None or end is None:
            return {}
        try:
            return cells.when(start, end, all_day)
        except cells.CellError as exc:
            self.fail(exc.key, exc.zh, exc.en, start if exc.key == "start" else end)
            return {}

    def _rule(self, start: object) -> str | None:
        typed = self.text("rrule")
        if typed is None:
            return None
        year = start.year if isinstance(start, date) else date.today().year
        try:
            return to_rrule(typed, default_year=year)
        except PhraseError as exc:
            self.fail("rrule", exc.zh, exc.en, typed)
            return None

    def _status(self) -> EventStatus | None:
        typed = self.text("status")
        if typed is None:
            return None
        if typed.lower() not in STATUS_WORDS:
            self.fail(
                "status",
                f"「{typed}」应为 草稿 或 已发布。",
                f'"{typed}" should be draft or published.',
                typed,
            )
            return None
        return STATUS_WORDS[typed.lower()]

    def _validate(self, data: dict[str, Any]) -> EventCreate | None:
        try:
            return EventCreate.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                key = str(error["loc"][0]) if error["loc"] else "title_zh"
                zh, en = invalid_words(error["type"], error.get("ctx") or {}, error["msg"])
                self.fail(key if key in BY_KEY else "title_zh", zh, en, error.get("input"))
            return None

    def _check_timing(self, data: dict[str, Any]) -> None:
        """The service's own checks (end after start, the rule), named by column."""
        start, end = data["start"], data["end"]
        try:
            planned_timing(
                start,
                end,
                all_day=data["all_day"],
                timezone=data["timezone"],
                rrule=data["rrule"],
                max_count=self.settings.max_occurrences_per_series,
            )
        except InvalidInput as exc:
            key = str((exc.details or [{}])[0].get("field", "end"))
            key = key if key in BY_KEY else "end"
            if key == "end" and end <= start:
                self.fail(
                    "end",
                    f"结束时间（{cells.shown(end)}）须晚于开始时间（{cells.shown(start)}）。",
                    f"the end ({cells.shown(end)}) must be after the start ({cells.shown(start)}).",
                    self.text("end"),
                )
            else:
                self.fail(key, exc.zh, exc.en, self.text(key))


def derived_id(title: str, start: object, venue: str | None) -> str:
    """Stable while the title, first start and venue stay the same (no 外部编号 given)."""
    moment = start.isoformat() if isinstance(start, date) else ""
    digest = hashlib.sha1(f"{title}|{moment}|{venue or ''}".encode()).hexdigest()
    return f"auto-{digest[:16]}"
