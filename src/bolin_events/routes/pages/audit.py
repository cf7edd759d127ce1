"""The admin's page of the audit trail: who changed what, when and from where."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import get
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError
from bolin_events.routes.deps import audit_query
from bolin_events.routes.pages.common import AnyRequest
from bolin_events.services.audit import KINDS, entries, entry_out
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web.render import render

PAGE_SIZE = 100
FIELDS = ("user", "object_type", "object_id", "from", "to")


@get("/staff/audit", guards=[page_allow("audit:read")], include_in_schema=False)
async def audit_page(request: AnyRequest, db: AsyncSession, settings: Settings) -> Template:
    asked = {name: str(request.query_params.get(name) or "")[:100].strip() for name in FIELDS}
    page = max(0, min(_number(request.query_params.get("page")), 10_000))
    error: DomainError | None = None
    shown: list[Any] = []
    total = 0
    try:
        query = audit_query(settings, asked["user"], asked["object_type"], asked["object_id"],
                            None, asked["from"] or None, asked["to"] or None)
        rows, total = await entries(db, query, PAGE_SIZE, page * PAGE_SIZE)
        shown = [entry_out(row) for row in rows]
    except DomainError as exc:  # a bad date: said on the page, the filters kept
        error = exc
    tz = zone(settings.timezone)
    when = {e.id: f"{e.at.astimezone(tz):%Y-%m-%d %H:%M:%S}" for e in shown}
    kept = {name: value for name, value in asked.items() if value}
    pages = {"previous": _link(kept, page - 1) if page > 0 else None,
             "next": _link(kept, page + 1) if (page + 1) * PAGE_SIZE < total else None}
    return render(request, "staff/audit.html", status_code=422 if error else 200,
                  entries=shown, when=when, total=total, asked=asked, pages=pages,
                  kinds=KINDS, error=error)


def _link(kept: dict[str, str], page: int) -> str:
    return "/staff/audit?" + urlencode({**kept, "page": page})


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else 0


AUDIT_PAGES: list[Any] = [audit_page]
