"""Which picture an event shows, and changing it: an event's own, else its category's default.

A programme has a picture of its own for its page; its events never borrow it (a festival's
poster is not each night's picture).

Files live in their own folder of the data directory (``pictures/``), apart from the evidence
photos: these are public, those never are, and the photo sweep must not see these. A picture
replaced or removed leaves its files where they are (a page cached a moment ago may still
name them; a transaction that fails must not lose them) but they are no longer served:
``sweep_unused`` deletes the files no picture names once they are a day old.

Every change adds or deletes a row, which moves the data version (services.versions), so
cached public pages are made again; the event's SEQUENCE stays (no calendar shows pictures).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import not_found
from bolin_events.models import Category, Event, Picture, Programme
from bolin_events.schemas.common import clean_text
from bolin_events.schemas.pictures import PictureOut, PictureVariant
from bolin_events.services.feeds.links import base
from bolin_events.services.heavy import off_process
from bolin_events.services.pictures.images import file_name, make_variants
from bolin_events.settings import Settings
from bolin_events.storage import LocalStore

MEDIA_PATH = "/media/pictures"
MIN_UNUSED_AGE = timedelta(days=1)
SRC_WIDTH = 960  # what <img src> names: sharp on a phone, small enough for a slow network
ALT_LENGTH = 300
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}
Owner = Event | Category | Programme


@dataclass(frozen=True)
class Alt:
    """What a picture shows, for screen readers (the title is used when left out)."""

    zh: str | None = None
    en: str | None = None

    @classmethod
    def of(cls, zh: str | None, en: str | None) -> Alt:
        return cls(_text(zh), _text(en))


def _text(value: str | None) -> str | None:
    cleaned = clean_text(value or "")[:ALT_LENGTH]
    return cleaned or None


def picture_store(settings: Settings) -> LocalStore:
    return LocalStore(settings.pictures_dir)


def media_url(settings: Settings, name: str) -> str:
    return f"{base(settings)}{MEDIA_PATH}/{name}"


async def category_of(session: AsyncSession, slug: str) -> Category:
    category = (await session.exec(select(Category).where(Category.slug == slug))).first()
    if category is None:
        raise not_found("类别", "category", slug)
    return category


async def programme_of(session: AsyncSession, slug: str) -> Programme:
    programme = (await session.exec(select(Programme).where(Programme.slug == slug))).first()
    if programme is None:
        raise not_found("活动项目", "programme", slug)
    return programme


def _owned_by(owner: Owner) -> ColumnElement[bool]:
    if isinstance(owner, Event):
        return col(Picture.event_id) == owner.id
    if isinstance(owner, Category):
        return col(Picture.category_id) == owner.id
    return col(Picture.programme_id) == owner.id


async def own_picture(session: AsyncSession, owner: Owner) -> Picture | None:
    return (await session.exec(select(Picture).where(_owned_by(owner)))).first()


async def set_picture(
    session: AsyncSession, settings: Settings, owner: Owner, raw: bytes, alt: Alt,
    user_id: int | None,
) -> Picture:
    """The upload resized and stored as the owner's picture, in place of any before it."""
    made = await off_process(make_variants, raw, settings.max_photo_bytes)
    old = await own_picture(session, owner)
    if old is not None:
        await session.delete(old)
        await session.flush()  # the owner's one picture: gone before the new one comes
    picture = Picture(
        event_id=owner.id if isinstance(owner, Event) else None,
        category_id=owner.id if isinstance(owner, Category) else None,
        programme_id=owner.id if isinstance(owner, Programme) else None,
        key=made.key, width=made.width, height=made.height,
        widths=",".join(map(str, made.widths)), alt_zh=alt.zh, alt_en=alt.en,
        uploaded_by=user_id,
    )
    session.add(picture)
    await session.flush()  # a refused row leaves no file behind
    store = picture_store(settings)
    for name, data in made.files.items():
        await store.put(name, data, CONTENT_TYPES[name.rsplit(".", 1)[-1]])
    return picture


async def remove_picture(session: AsyncSession, owner: Owner) -> None:
    picture = await own_picture(session, owner)
    if picture is None:
        raise not_found("图片", "picture", owner.id if isinstance(owner, Event) else owner.slug)
    await session.delete(picture)
    await session.flush()


async def shown_picture(session: AsyncSession, event: Event) -> Picture | None:
    """The event's own picture, else its category's default, else none."""
    found = (await session.exec(select(Picture).where(or_(
        col(Picture.event_id) == event.id, col(Picture.category_id) == event.category_id,
    )))).all()
    return min(found, key=lambda p: p.event_id is None, default=None)


async def is_served(session: AsyncSession, key: str) -> bool:
    """Files are sent only while a picture names them (a removed one stops at once)."""
    found = await session.exec(select(Picture.id).where(Picture.key == key).limit(1))
    return found.first() is not None


def picture_out(settings: Settings, picture: Picture) -> PictureOut:
    variants = [
        PictureVariant(
            width=width, height=max(1, round(picture.height * width / picture.width)),
            webp_url=media_url(settings, file_name(picture.key, width, "webp")),
            jpeg_url=media_url(settings, file_name(picture.key, width, "jpg")),
        )
        for width in picture.variant_widths
    ]
    src = next((v for v in variants if v.width >= SRC_WIDTH), variants[-1])
    return PictureOut(
        key=picture.key, owner=picture.owner_kind, width=picture.width, height=picture.height,
        alt_zh=picture.alt_zh, alt_en=picture.alt_en, variants=variants, src=src.jpeg_url,
        webp_srcset=", ".join(f"{v.webp_url} {v.width}w" for v in variants),
        jpeg_srcset=", ".join(f"{v.jpeg_url} {v.width}w" for v in variants),
    )


def widest_jpeg(picture: Picture) -> str:
    """The store's name of the largest JPEG (what the share image is cut from)."""
    return file_name(picture.key, picture.variant_widths[-1], "jpg")


async def sweep_unused(
    session: AsyncSession, store: LocalStore, *, older_than: timedelta, dry_run: bool = False
) -> list[str]:
    """Files no picture names, older than ``older_than`` (at least a day: a page cached just
    before a change may still show them, an upload may still be on its way); deleted unless
    ``dry_run``. The list is what was (or would be) deleted."""
    cutoff = time.time() - max(older_than, MIN_UNUSED_AGE).total_seconds()
    keys = set((await session.exec(select(Picture.key))).all())
    unused = [
        name for name, modified in await store.listing()
        if modified < cutoff and name.split("-", 1)[0] not in keys
    ]
    if not dry_run:
        for name in unused:
            if name.startswith(".upload-"):
                await store.remove_temporary(name)
            else:
                await store.delete(name)
    return sorted(unused)
