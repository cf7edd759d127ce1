"""One night of a series in the staff editor: its page, and skipping, moving, cancelling or
restoring it (a clash at the new venue is shown with the option to go ahead).
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.response import Template
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, not_found
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    form_status,
    see_other,
    text,
)
from bolin_events.schemas.events import OccurrenceCancel
from bolin_events.services.refs import load_refs
from bolin_events.services.scheduling.nights import (
    cancel_occurrence,
    move_occurrence,
    restore_occurrence,
    skip_occurrence,
)
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.scheduling.occurrences import occurrence_id as night_id
from bolin_events.services.scheduling.queries import (
    event_out,
    occurrence_out,
)
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import event_form
from bolin_events.web.form_problems import field_messages, from_validation
from bolin_events.web.render import render

WRITE = [page_allow("programme:write")]


NIGHT_ACTIONS = ("skip", "move", "cancel", "restore")


async def _night_page(
    request: AnyRequest,
    db: AsyncSession,
    occurrence_id: str,
    error: DomainError | None = None,
    kept: dict[str, str] | None = None,
    action: str | None = None,
) -> Template:
    event, occ = await get_occurrence(db, occurrence_id)
    await db.refresh(event)
    await db.refresh(occ)
    refs = await load_refs(db)
    night = occurrence_out(refs, occ, event)
    shown = await event_out(db, refs, event)
    return render(
        request,
        "staff/night.html",
        status_code=form_status(error) if error else 200,
        night=night,
        event=shown,
        error=error,
        errors=field_messages(error, event_form.FORM_FIELD) if error else {},
        clashes=event_form.clashes_of(error),
        clash_action=action,
        kept=kept or {},
        **event_form.editor_choices(refs, shown, night),
    )


@get("/staff/occurrences/{occurrence_id:str}", guards=WRITE, include_in_schema=False)
async def night_page(request: AnyRequest, db: AsyncSession, occurrence_id: str) -> Template:
    return await _night_page(request, db, occurrence_id)


@post("/staff/occurrences/{occurrence_id:str}/{action:str}", guards=WRITE, include_in_schema=False)
async def change_night(
    request: AnyRequest, db: AsyncSession, settings: Settings, occurrence_id: str, action: str
) -> Response[Any]:
    """Skip, move, cancel (with a reason) or restore one night of a series, from its page or
    from the event page's nights table; either way back to that night's row in the table."""
    if action not in NIGHT_ACTIONS:
        raise not_found("操作", "action", action)
    event, occ = await get_occurrence(db, occurrence_id)
    event_id, all_day, row = event.id, event.all_day, night_id(event, occ)
    form = await request.form()
    kept = {name: text(form, name, 300) for name in (*event_form.WHEN, "venue", "reason")}
    tz = zone(settings.timezone)  # the zone closed years (封账) are counted in

    async def change() -> None:
        if action == "skip":
            await skip_occurrence(db, occurrence_id, tz=tz)
        elif action == "restore":
            await restore_occurrence(
                db, occurrence_id, tz=tz, allow_overlap=bool(form.get("allow_overlap"))
            )
        elif action == "cancel":
            try:
                reason = OccurrenceCancel(reason=kept["reason"])
            except ValidationError as exc:
                raise from_validation(exc) from None
            await cancel_occurrence(db, occurrence_id, reason, tz=tz)
        else:
            move = event_form.to_move(kept, all_day=all_day,
                                      allow_overlap=bool(form.get("allow_overlap")))
            await move_occurrence(db, occurrence_id, move, tz=tz)

    refused = await attempt(db, change)
    if isinstance(refused, DomainError):
        return await _night_page(request, db, occurrence_id, refused, kept, action)
    done = "cancel_night" if action == "cancel" else action
    return see_other(f"/staff/events/{event_id}", done, f"#night-{row}")


NIGHT_PAGES: list[Any] = [night_page, change_night]
