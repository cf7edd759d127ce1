"""The event editor's form: what was typed, kept as typed, turned into EventCreate/EventUpdate.

Every problem becomes an InvalidInput whose details name the form field (``start_date``,
``until`` …) with a message, so the page shows it next to that field and keeps the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError

from bolin_events.errors import DomainError, InvalidInput, VenueClash
from bolin_events.schemas.common import FIRST_YEAR, LAST_YEAR, clean_text
from bolin_events.schemas.events import (
    EventCreate,
    EventOut,
    EventUpdate,
    OccurrenceMove,
    OccurrenceOut,
)
from bolin_events.services.lunar import DAY_ZH, MONTH_ZH, TERMS
from bolin_events.services.refs import RefData
from bolin_events.web.form_problems import Problems, field_messages, from_validation
from bolin_events.web.recurrence_form import (
    ENDING_CHOICES,
    ENDINGS,
    KINDS,
    WEEKDAYS,
    Repeat,
    to_calendar_rule,
    to_rrule,
)

TEXTS = (
    "title_zh", "title_en", "description_zh", "description_en", "price", "image_url", "contact"
)
REFS = ("category", "venue", "organizer", "programme")
WHEN = ("start_date", "start_time", "end_date", "end_time")
RECURRENCE = ("repeat", "ends", "until", "count", "rrule_custom", "lunar_month", "lunar_day",
              "term")
COUNTS = ("capacity", "enrolled", "completed")
FIELDS = (*TEXTS, *REFS, *WHEN, *RECURRENCE, *COUNTS, "status")
FLAGS = ("all_day", "allow_overlap", "course", "lunar_leap")
# What 保存并新建 keeps for the next event of a run (a season of evenings at one place).
KEPT_FOR_NEXT = (*REFS, "start_time", "end_time", "all_day", "status")
MAX_CHARS = 6000
COUNT_NAMES = (("capacity", "容纳人数", "Capacity"), ("enrolled", "报名人数", "Enrolled"),
               ("completed", "结业人数", "Completed"))
# Where a service's complaint about a schema field is shown in the form.
FORM_FIELD = {"start": "start_date", "end": "end_date", "rrule": "repeat", "timezone": "start_date"}
# The selects of 每年农历… and 每年节气…, and the boxes of 农历逢…日.
LUNAR_CHOICES: dict[str, Any] = {
    "lunar_months": [(str(n), f"{zh}月", f"Month {n} ({zh}月)")
                     for n, zh in enumerate(MONTH_ZH, start=1)],
    "lunar_days": [(str(n), zh, f"Day {n} ({zh})") for n, zh in enumerate(DAY_ZH, start=1)],
    "terms": [(zh, zh, f"{en} ({zh})") for zh, _, en in TERMS],
    "endings": ENDING_CHOICES,
}
# Where a complaint about part of a Chinese-calendar rule is shown (the rest: beside the choice).
RULE_PART_FIELD = {"MONTH": "lunar_month", "DAY": "lunar_day", "LEAP": "lunar_leap",
                   "NAME": "term", "ENDINGS": "ending", "COUNT": "count", "UNTIL": "until",
                   "COUNT/UNTIL": "count"}


@dataclass
class EventForm:
    values: dict[str, str]
    weekdays: tuple[str, ...] = ()
    endings: tuple[int, ...] = ()  # 农历逢…日: the digits ticked

    def flag(self, name: str) -> bool:
        return self.values.get(name) == "on"


def read_form(data: Mapping[str, Any], byday: Iterable[Any],
              endings: Iterable[Any] = ()) -> EventForm:
    """The form as sent; anything missing is empty, anything odd is kept to be complained about
    (ticked boxes that are no choice of the form are left out)."""
    values = {name: clean_text(str(data.get(name) or ""))[:MAX_CHARS] for name in FIELDS}
    for name in FLAGS:
        values[name] = "on" if data.get(name) else ""
    days = {str(d) for d in byday}
    digits = {str(d) for d in endings}
    return EventForm(values, tuple(d for d in WEEKDAYS if d in days),
                     tuple(sorted(d for d in ENDINGS if str(d) in digits)))


def blank_form() -> EventForm:
    values = dict.fromkeys((*FIELDS, *FLAGS), "")
    values.update(status="draft", repeat="none", ends="until")
    return EventForm(values)


def from_event(out: EventOut, repeat: Repeat) -> EventForm:
    """The form for an existing event (a series shows its first night and its rule)."""
    form = blank_form()
    values = form.values
    for name in TEXTS:
        values[name] = str(getattr(out, name) or "")
    for name in REFS:
        ref = getattr(out, name)
        values[name] = ref.slug if ref else ""
    for name in COUNTS:
        number = getattr(out, name)
        values[name] = "" if number is None else str(number)
    values["all_day"] = "on" if out.all_day else ""
    values["course"] = "on" if out.course else ""
    values["status"] = out.status
    for prefix, moment in (("start", out.start), ("end", out.end)):
        values[f"{prefix}_date"] = moment.strftime("%Y-%m-%d")
        values[f"{prefix}_time"] = moment.strftime("%H:%M") if isinstance(moment, datetime) else ""
    if values["end_date"] == values["start_date"]:
        values["end_date"] = ""  # "同一天可不填": a new start date then moves the end with it
    values.update(
        repeat=repeat.kind,
        ends=repeat.ends,
        until=repeat.until.isoformat() if repeat.until else "",
        count="" if repeat.count is None else str(repeat.count),
        rrule_custom=repeat.custom or "",
        lunar_month="" if repeat.lunar_month is None else str(repeat.lunar_month),
        lunar_day="" if repeat.lunar_day is None else str(repeat.lunar_day),
        lunar_leap="on" if repeat.leap else "",
        term=repeat.term,
    )
    first = out.start if isinstance(out.start, date) else None
    weekdays = repeat.weekdays
    if repeat.kind == "weekly" and not weekdays and first is not None:
        weekdays = (WEEKDAYS[first.weekday()],)  # a weekly rule without BYDAY: the start's day
    return EventForm(values, weekdays, repeat.endings)


def copy_of(out: EventOut, repeat: Repeat) -> EventForm:
    """复制为新活动: every field of the event, to become a draft unless the form says publish;
    a course's enrolment figures belong to the course copied, so they start empty."""
    form = from_event(out, repeat)
    form.values.update(status="draft", enrolled="", completed="")
    return form


