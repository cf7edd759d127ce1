"""What the staff page handlers share: reading a form, answering a write with 303 and a
confirmation, and running a write that may be refused without losing the page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import LoginRequired, page_allow
from bolin_events.errors import DomainError
from bolin_events.http_errors import EXCEPTION_HANDLERS, domain_error_handler
from bolin_events.schemas.common import clean_text
from bolin_events.services.stats.periods import Period, resolve
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

AnyRequest = Request[Any, Any, Any]
T = TypeVar("T")

# The door and the gates: pages and the JSON their scripts send, never kept by a cache;
# a script's request gets a problem body whatever went wrong, a lapsed log-in included.
DOOR = [page_allow("door:work")]
JSON_ANSWERS: dict[type[Exception] | int, Any] = {
    **EXCEPTION_HANDLERS, LoginRequired: domain_error_handler}

# ?done=… after a write: the confirmation the next page shows (POST/redirect/GET).
DONE: dict[str, tuple[str, str]] = {
    "created": ("活动已创建。", "The event was created."),
    "saved": ("修改已保存。", "Changes saved."),
    "publish": ("活动已发布。", "The event is published."),
    "cancel": ("活动已取消，访客会看到原因。", "Cancelled; visitors see the reason."),
    "postpone": ("活动已延期，访客会看到原因。", "Postponed; visitors see the reason."),
    "deleted": ("草稿已删除。", "The draft was deleted."),
    "skip": ("这一场已从日历中去掉。", "That night was taken off the calendar."),
    "move": ("这一场已改期。", "That night was moved."),
    "cancel_night": ("这一场已取消。", "That night was cancelled."),
    "restore": ("这一场已恢复原安排。", "That night is back to the usual plan."),
    "picture_saved": ("图片已上传，访客页面会显示它。", "Picture uploaded; visitors see it."),
    "picture_removed": ("活动图片已删除。", "The event's picture was removed."),
    "user_created": ("账号已创建。", "The account was created."),
    "user_saved": ("账号已修改。", "The account was changed."),
    "user_disabled": ("账号已停用，其登录和令牌均已失效。",
                      "The account is disabled; its log-ins and tokens no longer work."),
    "user_enabled": ("账号已启用。", "The account is enabled."),
    "password": ("密码已重置，旧的登录和令牌均已失效。",
                 "The password was reset; old log-ins and tokens no longer work."),
    "year_close": ("该年度已封账，数据已冻结。", "The year is closed; its figures are frozen."),
    "year_reopen": ("该年度已重新开放，可以更正。", "The year is open again for corrections."),
}


def period_query(period: Period) -> dict[str, str]:
    """The query that names the period to a page's chart and file addresses."""
    if period.kind == "range":
        return {"from": period.first.isoformat(), "to": period.last.isoformat()}
    return {"period": period.key}


def period_or_this_year(
    settings: Settings, period: str | None, first: str | None, last: str | None
) -> Period:
    """The period asked for (as the API reads it); this year when none is."""
    if not (period or first or last):
        period = str(datetime.now(zone(settings.timezone)).year)
    return resolve(period, first, last)


def done_message(request: AnyRequest) -> tuple[str, str] | None:
    return DONE.get(str(request.query_params.get("done", "")))


def see_other(path: str, done: str | None = None, anchor: str = "") -> Redirect:
    query = f"?{urlencode({'done': done})}" if done else ""
    return Redirect(f"{path}{query}{anchor}", status_code=303)


def text(form: FormMultiDict, name: str, limit: int = 500) -> str:
    """A form field as text without control characters (they would break the page shown back)."""
    return clean_text(str(form.get(name) or ""))[:limit]


def form_status(exc: DomainError) -> int:
    """The refusal's own status: 422 for values to correct (docs/api.md, one rule for pages and
    the API), 409 for a clash, 404 …"""
    return exc.status


async def attempt(db: AsyncSession, work: Callable[[], Awaitable[T]]) -> T | DomainError:
    """Runs a write in a savepoint: a refusal undoes just it, and the page shows the refusal.

    Objects the refused write touched are expired afterwards: read them again before use.
    """
    try:
        async with db.begin_nested():
            return await work()
    except DomainError as exc:
        return exc


def int_param(value: Any, default: int, low: int, high: int) -> int:
    """A whole number from the query string; anything else (or out of range) is the default."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return number if low <= number <= high else default
