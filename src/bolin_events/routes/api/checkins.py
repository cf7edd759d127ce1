"""Check-in at the door (签到): one code at a time, and the night's codes for answering offline."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.routes.deps import NOT_KEPT, PRIVATE_WRITES, AnyRequest, principal, reporter_of
from bolin_events.schemas.signups import CheckInIn, CheckInOut, DoorList
from bolin_events.services.attendance.access import check_village
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.signups import checkin

DOOR = [allow("door:work")]


async def check_door(db: AsyncSession, refs: RefData, request: AnyRequest, night: str) -> None:
    """A reporter works the doors of their own villages' nights only (403 elsewhere)."""
    _, occ = await get_occurrence(db, night)
    check_village(refs, occ, reporter_of(request))


class CheckInController(Controller):
    path = "/api/v1/occurrences/{occurrence_id:str}/check-ins"
    tags = ["sign-ups"]

    @post(
        "/", opt=PRIVATE_WRITES,
        guards=DOOR,
        status_code=200,
        summary="Check in a sign-up at the door",
        description="The code as typed or read from the visitor's QR code (case, spaces and "
        "dashes do not matter; `BOLIN:K7M3QX` is read as `K7M3QX`). Checks in `people` of the "
        "sign-up's party (default: all of it) and answers `已签到 3人` with the night's "
        "figures. Refused with the reason: 404 for an unknown code; 409 for a code of another "
        "night (naming it), a cancelled or waitlisted sign-up, a code already checked in "
        "(saying when and at which door), or a night that is not held; 422 for more people "
        "than the party. `key` is the check-in's idempotency key: sent again with the same "
        "key (a phone's queued retry), the first answer comes back with `replayed: true`. "
        "Two doors with the same code at once: one succeeds, the other is told it is "
        "already in. Reporters work only their villages' nights.",
    )
    async def check_in(
        self, db: AsyncSession, refs: RefData, request: AnyRequest, occurrence_id: str,
        data: CheckInIn,
    ) -> CheckInOut:
        await check_door(db, refs, request, occurrence_id)
        return await checkin.check_in(db, occurrence_id, data, principal(request).user_id)

    @get(
        "/",
        guards=DOOR,
        summary="The night's codes, for answering at the door offline",
        description="Every confirmed sign-up of the night: its code, party, whether (and "
        "with how many) it is checked in, and its name as a first character and `*`; no "
        "phone numbers. With the night's figures (报名, 签到, walk-ins). Never cached.",
    )
    async def door_list(
        self, db: AsyncSession, refs: RefData, request: AnyRequest, occurrence_id: str
    ) -> Response[DoorList]:
        await check_door(db, refs, request, occurrence_id)
        return Response(await checkin.door_list(db, occurrence_id), headers=NOT_KEPT)
