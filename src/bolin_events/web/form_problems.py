"""Problems with a submitted form, each tied to the field it is about, so a page can show the
message next to that field and keep everything else the person typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from bolin_events.errors import DomainError, InvalidInput
from bolin_events.http_errors import zh_hint


class Problems:
    """Collects every problem of a form, so that one answer lists them all."""

    def __init__(self) -> None:
        self.details: list[dict[str, str]] = []

    def add(self, field: str, zh: str, en: str) -> None:
        self.details.append({"field": field, "message": zh, "message_en": en})

    def parse(self, field: str, text: str, parser: Callable[[str], Any], zh: str, en: str) -> Any:
        """``parser(text)``, or None with the problem noted when it refuses the text."""
        try:
            return parser(text)
        except ValueError:
            self.add(field, zh, en)
            return None

    def error(self) -> InvalidInput | None:
        if not self.details:
            return None
        return InvalidInput(
            f"表单有 {len(self.details)} 处需要修改："
            + "；".join(d["message"] for d in self.details),
            f"{len(self.details)} field(s) to fix: "
            + "; ".join(d["message_en"] for d in self.details),
            list(self.details),
        )

    def raise_any(self) -> None:
        error = self.error()
        if error is not None:
            raise error


def from_validation(
    exc: ValidationError,
    labels: dict[str, tuple[str, str]] | None = None,
    rename: dict[str, str] | None = None,
) -> InvalidInput:
    """A schema's complaint, per form field (``rename`` maps schema fields to form fields)."""
    problems = Problems()
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        zh, en = zh_hint(error["msg"]), str(error["msg"])
        if error["type"] in ("too_long", "string_too_long"):  # said as characters, not "items"
            most = (error.get("ctx") or {}).get("max_length")
            zh, en = f"最多 {most} 个字符", f"at most {most} characters"
        if labels and name in labels:
            zh, en = f"{labels[name][0]}：{zh}", f"{labels[name][1]}: {en}"
        problems.add((rename or {}).get(name, name), zh, en)
    found = problems.error()
    assert found is not None, "a validation error lists at least one problem"
    return found


def field_messages(
    exc: DomainError, rename: dict[str, str] | None = None
) -> dict[str, tuple[str, str]]:
    """Form field → (zh, en) message, from a refusal's details (its own message by default)."""
    found: dict[str, tuple[str, str]] = {}
    for detail in exc.details:
        name = detail.get("field")
        if isinstance(name, str):
            found.setdefault(
                (rename or {}).get(name, name),
                (str(detail.get("message") or exc.zh), str(detail.get("message_en") or exc.en)),
            )
    return found
