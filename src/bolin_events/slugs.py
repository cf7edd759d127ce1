"""The one slug function: ASCII pinyin of a Chinese name (东胜村 → ``dongsheng``)."""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_RUNS = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
# Generic place words the town leaves out of a short name (东胜村 is "dongsheng").
_SUFFIXES = ("村", "镇", "社区")


def slugify(name: str, *, strip_place_suffix: bool = False) -> str:
    """A run of 汉字 becomes one pinyin word; runs are joined by hyphens."""
    text = name.strip()
    if strip_place_suffix:
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                break
    from pypinyin import lazy_pinyin  # its dictionary takes a second to load: only when needed

    words = [
        "".join(lazy_pinyin(run)) if "\u4e00" <= run[0] <= "\u9fff" else run
        for run in _RUNS.findall(text)
    ]
    return "-".join(words).lower()
