"""Staff workspace HTML pages (session login): log-in and log-out, the dashboard and the
admin's user management. The event editor is in pages_staff_events; both are listed here."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from litestar import Response, get, post
from litestar.datastructures import Cookie, FormMultiDict
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import SESSION_COOKIE, may, page_allow
from bolin_events.errors import DomainError, InvalidInput, NotAuthenticated, TooManyRequests
from bolin_events.models import Role, utcnow
from bolin_events.routes.deps import client_address, principal, reporter_of
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    done_message,
    form_status,
    see_other,
    text,
)
from bolin_events.routes.pages.events import EVENT_PAGES
from bolin_events.schemas.accounts import PasswordReset, UserChange, UserCreate
from bolin_events.services.accounts import limits as login_limits
from bolin_events.services.accounts.tokens import create_web_session, revoke_token, token_principal
from bolin_events.services.accounts.users import (
    change_user,
    create_user,
    find_user,
    list_users,
    reset_password,
    set_active,
    user_out,
)
from bolin_events.services.attendance.pending import pending
from bolin_events.services.filters import Filters
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.scheduling.queries import occurrence_out, visible_occurrences
from bolin_events.settings import Settings
from bolin_events.web import staff_views
from bolin_events.web.form_problems import field_messages, from_validation
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
        return _login_page(request, 400, missing, **kept)
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
        week=[occurrence_out(refs, o, e) for o, e in week],
        changes=changes,
        writer=writer,
        village_names=[refs.villages.by_id[v] for v in sorted(villages or ())],
        done=done_message(request),
    )


USERS = [page_allow("users:manage")]


def _user_fields(form: FormMultiDict) -> dict[str, Any]:
    """What the user forms send; villages count only for reporters (others report anywhere)."""
    role = text(form, "role", 20)
    villages = [str(v)[:64] for v in form.getall("villages", [])]
    return {
        "role": role,
        "display_name": text(form, "display_name", 200) or None,
        "villages": villages if role == Role.reporter else [],
    }


USER_LABELS = {
    "username": ("用户名（2–64 个字母、数字、_ . -）", "Username (2–64 letters, digits, _ . -)"),
    "password": ("密码（至少 10 个字符）", "Password (at least 10 characters)"),
    "role": ("角色", "Role"),
    "display_name": ("姓名", "Name"),
    "villages": ("村", "Villages"),
}


def _reporter_needs_village(fields: dict[str, Any]) -> None:
    if fields["role"] == Role.reporter and not fields["villages"]:
        zh, en = "报告员至少要选一个村。", "A reporter needs at least one village."
        raise InvalidInput(zh, en, [{"field": "villages", "message": zh, "message_en": en}])


async def _users_page(
    request: AnyRequest,
    db: AsyncSession,
    status_code: int = 200,
    error: DomainError | None = None,
    kept: dict[str, Any] | None = None,
) -> Template:
    refs = await load_refs(db)
    return render(
        request,
        "staff/users.html",
        status_code=status_code,
        users=await list_users(db),
        villages=sorted(refs.villages.by_slug.values(), key=lambda v: v.slug),
        roles=list(Role),
        error=error,
        errors=field_messages(error) if error else {},
        kept=kept or {"role": "reporter", "villages": []},
        done=done_message(request),
    )


@get("/staff/users", guards=USERS, include_in_schema=False)
async def users(request: AnyRequest, db: AsyncSession) -> Template:
    return await _users_page(request, db)


@post("/staff/users", guards=USERS, include_in_schema=False)
async def add_user(request: AnyRequest, db: AsyncSession, settings: Settings) -> Response[Any]:
    form = await request.form()
    fields = {**_user_fields(form), "username": text(form, "username", 100)}

    async def create() -> None:
        _reporter_needs_village(fields)
        try:
            password = str(form.get("password") or "")
            data = UserCreate.model_validate({**fields, "password": password})
        except ValidationError as exc:
            raise from_validation(exc, USER_LABELS) from None
        await create_user(db, data, settings)

    refused = await attempt(db, create)
    if isinstance(refused, DomainError):
        return await _users_page(request, db, form_status(refused), refused, fields)
    return see_other("/staff/users", "user_created")


async def _user_page(
    request: AnyRequest,
    db: AsyncSession,
    username: str,
    status_code: int = 200,
    error: DomainError | None = None,
) -> Template:
    refs = await load_refs(db)
    user = await find_user(db, username)
    await db.refresh(user)  # a refused change may have left it expired
    return render(
        request,
        "staff/user.html",
        status_code=status_code,
        account=await user_out(db, user),
        villages=sorted(refs.villages.by_slug.values(), key=lambda v: v.slug),
        roles=list(Role),
        error=error,
        errors=field_messages(error) if error else {},
        myself=principal(request).username == user.username,
        done=done_message(request),
    )


@get("/staff/users/{username:str}", guards=USERS, include_in_schema=False)
async def user_page(request: AnyRequest, db: AsyncSession, username: str) -> Template:
    return await _user_page(request, db, username)


def _not_yourself(request: AnyRequest, username: str, zh: str, en: str) -> None:
    """An admin may not lock themselves out (demote or disable their own account) here."""
    if principal(request).username == username:
        raise InvalidInput(zh, en)


@post("/staff/users/{username:str}", guards=USERS, include_in_schema=False)
async def submit_user(request: AnyRequest, db: AsyncSession, username: str) -> Response[Any]:
    fields = _user_fields(await request.form())

    async def change() -> None:
        if fields["role"] != Role.admin:
            _not_yourself(request, username, "不能在这里取消自己的管理员角色。",
                          "You cannot take away your own admin role here.")
        _reporter_needs_village(fields)
        try:
            data = UserChange.model_validate(fields)
        except ValidationError as exc:
            raise from_validation(exc, USER_LABELS) from None
        await change_user(db, username, data)

    refused = await attempt(db, change)
    if isinstance(refused, DomainError):
        return await _user_page(request, db, username, form_status(refused), refused)
    return see_other(f"/staff/users/{username}", "user_saved")


@post("/staff/users/{username:str}/active", guards=USERS, include_in_schema=False)
async def submit_active(request: AnyRequest, db: AsyncSession, username: str) -> Response[Any]:
    active = text(await request.form(), "active", 10) == "yes"

    async def switch() -> None:
        if not active:
            _not_yourself(request, username, "不能停用自己的账号。",
                          "You cannot disable your own account.")
        await set_active(db, username, active)

    refused = await attempt(db, switch)
    if isinstance(refused, DomainError):
        return await _user_page(request, db, username, form_status(refused), refused)
    return see_other(f"/staff/users/{username}", "user_enabled" if active else "user_disabled")


@post("/staff/users/{username:str}/password", guards=USERS, include_in_schema=False)
async def submit_password(
    request: AnyRequest, db: AsyncSession, settings: Settings, username: str
) -> Response[Any]:
    password = str((await request.form()).get("password") or "")

    async def reset() -> None:
        try:
            data = PasswordReset(password=password)
        except ValidationError as exc:
            raise from_validation(exc, USER_LABELS) from None
        await reset_password(db, username, data, settings)

    refused = await attempt(db, reset)
    if isinstance(refused, DomainError):
        return await _user_page(request, db, username, form_status(refused), refused)
    return see_other(f"/staff/users/{username}", "password")


STAFF_PAGES: list[Any] = [
    login_form,
    login,
    logout,
    dashboard,
    users,
    add_user,
    user_page,
    submit_user,
    submit_active,
    submit_password,
    *EVENT_PAGES,
]
