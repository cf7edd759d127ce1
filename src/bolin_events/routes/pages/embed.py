"""``/embed``: the next nights as a compact list another site shows in a frame (the town's
website, a village's page): no header or footer, no script, links open the full event page
in a new tab. routes.access_log lets any site frame it; every other page only this one.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import Parameter
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import utcnow
from bolin_events.routes.deps import SlugList
from bolin_events.routes.pages.public import query_of
from bolin_events.services.filters import Filters, resolve
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import MAX_WINDOW
from bolin_events.services.timing import zone
from bolin_events.settings import Settings
from bolin_events.web import public_views
from bolin_events.web.render import render

EMBED_DEFAULT = 8
EMBED_MAX = 20


@get("/embed", name="public_embed")
async def embed(
    request: Request[Any, Any, Any],
    db: AsyncSession, refs: RefData,
    settings: Settings,
    category: SlugList = None,
    village: SlugList = None,
    venue: SlugList = None,
    programme: SlugList = None,
    limit: int = Parameter(default=EMBED_DEFAULT, ge=1, le=EMBED_MAX,
                           description=f"nights shown, 1–{EMBED_MAX}"),
) -> Template:
    filters = Filters.of(category, village, venue, programme)
    now = utcnow()
    nights = await public_views.nights_between(db, refs, now, now + MAX_WINDOW, filters, limit)
    chosen = {"category": category, "village": village, "venue": venue, "programme": programme}
    return render(
        request, "public/embed.html", labels=resolve(refs, filters).labels,
        days=public_views.group_by_day(nights, now.astimezone(zone(settings.timezone)).date()),
        query=query_of(chosen),
    )


EMBED_PAGES: list[Any] = [embed]
