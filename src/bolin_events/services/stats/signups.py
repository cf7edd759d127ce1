"""报名, 签到 and 上报 side by side: the three figures of a night that took sign-ups, and their
sums over a period's groups.

Each figure has its own method: 报名 are the people of confirmed sign-ups (waitlisted and
cancelled ones never count, walk-ins are not sign-ups); 签到 are the people checked in at the
door by scanned QR code or typed check-in code, walk-ins included; 上报 is the night's latest
report revision, counted however its reporter said (its ``method``). The sign-up figures
themselves come from services.signups.figures, so every page counts them the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Registration
from bolin_events.schemas.reports import SignupFiguresOut
from bolin_events.schemas.signups import NightFigures
from bolin_events.services.filters import Selection
from bolin_events.services.signups.figures import night_figures
from bolin_events.services.stats.queries import GroupBy, Window, held_by

REGISTERED_METHOD = "报名"
CHECKED_IN_METHOD = "扫码/签到码签到"
CHUNK = 500  # nights per query: far below either database's limit on bound parameters


async def figures_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, NightFigures]:
    """night_figures for any number of nights (a ten-year ledger holds thousands)."""
    found: dict[int, NightFigures] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(await night_figures(session, ids[start : start + CHUNK]))
    return found


def night_sentence(counts: NightFigures, reported: int | None) -> tuple[str, str]:
    """ "报名 40 人，签到 36 人（含现场加入 2 人），上报 38 人" and its English."""
    zh = f"报名 {counts.registered} 人，签到 {counts.checked_in} 人"
    en = f"{counts.registered} signed up, {counts.checked_in} checked in"
    if counts.walk_ins:
        zh += f"（含现场加入 {counts.walk_ins} 人）"
        en += f" ({counts.walk_ins} walk-ins)" if counts.walk_ins > 1 else " (1 walk-in)"
    if reported is None:
        return zh + "，尚未上报", en + ", not reported yet"
    return zh + f"，上报 {reported} 人", en + f", {reported} reported"


def check_in_rate(checked_in: int, registered: int) -> Decimal | None:
    """签到率 = 签到 ÷ 报名 in per cent, one decimal (walk-ins can take it past 100 %); None
    when nobody signed up."""
    if registered <= 0:
        return None
    pct = Decimal(checked_in) * 100 / Decimal(registered)
    return pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class SignupFigures:
    """One group's nights that took sign-ups (any sign-up or walk-in, whatever became of it)."""

    sessions: int = 0
    registered: int = 0
    checked_in: int = 0
    walk_ins: int = 0
    no_shows: int = 0
    reported_sessions: int = 0
    reported: int = 0  # 上报人次: the latest reports of these nights

    def add(self, counts: NightFigures, reported: int | None) -> None:
        self.sessions += 1
        self.registered += counts.registered
        self.checked_in += counts.checked_in
        self.walk_ins += counts.walk_ins
        self.no_shows += counts.no_shows
        if reported is not None:
            self.reported_sessions += 1
            self.reported += reported

    def out(self) -> SignupFiguresOut:
        rate = check_in_rate(self.checked_in, self.registered)
        return SignupFiguresOut(
            sessions=self.sessions,
            registered=self.registered,
            checked_in=self.checked_in,
            walk_ins=self.walk_ins,
            no_shows=self.no_shows,
            check_in_rate=None if rate is None else float(rate),
            reported=self.reported,
            unreported=self.sessions - self.reported_sessions,
        )


async def signup_groups(
    session: AsyncSession, window: Window, group_by: GroupBy, selection: Selection | None = None
) -> dict[str | None, SignupFigures]:
    """The window's held nights that took sign-ups, summed by ``group_by``; groups without
    such a night are left out. The same nights and keys as the statistics (queries.held_in)."""
    held = held_by(session, window, group_by, selection)
    took_signups = exists().where(col(Registration.occurrence_id) == held.c.occurrence_id)
    query = select(held.c.key, held.c.occurrence_id, held.c.reported, held.c.people).where(
        took_signups
    )
    connection = await session.connection()  # a Core query: rows of plain values
    nights = (await connection.execute(query)).all()
    counts = await figures_of(session, [night.occurrence_id for night in nights])
    groups: dict[str | None, SignupFigures] = {}
    for key, occurrence_id, reported, people in nights:
        if occurrence_id not in counts:  # its sign-ups went between the two queries
            continue
        group = groups.setdefault(None if key is None else str(key), SignupFigures())
        group.add(counts[occurrence_id], None if reported is None else int(people))
    return groups


def summed(groups: dict[str | None, SignupFigures]) -> SignupFigures | None:
    """The groups' figures as one total (every night is in exactly one group); None: none."""
    if not groups:
        return None
    total = SignupFigures()
    for group in groups.values():
        for f in fields(SignupFigures):
            setattr(total, f.name, getattr(total, f.name) + getattr(group, f.name))
    return total
