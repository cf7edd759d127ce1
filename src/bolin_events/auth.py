"""Who is asking (token middleware) and the one table that says who may do what."""

from __future__ import annotations

import logging
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.db import write_session
from bolin_events.errors import Forbidden, NotAuthenticated
from bolin_events.models import Role
from bolin_events.services.accounts.tokens import (
    WEB_SESSION_NAME,
    needs_touch,
    session_alive,
    token_principal,
    touch_token,
)
from bolin_events.services.accounts.users import Principal

log = logging.getLogger(__name__)

PERMISSIONS: dict[str, frozenset[Role]] = {
    "programme:write": frozenset({Role.admin, Role.scheduler}),
    "users:manage": frozenset({Role.admin}),
    "attendance:write": frozenset({Role.admin, Role.scheduler, Role.reporter}),
    "attendance:all_villages": frozenset({Role.admin, Role.scheduler}),
    "staff:read": frozenset({Role.admin, Role.scheduler, Role.reporter}),
    "reports:read": frozenset({Role.admin, Role.scheduler}),
    "audit:read": frozenset({Role.admin}),
    "reports:keep": frozenset({Role.admin, Role.scheduler}),
    "years:close": frozenset({Role.admin}),
    "signups:manage": frozenset({Role.admin, Role.scheduler}),
    "door:work": frozenset({Role.admin, Role.scheduler, Role.reporter}),
    "holidays:manage": frozenset({Role.admin}),
}
PERMISSION_ZH = {
    "programme:write": "编排活动（管理员或排期人员）",
    "users:manage": "管理账号（仅管理员）",
    "attendance:write": "上报参与人次",
    "attendance:all_villages": "为任何村的场次上报（信息员只能报本村）",
    "staff:read": "查看工作人员数据",
    "reports:read": "查看统计报表、台账和图表（管理员或排期人员）",
    "audit:read": "查看操作记录（仅管理员）",
    "reports:keep": "填写年度基数和年报手填项目（管理员或排期人员）",
    "years:close": "封账和重新开放年度（仅管理员）",
    "signups:manage": "设置报名、查看和导出报名名单（管理员或排期人员）",
    "door:work": "在入口签到和计数（信息员只在本村）",
    "holidays:manage": "录入和删除法定节假日安排（仅管理员）",
}

# What a village cadre calls each role (the API keeps the English values).
ROLE_ZH: dict[str, str] = {
    Role.admin: "管理员", Role.scheduler: "排期人员", Role.reporter: "信息员",
}


def role_zh(role: str) -> str:
    return ROLE_ZH.get(role, role)


SESSION_COOKIE = "bolin_session"
"""The staff pages' login cookie: it holds a web-session API token (revoked at log-out)."""


class LoginRequired(NotAuthenticated):
    """A staff page asked for by someone not logged in: answered with a redirect to log in."""


class PageForbidden(Forbidden):
    """A staff page this role may not see: answered with an HTML 403 page."""


def may(principal: Principal | None, permission: str) -> bool:
    return principal is not None and principal.role in PERMISSIONS[permission]


def allow(permission: str) -> Any:
    """A route guard: 401 when nobody is logged in, 403 when their role may not do this."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal: Principal | None = connection.scope.get("user")
        if principal is None:
            raise NotAuthenticated(
                "请先登录：在请求头中发送 Authorization: Bearer <令牌>。",
                "Log in first: send the header Authorization: Bearer <token>.",
            )
        if principal.role not in PERMISSIONS[permission]:
            raise Forbidden(
                f"角色「{role_zh(principal.role)}」无权{PERMISSION_ZH[permission]}。",
                f"The role '{principal.role}' may not do this ({permission}).",
                [{"role": principal.role, "needs": sorted(PERMISSIONS[permission])}],
            )

    guard.__name__ = f"allow_{permission.replace(':', '_')}"
    guard.permission = permission  # type: ignore[attr-defined]  # (the OpenAPI reads it)
    return guard


def guard_permission(guard: Any) -> str | None:
    """The permission an `allow` guard asks for (Litestar keeps guards wrapped)."""
    permission: str | None = getattr(getattr(guard, "func", guard), "permission", None)
    return permission


def page_allow(permission: str) -> Any:
    """The same rule as `allow` for HTML pages: log-in redirect or an HTML 403 instead of JSON."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal: Principal | None = connection.scope.get("user")
        if principal is None:
            raise LoginRequired("请先登录。", "Please log in first.")
        if principal.role not in PERMISSIONS[permission]:
            raise PageForbidden(
                f"角色「{role_zh(principal.role)}」无权{PERMISSION_ZH[permission]}。",
                f"The role '{principal.role}' may not do this ({permission}).",
            )

    guard.__name__ = f"page_allow_{permission.replace(':', '_')}"
    return guard


class TokenAuthMiddleware(ASGIMiddleware):
    """Resolves ``Authorization: Bearer`` into ``scope["user"]``; no header means anonymous.

    Pages outside ``/api/`` also accept the staff login cookie (``SESSION_COOKIE``); the JSON API
    takes only the header, so a cookie can never be replayed against it cross-site.
    Feeds are public and hot (subscribers poll them): they skip this middleware.
    """

    exclude_path_pattern = ("^/feeds/",)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = None
        header = _authorization(scope)
        if header is not None:
            scheme, _, token = header.partition(" ")
            principal = None
            if scheme.lower() == "bearer" and token.strip():
                state = scope["app"].state
                principal = await _principal(
                    state.sessionmaker, token.strip(), idle_hours=state.settings.session_idle_hours
                )
            if principal is None:
                raise NotAuthenticated(
                    "令牌无效、已撤销或账号已停用。",
                    "The token is not valid, was revoked, or its account is disabled.",
                )
            scope["user"] = principal
        elif not scope["path"].startswith("/api/"):
            raw = _cookie(scope, SESSION_COOKIE)
            if raw:  # an expired or revoked session is simply "not logged in"
                state = scope["app"].state
                scope["user"] = await _principal(
                    state.sessionmaker,
                    raw,
                    web_session=True,
                    idle_hours=state.settings.session_idle_hours,
                )
        await next_app(scope, receive, send)


async def _principal(
    sessionmaker: async_sessionmaker[AsyncSession],
    raw: str,
    *,
    web_session: bool = False,
    idle_hours: float = 0,
) -> Principal | None:
    async with write_session(sessionmaker, writes=False) as session:
        found = await token_principal(session, raw)
    if found is None:
        return None
    token, principal = found
    # A log-in's token ends when idle however it is sent (copied from the cookie into a header).
    if (web_session or token.name == WEB_SESSION_NAME) and not session_alive(token, idle_hours):
        return None
    if needs_touch(token):
        try:
            async with write_session(sessionmaker) as session:
                await touch_token(session, token.id or 0)
        except OperationalError:  # a busy database must not refuse a valid token
            log.warning("could not record token use", exc_info=True)
    return principal


def _cookie(scope: Scope, name: str) -> str | None:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, raw = part.strip().partition("=")
                if key == name and raw:
                    return raw
    return None


def _authorization(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return str(value.decode("latin-1"))
    return None