def next_after(out: EventOut) -> EventForm:
    """保存并新建: a fresh form keeping what a run of similar events shares (place, category,
    organizer, programme, the times of day, publish or not); the date and title are new."""
    done = from_event(out, Repeat())
    form = blank_form()
    form.values.update({name: done.values[name] for name in KEPT_FOR_NEXT})
    return form


def _first_day(text: str, problems: Problems) -> date | None:
    if not text:
        problems.add("start_date", "请填写开始日期。", "Give the start date.")
        return None
    day: date | None = problems.parse(
        "start_date", text, date.fromisoformat,
        "开始日期格式有误（如 2027-06-04）。", "The start date is not a date (e.g. 2027-06-04).",
    )
    return day


def _when(form: EventForm, problems: Problems) -> tuple[Any, Any, date | None]:
    v = form.values
    first = _first_day(v["start_date"], problems)
    if not v["start_date"]:
        return None, None, None
    last = first
    if v["end_date"]:
        last = problems.parse(
            "end_date", v["end_date"], date.fromisoformat,
            "结束日期格式有误（如 2027-06-04）。", "The end date is not a date (e.g. 2027-06-04).",
        )
    if form.flag("all_day") or first is None or last is None:
        return first, last, first
    times: list[time | None] = []
    for name, zh, en in (("start_time", "开始", "start"), ("end_time", "结束", "end")):
        if not v[name]:
            problems.add(
                name, f"请填写{zh}时间（或勾选全天）。", f"Give the {en} time (or all day)."
            )
            times.append(None)
            continue
        times.append(problems.parse(
            name, v[name], time.fromisoformat,
            f"{zh}时间格式有误（如 19:30）。", f"The {en} time is not a time (e.g. 19:30).",
        ))
    begins, ends = times
    if begins is None or ends is None:
        return None, None, first
    return datetime.combine(first, begins), datetime.combine(last, ends), first


