"""Sign-ups (报名): the plan staff set, what a visitor sends, and what each side is shown.

Interface fixed for the issue-17 work: names here are used by the API, the pages and the
check-in door alike; fields may be added, none renamed.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from bolin_events.models import SignupState
from bolin_events.schemas.common import Count, Flag, Moment, Schema


class PlanIn(Schema):
    """What staff set for an event's nights (or one night)."""

    places: Count = Field(ge=1, le=100_000, description="people confirmed at most, per night")
    waitlist: Flag = Field(default=True, description="when full, later sign-ups wait in line")
    waitlist_max: Count | None = Field(default=None, ge=1, le=100_000)
    opens_at: Moment | None = Field(default=None, description="None: open now")
    closes_at: Moment | None = Field(default=None, description="None: when the night starts")
    max_party: Count = Field(default=1, ge=1, le=20, description="people one sign-up may bring")
    ask_phone: Flag = True
    questions: list[str] = Field(default_factory=list, max_length=5)
    per_phone: Count = Field(default=1, ge=1, le=20)
    per_address: Count = Field(default=10, ge=1, le=10_000)
    retention_days: Count = Field(default=30, ge=1, le=365)


class PlanOut(PlanIn):
    id: int
    event_id: int
    night: str | None = Field(description="the night's id, or None for every night of the event")


class SignupIn(Schema):
    """What a visitor sends: only a name or nickname and (when asked) a phone number."""

    name: str = Field(min_length=1, max_length=40)
    phone: str | None = Field(default=None, max_length=20)
    party: Count = Field(default=1, ge=1, le=20)
    answers: list[str] = Field(default_factory=list, max_length=5)


class Availability(Schema):
    """A night's sign-up state as the public sees it (no personal data)."""

    night: str
    open: bool
    why_not: str | None = Field(default=None, description="为什么不能报名 (when not open)")
    why_not_en: str | None = None
    places: int
    confirmed: int = Field(description="people confirmed")
    remaining: int
    waitlisted: int = Field(description="people waiting")
    waitlist: bool
    max_party: int
    ask_phone: bool
    questions: list[str]
    opens_at: datetime | None
    closes_at: datetime
    retention_days: int
    waitlist_max: int | None = Field(default=None, description="people waiting at most")
    waitlist_open: bool = Field(
        default=False, description="a sign-up that finds no place would join the waitlist")
    per_phone: int = 1


class SignupOut(Schema):
    """A sign-up as its visitor sees it (their own page) — and the answer to signing up."""

    code: str
    state: SignupState
    party: int
    night: str
    event_id: int
    title_zh: str
    title_en: str | None
    starts_at: datetime
    ends_at: datetime
    position: int | None = Field(default=None, description="place in the waitlist, 1 = next")
    promoted_at: datetime | None = None
    cancelled_at: datetime | None = None
    checked_in_at: datetime | None = None
    name: str | None = None
    phone_masked: str | None = None
    link: str | None = Field(default=None, description="the visitor's own page (on creation)")
    all_day: bool = False
    purge_at: datetime | None = Field(
        default=None, description="when the name and phone number are deleted")
    purged_at: datetime | None = Field(
        default=None, description="when they were deleted (retention): the page says so")


class RegistrationRow(Schema):
    """One line of a night's list, as staff see it (phone masked)."""

    id: int
    code: str
    state: SignupState
    party: int
    name: str | None
    phone_masked: str | None
    answers: list[str]
    walk_in: bool
    no_show: bool
    position: int | None
    created_at: datetime
    promoted_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    checked_in_people: int | None
    checked_in_door: str | None
    purged: bool


class WalkInIn(Schema):
    name: str | None = Field(default=None, max_length=40)
    party: Count = Field(default=1, ge=1, le=50)
    door: str | None = Field(default=None, max_length=40)


class NoShowIn(Schema):
    no_show: Flag


class CheckInIn(Schema):
    """One check-in at a door; ``key`` makes a retry (queued offline) count once."""

    code: str = Field(min_length=1, max_length=40, description="typed, or read from the QR code")
    key: str = Field(min_length=8, max_length=64, description="idempotency key from the phone")
    people: Count | None = Field(default=None, ge=1, le=50, description="default: the party")
    door: str | None = Field(default=None, max_length=40)


class CheckInOut(Schema):
    ok: bool
    message: str = Field(description="已签到 3人, or why not")
    message_en: str
    code: str
    people: int | None = None
    name: str | None = None
    checked_in_at: datetime | None = None
    door: str | None = None
    replayed: bool = False
    night_checked_in: int | None = Field(
        default=None, description="people checked in at this night so far, at every door")
    night_registered: int | None = Field(
        default=None, description="people confirmed by sign-up for this night")


class NightFigures(Schema):
    """报名, 签到 and walk-ins of one night, in people."""

    registered: int = Field(description="people confirmed by sign-up (walk-ins not included)")
    waitlisted: int
    checked_in: int = Field(description="people checked in at the door, walk-ins included")
    walk_ins: int
    no_shows: int = Field(description="people of sign-ups marked as not come")


class DoorCode(Schema):
    """One confirmed sign-up as the door's phone keeps it for answering offline."""

    code: str
    party: int
    name: str | None = Field(description="the first character of the name and *, e.g. 王*")
    walk_in: bool
    checked_in: bool
    people: int | None = Field(description="people checked in, when checked in")


class DoorList(Schema):
    """A night's codes for the door (no phone numbers), with its figures."""

    night: str
    title_zh: str
    title_en: str | None
    starts_at: datetime
    figures: NightFigures
    codes: list[DoorCode]
