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
from bolin_events.models.holidays import DayKind, HolidayDay, HolidayYear
from bolin_events.models.pictures import Picture
from bolin_events.models.places import (
    Category,
    Counting,
    CountingGroup,
    Organizer,
    Programme,
    StationRole,
    Venue,
    Village,
)
from bolin_events.models.signups import Registration, SignupPlan, SignupState
from bolin_events.models.tally import Tally, TallyBatch, TallyEntrance, TallyState
from bolin_events.models.years import AnnualItem, YearBaseline, YearClose

__all__ = [
    "PUBLIC_STATUSES",
    "AnnualItem",
    "ApiToken",
    "AttendanceReport",
    "AuditEntry",
    "Category",
    "Counting",
    "CountingGroup",
    "CountingMethod",
    "DayKind",
    "Event",
    "EventStatus",
    "HolidayDay",
    "HolidayYear",
    "IdempotencyKey",
    "LoginFailure",
    "Occurrence",
    "OccurrenceState",
    "Organizer",
    "Picture",
    "Programme",
    "Registration",
    "ReportPhoto",
    "Role",
    "SignupPlan",
    "SignupState",
    "StationRole",
    "Tally",
    "TallyBatch",
    "TallyEntrance",
    "TallyState",
    "UTCDateTime",
    "User",
    "UserVillage",
    "Venue",
    "Village",
    "YearBaseline",
    "YearClose",
    "utcnow",
]
