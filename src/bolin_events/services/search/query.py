"""What a visitor typed in the search box, read once: its normalised words, or why there is
nothing to search for yet."""

from __future__ import annotations

from dataclasses import dataclass

from bolin_events.calendar import Label
from bolin_events.errors import DomainError
from bolin_events.services.search.text import is_latin, normalise

MAX_QUERY = 100  # characters; longer is no search word but a pasted text

ASK = Label("输入活动名称、场地、村或活动项目，中文或拼音都可以，例如：夜市、村晚、yeshi。",
            "Type an event, venue, village or programme name, in Chinese or pinyin, "
            "e.g. 夜市, 村晚, yeshi.")
TWO_LETTERS = Label("请输入至少两个字母。", "Please type at least two letters.")


@dataclass(frozen=True)
class Query:
    typed: str  # as typed, trimmed
    whole: str  # normalised, words run together ("ye shi" → "yeshi")
    terms: tuple[str, ...]  # each word normalised
    hint: Label | None  # set when there is nothing to search for

    @property
    def ready(self) -> bool:
        return self.hint is None


def read_query(text: str | None) -> Query:
    """The query, or a 400 when it is longer than anyone types into a search box."""
    typed = (text or "").strip()
    if len(typed) > MAX_QUERY:
        raise DomainError(
            f"搜索词太长（{len(typed)} 个字符），最多 {MAX_QUERY} 个字符。",
            f"The search text is too long ({len(typed)} characters); at most {MAX_QUERY}.",
            [{"field": "q", "value": typed[:50]}],
        )
    whole = normalise(typed)
    terms = tuple(term for word in typed.split() if (term := normalise(word)))
    hint = None
    if not whole:
        hint = ASK
    elif is_latin(whole) and len(whole) < 2:
        hint = TWO_LETTERS  # one Chinese character is a word; one letter finds everything
    return Query(typed, whole, terms, hint)
