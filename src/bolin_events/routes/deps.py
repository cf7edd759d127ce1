"""What several handlers share: query parameters (paging, filters, report periods), reference
data loaded once per request, who is asking (their principal, as a reporter), the photo store,
the idempotent-write helper, and the rule that visitors never see drafts.

Handlers take ``refs``, ``filters`` and ``store`` as Litestar dependencies (``DEPENDENCIES``,
registered by ``create_app``) and call the plain functions for the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, Response
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import may
from bolin_events.db import PRIVATE_WRITE
from bolin_events.errors import InvalidInput, field_zh, not_found
from bolin_events.models import Event, EventStatus
from bolin_events.schemas.attendance import PhotoOut, ReportOut
from bolin_events.services.accounts.users import Principal
from bolin_events.services.attendance import idempotency
from bolin_events.services.attendance.access import Reporter
from bolin_events.services.audit import AuditQuery
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData
from bolin_events.services.stats.periods import resolve as resolve_period
from bolin_events.services.timing import check_year, zone
from bolin_events.services.versions import RefsCache
from bolin_events.settings import Settings
from bolin_events.storage import BlobStore, LocalStore

Limit = Annotated[int, Parameter(ge=1, le=500, description="page size (1–500)")]
Offset = Annotated[int, Parameter(ge=0, le=1_000_000, description="items to skip")]
NIGHTS_PAGE, MAX_NIGHTS_PAGE = 2000, 5000
NightsPage = Annotated[
    int, Parameter(ge=1, le=MAX_NIGHTS_PAGE, description=f"nights per page (1–{MAX_NIGHTS_PAGE})")
]
SlugList = Annotated[
    str | None, Parameter(max_length=1000, description="comma-separated slugs, e.g. a,b")
]

# ?dry_run=true, the same on every endpoint that takes it (reports, imports)
DryRun = Annotated[
    bool, Parameter(description="check everything and answer what would be done; write nothing")
]

# a route's opt: its writes show on no public read (db.PRIVATE_WRITE)
PRIVATE_WRITES: dict[str, Any] = {PRIVATE_WRITE: True}
NOT_KEPT = {"Cache-Control": "private, no-store"}  # personal or live: never from a cache


CategoryFilter = Annotated[
    str | None, Parameter(max_length=1000, description="category slugs, comma-separated")
]
VillageFilter = Annotated[
    str | None, Parameter(max_length=1000, description="village slugs, comma-separated")
]
VenueFilter = Annotated[
    str | None, Parameter(max_length=1000, description="venue slugs, comma-separated")
]
ProgrammeFilter = Annotated[
    str | None,
    Parameter(max_length=1000, description="programme slugs (sub-programmes included)"),
]
PeriodParam = Annotated[
    str | None,
    Parameter(
        max_length=40,
        description="2025 (a year), 2025-Q2 (a quarter), 2025-06 (a month); or give from and to",
    ),
]
FromParam = Annotated[
    str | None, Parameter(query="from", max_length=10, description="first day, e.g. 2025-01-01")
]
ToParam = Annotated[
    str | None, Parameter(query="to", max_length=10, description="last day, included")
]
AnyRequest = Request[Any, Any, Any]
Out = TypeVar("Out", ReportOut, PhotoOut)


def provide_filters(
    category: CategoryFilter = None,
    village: VillageFilter = None,
    venue: VenueFilter = None,
    programme: ProgrammeFilter = None,
) -> Filters:
    """``?category=a,b&village=c&venue=…&programme=…``, as every list and feed reads them."""
    return Filters.of(category, village, venue, programme)


REFS_VERSION = "bolin_refs_version"  # in a request's scope state, when already known


async def provide_refs(db: AsyncSession, state: State, request: AnyRequest) -> RefData:
    """Reference data, held in memory per version: one small query per request that asks
    (none when the public cache has just read the version for this request)."""
    cache: RefsCache = state.refs_cache
    known = request.scope.get("state", {}).get(REFS_VERSION)
    return await cache.get(db, known)


def provide_store(settings: Settings) -> BlobStore:
    return LocalStore(settings.uploads_dir)


def principal(request: AnyRequest) -> Principal:
    """Who is asking, on a handler whose guard already required a log-in."""
    user: Principal = request.scope["user"]
    return user


def reporter_of(request: AnyRequest) -> Reporter:
    """The caller as a reporter: the villages they report for (None: every village)."""
    asking = principal(request)
    everywhere = may(asking, "attendance:all_villages")
    return Reporter(asking.user_id, asking.username, None if everywhere else asking.village_ids)


def sees_drafts(request: AnyRequest) -> bool:
    """Drafts are for those who plan the programme; visitors never see them."""
    return may(request.scope.get("user"), "programme:write")


def check_visible(
    request: AnyRequest, event: Event, kind_zh: str, kind_en: str, key: object
) -> None:
    """A draft asked for by a visitor is answered as if it did not exist."""
    if event.status == EventStatus.draft and not sees_drafts(request):
        raise not_found(kind_zh, kind_en, key)


async def once(
    db: AsyncSession,
    user_id: int,
    header: str | None,
    wanted: str,
    model: type[Out],
    work: Callable[[], Awaitable[Out]],
    *,
    dry_run: bool = False,
) -> Response[Out]:
    """Run ``work`` unless this Idempotency-Key already has an answer; keep the new answer
    (a dry run only reads the key: it writes nothing, the key included)."""
    key = idempotency.check_key(header)
    claimed = None
    if key is not None:
        found = await (idempotency.lookup if dry_run else idempotency.claim)(
            db, user_id, key, wanted
        )
        if isinstance(found, idempotency.Replay):
            return Response(
                model.model_validate_json(found.body),
                status_code=found.status,
                headers={"Idempotent-Replayed": "true"},
            )
        claimed = found
    out = await work()
    if claimed is not None:
        await idempotency.record(db, claimed, 201, out.model_dump_json())
    return Response(out, status_code=200 if dry_run else 201)


def moment(value: str, tz: ZoneInfo, field: str) -> datetime:
    """A date (its local midnight) or a date-time (local unless it has an offset)."""
    text = value.strip()
    try:
        if len(text) == 10:
            parsed = datetime.combine(date.fromisoformat(text), time(0), tzinfo=tz)
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{field_zh(field)}不是有效的日期或时间（例如 2027-06-01 或 2027-06-01T19:00）。",
            f"{field} is not a date or date-time (e.g. 2027-06-01 or 2027-06-01T19:00).",
            [{"field": field, "value": value[:50]}],
        ) from None
    check_year(parsed, field)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def next_page(request: AnyRequest, offset: int) -> str:
    """This request's address with ``offset`` set (the other query parameters kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    params.append(("offset", str(offset)))
    return f"{request.url.path}?{urlencode(params)}"


def next_link(request: AnyRequest, offset: int, shown: int, total: int) -> dict[str, str]:
    """``Link: <…>; rel="next"`` while a list has a next page (else no header)."""
    if offset + shown >= total:
        return {}
    return {"Link": f'<{next_page(request, offset + shown)}>; rel="next"'}


def client_address(request: Request[Any, Any, Any]) -> str:
    """Who is calling, for counting wrong passwords (behind a proxy: its forwarded address)."""
    return request.client.host if request.client else "unknown"


DEPENDENCIES = {
    "filters": Provide(provide_filters, sync_to_thread=False),
    "refs": Provide(provide_refs),
    "store": Provide(provide_store, sync_to_thread=False),
}


def audit_query(settings: Settings, user: str | None, object_type: str | None,
                object_id: str | None, period: str | None, first: str | None,
                last: str | None) -> AuditQuery:
    """The audit trail's filters as the API and the staff page take them (local days)."""
    start = end = None
    if period or first or last:
        start, end = resolve_period(period, first, last).bounds(zone(settings.timezone))
    return AuditQuery(user or None, object_type or None, object_id or None, start, end)
