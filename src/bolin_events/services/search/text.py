"""How a name or a typed query is made comparable: normalised text, and its pinyin spellings.

A visitor types 夜市, 「夜市」, ＹｅＳｈｉ, "ye shi", yeshi or ys; each must find 东胜银杏夜市. Text
is compared after NFKC (full-width letters and digits become half-width), case folding, and
dropping punctuation and spaces. Pinyin is compared whole (yeshi) from a syllable boundary
or by initials (ys). pypinyin reads a character by its phrase (银杏 yinxing, 柏林 bolin); a
character with other readings also gets spellings with one of those, so 柏 found as bai too.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

MAX_VARIANTS = 12  # other-reading spellings kept per name (a name has few 多音字)
VARIANTS_UP_TO = 60  # longer texts (descriptions) keep their phrase reading only
SPELLED_UP_TO = 500  # characters of a text spelled in pinyin: names, not a tenth paragraph


def normalise(text: str) -> str:
    """Comparable text: half-width, case-folded, without punctuation, symbols or spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def is_latin(text: str) -> bool:
    """Letters and digits of the Latin alphabet only: a query that may be pinyin."""
    return text.isascii() and text.isalnum()


@dataclass(frozen=True, slots=True)
class Spelling:
    """A text in toneless pinyin run together, and its initials. ``marks`` holds 1 where a
    syllable starts (bytes: a description's pinyin is thousands of letters long)."""

    full: str
    marks: bytes
    initials: str

    @classmethod
    def of(cls, syllables: list[str]) -> Spelling:
        marks = bytearray()
        for syllable in syllables:
            marks += b"\x01" + bytes(len(syllable) - 1)
        return cls("".join(syllables), bytes(marks), "".join(s[0] for s in syllables))

    def starts(self) -> list[int]:
        return [at for at, mark in enumerate(self.marks) if mark]

    def has(self, query: str) -> bool:
        """Whether the query is in the pinyin, starting where a syllable starts."""
        at = self.full.find(query)
        while at >= 0:
            if self.marks[at]:
                return True
            at = self.full.find(query, at + 1)
        return False


@functools.lru_cache(maxsize=8192)
def _readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin  # its dictionary takes a second to load: only when needed

    return tuple(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def _syllables(normalised: str) -> list[tuple[str, str | None]]:
    """Each syllable with the character it reads (None for a run of Latin letters and
    digits, which pypinyin hands back as it is)."""
    from pypinyin import lazy_pinyin

    found: list[tuple[str, str | None]] = []
    at = 0
    for item in lazy_pinyin(normalised, errors="default"):
        if normalised.startswith(item, at):
            found.append((item, None))
            at += len(item)
        else:
            found.append((item, normalised[at]))
            at += 1
    return found


def spellings(normalised: str) -> tuple[Spelling, ...]:
    """The phrase reading of a normalised text, then (short texts only) the same with one
    character read another way."""
    read = _syllables(normalised[:SPELLED_UP_TO])
    syllables = [syllable for syllable, _ in read]
    found = [Spelling.of(syllables)]
    if len(normalised) > VARIANTS_UP_TO:
        return tuple(found)
    for at, (syllable, char) in enumerate(read):
        for other in _readings(char) if char else ():
            if other != syllable and len(found) <= MAX_VARIANTS:
                found.append(Spelling.of([*syllables[:at], other, *syllables[at + 1:]]))
    return tuple(found)
