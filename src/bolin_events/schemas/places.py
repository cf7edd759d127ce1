"""Reference data: villages, venues, categories, organizers, programmes."""

from __future__ import annotations

import string
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from bolin_events.models import Counting, StationRole
from bolin_events.schemas.common import (
    Count,
    Day,
    Flag,
    LongText,
    Name,
    Ref,
    Schema,
    ShortText,
    Slug,
)


class VillageIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = Field(default=None, description="ASCII; pinyin of name_zh when left out")


class VillageUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None


class VillageOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None


# Map coordinates are entered by staff, never guessed; they are stored in WGS-84 (docs/places.md).
Degrees = Annotated[float, Field(allow_inf_nan=False)]
CoordinateSystem = Literal["wgs84", "gcj02", "bd09"]
LATITUDE = "纬度 degrees north, e.g. 29.05; sent together with longitude (both null: none)"
LONGITUDE = "经度 degrees east, e.g. 106.25; sent together with latitude"
SYSTEM = ("the system latitude/longitude were copied in: wgs84 (GPS), gcj02 (高德, 腾讯 pickers) "
          "or bd09 (百度's picker); converted to WGS-84 before they are stored")


class VenueIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = None
    village: Slug | None = Field(
        default=None, description="slug of the village it is in; none for the town seat, a 社区"
    )
    address: ShortText | None = None
    latitude: Degrees | None = Field(default=None, description=LATITUDE)
    longitude: Degrees | None = Field(default=None, description=LONGITUDE)
    coordinate_system: CoordinateSystem = Field(default="wgs84", description=SYSTEM)
    capacity: Count | None = Field(default=None, ge=0, le=1_000_000)


class VenueUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    village: Slug | None = None
    address: ShortText | None = None
    latitude: Degrees | None = Field(default=None, description=LATITUDE)
    longitude: Degrees | None = Field(default=None, description=LONGITUDE)
    coordinate_system: CoordinateSystem = Field(default="wgs84", description=SYSTEM)
    capacity: Count | None = Field(default=None, ge=0, le=1_000_000)


class VenueOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None
    village: Ref | None
    address: str | None
    latitude: float | None = Field(description="WGS-84 degrees north")
    longitude: float | None = Field(description="WGS-84 degrees east")
    capacity: int | None


class CategoryIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = None
    counting: Counting = Field(
        default=Counting.activity,
        description="the station return's item it counts in (activity 组织文艺活动, exhibition "
        "举办展览, training 举办训练班, lecture 公益性讲座; none: not a culture item)",
    )
    group: Slug | None = Field(
        default=None, description="slug of the counting group the year review sums it in"
    )


class CategoryUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    counting: Counting | None = None
    group: Slug | None = None


class CategoryOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None
    counting: str
    group: Ref | None


Unit = Literal["场次", "个", "班次", "次"]
PeopleUnit = Literal["人", "人次"]
PLACEHOLDERS = ("kinds", "count", "people")


def _template(text: str) -> str:
    """A sentence template holds only {kinds}, {count} and {people}."""
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise ValueError(
            "句式格式有误：花括号只能用于 {kinds}、{count}、{people} / the template's braces "
            "are unbalanced"
        ) from None
    unknown = fields - set(PLACEHOLDERS)
    if unknown:
        listed = "、".join("{" + name + "}" for name in sorted(unknown))
        raise ValueError(
            f"句式中有无法识别的占位符：{listed}；只能用 {{kinds}}、{{count}}、{{people}} / "
            f"unknown placeholders {listed}: use {{kinds}}, {{count}}, {{people}}"
        )
    try:  # a format spec or conversion ({count:d}, {kinds!x}) would fail when the review runs
        text.format(kinds="", count="", people="")
    except (ValueError, KeyError, IndexError, AttributeError):
        raise ValueError(
            "句式格式有误：占位符只能写成 {kinds}、{count}、{people}，不带其他符号 / write the "
            "placeholders plainly as {kinds}, {count}, {people}"
        ) from None
    return text


Template = Annotated[str, Field(max_length=500), AfterValidator(_template)]
TEMPLATE_DOC = (
    "the group's sentence: {kinds} (what was held, joined with 、), {count} (the count with "
    "its unit), {people} (on-site people with the people word); empty: the group is named "
    "through its highlighted programmes only"
)


class CountingGroupIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = None
    position: int = Field(default=0, ge=0, le=1000, description="order in the review")
    unit: Unit = Field(default="场次", description="what the group counts: 场次, 个, 班次 or 次")
    people_unit: PeopleUnit = Field(default="人次", description="人 or 人次")
    template: Template = Field(default="", description=TEMPLATE_DOC)
    round_count: Flag = Field(default=False, description="write the count with 余 (80余场次)")
    digits: int | None = Field(
        default=None, ge=1, le=3, description="significant figures kept; null: the setting"
    )
    separate: Flag = Field(default=False, description="a sentence of its own in the review")


class CountingGroupUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    position: int | None = Field(default=None, ge=0, le=1000)
    unit: Unit | None = None
    people_unit: PeopleUnit | None = None
    template: Template | None = None
    round_count: Flag | None = None
    digits: int | None = Field(default=None, ge=1, le=3)
    separate: Flag | None = None


class CountingGroupOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None
    position: int
    unit: str
    people_unit: str
    template: str
    round_count: bool
    digits: int | None
    separate: bool


class OrganizerIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = None
    contact: ShortText | None = None


class OrganizerUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    contact: ShortText | None = None


class OrganizerOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None
    contact: str | None


class ProgrammeIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = None
    description_zh: LongText | None = None
    description_en: LongText | None = None
    parent: Slug | None = Field(default=None, description="slug of the programme this sits inside")
    start_date: Day | None = None
    end_date: Day | None = None
    kind_zh: Name | None = Field(
        default=None, description="what the review calls what it holds (送文化下乡之“村晚”演出)"
    )
    highlight: Flag = Field(default=False, description="named in the review paragraph")
    station_role: StationRole | None = Field(
        default=None, description="the culture station's part: 主办, 承办, 协办 or 协助"
    )


class ProgrammeUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    description_zh: LongText | None = None
    description_en: LongText | None = None
    parent: Slug | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    kind_zh: Name | None = None
    highlight: Flag | None = None
    station_role: StationRole | None = None


class ProgrammeOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None
    description_zh: str | None
    description_en: str | None
    parent: Ref | None
    start_date: date | None
    end_date: date | None
    kind_zh: str | None
    highlight: bool
    station_role: str | None