def _repeat(form: EventForm, problems: Problems, max_count: int) -> Repeat:
    v = form.values
    kind = v["repeat"] or "none"
    if kind not in KINDS or (kind == "custom" and not v["rrule_custom"]):
        problems.add("repeat", "请选择是否重复。", "Choose how it repeats.")
        return Repeat()
    until = count = None
    ends = v["ends"] if v["ends"] in ("count", "open") else "until"
    if kind not in ("none", "custom") and ends == "until" and v["until"]:
        until = problems.parse(
            "until", v["until"], date.fromisoformat,
            "重复结束日期格式有误（如 2027-08-28）。",
            "The last day is not a date (e.g. 2027-08-28).",
        )
    if kind not in ("none", "custom") and ends == "count" and v["count"]:
        count = problems.parse(
            "count", v["count"], int, "次数应为整数。", "The number of times must be a number.",
        )
        if count is not None and not 1 <= count <= max_count:
            problems.add("count", f"次数应在 1 到 {max_count} 之间。",
                         f"The number of times must be 1–{max_count}.")
            count = None
    return Repeat(kind, form.weekdays, ends, until, count, v["rrule_custom"] or None,
                  *_lunar_date(form, problems), term=v["term"], endings=form.endings)


def _lunar_date(form: EventForm, problems: Problems) -> tuple[int | None, int | None, bool]:
    """每年农历…: the month and day chosen (numbers from the selects), and 闰月."""
    if form.values["repeat"] != "lunar":
        return None, None, False
    chosen: list[int | None] = []
    for name, high, zh, en in (("lunar_month", 12, "农历月份", "The lunar month"),
                               ("lunar_day", 30, "农历日子", "The lunar day")):
        raw = form.values[name]
        number = int(raw) if raw.isascii() and raw.isdigit() else None
        if raw and not (number and 1 <= number <= high):
            problems.add(name, f"{zh}应在下拉列表中选择。", f"{en}: choose one from the list.")
            number = None
        chosen.append(number)
    return chosen[0], chosen[1], form.flag("lunar_leap")


def _fields(form: EventForm, max_count: int) -> dict[str, Any]:
    """The schema fields the form gives (all of them, optional ones as None when left empty)."""
    v = form.values
    problems = Problems()
    fields: dict[str, Any] = {name: v[name] or None for name in (*TEXTS, *REFS)}
    if not v["title_zh"]:
        problems.add("title_zh", "请填写中文标题。", "Give the Chinese title.")
    if not v["category"]:
        problems.add("category", "请选择类别。", "Choose a category.")
    fields["all_day"] = form.flag("all_day")
    fields["course"] = form.flag("course")
    for name, zh, en in COUNT_NAMES:
        fields[name] = None
        if v[name]:
            fields[name] = problems.parse(
                name, v[name], int, f"{zh}应为整数。", f"{en} must be a number."
            )
    start, end, first_day = _when(form, problems)
    repeat = _repeat(form, problems, max_count)
    problems.raise_any()
    rrule, calendar_rule = rules_of(repeat, first_day or date.min, max_count)
    return {**fields, "start": start, "end": end, "rrule": rrule, "calendar_rule": calendar_rule}


def rules_of(repeat: Repeat, first_day: date, max_count: int) -> tuple[str | None, str | None]:
    """The RRULE or the Chinese-calendar rule the form's choice makes (one of them at most)."""
    try:
        return to_rrule(repeat, first_day), to_calendar_rule(repeat, first_day, max_count)
    except InvalidInput as exc:
        if all("message" in d for d in exc.details):  # the form's own words: as a form's list
            problems = Problems()
            problems.details.extend(exc.details)
            problems.raise_any()
        raise


