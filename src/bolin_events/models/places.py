"""Villages, venues, categories, organizers and programmes: the reference data.

Each row's ``updated_at`` moves with every UPDATE of it (``onupdate``), however it is made:
the data version (services.versions) sees a renamed village without reading every row.
``retired_at`` (停用): the row stays for history and reports, but is no longer offered as a
choice for new events (services.retiring)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bolin_events.models.base import UTCDateTime, utcnow


class Counting(StrEnum):
    """The 乡镇综合文化站 item of the annual return a category's activities count in
    (DOMAIN.md, 统计口径); ``none``: not a culture item (法治宣传, 体育, 夜市 are reported beside
    the return, never as its lines)."""

    activity = "activity"  # 组织文艺活动（次）: performances and 村晚 included
    exhibition = "exhibition"  # 举办展览（个）
    training = "training"  # 举办训练班（班次）、培训人次: one course is one 班次
    lecture = "lecture"  # 公益性讲座（次、人次）
    none = "none"  # not an item of the station's return


class StationRole(StrEnum):
    """What the culture station did in a programme run with others (the review names it)."""

    host = "主办"
    undertake = "承办"
    co_host = "协办"
    assist = "协助"


class CountingGroup(SQLModel, table=True):
    """What the year review sums together, and the sentence it writes for them.

    ``template`` holds ``{kinds}`` (what was held, joined with 、), ``{count}`` (``unit``, with
    the 余 rule when ``round_count``), ``{people}`` (on-site people in ``people_unit``); an empty
    template writes no sentence: the group is named through its highlighted programmes only.
    ``digits`` keeps that many significant figures (None: the BOLIN_FIGURE_DIGITS setting).
    """

    __tablename__ = "counting_group"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100, unique=True)
    name_en: str | None = Field(default=None, max_length=200)
    position: int = 0
    unit: str = Field(default="场次", max_length=8)
    people_unit: str = Field(default="人次", max_length=8)
    template: str = Field(default="", max_length=500)
    round_count: bool = False
    digits: int | None = None
    separate: bool = Field(default=False, description="written as a sentence of its own")
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )


class Village(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100, unique=True)
    name_en: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Venue(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100)
    name_en: str | None = Field(default=None, max_length=200)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    address: str | None = Field(default=None, max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    capacity: int | None = None
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Category(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100, unique=True)
    name_en: str | None = Field(default=None, max_length=200)
    counting: str = Field(default=Counting.activity, max_length=32)
    group_id: int | None = Field(default=None, foreign_key="counting_group.id", index=True)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Organizer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    name_zh: str = Field(max_length=100, unique=True)
    name_en: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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
    kind_zh: str | None = Field(
        default=None, max_length=100, description="what the review calls what it holds"
    )
    highlight: bool = Field(default=False, description="named in the review paragraph")
    station_role: str | None = Field(default=None, max_length=8)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow}
    )
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
