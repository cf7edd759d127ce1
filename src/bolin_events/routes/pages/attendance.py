"""Staff attendance pages (session login): what is still to report, and the phone form that
files a report with its photos.

The form carries a hidden idempotency key made when it is shown, handed to the same
per-user key store as the JSON API's ``Idempotency-Key``: a double tap, or a form the browser
sends again after a dropped connection, files one report. A refused form is shown again with
the reason and the figures as typed; its writes (report, photos, key) are rolled back.

A night that took sign-ups shows its 报名 and 签到 beside the form, and "按签到人数上报" opens
the form filled with the checked-in people (method 签到表): nothing is filed until the
reporter submits it.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import uuid4

from litestar import Request, Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, NotFound, not_found
from bolin_events.models import utcnow
from bolin_events.models.base import is_valid_id
from bolin_events.routes.deps import once, provide_store, reporter_of
from bolin_events.schemas.attendance import PhotoOut, ReportOut
from bolin_events.services.attendance import idempotency, photos
from bolin_events.services.attendance.access import Reporter, check_village
from bolin_events.services.attendance.figures import FIGURE_ZH, MAX_COUNT
from bolin_events.services.attendance.history import history, occurrence_only
from bolin_events.services.attendance.pending import RECENT, pending, recently_reported
from bolin_events.services.attendance.reports import check_held, check_year_open, file_report
from bolin_events.services.heavy import off_loop
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.scheduling.occurrences import get_occurrence
from bolin_events.services.signups.figures import night_figures
from bolin_events.services.tally.figures import figures_of
from bolin_events.settings import Settings
from bolin_events.web.attendance_form import (
    MAX_PHOTOS,
    METHODS,
    Message,
    ReportEntry,
    field_errors,
    local_clock,
    prefill,
    prefill_from_check_ins,
    read_entry,
    split_open,
)
from bolin_events.web.render import render

AnyRequest = Request[Any, Any, Any]
PENDING_SHOWN = 50
RECENT_SHOWN = 10
FORM_MAX_BYTES = 60_000_000  # a few phone photos in one form; each is checked against the setting
Skip = Annotated[int, Parameter(ge=0, le=1_000_000, description="newest nights to skip")]
Older = Annotated[bool, Parameter(description="the nights that ended before the past week")]
PrefillParam = Annotated[
    str, Parameter(max_length=20, description="check-ins: the form starts from the check-ins")
]


def _refusal(check: Any) -> DomainError | None:
    try:
        check()
    except DomainError as exc:
        return exc
    return None


async def occurrence_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    key: str,
    *,
    entry: ReportEntry | None = None,
    problem: DomainError | None = None,
    status: int = 200,
    saved: Message | None = None,
    from_check_ins: bool = False,
) -> Template:
    """``from_check_ins``: the form starts from the night's checked-in people."""
    event, occ = await get_occurrence(db, key)
    refs = await load_refs(db)
    reader = reporter_of(request)
    forbidden = _refusal(lambda: check_village(refs, occ, reader))
    ledger = await (occurrence_only(db, key) if forbidden else history(db, key, reader))
    closed = _refusal(lambda: check_held(event, occ, settings, utcnow()))
    if closed is None:
        try:
            await check_year_open(db, occ, settings)
        except DomainError as exc:  # a closed year (封账): said before anyone types figures
            closed = exc
    if forbidden is not None and status == 200:
        status = forbidden.status
    # 报名 and 签到 (None: it took no sign-ups) and the tally of the night; never shown to whom
    # the night's figures are refused
    assert occ.id is not None  # a stored night
    counts = None if forbidden else (await night_figures(db, [occ.id])).get(occ.id)
    gates = None if forbidden else await figures_of(db, event, occ)
    prefilled = from_check_ins and entry is None and counts is not None and closed is None
    if entry:
        values = entry.values
    elif prefilled and counts is not None:
        values = prefill_from_check_ins(counts)
    else:
        values = prefill(ledger.current)
    errors = field_errors(entry, problem)
    return render(
        request,
        "staff/attendance_occurrence.html",
        status_code=status,
        ledger=ledger,
        occ=ledger.occurrence,
        forbidden=forbidden,
        closed=closed,
        problem=problem,
        saved=saved,
        counts=counts,
        gates=gates,
        prefilled=prefilled,
        values=values,
        errors=errors,
        split_open=split_open(values, errors),
        form_key=str(uuid4()),
        methods=METHODS,
        max_photos=MAX_PHOTOS,
        max_photo_mb=settings.max_photo_bytes / 1e6,
        max_photo_bytes=settings.max_photo_bytes,
        max_count=MAX_COUNT,
        method_names={value: (zh, en) for value, zh, en in METHODS},
        field_names={**FIGURE_ZH, "method": "统计方式", "note": "备注"},
        local=local_clock(settings.timezone),
    )


