"""The tally pages (计数器): a night's entrances and total, the clicker of one entrance, and
closing the tally into the night's report (docs/tally.md).

tally.js counts on the clicker page: presses gathered into batches, queued on the phone and
posted as JSON (login cookie, ``X-CSRFToken``) to the same service the API calls, and the
figures polled every two seconds. Without JavaScript each button posts a form and the page
comes back. The JSON answers stay JSON when refused (a problem body, as the API's), so the
script can say why; pages with live figures are never kept by a cache. The service worker
(``/staff/tally-sw.js``) keeps a copy of the clicker page, so a reload without a connection
still opens it with its queue.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import uuid4

from litestar import Response, get, post
from litestar.response import Template
from litestar.response.base import ASGIResponse
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import may, page_allow
from bolin_events.errors import DomainError, not_found
from bolin_events.models import AttendanceReport, Event, Occurrence
from bolin_events.routes.deps import NOT_KEPT, PRIVATE_WRITES, reporter_of
from bolin_events.routes.pages.common import (
    DOOR,
    JSON_ANSWERS,
    AnyRequest,
    attempt,
    see_other,
    text,
)
from bolin_events.schemas.attendance import ReportOut
from bolin_events.schemas.tally import BatchIn, BatchOut, CloseIn, EntranceIn, TallyOut
from bolin_events.services.attendance.reports import latest_report
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import occurrence_out
from bolin_events.services.tally.closing import close_tally, report_of
from bolin_events.services.tally.counts import Added, add_batch, add_entrance
from bolin_events.services.tally.figures import (
    CLOSED,
    check_countable,
    figures_of,
    night_for,
    night_tally,
)
from bolin_events.settings import Settings
from bolin_events.web.assets import assets
from bolin_events.web.form_problems import from_validation
from bolin_events.web.render import STATIC_DIR, render

PRESSES = {  # the clicker's buttons: (people, of them residents, of them visitors)
    "+1": (1, 0, 0), "+5": (5, 0, 0), "-1": (-1, 0, 0), "r+1": (1, 1, 0), "v+1": (1, 0, 1),
}
SUGGESTED = ("东门", "南门", "西门", "北门", "正门", "侧门")
SERVICE_WORKER = "tally-sw.js"


def _base(night: str) -> str:
    return f"/staff/nights/{quote(night)}/tally"


async def _refusal(
    db: AsyncSession, settings: Settings, event: Event, occ: Occurrence
) -> DomainError | None:
    """Why this night takes no counting (not held, its year closed), or None."""
    try:
        await check_countable(db, event, occ, settings)
    except DomainError as exc:
        return exc
    return None


async def _tally_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, key: str, *,
    error: DomainError | None = None, kept: dict[str, str] | None = None,
    confirm: bool = False,
) -> Template:
    event, occ = await night_for(db, key, reporter_of(request), refs)
    assert occ.id is not None
    figures = await figures_of(db, event, occ)
    latest = await latest_report(db, occ.id)
    closing = report_of(figures, None) if figures.entrances else None
    filed = await db.get(AttendanceReport, figures.report_id) if figures.report_id else None
    page = render(
        request,
        "staff/tally.html",
        status_code=error.status if error else 200,
        night=occurrence_out(refs, occ, event),
        figures=figures,
        base=_base(figures.night),
        refused=await _refusal(db, settings, event, occ) if figures.state != "closed" else None,
        may_close=may(request.scope.get("user"), "attendance:write"),
        confirm=confirm or bool(error and kept and "reason" in kept),
        closing=closing,
        latest=latest,
        filed=filed,
        error=error,
        kept=kept or {},
        suggested=[s for s in SUGGESTED if s not in {e.name for e in figures.entrances}],
        just_closed=request.query_params.get("done") == "closed",
        closed_says=CLOSED,
    )
    page.headers.update(NOT_KEPT)
    return page


@get("/staff/nights/{occurrence_id:str}/tally", guards=DOOR, name="tally_page")
async def tally_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
    occurrence_id: str, close: str = "",
) -> Template:
    """The night's entrances and total; ``?close=1`` asks to confirm closing."""
    return await _tally_page(request, db, refs, settings, occurrence_id, confirm=bool(close))


@post("/staff/nights/{occurrence_id:str}/tally/entrances",
      opt=PRIVATE_WRITES, guards=DOOR, name="tally_entrance_add")
async def entrance_form(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, occurrence_id: str
) -> Response[Any]:
    """Opens (or joins) an entrance by name and goes to its clicker."""
    form = await request.form()
    kept = {"name": text(form, "name", 60), "split": text(form, "split", 5)}

    async def add() -> Added:
        try:
            data = EntranceIn(name=kept["name"], split=bool(kept["split"]))
        except ValidationError as exc:
            raise from_validation(exc, {"name": ("入口名称", "Entrance name")}) from None
        return await add_entrance(db, occurrence_id, data, reporter_of(request), refs, settings)

    added = await attempt(db, add)
    if isinstance(added, DomainError):
        return await _tally_page(request, db, refs, settings, occurrence_id, error=added,
                                 kept=kept)
    return see_other(f"{_base(occurrence_id)}/{added.entrance.id}")


