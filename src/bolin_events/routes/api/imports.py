"""Bringing a season in: the spreadsheet template, and importing a filled one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import quote

from litestar import Controller, Response, Router, get, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.db import request_actor, written
from bolin_events.routes.deps import AnyRequest, DryRun
from bolin_events.schemas.imports import ImportReport
from bolin_events.services.heavy import off_loop
from bolin_events.services.imports.sheet import import_sheet
from bolin_events.services.imports.template import template_bytes
from bolin_events.services.imports.writes import SHEET_SOURCE
from bolin_events.services.refs import RefData
from bolin_events.settings import Settings
from bolin_events.staging import run_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class SheetUpload:
    file: UploadFile
    dry_run: bool = False
    source: str = SHEET_SOURCE


class ImportController(Controller):
    path = "/import"
    tags = ["import"]

    @get(
        "/template.xlsx",
        summary="The spreadsheet template",
        description="An empty events sheet with Chinese (lang=zh) or English (lang=en) "
        "headers, a sheet on how to fill each column (and the 重复 phrases), and the names "
        "of categories, venues, villages, organizers and programmes as drop-down lists.",
        media_type=XLSX,
    )
    async def template(
        self,
        db: AsyncSession, refs: RefData,
        lang: Annotated[Literal["zh", "en"], Parameter(description="zh or en headers")] = "zh",
    ) -> Response[bytes]:
        name = "bolin-events-import.xlsx" if lang == "en" else "bolin-events-导入模板.xlsx"
        return Response(
            await off_loop(template_bytes, refs, lang),
            media_type=XLSX,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )

    @post(
        "/sheet",
        guards=[allow("programme:write")],
        status_code=200,
        summary="Import a spreadsheet (XLSX or UTF-8 CSV)",
        description="multipart/form-data: `file`, and optionally `dry_run` (true, as a form "
        "field or `?dry_run=true`: a preview, "
        "nothing saved) and `source` (`sheet`, or `sheet-<name>` to keep two sets of ids "
        "apart). Every row is matched on its 外部编号 (or one made from title, start and "
        "venue): new ones are created, changed ones updated, the rest left alone. Any "
        "problem (unknown venue, bad date, end before start, a venue clash …) and nothing is "
        "written: 422 `import_rejected` with every problem in `details`; a dry run answers "
        "200 with the problems in the report.",
    )
    async def import_sheet(
        self,
        state: State,
        settings: Settings,
        request: AnyRequest,
        data: Annotated[SheetUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        dry_run: DryRun = False,
    ) -> ImportReport:
        # No request transaction (no ``db``): on SQLite it would hold the write lock for the
        # whole import; staging.run_import keeps it for the apply alone.
        content = await data.file.read()
        dry = data.dry_run or dry_run  # the form field or ?dry_run=true
        report = await run_import(
            settings,
            state.sessionmaker,
            lambda session: import_sheet(session, content, data.file.filename or "", settings,
                                         source=data.source, dry_run=dry),
            dry_run=dry,
            actor=request_actor(request),
        )
        if not dry:
            written(state)
        return report


def import_routers(settings: Settings) -> list[Router]:
    """Uploads get their own body limit: the import size plus room for the form around it."""
    return [
        Router(
            path="/api/v1",
            route_handlers=[ImportController],
            request_max_body_size=settings.import_max_bytes + 64_000,
        )
    ]
