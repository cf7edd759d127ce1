"""Staff accounts and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from bolin_events.models import Role
from bolin_events.schemas.common import Name, Schema, Slug

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{2,64}$"


Password = Annotated[str, Field(min_length=10, max_length=200)]


class UserCreate(Schema):
    username: str = Field(pattern=USERNAME_PATTERN)
    password: Password
    role: Role
    display_name: Name | None = None
    villages: list[Slug] = Field(default_factory=list, description="a reporter's villages")


class UserChange(Schema):
    """An admin's change to an account: its role and (for reporters) villages."""

    role: Role
    display_name: Name | None = None
    villages: list[Slug] = Field(default_factory=list)


class PasswordReset(Schema):
    password: Password


class UserOut(Schema):
    id: int
    username: str
    display_name: str | None
    role: Role
    is_active: bool
    villages: list[str]
    created_at: datetime


class TokenRequest(Schema):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)
    name: str = Field(default="api", max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    token: str | None = Field(default=None, description="shown once, when created")