def saved_message(ledger_current: ReportOut | None, saved: str, again: str) -> Message | None:
    if ledger_current is None or saved != str(ledger_current.revision):
        return None
    zh = f"已上报：第 {ledger_current.revision} 版，总人次 {ledger_current.total}，已计入统计。"
    en = f"Saved: revision {ledger_current.revision}, total {ledger_current.total}, counted."
    if again:
        zh += "这份表单此前已提交过，本次没有重复计数。"
        en += " This form had already been sent; it was not counted twice."
    return zh, en


async def _file_once(
    db: AsyncSession, settings: Settings, reporter: Reporter, key: str, entry: ReportEntry
) -> Response[ReportOut]:
    assert entry.data is not None
    wanted = idempotency.fingerprint(
        "POST", f"/occurrences/{key}/reports", entry.data.model_dump(mode="json")
    )
    work = partial(file_report, db, key, entry.data, reporter, settings)
    return await once(db, reporter.user_id, entry.key, wanted, ReportOut, work)


async def _add_photos(
    db: AsyncSession, settings: Settings, reporter: Reporter, key: str, entry: ReportEntry
) -> None:
    store = provide_store(settings)
    for n, upload in enumerate(entry.photos, 1):
        raw = await upload.read()
        digest = await off_loop(photos.digest, raw)  # megabytes: off the event loop
        wanted = idempotency.fingerprint("POST", f"/occurrences/{key}/photos", digest)
        work = partial(
            photos.add_photo,
            db,
            store,
            key,
            reporter,
            raw,
            upload.filename,
            settings.max_photo_bytes,
        )
        photo_key = f"{entry.key}/photo-{n}" if entry.key else None
        await once(db, reporter.user_id, photo_key, wanted, PhotoOut, work)


def _done(key: str, revision: int, replayed: bool) -> Redirect:
    query = {"saved": revision, **({"again": 1} if replayed else {})}
    return Redirect(f"/staff/attendance/{key}?{urlencode(query)}", status_code=303)


def _pager(skip: int, total: int) -> tuple[int, int]:
    """The slice of a newest-first list that ``skip`` asks for, as the oldest-first query's
    (offset, limit)."""
    start = max(0, total - skip - PENDING_SHOWN)
    return start, max(0, min(PENDING_SHOWN, total - skip))


@get("/staff/attendance", guards=[page_allow("attendance:write")], name="attendance_pending")
async def pending_page(
    request: AnyRequest,
    db: AsyncSession,
    refs: RefData,
    settings: Settings,
    skip: Skip = 0,
    older: Older = False,
) -> Template:
    """The nights of the past week, newest first (the night just held is the one a reporter is
    standing at), and how many older ones wait; ``older`` lists those, ``skip`` pages back."""
    scope = reporter_of(request).villages
    villages = None if scope is None else set(scope)
    now = utcnow()
    cutoff = now - RECENT
    until, after = (cutoff, None) if older else (now, cutoff)
    _, total = await pending(db, refs, villages, now, 0, 0)
    _, listed = await pending(db, refs, villages, until, 0, 0, ended_after=after)
    start, shown = _pager(skip, listed)
    items, _ = await pending(db, refs, villages, until, shown, start, ended_after=after)
    recent = await recently_reported(db, refs, villages, RECENT_SHOWN)
    village_names = [refs.villages.by_id[v] for v in sorted(villages or ())]
    return render(
        request,
        "staff/attendance_pending.html",
        pending=list(reversed(items)),
        total=total,
        older_view=older,
        earlier=0 if older else total - listed,
        page_older=skip + PENDING_SHOWN if start > 0 else None,
        page_newer=max(0, skip - PENDING_SHOWN) if skip > 0 else None,
        recent_days=RECENT.days,
        recent=recent,
        villages=village_names if scope is not None else None,
        local=local_clock(settings.timezone),
    )


