"""Resized variants of an uploaded picture, WebP and JPEG, made in a worker process.

The upload goes through the evidence photos' checks first (attendance.photos.clean_image:
size limit, JPEG or PNG only, the decompression-bomb guard, turned upright by its EXIF, the
metadata dropped); then each width is made from that, never wider than the upload.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image

from bolin_events.errors import DomainError
from bolin_events.services.attendance.photos import clean_image

WIDTHS = (480, 960, 1600)
PICTURE_FIELD = "picture"  # the multipart field the API takes the file in
WEBP_QUALITY = 80
JPEG_QUALITY = 82
LANCZOS = Image.Resampling.LANCZOS
BACKGROUND = (255, 255, 255)  # what transparent parts of a PNG become in the JPEG
RECIPE = b"pictures-v1"  # part of the hash: a change to how files are made gives new names


@dataclass(frozen=True)
class Variants:
    key: str
    width: int
    height: int
    widths: list[int]
    files: dict[str, bytes]  # file name → content


def variant_widths(width: int) -> list[int]:
    """The standard widths below the upload's, then the upload's own (at most the largest):
    a 700 px upload gives 480 and 700; nothing is ever enlarged."""
    below = [w for w in WIDTHS if w < min(width, WIDTHS[-1])]
    return [*below, min(width, WIDTHS[-1])]


def file_name(key: str, width: int, extension: str) -> str:
    return f"{key}-{width}.{extension}"


def make_variants(raw: bytes, max_bytes: int) -> Variants:
    """CPU and memory heavy: run it in the worker processes (services.heavy.off_process)."""
    try:
        clean = clean_image(raw, max_bytes)
    except DomainError as error:  # the photo checks name their own field
        error.details = [{**d, "field": PICTURE_FIELD} for d in error.details]
        raise
    key = hashlib.sha256(RECIPE + clean.data).hexdigest()[:32]
    with Image.open(io.BytesIO(clean.data)) as opened:
        opened.load()
        image = opened.convert("RGBA") if _has_alpha(opened) else opened.convert("RGB")
    files: dict[str, bytes] = {}
    widths = variant_widths(image.width)
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        sized = image if width == image.width else image.resize((width, height), LANCZOS)
        files[file_name(key, width, "webp")] = _encoded(sized, "WEBP")
        files[file_name(key, width, "jpg")] = _encoded(_flattened(sized), "JPEG")
    return Variants(key, image.width, image.height, widths, files)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _flattened(image: Image.Image) -> Image.Image:
    if image.mode != "RGBA":
        return image
    flat = Image.new("RGB", image.size, BACKGROUND)
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def _encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "WEBP":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()
