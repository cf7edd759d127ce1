"""Pictures: staff upload one per event (or a category's default); visitors get resized files."""

from __future__ import annotations

import io
import os
import time
from typing import Any

from PIL import Image

from bolin_events.services.pictures import records
from bolin_events.settings import Settings
from tests.api.helpers import create_event, problem
from tests.conftest import Client, Staff

BASE = "https://events.example.test"


def picture(size: tuple[int, int], fmt: str = "JPEG", colour: Any = (30, 90, 200)) -> bytes:
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", size, colour)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def upload(data: bytes, name: str = "poster.jpg", kind: str = "image/jpeg",
           **alt: str) -> dict[str, Any]:
    return {"files": {"picture": (name, data, kind)}, "data": alt}


async def published(client: Client, staff: Staff) -> int:
    event_id: int = (await create_event(client, staff.scheduler, status="published"))["id"]
    return event_id


async def put_picture(client: Client, staff: Staff, path: str, data: bytes,
                      **alt: str) -> dict[str, Any]:
    response = await client.put(path, **upload(data, **alt), headers=staff.scheduler)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def fetch(client: Client, url: str) -> tuple[Any, Image.Image]:
    assert url.startswith(BASE)
    response = await client.get(url.removeprefix(BASE))
    assert response.status_code == 200, (url, response.status_code)
    return response, Image.open(io.BytesIO(response.content))


async def test_a_jpeg_gives_webp_and_jpeg_files_480_960_and_1600_wide(
        client: Client, staff: Staff) -> None:
    event_id = await published(client, staff)

    body = await put_picture(client, staff, f"/api/v1/events/{event_id}/picture",
                             picture((2000, 1250)), alt_zh="夜市的灯笼", alt_en="Lanterns")

    assert (body["owner"], body["width"], body["height"]) == ("event", 2000, 1250)
    assert (body["alt_zh"], body["alt_en"]) == ("夜市的灯笼", "Lanterns")
    assert [v["width"] for v in body["variants"]] == [480, 960, 1600]
    assert body["src"] == body["variants"][1]["jpeg_url"]
    for variant in body["variants"]:
        webp, webp_image = await fetch(client, variant["webp_url"])
        jpeg, jpeg_image = await fetch(client, variant["jpeg_url"])
        assert (webp_image.format, jpeg_image.format) == ("WEBP", "JPEG")
        assert webp_image.size == jpeg_image.size == (variant["width"], variant["height"])
        assert webp.headers["content-type"] == "image/webp"
        assert jpeg.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert body["webp_srcset"].endswith(f"{body['variants'][2]['webp_url']} 1600w")


async def test_a_picture_narrower_than_1600_is_never_enlarged(
        client: Client, staff: Staff) -> None:
    event_id = await published(client, staff)

    body = await put_picture(client, staff, f"/api/v1/events/{event_id}/picture",
                             picture((700, 500)))

    assert [(v["width"], v["height"]) for v in body["variants"]] == [(480, 343), (700, 500)]
    assert body["src"].endswith("-700.jpg")  # no 960 px file: the widest there is


async def test_a_transparent_png_keeps_its_transparency_in_webp_and_is_white_in_jpeg(
        client: Client, staff: Staff) -> None:
    event_id = await published(client, staff)
    see_through = picture((600, 400), "PNG", (200, 0, 0, 0))

    body = await put_picture(client, staff, f"/api/v1/events/{event_id}/picture", see_through)

    _, webp = await fetch(client, body["variants"][0]["webp_url"])
    _, jpeg = await fetch(client, body["variants"][0]["jpeg_url"])
    assert webp.convert("RGBA").getchannel("A").getpixel((10, 10)) == 0
    assert jpeg.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


async def test_a_text_file_is_refused_in_chinese_and_nothing_is_stored(
        client: Client, staff: Staff, settings: Settings) -> None:
    event_id = await published(client, staff)

    response = await client.put(f"/api/v1/events/{event_id}/picture",
                                **upload(b"not a picture\n", "notes.txt", "text/plain"),
                                headers=staff.scheduler)

    body = problem(response)
    assert response.status_code == 415
    assert "JPEG 或 PNG" in body["message"] and "JPEG or PNG" in body["message_en"]
    assert body["details"][0]["field"] == "picture"
    assert not (settings.data_dir / "pictures").exists()


async def test_a_picture_over_the_size_limit_is_413(
        client: Client, staff: Staff, settings: Settings) -> None:
    event_id = await published(client, staff)
    big = picture((800, 600)) + b"\0" * settings.max_photo_bytes

    response = await client.put(f"/api/v1/events/{event_id}/picture", **upload(big),
                                headers=staff.scheduler)

    assert response.status_code == 413
    assert "超过上限" in problem(response)["message"]


async def test_uploading_needs_a_login_and_a_planner(client: Client, staff: Staff) -> None:
    event_id = await published(client, staff)
    path = f"/api/v1/events/{event_id}/picture"

    anonymous = await client.put(path, **upload(picture((100, 100))))
    reporter = await client.put(path, **upload(picture((100, 100))), headers=staff.reporter)
    category = await client.put("/api/v1/categories/performance/picture",
                                **upload(picture((100, 100))), headers=staff.reporter)

    assert (anonymous.status_code, reporter.status_code, category.status_code) == (401, 403, 403)
    assert "信息员" in problem(reporter)["message"]


