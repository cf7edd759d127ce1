"""Reading a page's form the way a browser sends it: what a person must change is then exactly
what a test changes (fast entry counts typed fields and clicks)."""

from __future__ import annotations

from typing import Any

from tests.pages.staff_helpers import FormData


def form_with_action(tree: Any, action: str) -> Any:
    """The page's form that posts to ``action``."""
    forms = [f for f in tree.iter("form") if f.get("action") == action]
    assert forms, f"no form posts to {action}"
    return forms[0]


def sent_values(form: Any) -> FormData:
    """What submitting the form unchanged sends (buttons aside): filled fields, checked boxes
    and radios, each select's chosen option."""
    sent: dict[str, list[str]] = {}
    for field in form.iter():
        name = field.get("name")
        if not name or name == "_csrf_token":
            continue
        value = _value(field)
        if value is not None:
            sent.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 or name == "byday" else values[0]
            for name, values in sent.items()}


def _value(field: Any) -> str | None:
    if field.tag == "input":
        kind = field.get("type") or "text"
        if kind in ("submit", "button", "reset", "image"):
            return None
        if kind in ("checkbox", "radio") and field.get("checked") is None:
            return None
        return str(field.get("value") or ("on" if kind in ("checkbox", "radio") else ""))
    if field.tag == "textarea":
        return str(field.text or "")
    if field.tag == "select":
        options = list(field.iter("option"))
        chosen = [o for o in options if o.get("selected") is not None] or options[:1]
        return str(chosen[0].get("value") or "") if chosen else ""
    return None
