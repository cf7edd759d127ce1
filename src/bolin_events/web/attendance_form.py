"""The phone form that files an attendance report: read as typed, every problem a reporter
can fix collected next to its field, and a correction prefilled with the figures that count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from litestar.datastructures import FormMultiDict, UploadFile
from pydantic import ValidationError

from bolin_events.errors import DomainError
from bolin_events.models import CountingMethod
from bolin_events.schemas.attendance import ReportIn, ReportOut
from bolin_events.schemas.signups import NightFigures
from bolin_events.services.attendance.figures import FIGURE_ZH
from bolin_events.services.stats.ledger import METHOD_ZH
from bolin_events.services.timing import zone

MAX_PHOTOS = 8


FIGURES = ("total", "onsite", "online", "residents", "visitors", "volunteers")
FOLDED = (*FIGURES[1:], "method")  # folded away on the phone form: most nights are a total


TEXTS = ("method", "note", "reason")


METHOD_EN = {
    "headcount": "Head count",
    "clicker": "Clicker",
    "sign_in": "Sign-in sheet",
    "tickets": "Tickets",
    "estimate": "Estimate",
}


METHODS = [(m.value, METHOD_ZH[m.value], METHOD_EN[m.value]) for m in CountingMethod]


Message = tuple[str, str]  # (中文, English)


@dataclass
class ReportEntry:
    """A submitted form: the text as typed (shown again on a refusal) and what it reads as."""

    values: dict[str, str]
    key: str | None
    photos: list[UploadFile]
    data: ReportIn | None = None
    errors: dict[str, Message] = field(default_factory=dict)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(name: str, text: str) -> int | Message | None:
    if not text:
        return None
    try:
        return int(text.replace(",", "").replace("，", ""))
    except ValueError:
        return f"{FIGURE_ZH[name]}须为整数，例如 120。", f"{name} must be a whole number, e.g. 120."


def read_entry(form: FormMultiDict) -> ReportEntry:
    """Reads the form; every problem a reporter can fix is collected, none is raised."""
    values = {name: _text(form.get(name)) for name in (*FIGURES, *TEXTS)}
    uploads = [f for f in form.getall("photos", []) if isinstance(f, UploadFile) and f.filename]
    entry = ReportEntry(values, _text(form.get("idempotency_key")) or None, uploads)
    body: dict[str, Any] = {}
    for name in FIGURES:
        number = _number(name, values[name])
        if isinstance(number, tuple):
            entry.errors[name] = number
        elif number is not None:
            body[name] = number
    if "total" not in body and "total" not in entry.errors:
        entry.errors["total"] = ("请填写总人次。", "Enter the total.")
    if values["method"] and values["method"] not in METHOD_EN:
        entry.errors["method"] = ("请从列表中选择统计方式。", "Choose a counting method.")
    if len(uploads) > MAX_PHOTOS:
        entry.errors["photos"] = (
            f"一次最多上传 {MAX_PHOTOS} 张照片。",
            f"At most {MAX_PHOTOS} photos at a time.",
        )
    if entry.errors:
        return entry
    body.update({name: values[name] or None for name in TEXTS})
    try:
        entry.data = ReportIn.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "total"
            limit = (error.get("ctx") or {}).get("max_length")
            zh = f"最多 {limit} 个字。" if limit else "格式有误。"
            entry.errors[name] = (zh, str(error["msg"]))
    return entry


def prefill(current: ReportOut | None) -> dict[str, str]:
    """A correction starts from the figures that count now."""
    if current is None:
        return {}
    shown = {name: getattr(current, name) for name in (*FIGURES, "method", "note")}
    return {name: "" if value is None else str(value) for name, value in shown.items()}


def prefill_from_check_ins(counts: NightFigures) -> dict[str, str]:
    """A report from the door: the checked-in people as the total, counted by sign-in, and a
    note of where it came from. Only the form is filled; the reporter checks and submits it."""
    note = f"按签到人数上报：报名 {counts.registered} 人，签到 {counts.checked_in} 人"
    if counts.walk_ins:
        note += f"（含现场加入 {counts.walk_ins} 人）"
    return {"total": str(counts.checked_in), "method": CountingMethod.sign_in.value, "note": note}


def split_open(values: dict[str, str], errors: dict[str, Message]) -> bool:
    """The folded breakdown opens when it holds a value (a correction, a refused form) or a
    problem, so nothing typed or wrong is hidden."""
    return any(values.get(name) or name in errors for name in FOLDED)


def local_clock(tz_name: str) -> Callable[[datetime], str]:
    """Instants are kept in UTC; pages show the town's clock."""
    tz = zone(tz_name)
    return lambda moment: moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def field_errors(entry: ReportEntry | None, problem: DomainError | None) -> dict[str, Message]:
    """The form's own problems, and those a service named by field (figures that do not add
    up), to show next to their inputs."""
    errors = dict(entry.errors) if entry else {}
    for detail in problem.details if problem else []:
        name, message = detail.get("field"), detail.get("message")
        if name in FIGURES and isinstance(message, str):
            errors.setdefault(name, (message, str(detail.get("message_en", message))))
    return errors
