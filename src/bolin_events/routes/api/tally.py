"""The live tally at the gates (计数器): a night's figures, its entrances, counted batches, and
closing it into the night's attendance report."""

from __future__ import annotations

from functools import partial

from litestar import Controller, Response, get, post
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.routes.api.attendance import IDEMPOTENCY_DOC, IdempotencyKey
from bolin_events.routes.deps import NOT_KEPT, PRIVATE_WRITES, AnyRequest, once, reporter_of
from bolin_events.schemas.attendance import ReportOut
from bolin_events.schemas.tally import BatchIn, BatchOut, CloseIn, EntranceIn, EntranceOut, TallyOut
from bolin_events.services.attendance import idempotency
from bolin_events.services.refs import RefData
from bolin_events.services.tally.closing import close_tally
from bolin_events.services.tally.counts import MAX_ENTRANCES, add_batch, add_entrance
from bolin_events.services.tally.figures import night_tally
from bolin_events.settings import Settings

DOOR = [allow("door:work")]


class TallyController(Controller):
    path = "/api/v1/occurrences/{occurrence_id:str}/tally"
    tags = ["tally"]

    @get(
        "/",
        guards=DOOR,
        summary="A night's tally: the count of each entrance and the total",
        description="What the phones at the gates show, read afresh each time (they ask every "
        "two seconds): `state` none (nobody opened it yet), open, or closed (filed as the "
        "report `report_id`); each entrance's count (and residents/visitors when the tally "
        "counts them apart) and the night's total. Reporters: their villages' nights only. "
        "Never cached.",
    )
    async def figures(
        self, db: AsyncSession, refs: RefData, request: AnyRequest, occurrence_id: str
    ) -> Response[TallyOut]:
        out = await night_tally(db, occurrence_id, reporter_of(request), refs)
        return Response(out, headers=NOT_KEPT)

    @post(
        "/entrances", opt=PRIVATE_WRITES,
        guards=DOOR,
        summary="Add an entrance (opening the tally)",
        description="An entrance by name (东门, 南门 …): the same name gives the same entrance "
        "(200), a new one is made (201). The first entrance opens the night's tally, and "
        "`split` then says whether it counts residents (本地) and visitors (外地) apart; "
        "later entrances follow the tally. Only for a held night (event published, the night "
        "neither skipped nor cancelled, its year open; 409 otherwise), and not after the "
        f"tally is closed (409). At most {MAX_ENTRANCES} entrances a night.",
    )
    async def entrance(
        self, db: AsyncSession, refs: RefData, settings: Settings, request: AnyRequest,
        occurrence_id: str, data: EntranceIn,
    ) -> Response[EntranceOut]:
        added = await add_entrance(db, occurrence_id, data, reporter_of(request), refs, settings)
        return Response(added.entrance, status_code=201 if added.created else 200)

    @post(
        "/entrances/{entrance_id:int}/batches", opt=PRIVATE_WRITES,
        guards=DOOR,
        summary="Count a batch of presses at an entrance",
        description="A few presses collected on the phone for about a second: `delta` people "
        "(negative undoes), of whom `residents` and `visitors` on a split tally (else 0). "
        "`key` is made at random on the phone and is the batch's identity: the same key sent "
        "again — a retry after a dropped connection, or two copies at once — counts once and "
        "answers the current figures with `counted: false` (200; a new batch is 201); the "
        "same key with other numbers is a 409. Refused with 422 when a figure of the "
        "entrance would go below 0 (nothing is counted: the phone shows the server's figure), "
        "and with 409 once the tally is closed (本场计数已结束). Answers the night's figures.",
    )
    async def batch(
        self, db: AsyncSession, refs: RefData, request: AnyRequest, occurrence_id: str,
        entrance_id: int, data: BatchIn,
    ) -> Response[BatchOut]:
        out = await add_batch(db, occurrence_id, entrance_id, data, reporter_of(request), refs)
        return Response(out, status_code=201 if out.counted else 200, headers=NOT_KEPT)

    @post(
        "/close",
        guards=[allow("attendance:write")],
        summary="Close the tally into the night's attendance report",
        description="Files the night's attendance report from the tally: the total of every "
        "entrance, method `clicker` (计数器), residents and visitors when the tally split "
        "them (and they cover everyone counted), and a note with each entrance's count "
        "(入口计数：东门 120，南门 95). Every rule of filing a report applies (the night "
        "held and started, its year open, a reporter's own village). When the night already "
        "has a report, send a `reason` (422 asks for it): closing files the next revision. "
        "The tally then takes no more counting; its entrances stay as the breakdown, and "
        f"the report is corrected like any other.{IDEMPOTENCY_DOC}",
    )
    async def close(
        self, db: AsyncSession, refs: RefData, settings: Settings, request: AnyRequest,
        occurrence_id: str, data: CloseIn, idempotency_key: IdempotencyKey = None,
    ) -> Response[ReportOut]:
        reporter = reporter_of(request)
        wanted = idempotency.fingerprint(
            "POST", f"/occurrences/{occurrence_id}/tally/close", data.model_dump(mode="json")
        )
        work = partial(close_tally, db, occurrence_id, data, reporter, refs, settings)
        return await once(db, reporter.user_id, idempotency_key, wanted, ReportOut, work)
