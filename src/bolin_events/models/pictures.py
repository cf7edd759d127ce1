"""Pictures staff upload for an event, as the default of a category, or for a programme.

A row names its files by ``key`` (a hash of the picture's content): the store holds
``{key}-{width}.webp`` and ``{key}-{width}.jpg`` for each width in ``widths``. Replacing a
picture adds a new row and deletes the old one, so ids only grow (SQLite too: autoincrement)
and a new picture never shares an id with the one it replaced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, utcnow

OwnerKind = Literal["event", "category", "programme"]
OWNER_KINDS: tuple[OwnerKind, ...] = get_args(OwnerKind)
# Exactly one owner; spelled with CASE so SQLite and PostgreSQL read it alike (0010 has it too).
ONE_OWNER = " + ".join(
    f"CASE WHEN {kind}_id IS NULL THEN 0 ELSE 1 END" for kind in OWNER_KINDS) + " = 1"


class Picture(SQLModel, table=True):
    __tablename__ = "picture"
    __table_args__ = (
        CheckConstraint(ONE_OWNER, name="one_owner"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int | None = Field(
        default=None, foreign_key="event.id", ondelete="CASCADE", unique=True
    )
    category_id: int | None = Field(
        default=None, foreign_key="category.id", ondelete="CASCADE", unique=True,
        description="the picture of every event of the category that has none of its own",
    )
    programme_id: int | None = Field(
        default=None, foreign_key="programme.id", ondelete="CASCADE", unique=True,
        description="the programme page's picture (its events keep their own or their "
        "category's)",
    )
    key: str = Field(max_length=64, index=True, description="content hash: the files' names")
    width: int = Field(description="the upload's width, turned upright")
    height: int
    widths: str = Field(max_length=100, description="variant widths made, e.g. 480,960,1600")
    alt_zh: str | None = Field(default=None, max_length=300)
    alt_en: str | None = Field(default=None, max_length=300)
    uploaded_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def owner_kind(self) -> OwnerKind:
        """What the picture belongs to: event, category or programme."""
        return next(kind for kind in OWNER_KINDS if getattr(self, f"{kind}_id") is not None)

    @property
    def owner_id(self) -> int | None:
        return self.event_id or self.category_id or self.programme_id

    @property
    def variant_widths(self) -> list[int]:
        return [int(w) for w in self.widths.split(",")]
