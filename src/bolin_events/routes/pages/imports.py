"""Importing a season from the staff pages: upload, preview the dry run, confirm.

The same import as the CLI and the API (services.imports), previewed first: the file is kept
under a random token with the digest of its plan (services.imports.preview), and the
confirmation applies it only if it still does exactly what the preview showed. Like the API,
no request transaction (no ``db``): staging.run_import keeps SQLite's write lock for the apply
alone. The multipart body was split in the worker pool before the handler runs.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.response import Template

from bolin_events.auth import page_allow
from bolin_events.db import request_actor, written
from bolin_events.errors import DomainError, InvalidInput
from bolin_events.routes.pages.common import AnyRequest, form_status, see_other, text
from bolin_events.schemas.imports import ImportReport
from bolin_events.services.imports.columns import BY_KEY
from bolin_events.services.imports.preview import (
    PendingImports,
    Plan,
    PlanChanged,
    Upload,
    apply,
    preview,
    upload_of,
    why_not,
)
from bolin_events.settings import Settings
from bolin_events.staging import run_import
from bolin_events.web.render import render

IMPORT = [page_allow("programme:write")]  # as the API's import
# The largest BOLIN_IMPORT_MAX_BYTES there may be, and the form around it: a file over the
# configured limit still reaches the import, which refuses it on the page, in words.
FORM_MAX_BYTES = 200_100_000
SHOWN = 500  # rows (and problems) listed; a 12,000-row season is counted, not all listed
CHANGE_NAMES = {key: (column.zh, column.en) for key, column in BY_KEY.items()}


def _form_page(request: AnyRequest, status_code: int = 200, **context: Any) -> Template:
    """The upload form; after a refused upload, with the refusal and the source typed."""
    return render(request, "staff/import.html", status_code=status_code,
                  **{"error": None, "source": "", **context})


def _report_context(report: ImportReport) -> dict[str, Any]:
    return {
        "report": report,
        "rows": report.rows[:SHOWN],
        "more_rows": max(0, len(report.rows) - SHOWN),
        "problems": report.problems[:SHOWN],
        "more_problems": max(0, len(report.problems) - SHOWN),
        "change_names": CHANGE_NAMES,
    }


def _preview_page(
    request: AnyRequest, token: str, upload: Upload, plan: Plan, *,
    status_code: int = 200, error: DomainError | None = None,
) -> Template:
    return render(request, "staff/import_preview.html", status_code=status_code,
                  token=token, digest=plan.digest, upload=upload, error=error,
                  why_not=why_not(plan.report), **_report_context(plan.report))


def _done_page(request: AnyRequest, report: ImportReport, *, again: bool = False) -> Template:
    return render(request, "staff/import_done.html", status_code=409 if again else 200,
                  again=again, **_report_context(report))


async def _dry_run(
    request: AnyRequest, state: State, settings: Settings, upload: Upload, content: bytes
) -> Plan:
    return await run_import(
        settings, state.sessionmaker, lambda s: preview(s, upload, content, settings),
        dry_run=True, actor=request_actor(request),
    )


@get("/staff/import", guards=IMPORT, include_in_schema=False)
async def import_form(request: AnyRequest) -> Template:
    return _form_page(request)


@post("/staff/import/preview", guards=IMPORT, include_in_schema=False,
      request_max_body_size=FORM_MAX_BYTES)
async def import_preview(request: AnyRequest, state: State, settings: Settings) -> Template:
    form = await request.form()
    source = text(form, "source", 100)
    chosen = form.get("file")
    try:
        if not isinstance(chosen, UploadFile):  # no file chosen: the browser sends an empty text
            raise InvalidInput("请选择要导入的文件。", "Choose the file to import.",
                               [{"field": "file"}])
        content = await chosen.read()
        upload = upload_of(chosen.filename or "", content, source)
        plan = await _dry_run(request, state, settings, upload, content)
        token = await PendingImports(settings).keep(upload, content, plan.digest)
    except DomainError as exc:
        return _form_page(request, form_status(exc), error=exc, source=source)
    return _preview_page(request, token, upload, plan)


@post("/staff/import/confirm", guards=IMPORT, include_in_schema=False)
async def import_confirm(request: AnyRequest, state: State, settings: Settings) -> Response[Any]:
    form = await request.form()
    token, digest = text(form, "token", 64), text(form, "digest", 64)
    store = PendingImports(settings)
    kept = await store.load(token)  # unknown or swept away: a page saying to upload again
    if kept.done is not None:
        return _done_page(request, kept.done, again=True)
    try:
        if digest != kept.digest:  # an older preview of this file, from another tab
            raise PlanChanged()
        async with store.claimed(token) as content:
            report = await run_import(
                settings, state.sessionmaker,
                lambda s: apply(s, kept.upload, content, settings, digest),
                dry_run=False, actor=request_actor(request),
            )
            await store.finish(token, report)
    except PlanChanged as exc:
        return await _preview_again(request, state, settings, token, kept.upload, exc)
    except DomainError as exc:
        return _form_page(request, exc.status, error=exc, source=kept.upload.source)
    written(state)
    return see_other(f"/staff/import/{token}")


async def _preview_again(
    request: AnyRequest, state: State, settings: Settings, token: str, upload: Upload,
    changed: PlanChanged,
) -> Template:
    """The refusal above a fresh preview of the same file, which can be confirmed in turn."""
    store = PendingImports(settings)
    try:
        plan = await _dry_run(request, state, settings, upload, await store.content(token))
    except DomainError as exc:
        return _form_page(request, exc.status, error=exc, source=upload.source)
    await store.replan(token, upload, plan.digest)
    return _preview_page(request, token, upload, plan, status_code=changed.status, error=changed)


@get("/staff/import/{token:str}", guards=IMPORT, include_in_schema=False)
async def import_done(request: AnyRequest, settings: Settings, token: str) -> Response[Any]:
    """What a confirmed import wrote (the page the confirmation leads to)."""
    kept = await PendingImports(settings).load(token)
    if kept.done is None:  # not confirmed yet: its preview is made by uploading
        return see_other("/staff/import")
    return _done_page(request, kept.done)


IMPORT_PAGES: list[Any] = [import_form, import_preview, import_confirm, import_done]
