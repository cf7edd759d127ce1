"""Staff workspace HTML pages: log-in and log-out (a session cookie) and the dashboard. The
event editor is in ``events`` and ``nights``, user management in ``users``."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from litestar import Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import SESSION_COOKIE, may, page_allow
from bolin_events.errors import DomainError, InvalidInput, NotAuthenticated, TooManyRequests
from bolin_events.models import utcnow
from bolin_events.routes.deps import client_address, principal, reporter_of
from bolin_events.routes.pages.common import (
    AnyRequest,
    done_message,
    text,
)
from bolin_events.services.accounts import limits as login_limits
from bolin_events.services.accounts.tokens import create_web_session, revoke_token, token_principal
from bolin_events.services.attendance.pending import pending
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData
from bolin_events.services.scheduling.queries import night_out, visible_occurrences
from bolin_events.settings import Settings
from bolin_events.web import staff_views
from bolin_events.web.render import render

SAFE_NEXT = re.compile(r"/staff(?:[/?#][!-~]*)?")


def safe_next(target: str) -> str:
    """Where to go after logging in: only a staff page of this site (never another site)."""
    if SAFE_NEXT.fullmatch(target) and "\\" not in target and "/staff/log" not in target:
        return target
    return "/staff"


def session_cookie(raw: str, settings: Settings) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=raw,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def _login_page(
    request: AnyRequest, status_code: int = 200, error: DomainError | None = None, **context: Any
) -> Template:
    context.setdefault("next", safe_next(str(request.query_params.get("next", ""))))
    context.setdefault("username", "")
    return render(request, "staff/login.html", status_code=status_code, error=error, **context)


@get("/staff/login", include_in_schema=False)
async def login_form(request: AnyRequest) -> Response[Any]:
    if request.scope.get("user") is not None:
        return Redirect("/staff", status_code=303)
    return _login_page(request)


@post("/staff/login", include_in_schema=False)
async def login(request: AnyRequest, db: AsyncSession, settings: Settings) -> Response[Any]:
    form = await request.form()
    username, password = text(form, "username", 64), str(form.get("password") or "")[:200]
    kept = {"username": username, "next": safe_next(text(form, "next", 500))}
    if not username or not password:
        missing = InvalidInput("请填写用户名和密码。", "Enter your username and password.")
        return _login_page(request, 422, missing, **kept)
    try:
        user = await login_limits.log_in(db, settings, username, password, client_address(request))
    except TooManyRequests as locked:
        return _login_page(request, locked.status, locked, **kept)
    if isinstance(user, NotAuthenticated):
        return _login_page(request, user.status, user, **kept)
    raw = await create_web_session(db, user)
    return Redirect(kept["next"], status_code=303, cookies=[session_cookie(raw, settings)])


@post("/staff/logout", include_in_schema=False)
async def logout(request: AnyRequest, db: AsyncSession) -> Response[Any]:
    """Ends this log-in for good (the token is revoked), not just in this browser."""
    raw = request.cookies.get(SESSION_COOKIE)
    found = await token_principal(db, raw) if raw else None
    if found is not None:
        await revoke_token(db, found[0].id or 0)
    response = Redirect("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@get("/staff", guards=[page_allow("staff:read")], include_in_schema=False)
async def dashboard(
    request: AnyRequest, db: AsyncSession, refs: RefData, settings: Settings
) -> Template:
    scope = reporter_of(request).villages
    villages = None if scope is None else set(scope)
    now = utcnow()
    to_report, to_report_total = await pending(db, refs, villages, now, 20, 0)
    slugs = [refs.villages.by_id[v].slug for v in villages or ()]
    week = await visible_occurrences(
        db, refs, now, now + timedelta(days=7), Filters(villages=slugs)
    )
    writer = may(principal(request), "programme:write")
    changes = await staff_views.recent_changes(db, settings.timezone, 10) if writer else []
    return render(
        request,
        "staff/dashboard.html",
        to_report=to_report,
        to_report_total=to_report_total,
        week=[night_out(refs, night) for night in week],
        changes=changes,
        writer=writer,
        village_names=[refs.villages.by_id[v] for v in sorted(villages or ())],
        done=done_message(request),
    )


STAFF_PAGES: list[Any] = [
    login_form,
    login,
    logout,
    dashboard,
]
