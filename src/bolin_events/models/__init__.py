"""All tables; importing this module registers them on ``SQLModel.metadata``."""

from bolin_events.models.accounts import ApiToken, LoginFailure, Role, User, UserVillage
from bolin_events.models.attendance import (
    AttendanceReport,
    CountingMethod,
    IdempotencyKey,
    ReportPhoto,
)
from bolin_events.models.audit import AuditEntry
from bolin_events.models.base import UTCDateTime, utcnow
from bolin_events.models.events import (
    PUBLIC_STATUSES,
    Event,
    EventStatus,
    Occurrence,
    OccurrenceState,
)
from bolin_events.models.places import Category, Counting, Organizer, Programme, Venue, Village

__all__ = [
    "PUBLIC_STATUSES",
    "ApiToken",
    "AttendanceReport",
    "AuditEntry",
    "Category",
    "Counting",
    "CountingMethod",
    "Event",
    "EventStatus",
    "IdempotencyKey",
    "LoginFailure",
    "Occurrence",
    "OccurrenceState",
    "Organizer",
    "Programme",
    "ReportPhoto",
    "Role",
    "UTCDateTime",
    "User",
    "UserVillage",
    "Venue",
    "Village",
    "utcnow",
]
