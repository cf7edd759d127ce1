"""The audit trail: one row per staff change of one record — who, when, from where, and
each changed field's value before and after. Rows are only ever added."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_object", "object_type", "object_id"),
        Index("ix_audit_entry_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, index=True, description="who; none: the system")
    username: str | None = Field(default=None, max_length=100)
    action: str = Field(max_length=16, description="create, update or delete")
    object_type: str = Field(max_length=32, description="event, occurrence, report, user, …")
    object_id: str = Field(max_length=64)
    label: str | None = Field(default=None, max_length=300, description="what it is, in words")
    changes: str = Field(sa_type=Text, description="JSON: {field: [before, after]}")
    via: str = Field(max_length=16, description="api, page, cli or system")
    ip: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)
    request_id: str | None = Field(default=None, max_length=64)
