"""Idempotency keys: a retried request gets the first answer instead of doing the work again.

Keys belong to a user and live in the database, so every app process sees them. A key is
claimed by inserting its row in the request's own transaction, before the work: a retry
that arrives while the first attempt is still running waits on the unique index
(PostgreSQL) or on the write lock (SQLite) and then finds the stored answer. Only successful
answers are stored; a failed attempt rolls back with its key, so a retry runs again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, IdempotencyKeyReused, InvalidInput
from bolin_events.models import IdempotencyKey, utcnow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
KEEP = timedelta(days=30)
"""How long a key's answer is kept: far longer than any retry, even from a phone that was
offline for days; older keys of a user go when that user's next key is stored."""


@dataclass(frozen=True)
class Replay:
    status: int
    body: str


def fingerprint(method: str, path: str, payload: Any) -> str:
    """What the request asked for: two requests with one key must ask for the same thing."""
    canonical = json.dumps([method.upper(), path, payload], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput(
            f"{HEADER} 须为 1–{MAX_KEY_LENGTH} 个可打印 ASCII 字符（建议用 UUID）。",
            f"{HEADER} must be 1–{MAX_KEY_LENGTH} printable ASCII characters (a UUID is good).",
            [{"field": HEADER}],
        )
    return key


async def _find(session: AsyncSession, user_id: int, key: str) -> IdempotencyKey | None:
    query = select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
    )
    return (await session.exec(query.execution_options(populate_existing=True))).first()


def _replay(row: IdempotencyKey, wanted: str) -> Replay:
    if row.fingerprint != wanted:
        raise IdempotencyKeyReused(
            f"该 {HEADER} 已用于另一份不同的内容；新的上报请换一个新的键。",
            f"This {HEADER} was already used with a different request; use a new key "
            "for a new request.",
            [{"field": HEADER, "value": row.key}],
        )
    if row.status is None or row.body is None:  # only seen inside the claiming transaction
        raise Conflict("相同请求正在处理中，请稍后重试。", "The same request is in progress.")
    return Replay(row.status, row.body)


async def lookup(session: AsyncSession, user_id: int, key: str, wanted: str) -> Replay | None:
    """The stored answer for this key, or None when the key is new (nothing is written)."""
    row = await _find(session, user_id, key)
    return None if row is None else _replay(row, wanted)


async def claim(
    session: AsyncSession, user_id: int, key: str, wanted: str
) -> IdempotencyKey | Replay:
    """Hold the key for this transaction, or give the answer an earlier request got."""
    row = await _find(session, user_id, key)
    if row is not None:
        return _replay(row, wanted)
    claimed = IdempotencyKey(user_id=user_id, key=key, fingerprint=wanted)
    try:
        async with session.begin_nested():
            session.add(claimed)
    except IntegrityError:
        # A concurrent request with this key committed first: its answer is ours.
        row = await _find(session, user_id, key)
        if row is None:
            raise Conflict(
                "相同请求正在处理中，请稍后重试。", "The same request is in progress; retry."
            ) from None
        return _replay(row, wanted)
    return claimed


async def record(session: AsyncSession, claimed: IdempotencyKey, status: int, body: str) -> None:
    claimed.status, claimed.body = status, body
    session.add(claimed)
    await session.exec(
        delete(IdempotencyKey).where(
            col(IdempotencyKey.user_id) == claimed.user_id,
            col(IdempotencyKey.created_at) < utcnow() - KEEP,
        )
    )
    await session.flush()