@get(
    "/staff/attendance/{occurrence_id:str}",
    guards=[page_allow("attendance:write")],
    name="attendance_occurrence",
)
async def report_page(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    occurrence_id: str,
    saved: str = "",
    again: str = "",
    prefill: PrefillParam = "",
) -> Template:
    current = None
    if saved or again:  # the confirmation after a report: for those who may read it
        current = (await history(db, occurrence_id, reporter_of(request))).current
    message = saved_message(current, saved, again)
    return await occurrence_page(
        request, db, settings, occurrence_id, saved=message, from_check_ins=prefill == "check-ins"
    )


async def _submit(
    request: AnyRequest,
    db: AsyncSession,
    settings: Settings,
    key: str,
    *,
    with_figures: bool,
) -> Response[Any]:
    """Files the form's report (``with_figures``) and its photos, in one savepoint."""
    entry = read_entry(await request.form())
    if not with_figures:
        entry.errors = {k: v for k, v in entry.errors.items() if k == "photos"}
        if not entry.photos:
            entry.errors["photos"] = ("请选择要上传的照片。", "Choose the photos to upload.")
    if entry.errors:  # read, but the values break a rule
        return await occurrence_page(request, db, settings, key, entry=entry, status=422)
    reporter = reporter_of(request)
    try:
        async with db.begin_nested():
            filed = await _file_once(db, settings, reporter, key, entry) if with_figures else None
            await _add_photos(db, settings, reporter, key, entry)
    except NotFound:
        raise
    except DomainError as exc:
        return await occurrence_page(
            request, db, settings, key, entry=entry, problem=exc, status=exc.status
        )
    if filed is None:
        current = (await history(db, key, reporter)).current
        assert current is not None  # photos are refused without a report
        return _done(key, current.revision, replayed=False)
    assert isinstance(filed.content, ReportOut)
    return _done(key, filed.content.revision, "Idempotent-Replayed" in filed.headers)


@post(
    "/staff/attendance/{occurrence_id:str}",
    guards=[page_allow("attendance:write")],
    request_max_body_size=FORM_MAX_BYTES,
    name="attendance_submit",
)
async def submit_report(
    request: AnyRequest, db: AsyncSession, settings: Settings, occurrence_id: str
) -> Response[Any]:
    return await _submit(request, db, settings, occurrence_id, with_figures=True)


@post(
    "/staff/attendance/{occurrence_id:str}/photos",
    guards=[page_allow("attendance:write")],
    request_max_body_size=FORM_MAX_BYTES,
    name="attendance_photos",
)
async def submit_photos(
    request: AnyRequest, db: AsyncSession, settings: Settings, occurrence_id: str
) -> Response[Any]:
    return await _submit(request, db, settings, occurrence_id, with_figures=False)


@get(
    "/staff/attendance/photos/{photo_id:int}",
    guards=[page_allow("staff:read")],
    name="attendance_photo",
    media_type="application/octet-stream",
)
async def photo_file(
    request: AnyRequest, db: AsyncSession, settings: Settings, photo_id: int
) -> Response[bytes]:
    """The evidence photo behind a thumbnail: staff of its village only, never kept by a
    shared cache."""
    if not is_valid_id(photo_id):
        raise not_found("照片", "photo", photo_id)
    photo, content = await photos.read_photo(
        db, provide_store(settings), photo_id, reporter_of(request)
    )
    return Response(
        content,
        media_type=photo.content_type,
        headers={"Cache-Control": "private, no-store"},
    )


ATTENDANCE_PAGES: list[Any] = [
    pending_page,
    report_page,
    submit_report,
    submit_photos,
    photo_file,
]
