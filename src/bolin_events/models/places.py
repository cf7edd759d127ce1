"""Villages, venues, categories, organizers and programmes: the reference data.

Each row's ``updated_at`` moves with every UPDATE of it (``onupdate``), however it is made:
the data version (services.versions) sees a renamed village without reading every row."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, utcnow


class Counting(StrEnum):
    """How the annual return counts a category's sessions (DOMAIN.md, 统计口径)."""

    activity = "activity"  # 组织文艺活动（次）
    exhibition = "exhibition"  # 举办展览（个）
    training = "training"  # 举办训练班（班次）、培训人次
    lecture = "lecture"  # 公益性讲座（次）
    performance = "performance"  # 演出场次、观众人次
    legal = "legal"  # 法治宣传（场次）
    sports = "sports"  # 体育赛事（场次）
    market = "market"  # 夜市、市集（场次）


class Village(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100, unique=True)
    name_en: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


class Venue(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100)
    name_en: str | None = Field(default=None, max_length=200)
    village_id: int = Field(foreign_key="village.id", index=True)
    address: str | None = Field(default=None, max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    capacity: int | None = None
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


class Category(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100, unique=True)
    name_en: str | None = Field(default=None, max_length=200)
    counting: str = Field(default=Counting.activity, max_length=32)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


class Organizer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100, unique=True)
    name_en: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


class Programme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100)
    name_en: str | None = Field(default=None, max_length=200)
    description_zh: str | None = Field(default=None, max_length=5000)
    description_en: str | None = Field(default=None, max_length=5000)
    parent_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    start_date: date | None = None
    end_date: date | None = None
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
