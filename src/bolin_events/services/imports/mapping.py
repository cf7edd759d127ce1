"""Finding a venue, category … by what a person typed, and the closest names when none fits.

A row may name a thing by its Chinese name, English name, slug or pinyin, with any spacing,
case or quotes; a miss suggests the nearest names (difflib over all of those).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any, Protocol

from bolin_events.services.refs import Table
from bolin_events.slugs import slugify

_NOISE = re.compile(r"[\s\"'“”‘’「」『』《》()（）\-_·.]")


class Named(Protocol):
    id: int | None
    slug: str
    name_zh: str
    name_en: str | None


def norm(value: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", value).lower())


def keys(row: Named) -> set[str]:
    names = {row.slug, row.name_zh, slugify(row.name_zh), *([row.name_en] if row.name_en else [])}
    if row.name_zh.endswith("村"):  # 东胜 for 东胜村
        names.add(row.name_zh[:-1])
    return {norm(n) for n in names if n}


class Names:
    """A table's rows under every name a person may type, indexed once per import."""

    def __init__(self, table: Table[Any]) -> None:
        rows = sorted(table.by_id.values(), key=lambda r: r.slug)
        self.named = [(row, keys(row)) for row in rows]
        self.by_key: dict[str, list[Any]] = {}
        for row, names in self.named:
            for key in sorted(names):
                self.by_key.setdefault(key, []).append(row)

    def find(self, typed: str) -> list[Any]:
        """Every row the text names exactly (more than one only for same-named venues)."""
        return list(self.by_key.get(norm(typed), []))

    def suggest(self, typed: str, limit: int = 3) -> list[Any]:
        """The closest rows: names containing the text (or contained in it), then difflib."""
        wanted = norm(typed)
        found: list[Any] = []
        if wanted:
            found = [r for r, names in self.named if any(wanted in k or k in wanted for k in names)]
        for key in difflib.get_close_matches(wanted, list(self.by_key), n=10, cutoff=0.5):
            found.extend(self.by_key[key])
        return list({id(r): r for r in found}.values())[:limit]


def find(table: Table[Any], typed: str) -> list[Any]:
    return Names(table).find(typed)


def suggest(table: Table[Any], typed: str, limit: int = 3) -> list[Any]:
    return Names(table).suggest(typed, limit)


def label_zh(row: Named) -> str:
    return f"{row.name_zh}（{row.slug}）"


def label_en(row: Named) -> str:
    return f"{row.name_en or row.name_zh} ({row.slug})"
