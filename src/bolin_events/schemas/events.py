"""Events, status changes, occurrences and their exceptions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, Field

from bolin_events.models import EventStatus
from bolin_events.schemas.common import (
    Count,
    Flag,
    HttpUrl,
    LongText,
    Reason,
    Ref,
    Schema,
    ShortText,
    Slug,
    When,
)
from bolin_events.schemas.common import Title as AnyTitle


def _one_line(value: object) -> object:
    """A title is one line: calendars show a title with a break as a broken entry. Each break
    (an Excel cell's Alt+Enter, a SUMMARY from another calendar; whatever str.splitlines
    breaks at), with the blanks around it, becomes one space."""
    if not isinstance(value, str) or value.isprintable():
        return value
    return " ".join(line.strip() for line in value.splitlines() if line.strip())


# Flattened first, then cleaned, checked not blank and at most 200 characters (AnyTitle).
Title = Annotated[AnyTitle, BeforeValidator(_one_line)]


CALENDAR_RULE_DOC = (
    "A series by the Chinese calendar (instead of `rrule`, never beside it): "
    "`LUNAR;MONTH=8;DAY=15` every year on that lunar date (`;LEAP=1` the leap month of that "
    "number, only in years that have one; DAY=30 in a 29-day month is its last day), "
    "`TERM;NAME=秋分` every year on that solar term (Chinese or pinyin), "
    "`LUNARDAYS;ENDINGS=3,6,9;UNTIL=20271231` every lunar day ending in those digits "
    "(needs COUNT or UNTIL); each may end with `;COUNT=n` or `;UNTIL=YYYYMMDD`. The start "
    "moves to the rule's first date on or after it, keeping its time of day."
)
WHEN_DOC = (
    "ISO 8601. Timed events: a date-time; without an offset it is read in `timezone`. "
    "All-day events: a date; `end` is the last day (inclusive)."
)


class EventCreate(Schema):
    title_zh: Title
    title_en: Title | None = None
    description_zh: LongText | None = None
    description_en: LongText | None = None
    category: Slug
    venue: Slug | None = None
    organizer: Slug | None = None
    programme: Slug | None = None
    all_day: Flag = False
    start: When = Field(description=WHEN_DOC)
    end: When = Field(description=WHEN_DOC)
    timezone: str = Field(default="Asia/Shanghai", max_length=64, description="IANA zone name")
    rrule: str | None = Field(
        default=None,
        max_length=500,
        description="RFC 5545 RRULE: FREQ=DAILY|WEEKLY|MONTHLY with INTERVAL, BYDAY, "
        "BYMONTHDAY, WKST and COUNT or UNTIL, e.g. FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930",
    )
    calendar_rule: str | None = Field(default=None, max_length=200,
                                      description=CALENDAR_RULE_DOC)
    status: EventStatus = Field(default=EventStatus.draft, description="draft or published")
    capacity: Count | None = Field(default=None, ge=0, le=1_000_000)
    course: Flag = Field(
        default=False,
        description="one training course however many meetings: 1 班次 in the annual return",
    )
    enrolled: Count | None = Field(default=None, ge=0, le=1_000_000, description="报名人数")
    completed: Count | None = Field(default=None, ge=0, le=1_000_000, description="结业人数")
    price: ShortText | None = Field(default=None, description="free text, e.g. 免费 / ¥20")
    image_url: HttpUrl | None = None
    contact: ShortText | None = None
    allow_overlap: Flag = Field(default=False, description="save even if the venue is taken")


class EventUpdate(Schema):
    """Only the fields sent are changed; send null to clear an optional one."""

    title_zh: Title | None = None
    title_en: Title | None = None
    description_zh: LongText | None = None
    description_en: LongText | None = None
    category: Slug | None = None
    venue: Slug | None = None
    organizer: Slug | None = None
    programme: Slug | None = None
    all_day: Flag | None = None
    start: When | None = Field(default=None, description=WHEN_DOC)
    end: When | None = Field(default=None, description=WHEN_DOC)
    timezone: str | None = Field(default=None, max_length=64)
    rrule: str | None = Field(default=None, max_length=500)
    calendar_rule: str | None = Field(default=None, max_length=200,
                                      description=CALENDAR_RULE_DOC)
    capacity: Count | None = Field(default=None, ge=0, le=1_000_000)
    course: Flag | None = None
    enrolled: Count | None = Field(default=None, ge=0, le=1_000_000)
    completed: Count | None = Field(default=None, ge=0, le=1_000_000)
    price: ShortText | None = None
    image_url: HttpUrl | None = None
    contact: ShortText | None = None
    allow_overlap: Flag = False


class StatusChange(Schema):
    reason: ShortText | None = Field(
        default=None, description="shown to visitors; required for cancel and postpone"
    )
    allow_overlap: Flag = False


class VenueRef(Ref):
    village: Ref | None = Field(description="null for a venue in no village (the town seat)")


class AddToCalendar(Schema):
    """What WeChat's ``wx.addPhoneCalendar`` takes, named as it names them: pass it as is.

    For a series it describes the first night; an occurrence's own times add another night.
    """

    title: str
    startTime: int = Field(description="Unix seconds")
    endTime: int = Field(description="Unix seconds; for all-day events the next midnight")
    allDay: bool
    location: str | None = None
    description: str | None = None


class EventCalendarLinks(Schema):
    """Adding one event: its own .ics (any phone) and a QR code of that link for posters."""

    ics_url: str
    qr_svg_url: str
    qr_png_url: str
    add_to_calendar: AddToCalendar


class EventOut(Schema):
    id: int
    uid: str
    title_zh: str
    title_en: str | None
    description_zh: str | None
    description_en: str | None
    category: Ref
    venue: VenueRef | None
    organizer: Ref | None
    programme: Ref | None
    all_day: bool
    start: datetime | date
    end: datetime | date
    timezone: str
    rrule: str | None
    calendar_rule: str | None = Field(
        default=None, description="the series by the Chinese calendar, in its stored form "
        "(e.g. LUNAR;MONTH=8;DAY=15); null for an RRULE series or a single event")
    status: EventStatus
    status_reason: str | None
    sequence: int
    capacity: int | None
    course: bool = Field(description="one training course: 1 班次 in the annual return")
    enrolled: int | None
    completed: int | None
    price: str | None
    image_url: str | None
    contact: str | None
    occurrence_count: int
    source: str | None = Field(
        default=None, description="where an imported event came from: sheet, a feed's name, demo"
    )
    external_id: str | None = Field(default=None, description="its id there (with source)")
    created_at: datetime
    updated_at: datetime
    calendar: EventCalendarLinks | None = Field(
        default=None, description="add this event to a phone calendar: .ics, QR, WeChat")


class OccurrenceOut(Schema):
    id: str = Field(description="stable id: event id and the rule's original start")
    event_id: int
    title_zh: str
    title_en: str | None
    all_day: bool
    start: datetime | date
    end: datetime | date
    original_start: datetime | date = Field(description="where the rule put it (RECURRENCE-ID)")
    timezone: str
    status: str = Field(description="scheduled, moved, cancelled or postponed")
    reason: str | None
    event_status: EventStatus
    venue: VenueRef | None
    category: Ref
    programme: Ref | None
    sequence: int


class OccurrenceMove(Schema):
    start: When = Field(description=WHEN_DOC)
    end: When = Field(description=WHEN_DOC)
    venue: Slug | None = Field(default=None, description="a new venue; the series' when left out")
    reason: ShortText | None = None
    allow_overlap: Flag = False


class OccurrenceRestore(Schema):
    allow_overlap: Flag = Field(default=False, description="restore even if the venue is taken")


class OccurrenceCancel(Schema):
    reason: Reason = Field(description="shown to visitors")
