"""Writing figures the way the town's reviews do (DOMAIN.md, "Writing figures the official way").

Pure functions: sessions are written exactly, people as a round figure — the leading N
significant figures kept, the rest cut (never rounded up), 余 when anything was cut, 万 from
10,000 up — and 同比 as 增长/下降 with one decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WAN = 10_000
MIN_DIGITS, MAX_DIGITS = 1, 3


def cut(value: int, digits: int) -> tuple[int, bool]:
    """``value`` with all but its leading ``digits`` significant figures set to zero, and
    whether that cut anything."""
    if value < 0:
        raise ValueError(f"a count cannot be negative: {value}")
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise ValueError(f"digits must be {MIN_DIGITS}–{MAX_DIGITS}, not {digits}")
    scale = 10 ** max(len(str(value)) - digits, 0)
    kept = value // scale * scale
    return kept, kept != value


def wan(value: int) -> str:
    """10,000 → "1万", 23,000 → "2.3万", 1,200,000 → "120万"."""
    whole, rest = divmod(value, WAN)
    if rest == 0:
        return f"{whole}万"
    return f"{whole}.{rest:04d}".rstrip("0") + "万"


def round_figure(value: int, digits: int) -> str:
    """636 → "630余", 5,316 → "5300余", 23,480 → "2.3万余", 86 → "86", 5000 → "5000" (N = 2)."""
    kept, was_cut = cut(value, digits)
    text = wan(kept) if kept >= WAN else str(kept)
    return text + "余" if was_cut else text


def change_pct(current: int, previous: int) -> Decimal | None:
    """(current − previous) / previous in per cent, one decimal; None when last year had nothing."""
    if previous <= 0:
        return None
    pct = Decimal(current - previous) * 100 / Decimal(previous)
    return pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def yoy_text(current: int, previous: int) -> str | None:
    """ "同比增长6.2%", "同比下降12.5%", "同比持平" (under 0.05% either way), or None."""
    pct = change_pct(current, previous)
    if pct is None:
        return None
    if pct > 0:
        return f"同比增长{pct}%"
    if pct < 0:
        return f"同比下降{-pct}%"
    return "同比持平"
