"""The event's picture from the staff event page: upload, refusals, and removal."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from bolin_events.models import Role
from bolin_events.settings import Settings
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in
from tests.pages.staff_helpers import WEEKLY_FORM, event_id_of, location, post_form

PICTURE_TAG = re.compile(r"<picture>.*?</picture>", re.S)


def jpeg(size: tuple[int, int] = (1200, 800), colour: Any = (30, 90, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def stored_pictures(settings: Settings) -> list[Path]:
    folder = settings.pictures_dir
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
async def scheduler(client: Client, seeded: None) -> dict[str, str]:
    return await log_in(client, "scheduler", Role.scheduler)


@pytest.fixture
async def event_id(client: Client, scheduler: dict[str, str]) -> int:
    """A published weekly series (category culture), made through the editor."""
    return event_id_of(await post_form(client, "/staff/events/new", WEEKLY_FORM))


async def upload(
    client: Client, event_id: int, data: bytes, name: str = "poster.jpg",
    kind: str = "image/jpeg", alt_zh: str = "",
) -> httpx.Response:
    """The page's upload form as a browser sends it."""
    await client.get(f"/staff/events/{event_id}")  # the form's page: sets the CSRF cookie
    return await client.post(
        f"/staff/events/{event_id}/picture",
        data={"_csrf_token": csrf(client), "alt_zh": alt_zh},
        files={"picture": (name, data, kind)},
    )


def picture_of(html: str) -> str:
    found = PICTURE_TAG.search(html)
    assert found, "the page shows no <picture>"
    return found[0]


async def test_a_scheduler_uploads_a_picture_that_both_pages_show(
    client: Client, event_id: int
) -> None:
    response = await upload(client, event_id, jpeg(), alt_zh="银杏树下的放映")

    assert location(response) == f"/staff/events/{event_id}?done=picture_saved#picture"
    page = await client.get(location(response))
    assert_good_page(page.text)
    assert "图片已上传，访客页面会显示它" in page.text
    shown = picture_of(page.text)
    assert 'type="image/webp"' in shown
    assert 'alt="银杏树下的放映"' in shown
    assert "删除图片" in page.text
    assert "使用类别默认图片" not in page.text
    public = await client.get(f"/events/{event_id}")
    src = re.search(r'<img src="([^"]+)"', shown)
    assert src and src[1] in picture_of(public.text)
    file = await client.get(src[1].removeprefix("https://events.example.test"))
    assert file.headers["content-type"] == "image/jpeg"


async def test_a_reporter_may_not_upload(
    client: Client, event_id: int, settings: Settings
) -> None:
    await log_in(client, "reporter", Role.reporter, ["dongsheng"])

    response = await upload(client, event_id, jpeg())

    assert response.status_code == 403
    assert stored_pictures(settings) == []


async def test_a_text_file_is_refused_on_the_page_and_nothing_is_stored(
    client: Client, event_id: int, settings: Settings
) -> None:
    response = await upload(client, event_id, b"Lanterns at eight", "notes.txt", "text/plain")

    assert response.status_code == 415
    assert_good_page(response.text)
    assert "文件不是可用的 JPEG 或 PNG 照片" in response.text
    assert "<picture>" not in response.text
    assert stored_pictures(settings) == []
    public = await client.get(f"/events/{event_id}")
    assert "<picture>" not in public.text
    client.cookies.set("lang", "en")
    english = await upload(client, event_id, b"Lanterns at eight", "notes.txt", "text/plain")
    assert "The file is not a usable JPEG or PNG photo" in english.text


async def test_a_picture_over_the_limit_is_refused_in_words(
    client: Client, event_id: int, settings: Settings
) -> None:
    big = jpeg((800, 600)) + b"\0" * settings.max_photo_bytes

    response = await upload(client, event_id, big)

    assert response.status_code == 413
    assert "超过上限" in response.text
    assert stored_pictures(settings) == []


async def test_the_form_without_a_file_says_so(client: Client, event_id: int) -> None:
    await client.get(f"/staff/events/{event_id}")
    response = await client.post(
        f"/staff/events/{event_id}/picture",
        data={"_csrf_token": csrf(client)},
        files={"picture": ("", b"", "application/octet-stream")},
    )

    assert response.status_code == 422
    assert "请选择要上传的图片" in response.text


async def test_removing_the_picture_shows_the_category_default_again(
    client: Client, event_id: int, scheduler: dict[str, str]
) -> None:
    default = await client.put(
        "/api/v1/categories/culture/picture",
        files={"picture": ("default.jpg", jpeg(colour=(200, 120, 0)), "image/jpeg")},
        headers=scheduler,
    )
    assert default.status_code == 200, default.text
    default_src = default.json()["src"]
    await upload(client, event_id, jpeg())
    assert default_src not in picture_of((await client.get(f"/staff/events/{event_id}")).text)

    response = await post_form(client, f"/staff/events/{event_id}/picture/delete")

    page = await client.get(location(response))
    assert_good_page(page.text)
    assert "活动图片已删除" in page.text
    assert "使用类别默认图片" in page.text
    assert default_src in picture_of(page.text)
    assert "删除图片" not in page.text
    assert default_src in picture_of((await client.get(f"/events/{event_id}")).text)
