"""A SUMMARY and DESCRIPTION read back into our fields, undoing how calendar/events.py writes
them (calendars have one value per property, so our feeds put both languages in it).

SUMMARY is ``中文 / English``, after 【延期】 or 【已取消】 for a postponed or cancelled event.
DESCRIPTION is paragraphs: the state's note (``活动延期，新日期待定 / …: why``), the Chinese
text, the English text, labelled lines (费用 / Price, 联系 / Contact, 主办 / Organizer) and the
event's link. Text another calendar writes in one language stays whole in the Chinese field.
A text longer than our field is refused in words (``refusal``), never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from bolin_events.calendar.events import NOTES, PREFIX
from bolin_events.errors import InvalidInput
from bolin_events.services.imports.columns import BY_KEY

TITLE_SEPARATOR = " / "
PARAGRAPH = "\n\n"
# Han ideographs, CJK punctuation (【】、。) and full-width forms (（），).
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z]")
LABELS = {"price": "费用 / Price: ", "contact": "联系 / Contact: ",
          "organizer": "主办 / Organizer: "}
_NOTES = {state: NOTES[(state, False)] for state in PREFIX}


@dataclass(frozen=True)
class Title:
    zh: str
    en: str | None
    state: str | None  # cancelled or postponed: the title carried that state's prefix


@dataclass(frozen=True)
class Details:
    zh: str
    en: str | None = None
    reason: str | None = None  # why the source cancelled or postponed the event
    labelled: dict[str, str] = field(default_factory=dict)  # price, contact, organizer


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def split_languages(pieces: list[str], separator: str) -> tuple[str, str | None]:
    """(Chinese, English) at the first joint where Chinese comes before and only Latin text
    after; no such joint: everything is the Chinese text."""
    for cut in range(1, len(pieces)):
        zh, en = separator.join(pieces[:cut]), separator.join(pieces[cut:])
        if has_cjk(zh) and not has_cjk(en) and _LATIN.search(en):
            return zh.strip(), en.strip()
    return separator.join(pieces).strip(), None


def read_title(summary: str) -> Title:
    """The title without its state's prefix, split into its two languages."""
    state = next((s for s, (zh, _) in PREFIX.items() if summary.startswith(zh)), None)
    if state is not None:
        summary = summary.removeprefix(PREFIX[state][0]).strip()
    zh, en = split_languages(summary.split(TITLE_SEPARATOR), TITLE_SEPARATOR)
    if state is not None and en is not None:
        en = en.removeprefix(PREFIX[state][1].strip()).strip() or None
    return Title(zh, en, state)


def read_description(text: str, url: str) -> Details:
    """The description's own texts, with the note, labelled lines and link taken out."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split(PARAGRAPH) if p.strip()]
    if url and paragraphs and paragraphs[-1] == url:
        paragraphs.pop()
    labelled: dict[str, str] = {}
    while paragraphs and (name := _label(paragraphs[-1])) and name not in labelled:
        labelled[name] = paragraphs.pop().removeprefix(LABELS[name]).strip()
    reason = None
    if paragraphs and (heading := _note(paragraphs[0])) is not None:
        reason = paragraphs.pop(0).removeprefix(heading).removeprefix(":").strip() or None
    zh, en = split_languages(paragraphs, PARAGRAPH)
    return Details(zh, en, reason, labelled)


def _label(paragraph: str) -> str | None:
    return next((name for name, label in LABELS.items() if paragraph.startswith(label)), None)


def _note(paragraph: str) -> str | None:
    """The state note our feeds open a cancelled or postponed event's description with."""
    return next((h for h in _NOTES.values() if paragraph.startswith(h)), None)


def refusal(exc: ValidationError) -> InvalidInput:
    """Why the event's texts do not fit, field by field: a text too long says its length and
    the limit, since the import refuses it rather than cut it."""
    zh_parts, en_parts, fields = [], [], []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        column = BY_KEY.get(name)  # the sheet's words for the same field
        zh, en = (column.zh, column.en) if column else (name, name)
        fields.append({"field": name})
        if error["type"] in ("string_too_long", "too_long"):  # the latter after validators
            length, limit = len(str(error["input"])), error["ctx"]["max_length"]
            zh_parts.append(f"「{zh}」有 {length} 个字，超过上限 {limit} 个字")
            en_parts.append(f"{en}: {length} characters, over the limit of {limit}")
        else:
            zh_parts.append(f"「{zh}」无效（{error['msg']}）")
            en_parts.append(f"{en} is not valid ({error['msg']})")
    return InvalidInput(
        "；".join(zh_parts) + "，未导入（不会截断）。",
        "; ".join(en_parts) + "; not imported (nothing is cut).",
        fields,
    )
