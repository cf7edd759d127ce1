"""API tokens and staff-page log-ins (a log-in is a token kept in a cookie): made, listed,
revoked, and resolved into who is asking. Only a hash of each token is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import InvalidInput, not_found
from bolin_events.models import ApiToken, User, utcnow
from bolin_events.models.base import is_valid_id
from bolin_events.schemas.accounts import (
    TokenOut,
)
from bolin_events.services.accounts.users import Principal, principal_for_user

TOKEN_PREFIX = "bolin_"


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough (unlike passwords).
    return hashlib.sha256(raw.encode()).hexdigest()


async def create_token(session: AsyncSession, user: User, name: str) -> TokenOut:
    """A new API token; the name of log-in tokens is reserved (it would open the staff pages)."""
    if name.strip().lower() == WEB_SESSION_NAME:
        raise InvalidInput(
            f"令牌名称「{WEB_SESSION_NAME}」留给网页登录使用，请换一个名称。",
            f"The token name '{WEB_SESSION_NAME}' is kept for page log-ins; choose another.",
            [{"field": "name", "value": name}],
        )
    return await _issue_token(session, user, name)


async def _issue_token(session: AsyncSession, user: User, name: str) -> TokenOut:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    assert user.id is not None
    token = ApiToken(user_id=user.id, name=name, prefix=raw[:12], token_hash=hash_token(raw))
    session.add(token)
    await session.flush()
    return TokenOut(
        id=token.id or 0, name=name, prefix=token.prefix, created_at=token.created_at, token=raw
    )


async def get_token(session: AsyncSession, token_id: int) -> ApiToken:
    token = await session.get(ApiToken, token_id) if is_valid_id(token_id) else None
    if token is None:
        raise not_found("令牌", "token", token_id)
    return token


async def revoke_token(session: AsyncSession, token_id: int) -> ApiToken:
    token = await get_token(session, token_id)
    token.revoked_at = token.revoked_at or utcnow()
    session.add(token)
    await session.flush()
    return token


async def list_tokens(
    session: AsyncSession, username: str | None = None
) -> list[tuple[ApiToken, str]]:
    query = select(ApiToken, User).join(User, col(User.id) == ApiToken.user_id)
    if username:
        query = query.where(User.username == username)
    rows = await session.exec(query.order_by(col(ApiToken.id)))
    return [(token, user.username) for token, user in rows]


async def token_principal(session: AsyncSession, raw: str) -> tuple[ApiToken, Principal] | None:
    """The live token and who it speaks for; None for unknown, revoked or disabled."""
    row = (
        await session.exec(
            select(ApiToken, User)
            .join(User, col(User.id) == ApiToken.user_id)
            .where(
                ApiToken.token_hash == hash_token(raw),
                col(ApiToken.revoked_at).is_(None),
                col(User.is_active).is_(True),
            )
        )
    ).first()
    if row is None:
        return None
    token, user = row
    return token, await principal_for_user(session, user)


WEB_SESSION_NAME = "web-session"


async def create_web_session(session: AsyncSession, user: User) -> str:
    """A new log-in for the staff pages: the raw token for the cookie."""
    return (await _issue_token(session, user, WEB_SESSION_NAME)).token or ""


def session_alive(token: ApiToken, idle_hours: float) -> bool:
    """A web session lives while used: it ends `idle_hours` after its last use."""
    if token.name != WEB_SESSION_NAME:
        return False  # an API token is for the header, never for a cookie
    last = token.last_used_at or token.created_at
    return utcnow() - last <= timedelta(hours=idle_hours)


def needs_touch(token: ApiToken) -> bool:
    """last_used_at is kept coarse (5 minutes) so that reads do not all turn into writes."""
    return token.last_used_at is None or utcnow() - token.last_used_at > timedelta(minutes=5)


async def touch_token(session: AsyncSession, token_id: int) -> None:
    token = await session.get(ApiToken, token_id)
    if token is not None:
        token.last_used_at = utcnow()
        session.add(token)
