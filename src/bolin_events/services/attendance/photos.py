"""Evidence photos: checked to be JPEG or PNG, re-encoded without metadata, then stored.

Re-encoding is what makes the stripping sure: the new file carries only the pixels (turned
the way the camera meant), the colour profile and the transparency, never EXIF, GPS, XMP or
comments. The capture time is read first and kept in the ledger, since inspectors use it.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import warnings
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.errors import Conflict, InvalidInput, TooLarge, UnsupportedMedia, not_found
from bolin_events.models import Occurrence, ReportPhoto, utcnow
from bolin_events.models.base import is_valid_id
from bolin_events.schemas.attendance import PhotoOut
from bolin_events.services.attendance.access import Reporter, check_village
from bolin_events.services.attendance.history import photo_out
from bolin_events.services.attendance.reports import latest_report
from bolin_events.services.heavy import off_process
from bolin_events.services.refs import load_refs
from bolin_events.services.scheduling.occurrences import get_occurrence, occurrence_id
from bolin_events.storage import BlobStore, LocalStore

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "MPO": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
# Phones sold in China shoot up to 50 MP in their high-resolution modes (most save 12 MP);
# beyond that no photo is a phone's, and decoding one would take hundreds of MB.
MAX_PIXELS = 50_000_000
MAX_DECODED_BYTES = 160_000_000  # one decode's pixels in memory: 50 MP RGB, 40 MP RGBA
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses far bigger ones before decoding
# … and only warns about those up to twice as big, which clean_image refuses itself
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
MIN_ORPHAN_AGE = timedelta(days=1)  # no sweep deletes a younger file, whatever it is asked
KEPT_INFO = ("icc_profile", "transparency", "dpi")
_UNSAFE_NAME = re.compile(r"[^\w.\-() ]+")


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    taken_at: str | None
    sha256: str


def _not_an_image(detail: str) -> UnsupportedMedia:
    return UnsupportedMedia(
        f"文件不是可用的 JPEG 或 PNG 照片（{detail}）。",
        f"The file is not a usable JPEG or PNG photo ({detail}).",
        [{"field": "photo"}],
    )


def _too_many_pixels(size: str, pixels: int) -> TooLarge:
    megapixels = f"{pixels / 1e6:.0f}" if size else f"over {pixels / 1e6:.0f}"
    shown = f"{size}，{megapixels} 百万像素" if size else f"超过 {pixels / 1e6:.0f} 百万像素"
    return TooLarge(
        f"照片像素太多（{shown}）；请用手机相机的普通模式拍摄，或缩小到 "
        f"{MAX_PIXELS // 1_000_000} 百万像素以内再传。",
        f"The photo has too many pixels ({size + ', ' if size else ''}{megapixels} MP); take it "
        f"in the camera's normal mode or shrink it to {MAX_PIXELS // 1_000_000} MP at most.",
        [{"field": "photo", "limit_megapixels": MAX_PIXELS // 1_000_000}],
    )


def clean_image(raw: bytes, max_bytes: int) -> CleanImage:
    """The photo re-encoded without metadata. CPU and memory heavy: run it off the event
    loop (services.heavy); what it may decode is bounded before decoding starts."""
    if len(raw) > max_bytes:
        raise TooLarge(
            f"照片 {len(raw) / 1e6:.1f} MB，超过上限 {max_bytes / 1e6:.1f} MB；请压缩后再传。",
            f"The photo is {len(raw) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit.",
            [{"field": "photo", "size": len(raw), "limit": max_bytes}],
        )
    if not raw:
        raise InvalidInput("照片文件是空的。", "The photo file is empty.", [{"field": "photo"}])
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            if opened.format not in FORMATS:
                raise _not_an_image(f"格式 {opened.format} / format {opened.format}")
            pixels = opened.width * opened.height
            decoded = pixels * len(opened.getbands())
            if pixels > MAX_PIXELS or decoded > MAX_DECODED_BYTES:  # known from the header alone
                raise _too_many_pixels(f"{opened.width}×{opened.height}", pixels)
            content_type, extension = FORMATS[opened.format]
            exif = opened.getexif()
            taken = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
            taken = taken or exif.get(ExifTags.Base.DateTime)
            image = ImageOps.exif_transpose(opened)
            image.info = {k: v for k, v in opened.info.items() if k in KEPT_INFO}
            out = io.BytesIO()
            if content_type == "image/jpeg":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=90)
            else:
                image.save(out, "PNG")
    except Image.DecompressionBombError:
        raise _too_many_pixels("", 2 * MAX_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _not_an_image(type(exc).__name__) from None
    data = out.getvalue()
    return CleanImage(
        data=data,
        content_type=content_type,
        extension=extension,
        width=image.width,
        height=image.height,
        taken_at=str(taken).strip("\x00 ")[:32] if taken else None,
        sha256=digest(data),
    )


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def safe_filename(name: str | None) -> str | None:
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE_NAME.sub("_", base).strip()[:200] or None


async def add_photo(
    session: AsyncSession,
    store: BlobStore,
    key: str,
    reporter: Reporter,
    raw: bytes,
    filename: str | None,
    max_bytes: int,
) -> PhotoOut:
    event, occ = await get_occurrence(session, key)
    check_village(await load_refs(session), occ, reporter)
    assert occ.id is not None
    report = await latest_report(session, occ.id)
    if report is None or report.id is None:
        raise Conflict("请先上报人次，再上传照片。", "Report the figures first, then add photos.")
    image = await off_process(clean_image, raw, max_bytes)  # Pillow holds the GIL at times
    now = utcnow()
    photo = ReportPhoto(
        occurrence_id=occ.id,
        report_id=report.id,
        storage_key=f"photos/{now:%Y/%m}/{uuid4().hex}.{image.extension}",
        content_type=image.content_type,
        size=len(image.data),
        sha256=image.sha256,
        width=image.width,
        height=image.height,
        filename=safe_filename(filename),
        taken_at=image.taken_at,
        uploaded_by=reporter.user_id,
        uploaded_at=now,
    )
    session.add(photo)
    await session.flush()  # a refused row leaves no file behind
    await store.put(photo.storage_key, image.data, image.content_type)
    return photo_out(occurrence_id(event, occ), photo, report.revision, reporter.username)


async def read_photo(
    session: AsyncSession, store: BlobStore, photo_id: int, reader: Reporter
) -> tuple[ReportPhoto, bytes]:
    """A stored photo for staff who may see it: photos can show people (DOMAIN.md, privacy),
    so a reporter sees only those of their own villages, like the nights they report."""
    photo = None
    if is_valid_id(photo_id):  # beyond the column's range no photo can be (PostgreSQL: an error)
        photo = (await session.exec(select(ReportPhoto).where(ReportPhoto.id == photo_id))).first()
    if photo is None:
        raise not_found("照片", "photo", photo_id)
    occ = await session.get(Occurrence, photo.occurrence_id)
    if occ is None:  # the foreign key keeps this from happening
        raise not_found("照片", "photo", photo_id)
    check_village(await load_refs(session), occ, reader)
    return photo, await store.get(photo.storage_key)


async def sweep_orphans(
    session: AsyncSession, store: LocalStore, *, older_than: timedelta, dry_run: bool = False
) -> list[str]:
    """Files in the store that no photo row names, older than ``older_than``: left by a
    request whose transaction did not commit (or by a crash mid-write). Deleted unless
    ``dry_run``; the list is what was (or would be) deleted. Files younger than a day are
    always left alone: their request may still be running, and a photo whose row a mistake
    removed (a database restored from an older backup, a downgrade) can still be saved."""
    older_than = max(older_than, MIN_ORPHAN_AGE)
    cutoff = time.time() - older_than.total_seconds()
    known = set((await session.exec(select(ReportPhoto.storage_key))).all())
    orphans = [
        key
        for key, modified in await store.listing()
        if modified < cutoff and key not in known
    ]
    if not dry_run:
        for key in orphans:
            if key.rsplit("/", 1)[-1].startswith(".upload-"):
                await store.remove_temporary(key)
            else:
                await store.delete(key)
    return sorted(orphans)
