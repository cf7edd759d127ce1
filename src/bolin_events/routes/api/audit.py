"""The audit trail for admins: who changed what, when and from where."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.pagination import OffsetPagination
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.routes.deps import (
    AnyRequest,
    FromParam,
    Limit,
    Offset,
    PeriodParam,
    ToParam,
    audit_query,
    next_link,
)
from bolin_events.schemas.audit import AuditEntryOut
from bolin_events.services.audit import ObjectType, entries, entry_out
from bolin_events.settings import Settings


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get(
        "/",
        guards=[allow("audit:read")],
        summary="The audit trail (admins)",
        description="Every change staff made — events, nights, reports and photos, users, "
        "tokens, imports, reference data — newest first: who, when, from which address "
        "and browser, through the API, a page or a command, and each changed field before "
        "and after. Filter by `user` (user name), `object_type` and `object_id`, and a period "
        "(`period`, or `from` and `to`, in local days). In pages like every list.",
    )
    async def list_entries(
        self,
        db: AsyncSession,
        settings: Settings,
        request: AnyRequest,
        user: Annotated[str | None, Parameter(max_length=100, description="user name")] = None,
        object_type: ObjectType | None = None,
        object_id: Annotated[str | None, Parameter(max_length=64)] = None,
        period: PeriodParam = None,
        from_: FromParam = None,
        to: ToParam = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response[OffsetPagination[AuditEntryOut]]:
        query = audit_query(settings, user, object_type, object_id, period, from_, to)
        rows, total = await entries(db, query, limit, offset)
        page = OffsetPagination[AuditEntryOut](
            items=[entry_out(r) for r in rows], total=total, limit=limit, offset=offset)
        return Response(page, headers=next_link(request, offset, len(rows), total))
