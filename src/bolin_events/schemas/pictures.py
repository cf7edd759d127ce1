"""A picture as the API and the pages give it: its variants' addresses, ready for srcset."""

from __future__ import annotations

from pydantic import Field

from bolin_events.models.pictures import OwnerKind
from bolin_events.schemas.common import Schema


class PictureVariant(Schema):
    width: int
    height: int
    webp_url: str
    jpeg_url: str


class PictureOut(Schema):
    key: str = Field(description="content hash; part of every file's name")
    owner: OwnerKind = Field(
        description="event: the event's own picture; category: its category's default; "
        "programme: the programme's own (its events never show it)"
    )
    width: int = Field(description="the uploaded picture's width (upright)")
    height: int
    alt_zh: str | None
    alt_en: str | None
    variants: list[PictureVariant] = Field(description="narrowest first; never wider than the "
                                           "upload")
    src: str = Field(description="the JPEG for <img src>: 960 px wide, or the widest made")
    webp_srcset: str
    jpeg_srcset: str
