"""Builders for the door tests: a night and sign-ups for it, written straight to the database
(the sign-up service is not needed to check people in)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Registration, SignupState, utcnow
from bolin_events.services.scheduling.occurrences import get_occurrence
from tests.attendance.helpers import make_event
from tests.conftest import Client

DONGSHENG = "ginkgo-night-market"  # 东胜村: the tests' reporter works here
HUAGAI = "qingqing-park"  # 华盖村: not the reporter's


def check_ins_url(night: str) -> str:
    return f"/api/v1/occurrences/{night}/check-ins"


async def tonight(client: Client, headers: dict[str, str], *, venue: str = DONGSHENG,
                  hour: int = 19, **extra: Any) -> str:
    """A published two-hour event this evening; its night's id."""
    _, night = await make_event(client, headers, days_from_now=0, hour=hour, venue=venue,
                                **extra)
    return night


async def sign_up(
    sessions: async_sessionmaker[AsyncSession], night: str, code: str, *, party: int = 1,
    state: SignupState = SignupState.confirmed, name: str | None = "王小明",
    phone: str | None = "13812341234", purged: bool = False, walk_in: bool = False,
) -> None:
    """A sign-up as the sign-up service leaves it: the phone only hashed and masked; purged,
    its personal fields emptied as retention does."""
    async with sessions() as session, session.begin():
        _, occ = await get_occurrence(session, night)
        assert occ.id is not None
        session.add(Registration(
            occurrence_id=occ.id, code=code, state=state, party=party, walk_in=walk_in,
            token_hash=hashlib.sha256(f"token-{code}".encode()).hexdigest(),
            name=None if purged else name,
            phone_hash=None if purged or not phone else hashlib.sha256(phone.encode()).hexdigest(),
            phone_masked=None if purged or not phone else f"{phone[:3]}****{phone[-4:]}",
            purged_at=utcnow() if purged else None,
        ))
