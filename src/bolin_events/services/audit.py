"""The audit trail (models.audit): every change staff make, recorded as it is written.

A listener on every ORM session (``after_flush``) sees each new, changed and deleted row of
the tables in ``WATCHED`` and adds one AuditEntry per row in the same transaction, so the
entry commits with the change or not at all, whichever handler, page, command or import made
it. Who and from where ride on the session (``Session.info[ACTOR_KEY]``: db.write_session's
``actor``, given by a writing request, a command or an import); a session without one writes
the system's own changes (seeding, a token's last-use time, the photo sweep), not entered.

Nights made or removed by a series' rule are the event's change (its rule), not entries of
their own; a night moved, cancelled or brought back is. Passwords and token hashes are never
written down: a change of them shows as "(changed)".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, get_args

from sqlalchemy import event, func, insert, inspect
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import (
    AnnualItem,
    ApiToken,
    AttendanceReport,
    AuditEntry,
    Category,
    CountingGroup,
    Event,
    HolidayDay,
    HolidayYear,
    Occurrence,
    Organizer,
    Picture,
    Programme,
    ReportPhoto,
    SignupPlan,
    User,
    UserVillage,
    Venue,
    Village,
    YearBaseline,
    YearClose,
    utcnow,
)
from bolin_events.schemas.audit import AuditEntryOut

SECRET = "(changed)"


@dataclass(frozen=True)
class Actor:
    """Who is writing, and from where."""

    user_id: int | None
    username: str | None
    via: str  # api, page, cli
    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


ACTOR_KEY = "audit_actor"  # in Session.info: whose changes the session writes
ObjectType = Literal["event", "occurrence", "report", "photo", "user", "user_village", "token",
                     "village", "venue", "category", "organizer", "programme", "import",
                     "counting_group", "baseline", "annual_item", "year", "picture",
                     "signup_plan", "registration", "holiday_year", "holiday_day"]
KINDS: tuple[str, ...] = get_args(ObjectType)


@dataclass(frozen=True)
class Watched:
    kind: ObjectType
    label: Callable[[Any], object]
    ignored: frozenset[str] = frozenset({"created_at", "updated_at"})
    secret: frozenset[str] = frozenset()
    on_create: bool = True
    on_delete: bool = True


def _name(row: Any) -> object:
    return row.name_zh


WATCHED: dict[type, Watched] = {
    Event: Watched("event", lambda e: e.title_zh,
                   ignored=frozenset({"created_at", "updated_at", "uid", "span_end", "sequence"})),
    Occurrence: Watched("occurrence", lambda o: f"{o.event_id} {o.recurrence_id:%Y-%m-%d %H:%M}Z",
                        ignored=frozenset({"updated_at"}), on_create=False, on_delete=False),
    AttendanceReport: Watched("report", lambda r: f"{r.occurrence_id} #{r.revision}"),
    ReportPhoto: Watched("photo", lambda p: p.filename or p.storage_key),
    User: Watched("user", lambda u: u.username, secret=frozenset({"password_hash"})),
    UserVillage: Watched("user_village", lambda v: f"{v.user_id} {v.village_id}"),
    ApiToken: Watched("token", lambda t: t.name, secret=frozenset({"token_hash"}),
                      ignored=frozenset({"created_at", "last_used_at"})),
    Village: Watched("village", _name),
    Venue: Watched("venue", _name),
    Category: Watched("category", _name),
    Organizer: Watched("organizer", _name),
    Programme: Watched("programme", _name),
    CountingGroup: Watched("counting_group", _name),
    YearBaseline: Watched("baseline", lambda b: f"{b.year} {b.group_id}"),
    AnnualItem: Watched("annual_item", lambda i: f"{i.year} {i.item}"),
    YearClose: Watched("year", lambda y: f"{y.year}", ignored=frozenset({"changed_at"})),
    Picture: Watched("picture", lambda p: f"{p.owner_kind} {p.owner_id} {p.key}"),
    # Sign-ups themselves are not watched: a visitor's row holds personal data that retention
    # deletes, which an entry would keep; staff's changes to them are recorded (lists.py).
    SignupPlan: Watched("signup_plan", lambda p: f"{p.event_id} {p.occurrence_id or '*'}",
                        ignored=frozenset({"created_at", "updated_at", "updated_by"})),
    HolidayYear: Watched("holiday_year", lambda y: f"{y.year}",
                         ignored=frozenset({"entered_at", "entered_by"})),
    HolidayDay: Watched("holiday_day", lambda d: d.day.isoformat()),
}


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _changes(obj: Any, action: str, watched: Watched) -> dict[str, list[object]]:
    state = inspect(obj)
    changes: dict[str, list[object]] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in watched.ignored:
            continue
        if action == "update":
            history = state.attrs[name].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
        else:
            value = state.dict.get(name)  # what it holds: never a load from the database
            before, after = (None, value) if action == "create" else (value, None)
        if before == after or (before is None and after is None):
            continue
        if name in watched.secret:
            changes[name] = [None, SECRET]
        else:
            changes[name] = [_plain(before), _plain(after)]
    return changes


def _who(session: Session, obj: Any, actor: Actor) -> tuple[int | None, str | None]:
    if actor.user_id is not None:
        return actor.user_id, actor.username
    if isinstance(obj, ApiToken):  # a log-in: the token's own user is the one acting
        user = session.identity_map.get(inspect(User).identity_key_from_primary_key(
            (obj.user_id,)))
        name = getattr(user, "username", None) or session.connection().execute(
            select(User.username).where(User.id == obj.user_id)).scalar()
        return obj.user_id, name
    return None, actor.username


def _entry(actor: Actor, action: str, object_type: str, object_id: str, label: object,
           changes: dict[str, list[object]], who: tuple[int | None, str | None]) -> dict[str, Any]:
    """One AuditEntry's columns."""
    return {
        "at": utcnow(), "user_id": who[0], "username": who[1], "action": action,
        "object_type": object_type, "object_id": object_id[:64], "label": str(label)[:300],
        "changes": json.dumps(changes, ensure_ascii=False, default=str), "via": actor.via,
        "ip": actor.ip, "user_agent": actor.user_agent, "request_id": actor.request_id,
    }


