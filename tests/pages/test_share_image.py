"""The share image: a PNG a visitor saves in WeChat, with the event's QR code and its words."""

from __future__ import annotations

import io
import logging
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bolin_events.schemas.events import EventOut, OccurrenceOut
from bolin_events.schemas.pictures import PictureOut
from bolin_events.services.pictures import card, fonts
from tests.api.helpers import GALA, MARKET, create_event
from tests.api.test_pictures import picture, put_picture
from tests.conftest import Client, Staff
from tests.html_check import parse

PAGE = "https://events.example.test/events/{}"


def qr_text(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


async def share_png(client: Client, event_id: int) -> Image.Image:
    response = await client.get(f"/events/{event_id}/share.png")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", card.SIZE)
    return image


async def test_the_share_image_is_a_tall_png_whose_qr_code_opens_the_event_page(
        client: Client, staff: Staff) -> None:
    event = await create_event(client, staff.scheduler, status="published")

    response = await client.get(f"/events/{event['id']}/share.png")

    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size == (1080, 1440)
    assert qr_text(response.content) == [PAGE.format(event["id"])]


async def test_the_categorys_picture_is_on_top_until_the_event_has_its_own(
        client: Client, staff: Staff) -> None:
    event_id = (await create_event(client, staff.scheduler, status="published"))["id"]
    plain = await share_png(client, event_id)

    await put_picture(client, staff, "/api/v1/categories/performance/picture",
                      picture((1200, 800), colour=(0, 160, 0)))
    with_default = await share_png(client, event_id)
    await put_picture(client, staff, f"/api/v1/events/{event_id}/picture",
                      picture((1200, 800), colour=(20, 40, 220)))
    with_own = await share_png(client, event_id)
    await client.delete(f"/api/v1/events/{event_id}/picture", headers=staff.scheduler)
    own_removed = await share_png(client, event_id)

    assert plain.getpixel((540, 100)) == card.RED  # the band: no picture anywhere
    assert _near(with_default.getpixel((540, 300)), (0, 160, 0))
    assert _near(with_own.getpixel((540, 300)), (20, 40, 220))
    assert _near(own_removed.getpixel((540, 300)), (0, 160, 0))


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= 8 for a, b in zip(pixel, colour, strict=False))


async def test_a_draft_has_no_share_image_for_visitors(client: Client, staff: Staff) -> None:
    draft = await create_event(client, staff.scheduler)

    response = await client.get(f"/events/{draft['id']}/share.png")

    assert response.status_code == 404


async def test_without_a_chinese_font_the_image_still_has_its_qr_code_and_says_why_once(
        client: Client, staff: Staff, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    event_id = (await create_event(client, staff.scheduler, status="published"))["id"]
    monkeypatch.setattr(fonts, "KNOWN_PATHS", ())
    monkeypatch.setattr(fonts, "_fontconfig", lambda: None)
    client.app.state.settings = client.app.state.settings.model_copy(
        update={"font_path": Path("/nowhere/font.ttf")})
    fonts.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=fonts.__name__):
            first = await client.get(f"/events/{event_id}/share.png")
            again = await client.get(f"/events/{event_id}/share.png?again=1")
    finally:
        fonts.cjk_font.cache_clear()

    assert (first.status_code, again.status_code) == (200, 200)
    assert Image.open(io.BytesIO(first.content)).size == card.SIZE
    assert qr_text(first.content) == [PAGE.format(event_id)]
    warnings = [r.getMessage() for r in caplog.records if "no Chinese font" in r.getMessage()]
    assert len(warnings) == 1 and "fonts-noto-cjk" in warnings[0]


async def test_the_card_names_the_next_night_with_its_year_and_how_many_more(
        client: Client, staff: Staff) -> None:
    market = await create_event(client, staff.scheduler, MARKET)
    nights = (await client.get("/api/v1/occurrences", params={
        "start": "2027-06-01", "end": "2027-07-01"})).json()

    words = card.share_card(EventOut.model_validate(market),
                            [OccurrenceOut.model_validate(n) for n in nights],
                            date(2026, 11, 30), PAGE.format(market["id"]), "柏林镇综合文化站")

    assert words.title == "东胜银杏夜市"
    assert words.when == "2027年6月4日（周五） 19:00–22:30"
    assert words.more == f"另有 {len(nights) - 1} 场，扫码查看全部日期"
    assert words.place == "东胜银杏夜市（东胜村）"


def test_a_long_title_wraps_and_ends_in_an_ellipsis() -> None:
    font_path = fonts.cjk_font(None)
    if font_path is None:
        pytest.skip("no Chinese font on this machine (fonts-noto-cjk)")
    face = card._font(font_path, 68)
    title = GALA["title_zh"] * 30

    lines = card.wrap(title, face, 936, 3)

    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= 936 for line in lines)
    assert "".join(lines).removesuffix("…") == title[: len("".join(lines)) - 1]


@pytest.mark.parametrize(("lang", "alt"), [("zh", "夜市的灯笼"), ("en", "Ginkgo night market")])
async def test_the_picture_macro_offers_webp_and_jpeg_at_each_width_loaded_lazily(
        client: Client, staff: Staff, lang: str, alt: str) -> None:
    event_id = (await create_event(client, staff.scheduler, status="published"))["id"]
    pic = await put_picture(client, staff, f"/api/v1/events/{event_id}/picture",
                            picture((1200, 600)), alt_zh="夜市的灯笼")
    assert client.app.template_engine is not None
    template = client.app.template_engine.engine.from_string(
        '{% import "public/_picture.html" as p with context %}'
        '{{ p.picture(pic, "Ginkgo night market", "100vw") }}')

    html = template.render(lang=lang, pic=PictureOut.model_validate(pic))

    tree = parse(f"<!doctype html><html lang='{lang}'><title>t</title>{html}")
    source, img = tree.find(".//picture/source"), tree.find(".//picture/img")
    assert source.get("type") == "image/webp"
    assert source.get("srcset") == ", ".join(f"{v['webp_url']} {v['width']}w"
                                             for v in pic["variants"])
    assert img.get("srcset") == ", ".join(f"{v['jpeg_url']} {v['width']}w"
                                          for v in pic["variants"])
    assert (img.get("src"), img.get("width"), img.get("height")) == (
        pic["variants"][1]["jpeg_url"], "960", "480")
    assert (img.get("loading"), img.get("decoding"), img.get("sizes")) == (
        "lazy", "async", "100vw")
    assert img.get("alt") == alt
