"""What counts: a *held* night (its event published, the night neither skipped nor cancelled,
over by now) and, of a night's report revisions, the latest one.

Reports are revisions: only the latest of each occurrence counts, found by a correlated
subquery that the unique index ``(occurrence_id, revision)`` answers without reading older
revisions (``is_latest``). The pending lists, the ledger and the statistics all count this way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from bolin_events.models import (
    AttendanceReport,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
)

HELD = (OccurrenceState.scheduled, OccurrenceState.moved)


def is_latest(report: Any) -> ColumnElement[bool]:
    """Join condition: ``report`` (an alias of the table) is its occurrence's latest revision.

    The subquery reads the id of the highest revision straight off the unique index
    (occurrence_id, revision) — backwards, one entry — and the join then fetches that one row
    by primary key; on SQLite this is a third faster than matching ``MAX(revision)``, and a
    window function over every revision is four times slower.
    """
    older = aliased(AttendanceReport, name="older")
    newest = (
        select(col(older.id))
        .where(col(older.occurrence_id) == col(Occurrence.id))
        .order_by(col(older.revision).desc())
        .limit(1)
        .correlate(Occurrence)
        .scalar_subquery()
    )
    condition: ColumnElement[bool] = col(report.id) == newest
    return condition


def is_held(start: datetime, end: datetime, now: datetime) -> list[ColumnElement[bool]]:
    """Conditions for a held occurrence starting in [start, end) (needs Occurrence ⋈ Event)."""
    return [
        col(Event.status) == EventStatus.published,
        col(Occurrence.state).in_(HELD),
        col(Occurrence.starts_at) >= start,
        col(Occurrence.starts_at) < end,
        col(Occurrence.ends_at) <= now,
    ]
