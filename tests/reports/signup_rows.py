"""Sign-ups of a night written straight to the database, as the sign-up and door services leave
them (the report tests need the rows, not those services)."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass

from bolin_events.models import Registration, SignupState, utcnow
from bolin_events.services.scheduling.occurrences import get_occurrence
from tests.conftest import Client

_codes = itertools.count(1)


@dataclass(frozen=True)
class Row:
    """One sign-up: ``checked`` people checked in at the door (None: not checked in)."""

    party: int = 1
    state: SignupState = SignupState.confirmed
    checked: int | None = None
    walk_in: bool = False
    no_show: bool = False


async def add_sign_ups(client: Client, night: str, rows: list[Row]) -> None:
    async with client.app.state.sessionmaker() as session, session.begin():
        _, occ = await get_occurrence(session, night)
        assert occ.id is not None
        for row in rows:
            code = f"R{next(_codes):07d}"
            session.add(Registration(
                occurrence_id=occ.id, code=code, state=row.state, party=row.party,
                walk_in=row.walk_in, no_show=row.no_show, name="王小明",
                token_hash=hashlib.sha256(code.encode()).hexdigest(),
                checked_in_at=None if row.checked is None else utcnow(),
                checked_in_people=row.checked,
            ))


def confirmed(count: int, party: int = 1, checked: int | None = None, **more: bool) -> list[Row]:
    return [Row(party=party, checked=checked, **more) for _ in range(count)]


# 报名 40 人 (20 sign-ups of two; 3 of them did not come), 签到 36 人 with a walk-in pair; the
# waitlisted three and the cancelled four never count
FULL_NIGHT = [
    *confirmed(17, party=2, checked=2),
    *confirmed(3, party=2, no_show=True),
    Row(party=2, checked=2, walk_in=True),
    Row(party=3, state=SignupState.waitlisted),
    Row(party=4, state=SignupState.cancelled),
]
