"""The lunar date beside a Gregorian one ("9月25日 周五 · 农历八月十五 中秋节", "lunar 8/15,
Mid-Autumn Festival"): always for a night of a series by the Chinese calendar (its point is the
lunar date), otherwise only on a festival or a solar term, where it tells a visitor something.

Pure and deterministic, so pages cached per data version may carry it (no query, no clock).
"""

from __future__ import annotations

from datetime import date

from bolin_events.calendar import Label
from bolin_events.services.lunar import FIRST_YEAR, LAST_YEAR, lunar_day, name_en


def lunar_label(day: date, *, always: bool = False) -> Label | None:
    """农历八月十五 中秋节 / lunar 8/15, Mid-Autumn Festival; None for an ordinary day (unless
    ``always``) and outside the years the calendar is held for."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    found = lunar_day(day)
    if not (always or found.notable):
        return None
    return Label(found.text, found.text_en)


def lunar_mark(day: date, beside: str = "") -> Label | None:
    """The festival or solar term alone ("中秋节" / "Mid-Autumn Festival") for a month grid's
    narrow cell, leaving out a name the holiday mark ``beside`` it already says (中秋 / 中秋节)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    names = [n for n in lunar_day(day).names if not (beside and (beside in n or n in beside))]
    if not names:
        return None
    return Label(" ".join(names), ", ".join(map(name_en, names)))