def recurrence_of(form: EventForm, max_count: int) -> tuple[date, Repeat]:
    """Just the start date and the repetition, for the dates shown before saving."""
    problems = Problems()
    first = _first_day(form.values["start_date"], problems)
    if first is not None and not FIRST_YEAR <= first.year <= LAST_YEAR:  # as saving says
        problems.add("start_date", f"开始日期须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间。",
                     f"The start date must fall between {FIRST_YEAR} and {LAST_YEAR}.")
    repeat = _repeat(form, problems, max_count)
    problems.raise_any()
    assert first is not None, "a start date that could not be read is a problem raised above"
    return first, repeat


def form_errors(error: DomainError) -> dict[str, tuple[str, str]]:
    """Form field → message; a Chinese-calendar rule's complaint goes beside the part of the
    choice it is about (the month, the solar term, the end …)."""
    details = [
        {**d, "field": RULE_PART_FIELD.get(str(d["part"]), "calendar_rule")}
        if d.get("field") == "calendar_rule" and "part" in d else d
        for d in error.details
    ]
    return field_messages(InvalidInput(error.zh, error.en, details), FORM_FIELD)


def to_create(form: EventForm, max_count: int) -> EventCreate:
    fields = _fields(form, max_count)
    status = form.values["status"] or "draft"
    try:
        return EventCreate.model_validate(
            {**fields, "status": status, "allow_overlap": form.flag("allow_overlap")}
        )
    except ValidationError as exc:
        raise from_validation(exc, rename=FORM_FIELD) from None


def to_update(form: EventForm, max_count: int) -> EventUpdate:
    fields = _fields(form, max_count)
    try:
        return EventUpdate.model_validate({**fields, "allow_overlap": form.flag("allow_overlap")})
    except ValidationError as exc:
        raise from_validation(exc, rename=FORM_FIELD) from None


def to_move(values: dict[str, str], *, all_day: bool, allow_overlap: bool) -> OccurrenceMove:
    """One night's new time (and maybe venue) from the move form."""
    problems = Problems()
    start, end, _ = _when(EventForm({**values, "all_day": "on" if all_day else ""}), problems)
    problems.raise_any()
    try:
        return OccurrenceMove.model_validate({
            "start": start,
            "end": end,
            "venue": values.get("venue") or None,
            "reason": values.get("reason") or None,
            "allow_overlap": allow_overlap,
        })
    except ValidationError as exc:
        raise from_validation(exc, rename=FORM_FIELD) from None


def editor_choices(refs: RefData, *shown: EventOut | OccurrenceOut | None) -> dict[str, Any]:
    """The selects of the editor: every category, venue (with its village), organizer, programme
    still in use, and those the ``shown`` event or night already has (even if retired since)."""
    chosen = {ref.slug for item in shown if item is not None
              for ref in (getattr(item, "category", None), item.venue,
                          getattr(item, "organizer", None), getattr(item, "programme", None))
              if ref is not None}
    refs = refs.active(chosen)  # retired (停用) rows are no longer offered for new choices
    return {
        "categories": list(refs.categories.by_id.values()),
        "venues": [
            (v, refs.villages.by_id.get(v.village_id or -1)) for v in refs.venues.by_id.values()
        ],
        "organizers": list(refs.organizers.by_id.values()),
        "programmes": list(refs.programmes.by_id.values()),
        "villages": list(refs.villages.by_id.values()),
        "weekdays": WEEKDAYS,
        **LUNAR_CHOICES,
    }


def clashes_of(error: DomainError | None) -> list[dict[str, Any]]:
    """The other events a refused write clashed with, to list beside the form."""
    return list(error.details) if isinstance(error, VenueClash) else []
