"""A village reporter on a phone with a slow uplink: the photo is shrunk on the phone and sent
with a progress bar, a dropped connection is retried and counted once, and sums that do not
add up are said before anything is sent.

Each test reports a night of its own, made through the API yesterday evening at the 东胜村
night market (the reporter's village), so that the other browser tests keep theirs.
"""

from __future__ import annotations

import io
import json
import random
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, Site, log_in, screenshot
from tests.support.db import PASSWORD

TZ = ZoneInfo("Asia/Shanghai")
BIG_PHOTO_BYTES = 6_000_000
SHRUNK_BYTES = 1_000_000
LONGEST_SIDE = 2048
ROTATED = 6  # EXIF orientation: the camera was held upright, the pixels lie on their side

# Kept in sessionStorage, which outlives the page the form's script leaves on success: every
# percentage and message the upload box showed while it was visible.
WATCH_UPLOAD = """
new MutationObserver(() => {
  for (const box of document.querySelectorAll(".upload-progress")) {
    if (box.hidden) continue;
    const seen = JSON.parse(sessionStorage.getItem("upload-seen") || "[]");
    const now = [box.querySelector(".upload-percent").textContent,
                 box.querySelector(".upload-note").textContent].join(" | ");
    if (seen[seen.length - 1] !== now) seen.push(now);
    sessionStorage.setItem("upload-seen", JSON.stringify(seen));
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def seen_uploading(phone: Any) -> list[str]:
    return list(json.loads(phone.evaluate("sessionStorage.getItem('upload-seen') || '[]'")))


def night_at(site: Site, hour: int, days_from_now: int = -1) -> str:
    """A published two-hour night at the 东胜村 night market (yesterday unless told); its
    occurrence id."""
    token = httpx.post(
        site.at("/api/v1/auth/token"), json={"username": "scheduler", "password": PASSWORD}
    ).json()["token"]
    day = datetime.now(TZ).date() + timedelta(days=days_from_now)
    start = datetime(day.year, day.month, day.day, hour)
    made = httpx.post(
        site.at("/api/v1/events"),
        headers={"Authorization": f"Bearer {token}"},
        json={
            "title_zh": f"银杏夜市加场 {hour} 点（浏览器测试）",
            "category": "culture",
            "venue": "ginkgo-night-market",
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "status": "published",
            "allow_overlap": True,
        },
    )
    assert made.status_code == 201, made.text
    return f"{made.json()['id']}-{start:%Y%m%dT%H%M%S}"


def phone_photo(path: Path) -> Path:
    """A 12 MP photo as a phone saves it, over 6 MB: fine grain (sensor noise) over broad
    shapes, taken upright (EXIF orientation 6). Seeded, so every run sends the same file."""
    rng = random.Random(16)
    width, height = 4000, 3000
    shapes = Image.effect_mandelbrot((width, height), (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    picture = Image.blend(shapes, Image.merge("RGB", (grain, grain, grain)), 0.17)
    exif = Image.Exif()
    exif[0x0112] = ROTATED
    picture.save(path, "JPEG", quality=95, exif=exif)
    assert path.stat().st_size >= BIG_PHOTO_BYTES, path.stat().st_size
    return path


@pytest.fixture(scope="module")
def big_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return phone_photo(tmp_path_factory.mktemp("photos") / "IMG_20261130_193512.jpg")


def open_report_form(phone: Any, site: Site, night: str) -> None:
    phone.add_init_script(WATCH_UPLOAD)
    log_in(phone, site, "reporter")
    phone.goto(site.at(f"/staff/attendance/{night}"))
    phone.get_by_label("总人次（现场＋线上）").fill("280")


def test_a_big_photo_is_shrunk_on_the_phone_and_sent_with_progress_counting_once(
    site: Site, phone: Any, big_photo: Path
) -> None:
    night = night_at(site, hour=18)
    open_report_form(phone, site, night)
    submit = phone.get_by_role("button", name="提交上报")
    box = submit.bounding_box()
    assert box and box["y"] + box["height"] <= PHONE["height"]  # the form fits one screen

    phone.get_by_label("照片（签到表、现场）").set_input_files(str(big_photo))
    screenshot(phone, "reporter-photo-form")
    submit.dblclick()
    phone.wait_for_url(re.compile(r"\?saved=1$"), timeout=60_000)

    assert "已上报：第 1 版，总人次 280" in phone.get_by_role("status").inner_text()
    assert any(re.match(r"\d+%", shown) for shown in seen_uploading(phone))
    assert phone.locator("ol.revisions > li").count() == 1  # the double tap counted once
    thumb = phone.locator("ul.thumbs img")
    assert thumb.count() == 1
    width, height = int(thumb.get_attribute("width")), int(thumb.get_attribute("height"))
    assert max(width, height) == LONGEST_SIDE
    assert height > width  # turned upright, as the camera meant
    stored = phone.request.get(site.at(thumb.get_attribute("src")))
    assert stored.ok and len(stored.body()) < SHRUNK_BYTES
    assert Image.open(io.BytesIO(stored.body())).size == (width, height)
    screenshot(phone, "reporter-photo-confirmation")


def test_a_dropped_connection_is_sent_again_with_the_same_key_and_counted_once(
    site: Site, phone: Any, big_photo: Path
) -> None:
    night = night_at(site, hour=16)
    open_report_form(phone, site, night)
    phone.get_by_label("照片（签到表、现场）").set_input_files(str(big_photo))
    sent: list[str] = []

    def drop_the_first(route: Any) -> None:
        sent.append(route.request.method)
        if len(sent) == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route(site.at(f"/staff/attendance/{night}"), drop_the_first)
    phone.get_by_role("button", name="提交上报").click()
    phone.wait_for_url(re.compile(r"\?saved=1$"), timeout=60_000)

    assert sent == ["POST", "POST"]
    assert any("不会重复计数" in shown for shown in seen_uploading(phone))
    assert "已上报：第 1 版，总人次 280" in phone.get_by_role("status").inner_text()
    assert phone.locator("ol.revisions > li").count() == 1
    assert phone.locator("ul.thumbs img").count() == 1


def test_sums_that_do_not_add_up_are_said_before_anything_is_sent(site: Site, phone: Any) -> None:
    night = night_at(site, hour=14)
    open_report_form(phone, site, night)
    posts: list[str] = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    phone.get_by_text("分项（可选）").click()
    phone.get_by_label("现场人次").fill("200")
    phone.get_by_label("线上观看").fill("100")
    phone.get_by_role("button", name="提交上报").click()

    message = phone.locator(".field-error")
    expect(message).to_have_text("现场 200 + 线上 100 = 300，与总人次 280 不符。")
    assert posts == []
    screenshot(phone, "reporter-sums-refused")
    phone.get_by_label("线上观看").fill("80")
    phone.get_by_role("button", name="提交上报").click()
    phone.wait_for_url(re.compile(r"\?saved=1$"))
    assert "总人次 280" in phone.get_by_role("status").inner_text()


def test_a_refused_form_comes_back_with_the_figures_and_the_photo_kept(
    site: Site, phone: Any, big_photo: Path
) -> None:
    night = night_at(site, hour=10, days_from_now=3)  # not held yet: refused
    open_report_form(phone, site, night)
    phone.get_by_text("分项（可选）").click()
    phone.get_by_label("现场人次").fill("280")
    phone.get_by_label("照片（签到表、现场）").set_input_files(str(big_photo))

    phone.get_by_role("button", name="提交上报").click()

    expect(phone.get_by_role("alert")).to_contain_text("场次尚未开始")
    assert phone.get_by_label("总人次（现场＋线上）").input_value() == "280"
    assert phone.get_by_label("现场人次").input_value() == "280"
    chosen = phone.get_by_label("照片（签到表、现场）").evaluate("input => input.files.length")
    assert chosen == 1
    screenshot(phone, "reporter-photo-refused")
