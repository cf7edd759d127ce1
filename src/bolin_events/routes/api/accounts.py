"""Users (admins only) and API tokens."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.db import request_actor, write_session
from bolin_events.errors import Forbidden
from bolin_events.models import User
from bolin_events.routes.deps import client_address
from bolin_events.schemas.accounts import TokenOut, TokenRequest, UserCreate, UserOut
from bolin_events.services.accounts import limits, tokens, users
from bolin_events.services.accounts.users import Principal
from bolin_events.settings import Settings

AnyRequest = Request[Any, Any, Any]


class AccountController(Controller):
    path = "/api/v1"
    tags = ["accounts"]

    @post(
        "/auth/token",
        summary="Log in for a token",
        description="Username and password give a new API token, shown once. Send it as "
        "Authorization: Bearer <token>. After `BOLIN_LOGIN_MAX_FAILURES` wrong passwords for "
        "a user name or from an address within `BOLIN_LOGIN_LOCKOUT_MINUTES`, log-ins are "
        "refused with 429 until the window passes.",
    )
    async def login(
        self, state: State, settings: Settings, request: AnyRequest, data: TokenRequest
    ) -> TokenOut:
        # Its own transaction: a wrong password must stay counted although the request fails.
        async with write_session(state.sessionmaker, actor=request_actor(request)) as db:
            user = await limits.log_in(
                db, settings, data.username, data.password, client_address(request)
            )
            if isinstance(user, User):
                return await tokens.create_token(db, user, data.name)
        raise user

    @get("/me", guards=[allow("staff:read")], summary="Who am I")
    async def me(self, db: AsyncSession, request: AnyRequest) -> UserOut:
        principal: Principal = request.scope["user"]
        return await users.user_out(db, await users.find_user(db, principal.username))

    @delete(
        "/tokens/{token_id:int}",
        guards=[allow("staff:read")],
        summary="Revoke a token",
        description="Your own, or any token for an admin.",
    )
    async def revoke(self, db: AsyncSession, request: AnyRequest, token_id: int) -> None:
        principal: Principal = request.scope["user"]
        token = await tokens.get_token(db, token_id)
        if token.user_id != principal.user_id and principal.role != "admin":
            raise Forbidden("只能撤销自己的令牌。", "You may revoke only your own tokens.")
        await tokens.revoke_token(db, token_id)

    @get("/users", guards=[allow("users:manage")], summary="List users")
    async def list_users(self, db: AsyncSession) -> list[UserOut]:
        return await users.list_users(db)

    @post(
        "/users",
        guards=[allow("users:manage")],
        summary="Add a user",
        description="Reporters carry the villages they may report for.",
    )
    async def add_user(self, db: AsyncSession, settings: Settings, data: UserCreate) -> UserOut:
        return await users.user_out(db, await users.create_user(db, data, settings))

    @post(
        "/users/{username:str}/disable",
        guards=[allow("users:manage")],
        status_code=200,
        summary="Disable a user",
        description="Their tokens are revoked too.",
    )
    async def disable_user(self, db: AsyncSession, username: str) -> UserOut:
        return await users.user_out(db, await users.set_active(db, username, False))
