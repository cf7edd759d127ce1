"""Atom and RSS feeds of the nights to come: ``/atom/all.xml`` and
``/atom/{categories|villages|venues|programmes}/{slug}.xml``, RSS 2.0 with ``?format=rss``,
English with ``?lang=en``. The public cache keeps each answer per data version (its path and
query are its key), so a reader polling every few minutes costs one dictionary look-up.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import utcnow
from bolin_events.services.refs import RefData
from bolin_events.settings import Settings
from bolin_events.web import syndication
from bolin_events.web.render import request_lang

AnyRequest = Request[Any, Any, Any]
FormatParam = Parameter(query="format", default=None, max_length=10,
                        description="atom (default) or rss")


async def _answer(request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
                  scope: syndication.Scope, format_name: str | None) -> Response[bytes]:
    media_type = syndication.media_type(format_name)
    now = utcnow()
    nights, updated = await syndication.upcoming(db, refs, scope.filters, now)
    body = syndication.render_feed(
        settings, scope, nights, updated, lang=request_lang(request),
        rss=media_type.startswith("application/rss"), today=syndication.feed_day(now, settings),
    )
    return Response(body, media_type=media_type)


@get("/atom/all.xml", name="atom_town", include_in_schema=False)
async def town_feed(request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
                    format_name: str | None = FormatParam) -> Response[bytes]:
    return await _answer(request, db, refs, settings, syndication.town_scope(settings),
                         format_name)


@get("/atom/{kind:str}/{name:str}", name="atom_scope", include_in_schema=False)
async def scope_feed(request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings,
                     kind: str, name: str, format_name: str | None = FormatParam
                     ) -> Response[bytes]:
    scope = syndication.named_scope(settings, refs, kind, name)
    return await _answer(request, db, refs, settings, scope, format_name)


SYNDICATION_PAGES: list[Any] = [town_feed, scope_feed]