def _after_flush(session: Session, _: Any) -> None:
    actor: Actor | None = session.info.get(ACTOR_KEY)
    if actor is None:  # the system's own writes
        return
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            watched = WATCHED.get(type(obj))
            if watched is None or (action == "create" and not watched.on_create) or (
                    action == "delete" and not watched.on_delete):
                continue
            changes = _changes(obj, action, watched)
            if changes:
                key = inspect(obj).mapper.primary_key_from_instance(obj)  # new rows too
                rows.append(_entry(actor, action, watched.kind, "-".join(map(str, key)),
                                   watched.label(obj), changes, _who(session, obj, actor)))
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


event.listen(Session, "after_flush", _after_flush)


async def record(session: AsyncSession, object_type: ObjectType, object_id: str, label: str,
                 changes: dict[str, list[object]]) -> None:
    """An entry for something that is not one row (an import as a whole); none for the
    system's own writes, like the entries of rows."""
    actor: Actor | None = session.info.get(ACTOR_KEY)
    if actor is not None:
        session.add(AuditEntry(**_entry(actor, "create", object_type, object_id, label, changes,
                                        (actor.user_id, actor.username))))


@dataclass(frozen=True)
class AuditQuery:
    username: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    start: datetime | None = None  # instants, [start, end)
    end: datetime | None = None


async def entries(session: AsyncSession, query: AuditQuery, limit: int,
                  offset: int) -> tuple[Sequence[AuditEntry], int]:
    """Newest first."""
    conditions = []
    if query.username:
        conditions.append(col(AuditEntry.username) == query.username)
    if query.object_type:
        conditions.append(col(AuditEntry.object_type) == query.object_type)
    if query.object_id:
        conditions.append(col(AuditEntry.object_id) == query.object_id)
    if query.start is not None:
        conditions.append(col(AuditEntry.at) >= query.start)
    if query.end is not None:
        conditions.append(col(AuditEntry.at) < query.end)
    total = (await session.exec(
        select(func.count()).select_from(AuditEntry).where(*conditions))).one()
    rows = (await session.exec(
        select(AuditEntry).where(*conditions)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .offset(offset).limit(limit))).all()
    return rows, total


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut.model_validate(
        {**entry.model_dump(), "changes": json.loads(entry.changes)})
