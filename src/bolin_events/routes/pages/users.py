"""The admin's user management pages: the list of accounts, adding one, changing a role or
villages, switching an account off or on, and resetting a password.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Template
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import page_allow
from bolin_events.errors import DomainError, InvalidInput
from bolin_events.models import Role
from bolin_events.routes.deps import principal
from bolin_events.routes.pages.common import (
    AnyRequest,
    attempt,
    done_message,
    form_status,
    see_other,
    text,
)
from bolin_events.schemas.accounts import PasswordReset, UserChange, UserCreate
from bolin_events.services.accounts.users import (
    change_user,
    create_user,
    find_user,
    list_users,
    reset_password,
    set_active,
    user_out,
)
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings
from bolin_events.web.form_problems import field_messages, from_validation
from bolin_events.web.render import render

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
        zh, en = "信息员至少要选一个村。", "A reporter needs at least one village."
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


USER_PAGES: list[Any] = [users, add_user, user_page, submit_user, submit_active, submit_password]
