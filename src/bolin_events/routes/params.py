"""Query-parameter helpers shared by the JSON API and the feeds (and the caller's address)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.params import Parameter

from bolin_events.errors import InvalidInput
from bolin_events.services.filters import Filters
from bolin_events.services.timing import check_year

Limit = Annotated[int, Parameter(ge=1, le=500, description="page size (1–500)")]
Offset = Annotated[int, Parameter(ge=0, le=1_000_000, description="items to skip")]
SlugList = Annotated[
    str | None, Parameter(max_length=1000, description="comma-separated slugs, e.g. a,b")
]


def split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def filters(
    category: str | None, village: str | None, venue: str | None, programme: str | None
) -> Filters:
    return Filters(split(category), split(village), split(venue), split(programme))


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
            f"{field} 不是有效的日期或时间（例如 2027-06-01 或 2027-06-01T19:00）。",
            f"{field} is not a date or date-time (e.g. 2027-06-01 or 2027-06-01T19:00).",
            [{"field": field, "value": value[:50]}],
        ) from None
    check_year(parsed, field)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def client_address(request: Request[Any, Any, Any]) -> str:
    """Who is calling, for counting wrong passwords (behind a proxy: its forwarded address)."""
    return request.client.host if request.client else "unknown"