async def test_an_event_without_a_picture_shows_its_categorys_default(
        client: Client, staff: Staff) -> None:
    event_id = await published(client, staff)  # a performance
    path = f"/api/v1/events/{event_id}/picture"
    none_yet = await client.get(path)

    default = await put_picture(client, staff, "/api/v1/categories/performance/picture",
                                picture((1000, 600), colour=(0, 160, 0)))
    shown_default = (await client.get(path)).json()
    own = await put_picture(client, staff, path, picture((1000, 600)))
    shown_own = (await client.get(path)).json()
    removed = await client.delete(path, headers=staff.scheduler)
    shown_after = (await client.get(path)).json()

    assert none_yet.status_code == 404
    assert "没有图片" in problem(none_yet)["message"]
    assert (shown_default["owner"], shown_default["key"]) == ("category", default["key"])
    assert (shown_own["owner"], shown_own["key"]) == ("event", own["key"])
    assert removed.status_code == 204
    assert (shown_after["owner"], shown_after["key"]) == ("category", default["key"])


async def test_a_replaced_picture_is_no_longer_served_and_the_change_is_in_the_audit_trail(
        client: Client, staff: Staff) -> None:
    event_id = await published(client, staff)
    path = f"/api/v1/events/{event_id}/picture"
    first = await put_picture(client, staff, path, picture((500, 500), colour=(255, 0, 0)))
    second = await put_picture(client, staff, path, picture((500, 500), colour=(0, 0, 255)))

    old = await client.get(first["src"].removeprefix(BASE))
    new = await client.get(second["src"].removeprefix(BASE))
    trail = await client.get("/api/v1/audit", params={"object_type": "picture"},
                             headers=staff.admin)

    assert (old.status_code, new.status_code) == (404, 200)
    entries = trail.json()["items"]
    assert [(e["action"], e["username"]) for e in entries] == [
        ("create", "scheduler"), ("delete", "scheduler"), ("create", "scheduler")]
    assert entries[0]["changes"]["key"] == [None, second["key"]]


async def test_sweeping_deletes_only_day_old_files_no_picture_names(
        client: Client, staff: Staff, settings: Settings) -> None:
    event_id = await published(client, staff)
    path = f"/api/v1/events/{event_id}/picture"
    first = await put_picture(client, staff, path, picture((500, 500), colour=(255, 0, 0)))
    second = await put_picture(client, staff, path, picture((500, 500), colour=(0, 0, 255)))
    store = records.picture_store(settings)
    two_days_ago = time.time() - 2 * 86400
    for file in store.root.iterdir():
        os.utime(file, (two_days_ago, two_days_ago))

    async with client.app.state.sessionmaker() as session:
        swept = await records.sweep_unused(session, store, older_than=records.MIN_UNUSED_AGE)

    assert swept == sorted(f"{first['key']}-{w}.{x}" for w in (480, 500) for x in ("jpg", "webp"))
    assert sorted(f.name.split("-")[0] for f in store.root.iterdir()) == [second["key"]] * 4


async def test_an_unknown_category_or_event_is_404(client: Client, staff: Staff) -> None:
    category = await client.put("/api/v1/categories/nowhere/picture",
                                **upload(picture((100, 100))), headers=staff.scheduler)
    event = await client.delete("/api/v1/events/999999/picture", headers=staff.scheduler)

    assert (category.status_code, event.status_code) == (404, 404)
    assert "nowhere" in problem(category)["message"]


async def test_a_programme_picture_is_its_own_and_its_events_do_not_show_it(
        client: Client, staff: Staff) -> None:
    event_id = await published(client, staff)  # in the programme cunwan, a performance
    path = "/api/v1/programmes/cunwan/picture"
    none_yet = await client.get(path)

    body = await put_picture(client, staff, path, picture((1200, 800)), alt_zh="村晚的舞台")
    shown = (await client.get(path)).json()
    _, jpeg = await fetch(client, body["src"])
    event = await client.get(f"/api/v1/events/{event_id}/picture")
    removed = await client.delete(path, headers=staff.scheduler)
    after = await client.get(path)

    assert "没有图片" in problem(none_yet)["message"]
    assert (body["owner"], body["alt_zh"]) == ("programme", "村晚的舞台")
    assert [v["width"] for v in body["variants"]] == [480, 960, 1200]
    assert (shown["owner"], shown["key"]) == ("programme", body["key"])
    assert (jpeg.format, jpeg.size) == ("JPEG", (960, 640))
    assert event.status_code == 404  # the event has no picture, its category none either
    assert removed.status_code == 204
    assert after.status_code == 404 and "cunwan" in problem(after)["message"]


async def test_a_reporter_may_not_change_a_programme_picture(
        client: Client, staff: Staff) -> None:
    path = "/api/v1/programmes/cunwan/picture"

    anonymous = await client.put(path, **upload(picture((100, 100))))
    reporter = await client.put(path, **upload(picture((100, 100))), headers=staff.reporter)
    removal = await client.delete(path, headers=staff.reporter)

    assert (anonymous.status_code, reporter.status_code, removal.status_code) == (401, 403, 403)
    assert "信息员" in problem(reporter)["message"]


async def test_a_programme_picture_is_in_the_audit_trail_and_an_unknown_programme_is_404(
        client: Client, staff: Staff) -> None:
    body = await put_picture(client, staff, "/api/v1/programmes/cunwan/picture",
                             picture((500, 500)))
    unknown = await client.put("/api/v1/programmes/olympics/picture",
                               **upload(picture((100, 100))), headers=staff.scheduler)
    trail = await client.get("/api/v1/audit", params={"object_type": "picture"},
                             headers=staff.admin)

    entries = trail.json()["items"]
    assert [(e["action"], e["username"]) for e in entries] == [("create", "scheduler")]
    assert entries[0]["changes"]["key"] == [None, body["key"]]
    assert entries[0]["label"].startswith("programme ")
    assert unknown.status_code == 404 and "olympics" in problem(unknown)["message"]
