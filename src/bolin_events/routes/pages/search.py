"""The public search page: ``/search?q=夜市`` (or yeshi, ye shi, ys) lists the events found.

Matching lives in ``services.search``; this handler reads the query, asks, and renders. Like
the other public pages it is cached per data version and minute (routes.public_cache).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.datastructures import State
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.calendar import Label
from bolin_events.errors import DomainError
from bolin_events.routes.pages.public import clock_of
from bolin_events.services.refs import RefData
from bolin_events.services.search.build import SearchCache, search
from bolin_events.services.search.query import MAX_QUERY, read_query
from bolin_events.settings import Settings
from bolin_events.web.render import render

AnyRequest = Request[Any, Any, Any]


@get("/search", name="public_search")
async def search_page(
    request: AnyRequest, db: AsyncSession, refs: RefData, state: State, settings: Settings,
    q: str | None = None,
) -> Template:
    try:
        query = read_query(q)
    except DomainError as problem:  # too long: the box again, with why
        return render(request, "public/search.html", status_code=problem.status, query=None,
                      answer=None, typed=(q or "").strip()[:MAX_QUERY],
                      problem=Label(problem.zh, problem.en))
    clock, answer = clock_of(settings), None
    if query.ready:
        cache: SearchCache = state.search_cache  # app.fresh_state
        answer = await search(db, refs, cache, query, clock.now)
    return render(request, "public/search.html", query=query, typed=query.typed, answer=answer,
                  problem=query.hint, clock=clock)


SEARCH_PAGES: list[Any] = [search_page]
