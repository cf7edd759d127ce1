"""Sign-ups for a night (报名): the plan that opens them, and one row per sign-up.

A plan belongs to an event (every night of it) or to one night, which then has its own.
A sign-up keeps the least that serves its purpose (a name or nickname; the phone number only
as a keyed hash to match repeats, and masked, 138****1234, for staff); at ``retention_days``
after its night ends the personal fields are emptied (``purged_at``) while the row, its
party size and what became of it stay, so the night's headcounts never change.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, state_column, utcnow


class SignupPlan(SQLModel, table=True):
    """Places, waitlist, window, party size, questions, caps and retention for sign-ups.

    ``occurrence_id`` None: the plan of every night of the event without a plan of its own.
    """

    __tablename__ = "signup_plan"
    __table_args__ = (
        # one event-wide plan per event (a unique constraint would let NULLs repeat)
        Index(
            "uq_signup_plan_event_wide", "event_id", unique=True,
            sqlite_where=text("occurrence_id IS NULL"),
            postgresql_where=text("occurrence_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", ondelete="CASCADE", index=True)
    occurrence_id: int | None = Field(
        default=None, foreign_key="occurrence.id", ondelete="CASCADE", unique=True
    )
    places: int = Field(description="people (not sign-ups) confirmed at most, per night")
    waitlist: bool = Field(default=True, description="when full, later sign-ups wait in line")
    waitlist_max: int | None = Field(default=None, description="people waiting at most; None: any")
    opens_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closes_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime, description="None: when the night starts"
    )
    max_party: int = Field(default=1, description="people one sign-up may bring, itself included")
    ask_phone: bool = True
    questions: str | None = Field(
        default=None, sa_type=Text, description="JSON list of extra questions, never required"
    )
    per_phone: int = Field(default=1, description="sign-ups one phone number may hold per night")
    per_address: int = Field(default=10, description="sign-ups one network address may make")
    retention_days: int = Field(default=30, description="days after the night ends")
    updated_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SignupState(StrEnum):
    confirmed = "confirmed"  # 已确认
    waitlisted = "waitlisted"  # 候补
    cancelled = "cancelled"  # 已取消


class Registration(SQLModel, table=True):
    """One sign-up (or a walk-in added at the door) for one night.

    ``code`` is what the door types or scans; the visitor's own page is reached by a secret
    link whose sha256 is ``token_hash``. The waitlist is in ``id`` order.
    """

    __tablename__ = "registration"
    __table_args__ = (
        Index("ix_registration_night_state", "occurrence_id", "state", "id"),
        Index("ix_registration_night_phone", "occurrence_id", "phone_hash"),
        Index("ix_registration_night_address", "occurrence_id", "address_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", ondelete="CASCADE")
    code: str = Field(max_length=12, unique=True)
    token_hash: str = Field(max_length=64, unique=True)
    state: SignupState = Field(sa_type=state_column(SignupState, "state"))
    party: int = Field(description="people this sign-up is for, itself included")
    walk_in: bool = Field(default=False, description="added at the door, not signed up")
    no_show: bool = Field(default=False, description="marked by staff: did not come")
    # personal data: emptied at purged_at
    name: str | None = Field(default=None, max_length=40)
    phone_hash: str | None = Field(default=None, max_length=64)
    phone_masked: str | None = Field(default=None, max_length=16)
    answers: str | None = Field(default=None, sa_type=Text, description="JSON list of answers")
    address_hash: str | None = Field(default=None, max_length=64)
    # the door
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_in_people: int | None = None
    checked_in_by: int | None = Field(default=None, foreign_key="user_account.id")
    checked_in_door: str | None = Field(default=None, max_length=40)
    check_in_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    promoted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
