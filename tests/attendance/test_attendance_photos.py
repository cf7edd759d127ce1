"""Evidence photos: stored without location, refused when not a photo or too big, staff only."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from bolin_events.models import Role
from bolin_events.services import heavy
from bolin_events.services.attendance import photos
from bolin_events.settings import Settings
from bolin_events.storage import LocalStore
from tests.attendance.helpers import make_event, reports_url
from tests.conftest import Client, Staff, make_user


def photo(fmt: str = "JPEG", *, gps: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small picture as a phone makes it: GPS position, capture time, turned by EXIF."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Orientation] = 6  # stored sideways, shown upright
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:10:03 19:45:00"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (29.0, 10.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (106.0, 15.0, 0.0),
        }
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def gps_of(data: bytes) -> dict[int, object]:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def stored_files(settings: Settings) -> list[Path]:
    return [p for p in (settings.data_dir / "uploads").rglob("*") if p.is_file()]


async def reported(client: Client, staff: Staff) -> str:
    _, occ = await make_event(client, staff.scheduler)
    response = await client.post(reports_url(occ), json={"total": 80}, headers=staff.reporter)
    assert response.status_code == 201
    return occ


def upload(data: bytes, name: str = "sign-in.jpg", kind: str = "image/jpeg") -> dict[str, object]:
    return {"files": {"photo": (name, data, kind)}}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
async def test_photo_is_stored_without_gps_and_upright(
    client: Client, staff: Staff, settings: Settings, fmt: str
) -> None:
    occ = await reported(client, staff)
    original = photo(fmt)
    assert gps_of(original)  # the phone's file has a position

    response = await client.post(
        f"/api/v1/occurrences/{occ}/photos", **upload(original), headers=staff.reporter
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["width"], body["height"]) == (48, 64)
    assert (body["revision"], body["uploaded_by"]) == (1, "reporter")
    assert body["taken_at"] == "2026:10:03 19:45:00"
    assert body["content_type"] == f"image/{fmt.lower()}"
    (kept,) = stored_files(settings)
    assert gps_of(kept.read_bytes()) == {}
    assert b"TestPhone" not in kept.read_bytes()
    download = await client.get(body["url"], headers=staff.scheduler)
    assert download.content == kept.read_bytes()
    assert download.headers["content-type"] == f"image/{fmt.lower()}"
    assert download.headers["cache-control"] == "private, no-store"


async def test_photo_download_is_for_staff_only(client: Client, staff: Staff) -> None:
    occ = await reported(client, staff)
    created = await client.post(
        f"/api/v1/occurrences/{occ}/photos", **upload(photo()), headers=staff.reporter
    )

    anonymous = await client.get(created.json()["url"])

    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"


async def test_photos_are_seen_only_by_reporters_of_their_village(
    client: Client, staff: Staff
) -> None:
    """Photos can show people: another village's reporter gets 403, the night's own reporter
    and the culture station get the file."""
    occ = await reported(client, staff)  # a night in 东胜村, reported by its reporter
    created = await client.post(
        f"/api/v1/occurrences/{occ}/photos", **upload(photo()), headers=staff.reporter
    )
    huagai = await make_user(client.app, "huagai-reporter", Role.reporter, ["huagai"])

    other = await client.get(created.json()["url"], headers=huagai)
    own = await client.get(created.json()["url"], headers=staff.reporter)
    station = await client.get(created.json()["url"], headers=staff.admin)

    assert other.status_code == 403
    assert "dongsheng" in other.json()["message_en"]
    assert own.status_code == station.status_code == 200
    assert own.content == station.content


async def test_photo_listed_in_the_report_history(client: Client, staff: Staff) -> None:
    occ = await reported(client, staff)
    await client.post(
        f"/api/v1/occurrences/{occ}/photos", **upload(photo(), "签到表.jpg"), headers=staff.reporter
    )

    history = (await client.get(reports_url(occ), headers=staff.admin)).json()

    assert [(p["filename"], p["revision"]) for p in history["photos"]] == [("签到表.jpg", 1)]


async def test_photo_that_is_not_an_image_is_415_and_nothing_is_stored(
    client: Client, staff: Staff, settings: Settings
) -> None:
    occ = await reported(client, staff)

    response = await client.post(
        f"/api/v1/occurrences/{occ}/photos",
        **upload(b"%PDF-1.4 not a photo", "sheet.jpg"),
        headers=staff.reporter,
    )

    assert response.status_code == 415
    assert response.json()["message"].startswith("文件不是可用的 JPEG 或 PNG 照片")
    assert stored_files(settings) == []


async def test_photo_in_another_image_format_is_415(
    client: Client, staff: Staff, settings: Settings
) -> None:
    occ = await reported(client, staff)
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")

    response = await client.post(
        f"/api/v1/occurrences/{occ}/photos",
        **upload(gif.getvalue(), "a.gif"),
        headers=staff.reporter,
    )

    assert response.status_code == 415
    assert "GIF" in response.json()["message"]
    assert stored_files(settings) == []


async def test_photo_over_the_size_limit_is_413_and_nothing_is_stored(
    client: Client, staff: Staff, settings: Settings
) -> None:
    occ = await reported(client, staff)
    big = photo(size=(1200, 1200)) + b"\0" * settings.max_photo_bytes

    response = await client.post(
        f"/api/v1/occurrences/{occ}/photos", **upload(big), headers=staff.reporter
    )

    assert response.status_code == 413
    assert stored_files(settings) == []


async def test_photo_before_any_report_is_refused(client: Client, staff: Staff) -> None:
    _, occ = await make_event(client, staff.scheduler)

    response = await client.post(
        f"/api/v1/occurrences/{occ}/photos", **upload(photo()), headers=staff.reporter
    )

    assert response.status_code == 409
    assert response.json()["message"] == "请先上报人次，再上传照片。"


async def test_photo_retry_with_the_same_key_stores_one(
    client: Client, staff: Staff, settings: Settings
) -> None:
    occ = await reported(client, staff)
    headers = {**staff.reporter, "Idempotency-Key": "photo-1"}
    data = photo()

    first = await client.post(f"/api/v1/occurrences/{occ}/photos", **upload(data), headers=headers)
    again = await client.post(f"/api/v1/occurrences/{occ}/photos", **upload(data), headers=headers)

    assert again.content == first.content
    assert len(stored_files(settings)) == 1


async def test_sweep_removes_only_old_files_no_photo_names(
    client: Client, staff: Staff, settings: Settings
) -> None:
    """A report that failed after its photo was written leaves a file; the sweep (run by
    `serve` at start and by `bolin-events photos sweep`) removes it, and nothing else."""
    occ = await reported(client, staff)
    kept = await client.post(
        f"/api/v1/occurrences/{occ}/photos", **upload(photo()), headers=staff.reporter
    )
    assert kept.status_code == 201
    uploads = settings.data_dir / "uploads"
    old, hours_ago = time.time() - 2 * 86400, time.time() - 7200
    orphan, half_written, young = (uploads / "2026/10/orphan.jpg",
                                   uploads / "2026/10/.upload-x1", uploads / "2026/10/new.jpg")
    for path in (orphan, half_written, young):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    for path in (orphan, half_written, *stored_files(settings)):
        if path != young:
            os.utime(path, (old, old))
    os.utime(young, (hours_ago, hours_ago))  # asked for an hour, but younger than a day

    async with client.app.state.sessionmaker() as session:
        listed = await photos.sweep_orphans(session, LocalStore(uploads),
                                            older_than=timedelta(hours=1), dry_run=True)
        assert orphan.exists()
        swept = await photos.sweep_orphans(session, LocalStore(uploads),
                                           older_than=timedelta(hours=1))

    assert listed == swept == ["2026/10/.upload-x1", "2026/10/orphan.jpg"]
    assert not orphan.exists() and not half_written.exists() and young.exists()
    assert (await client.get(kept.json()["url"], headers=staff.admin)).status_code == 200


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width``×``height`` RGBA pixels but holds a few bytes of them:
    what a decompression bomb looks like before it is decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("width", "height", "shown"), [
    (7000, 7000, "7000×7000"),  # 49 MP RGBA: 196 MB once decoded
    (9000, 6000, "9000×6000"),  # 54 MP: more than any phone's photo
    (20000, 20000, "超过 100 百万像素"),  # 400 MP: Pillow's own bomb guard
])
async def test_a_photo_with_too_many_pixels_is_413_before_it_is_decoded(
    client: Client, staff: Staff, settings: Settings, width: int, height: int, shown: str
) -> None:
    occ = await reported(client, staff)

    response = await client.post(
        f"/api/v1/occurrences/{occ}/photos",
        **upload(png_header_only(width, height), "bomb.png", "image/png"),
        headers=staff.reporter,
    )

    assert response.status_code == 413, response.text
    assert shown in response.json()["message"]
    assert "百万像素以内" in response.json()["message"]
    assert stored_files(settings) == []


async def test_a_photo_worker_that_died_is_replaced_and_the_next_upload_is_saved(
    client: Client, staff: Staff, settings: Settings
) -> None:
    """Photos are worked on in worker processes (Pillow holds the interpreter lock at times);
    one killed (out of memory, an operator) must not leave every later upload a 500."""
    occ = await reported(client, staff)
    first = await client.post(f"/api/v1/occurrences/{occ}/photos", **upload(photo()),
                              headers=staff.reporter)
    assert first.status_code == 201, first.text
    pool = heavy._processes
    assert pool is not None
    for pid in [p.pid for p in pool._processes.values()]:  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGKILL)
    await asyncio.sleep(0.5)  # the pool notices its worker is gone

    again = await client.post(f"/api/v1/occurrences/{occ}/photos", **upload(photo()),
                              headers=staff.reporter)

    assert again.status_code == 201, again.text
    assert heavy._processes is not pool  # a fresh pool took over
    assert len(stored_files(settings)) == 2