@post("/staff/nights/{occurrence_id:str}/tally/close",
      guards=[page_allow("attendance:write")], name="tally_close")
async def close_form(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings, occurrence_id: str
) -> Response[Any]:
    """Files the tally as the night's report (after the confirm step) and shows the tally."""
    form = await request.form()
    kept = {"reason": text(form, "reason", 300)}

    async def close() -> ReportOut:
        try:
            data = CloseIn(reason=kept["reason"] or None)
        except ValidationError as exc:
            raise from_validation(exc, {"reason": ("更正原因", "Reason")}) from None
        return await close_tally(db, occurrence_id, data, reporter_of(request), refs, settings)

    filed = await attempt(db, close)
    if isinstance(filed, DomainError):
        return await _tally_page(request, db, refs, settings, occurrence_id, error=filed,
                                 kept=kept)
    return see_other(_base(filed.occurrence_id), "closed")


async def _entrance_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, key: str, entrance_id: int, *,
    error: DomainError | None = None,
) -> Template:
    event, occ = await night_for(db, key, reporter_of(request), refs)
    figures = await figures_of(db, event, occ)
    entrance = next((e for e in figures.entrances if e.id == entrance_id), None)
    if entrance is None:
        raise not_found("入口", "entrance", entrance_id)
    base = _base(figures.night)
    page = render(
        request,
        "staff/tally_entrance.html",
        status_code=error.status if error else 200,
        night=occurrence_out(refs, occ, event),
        figures=figures,
        entrance=entrance,
        base=base,
        press_url=f"{base}/{entrance_id}/press",
        batch_url=f"{base}/{entrance_id}/batches",
        figures_url=f"{base}.json",
        form_key=str(uuid4()),
        error=error,
        closed_says=CLOSED,
    )
    page.headers.update(NOT_KEPT)
    return page


@get("/staff/nights/{occurrence_id:str}/tally/{entrance_id:int}", guards=DOOR,
     name="tally_clicker")
async def entrance_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str, entrance_id: int
) -> Template:
    """One entrance's clicker, made for one thumb in the dark."""
    return await _entrance_page(request, db, refs, occurrence_id, entrance_id)


@post("/staff/nights/{occurrence_id:str}/tally/{entrance_id:int}/press",
      opt=PRIVATE_WRITES, guards=DOOR,
      name="tally_press")
async def press_form(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str, entrance_id: int
) -> Response[Any]:
    """A button pressed without JavaScript: one batch, keyed by the form (a form sent twice
    counts once), then the clicker again."""
    form = await request.form()

    async def count() -> BatchOut:
        pressed = text(form, "press", 5)
        if pressed not in PRESSES:
            raise not_found("按键", "button", pressed)
        delta, residents, visitors = PRESSES[pressed]
        try:
            data = BatchIn(key=text(form, "key", 64), delta=delta, residents=residents,
                           visitors=visitors)
        except ValidationError as exc:
            raise from_validation(exc) from None
        return await add_batch(db, occurrence_id, entrance_id, data, reporter_of(request), refs)

    done = await attempt(db, count)
    if isinstance(done, DomainError):
        return await _entrance_page(request, db, refs, occurrence_id, entrance_id, error=done)
    return see_other(f"{_base(done.night)}/{entrance_id}")


@post("/staff/nights/{occurrence_id:str}/tally/{entrance_id:int}/batches",
      opt=PRIVATE_WRITES, guards=DOOR,
      exception_handlers=JSON_ANSWERS, name="tally_batch")
async def batch_json(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str, entrance_id: int,
    data: BatchIn,
) -> Response[BatchOut]:
    """A batch from tally.js (JSON in, JSON out), sent at once or later from its queue."""
    out = await add_batch(db, occurrence_id, entrance_id, data, reporter_of(request), refs)
    return Response(out, status_code=201 if out.counted else 200, headers=NOT_KEPT)


@get("/staff/nights/{occurrence_id:str}/tally.json", guards=DOOR,
     exception_handlers=JSON_ANSWERS, name="tally_figures")
async def figures_json(
    request: AnyRequest, db: AsyncSession, refs: RefData, occurrence_id: str
) -> Response[TallyOut]:
    """What tally.js polls every two seconds: the night's figures per entrance."""
    figures = await night_tally(db, occurrence_id, reporter_of(request), refs)
    return Response(figures, headers=NOT_KEPT)


@get("/staff/tally-sw.js", name="tally_service_worker")
async def service_worker(request: AnyRequest) -> ASGIResponse:
    """The service worker that keeps the clicker page for a reload offline. Served under
    /staff/ (a worker controls only pages under its own folder); always asked again."""
    return assets(STATIC_DIR).by_name[SERVICE_WORKER].answer(request, "no-cache")


TALLY_PAGES: list[Any] = [
    tally_page,
    entrance_form,
    close_form,
    entrance_page,
    press_form,
    batch_json,
    figures_json,
    service_worker,
]
