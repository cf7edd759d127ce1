"""HTML checks shared by the page tests: well-formed HTML5, unique ids, a label on every input."""

from __future__ import annotations

from collections import Counter
from typing import Any

import html5lib

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
BUDGET_BYTES = 100_000


def parse(html: str) -> Any:
    """The document as an ElementTree; any HTML5 parse error fails the test with its position."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(html)
    except html5lib.html5parser.ParseError as exc:
        line_no = parser.errors[-1][0][0] if parser.errors else 0
        lines = html.splitlines()
        context = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
        raise AssertionError(f"HTML parse error {exc} at line {line_no}: {context!r}") from exc


def problems(html: str) -> list[str]:
    """What is wrong with a page: duplicate ids, inputs without a label, missing lang/title."""
    tree = parse(html)
    found: list[str] = []
    ids = Counter(el.get("id") for el in tree.iter() if el.get("id"))
    found += [f"duplicate id {name!r} ({n}×)" for name, n in ids.items() if n > 1]
    if not tree.get("lang"):
        found.append("<html> has no lang")
    if tree.find(".//title") is None or not (tree.find(".//title").text or "").strip():
        found.append("no <title>")
    labelled = {el.get("for") for el in tree.iter("label") if el.get("for")}
    wrapped = {id(inner) for label in tree.iter("label") for inner in label.iter()}
    for el in tree.iter():
        if el.tag not in ("input", "select", "textarea"):
            continue
        if el.tag == "input" and (el.get("type") or "text") in UNLABELLED_TYPES:
            continue
        if el.get("id") in labelled or id(el) in wrapped or el.get("aria-label"):
            continue
        found.append(f"<{el.tag} name={el.get('name')!r}> has no label")
    return found


def assert_good_page(html: str, *, budget: int = BUDGET_BYTES) -> Any:
    """Fails on any problem above or a page over the size budget; gives the parsed tree."""
    assert len(html.encode()) < budget, f"page is {len(html.encode())} bytes (budget {budget})"
    found = problems(html)
    assert not found, "\n".join(found)
    return parse(html)
