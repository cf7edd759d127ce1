"""Staff accounts: the only personal data the service keeps (DOMAIN.md, privacy)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, utcnow


class Role(StrEnum):
    admin = "admin"
    scheduler = "scheduler"
    reporter = "reporter"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str | None = Field(default=None, max_length=100)
    password_hash: str | None = Field(default=None, max_length=200)
    role: str = Field(max_length=16)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserVillage(SQLModel, table=True):
    """The villages a reporter may report for."""

    __tablename__ = "user_village"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    village_id: int = Field(foreign_key="village.id", primary_key=True, ondelete="CASCADE")


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """A wrong password, kept for a short while so every app process counts the same failures."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
