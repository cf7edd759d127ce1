"""Users (admins only) and API tokens."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.auth import allow
from bolin_events.errors import Forbidden
from bolin_events.schemas.accounts import TokenOut, TokenRequest, UserCreate, UserOut
from bolin_events.services import accounts
from bolin_events.services.accounts import Principal

AnyRequest = Request[Any, Any, Any]


class AccountController(Controller):
    path = "/api/v1"
    tags = ["accounts"]

    @post(
        "/auth/token",
        summary="Log in for a token",
        description="Username and password give a new API token, shown once. Send it as "
        "Authorization: Bearer <token>.",
    )
    async def login(self, db: AsyncSession, data: TokenRequest) -> TokenOut:
        user = await accounts.check_password(db, data.username, data.password)
        return await accounts.create_token(db, user, data.name)

    @get("/me", guards=[allow("staff:read")], summary="Who am I")
    async def me(self, db: AsyncSession, request: AnyRequest) -> UserOut:
        principal: Principal = request.scope["user"]
        return await accounts.user_out(db, await accounts.find_user(db, principal.username))

    @delete(
        "/tokens/{token_id:int}",
        guards=[allow("staff:read")],
        summary="Revoke a token",
        description="Your own, or any token for an admin.",
    )
    async def revoke(self, db: AsyncSession, request: AnyRequest, token_id: int) -> None:
        principal: Principal = request.scope["user"]
        token = await accounts.get_token(db, token_id)
        if token.user_id != principal.user_id and principal.role != "admin":
            raise Forbidden("只能撤销自己的令牌。", "You may revoke only your own tokens.")
        await accounts.revoke_token(db, token_id)

    @get("/users", guards=[allow("users:manage")], summary="List users")
    async def list_users(self, db: AsyncSession) -> list[UserOut]:
        return await accounts.list_users(db)

    @post(
        "/users",
        guards=[allow("users:manage")],
        summary="Add a user",
        description="Reporters carry the villages they may report for.",
    )
    async def add_user(self, db: AsyncSession, data: UserCreate) -> UserOut:
        return await accounts.user_out(db, await accounts.create_user(db, data))

    @post(
        "/users/{username:str}/disable",
        guards=[allow("users:manage")],
        status_code=200,
        summary="Disable a user",
        description="Their tokens are revoked too.",
    )
    async def disable_user(self, db: AsyncSession, username: str) -> UserOut:
        return await accounts.user_out(db, await accounts.set_active(db, username, False))
