"""Reference data: villages, venues, categories, organizers, programmes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from bolin_events.models import Counting
from bolin_events.schemas.common import Count, Day, LongText, Name, Ref, Schema, ShortText, Slug


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


class VenueIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = None
    village: Slug = Field(description="slug of the village the venue is in")
    address: ShortText | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    capacity: Count | None = Field(default=None, ge=0, le=1_000_000)


class VenueUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    village: Slug | None = None
    address: ShortText | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    capacity: Count | None = Field(default=None, ge=0, le=1_000_000)


class VenueOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None
    village: Ref
    address: str | None
    latitude: float | None
    longitude: float | None
    capacity: int | None


class CategoryIn(Schema):
    name_zh: Name
    name_en: Name | None = None
    slug: Slug | None = None
    counting: Counting = Field(
        default=Counting.activity,
        description="how the annual return counts its sessions (activity 次, exhibition 个, …)",
    )


class CategoryUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    counting: Counting | None = None


class CategoryOut(Schema):
    id: int
    slug: str
    name_zh: str
    name_en: str | None
    counting: str


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


class ProgrammeUpdate(Schema):
    name_zh: Name | None = None
    name_en: Name | None = None
    description_zh: LongText | None = None
    description_en: LongText | None = None
    parent: Slug | None = None
    start_date: Day | None = None
    end_date: Day | None = None


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
