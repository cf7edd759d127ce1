"""Staff accounts, passwords (argon2) and API tokens (shown once, stored hashed)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, NotAuthenticated, not_found
from bolin_events.models import ApiToken, Role, User, UserVillage, utcnow
from bolin_events.models.base import is_valid_id
from bolin_events.schemas.accounts import (
    USERNAME_PATTERN,
    PasswordReset,
    TokenOut,
    UserChange,
    UserCreate,
    UserOut,
)
from bolin_events.services.refs import load_refs

_hasher = PasswordHasher()
TOKEN_PREFIX = "bolin_"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs as long as a wrong
    password. Made on first use, not at import."""
    return _hasher.hash("not a real password")


@dataclass(frozen=True)
class Principal:
    """Who is asking: enough to decide what they may do."""

    user_id: int
    username: str
    role: Role
    village_ids: frozenset[int]


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits: a fast hash is enough (unlike passwords).
    return hashlib.sha256(raw.encode()).hexdigest()


async def create_user(session: AsyncSession, data: UserCreate) -> User:
    existing = (await session.exec(select(User).where(User.username == data.username))).first()
    if existing is not None:
        raise Conflict(
            f"用户名「{data.username}」已存在。",
            f"The username {data.username!r} is taken.",
            [{"field": "username"}],
        )
    refs = await load_refs(session)
    village_ids = [refs.villages.get(slug).id for slug in data.villages]
    user = User(
        username=data.username,
        display_name=data.display_name,
        role=data.role,
        password_hash=_hasher.hash(data.password),
    )
    session.add(user)
    await session.flush()
    for village_id in village_ids:
        assert user.id is not None and village_id is not None
        session.add(UserVillage(user_id=user.id, village_id=village_id))
    await session.flush()
    return user


async def user_out(session: AsyncSession, user: User) -> UserOut:
    refs = await load_refs(session)
    links = await session.exec(select(UserVillage).where(UserVillage.user_id == user.id))
    return UserOut(
        id=user.id or 0,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        is_active=user.is_active,
        created_at=user.created_at,
        villages=sorted(refs.villages.by_id[link.village_id].slug for link in links),
    )


async def list_users(session: AsyncSession) -> list[UserOut]:
    users = (await session.exec(select(User).order_by(col(User.username)))).all()
    return [await user_out(session, u) for u in users]


async def _by_username(session: AsyncSession, username: str) -> User | None:
    """A name no account can have (say with a NUL, which PostgreSQL refuses) finds nobody."""
    if not re.fullmatch(USERNAME_PATTERN, username):
        return None
    return (await session.exec(select(User).where(User.username == username))).first()


async def find_user(session: AsyncSession, username: str) -> User:
    user = await _by_username(session, username)
    if user is None:
        raise not_found("用户", "user", username)
    return user


async def set_active(session: AsyncSession, username: str, active: bool) -> User:
    user = await find_user(session, username)
    user.is_active = active
    if not active:
        await _revoke_all(session, user)
    session.add(user)
    await session.flush()
    return user


async def _revoke_all(session: AsyncSession, user: User) -> None:
    tokens = await session.exec(
        select(ApiToken).where(ApiToken.user_id == user.id, col(ApiToken.revoked_at).is_(None))
    )
    for token in tokens:
        token.revoked_at = utcnow()
        session.add(token)


async def change_user(session: AsyncSession, username: str, data: UserChange) -> User:
    """A new role, name and set of villages; it takes effect on the user's next request."""
    user = await find_user(session, username)
    refs = await load_refs(session)
    village_ids = {refs.villages.id_of(slug) for slug in data.villages}
    user.role, user.display_name = data.role, data.display_name
    links = await session.exec(select(UserVillage).where(UserVillage.user_id == user.id))
    for link in links:
        if link.village_id not in village_ids:
            await session.delete(link)
        village_ids.discard(link.village_id)
    for village_id in village_ids:
        session.add(UserVillage(user_id=user.id or 0, village_id=village_id))
    session.add(user)
    await session.flush()
    return user


async def reset_password(session: AsyncSession, username: str, data: PasswordReset) -> User:
    """A new password; every log-in and token of the account ends with the old one."""
    user = await find_user(session, username)
    user.password_hash = _hasher.hash(data.password)
    await _revoke_all(session, user)
    session.add(user)
    await session.flush()
    return user


async def check_password(session: AsyncSession, username: str, password: str) -> User:
    user = await _by_username(session, username)
    try:
        known = user.password_hash if user and user.password_hash else None
        _hasher.verify(known or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.is_active:
        raise NotAuthenticated(
            "用户名或密码错误，或账号已停用。",
            "Wrong username or password, or the account is disabled.",
        )
    return user


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
"""The name of the tokens behind staff page log-ins (the cookie holds one)."""


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


async def principal_for_user(session: AsyncSession, user: User) -> Principal:
    villages = await session.exec(
        select(UserVillage.village_id).where(UserVillage.user_id == user.id)
    )
    return Principal(user.id or 0, user.username, Role(user.role), frozenset(villages))
