"""Staff accounts: who they are, their role and villages, their password, and being switched
off (which ends every log-in and token they hold).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, NotAuthenticated, not_found
from bolin_events.models import ApiToken, Role, User, UserVillage, utcnow
from bolin_events.schemas.accounts import (
    USERNAME_PATTERN,
    PasswordReset,
    UserChange,
    UserCreate,
    UserOut,
)
from bolin_events.services.accounts.passwords import hash_password, password_matches
from bolin_events.services.heavy import off_loop
from bolin_events.services.refs import load_refs
from bolin_events.settings import Settings


@dataclass(frozen=True)
class Principal:
    """Who is asking: enough to decide what they may do."""

    user_id: int
    username: str
    role: Role
    village_ids: frozenset[int]


async def create_user(session: AsyncSession, data: UserCreate, settings: Settings) -> User:
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
        password_hash=await off_loop(hash_password, settings, data.password),
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


async def reset_password(
    session: AsyncSession, username: str, data: PasswordReset, settings: Settings
) -> User:
    """A new password; every log-in and token of the account ends with the old one."""
    user = await find_user(session, username)
    user.password_hash = await off_loop(hash_password, settings, data.password)
    await _revoke_all(session, user)
    session.add(user)
    await session.flush()
    return user


async def check_password(
    session: AsyncSession, username: str, password: str, settings: Settings
) -> User:
    user = await _by_username(session, username)
    known = user.password_hash if user and user.password_hash else None
    if not await off_loop(password_matches, settings, known, password):
        user = None
    if user is None or not user.is_active:
        raise NotAuthenticated(
            "用户名或密码错误，或账号已停用。",
            "Wrong username or password, or the account is disabled.",
        )
    return user


async def principal_for_user(session: AsyncSession, user: User) -> Principal:
    villages = await session.exec(
        select(UserVillage.village_id).where(UserVillage.user_id == user.id)
    )
    return Principal(user.id or 0, user.username, Role(user.role), frozenset(villages))
