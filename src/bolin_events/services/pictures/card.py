"""The share image: a tall PNG a visitor long-presses in WeChat to save and post in Moments.

Its picture on top (the event's, or its category's), then the title, the next night's date
and time, the place and the station's name, and a QR code of the event page. Drawing is CPU
work for the worker processes (``draw``); ``share_card`` decides the words.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import date, datetime

import segno
from PIL import Image, ImageDraw, ImageFont, ImageOps

from bolin_events.schemas.events import EventOut, OccurrenceOut

SIZE = (1080, 1440)
MARGIN = 64
PICTURE_HEIGHT = 460  # across the full width, cut to fit: the words need the room below
BAND_HEIGHT = 200  # the coloured band on top when there is no picture
QR_SIZE = 300
TITLE_SIZE, TITLE_LEADING = 64, 84
RED = (176, 42, 36)
INK = (34, 34, 34)
GREY = (110, 110, 110)
WHITE = (255, 255, 255)
WEEKDAYS = "一二三四五六日"
STATUS_MARK = {"cancelled": "【已取消】", "postponed": "【延期】"}
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class ShareCard:
    title: str
    when: str  # in Chinese
    when_digits: str  # the same in digits and ASCII, for when no Chinese font is at hand
    more: str | None  # "另有 5 场" for a series
    place: str
    station: str
    url: str


def share_card(event: EventOut, nights: list[OccurrenceOut], today: date, url: str,
               station: str) -> ShareCard:
    """The words: the next night that will be held (else the first listed), with its year
    when that is not this year."""
    held = [n for n in nights if n.status not in ("cancelled", "postponed")]
    shown = held or nights
    when, digits = _when(shown[0], today) if shown else ("日期待定", "")
    venue = event.venue
    place = "地点待定" if venue is None else venue.name_zh + (
        f"（{venue.village.name_zh}）" if venue.village else "")
    others = len(held) - 1
    return ShareCard(
        title=STATUS_MARK.get(event.status, "") + event.title_zh, when=when,
        when_digits=digits, more=f"另有 {others} 场，扫码查看全部日期" if others > 0 else None,
        place=place, station=station, url=url,
    )


def _when(night: OccurrenceOut, today: date) -> tuple[str, str]:
    start = night.start.date() if isinstance(night.start, datetime) else night.start
    year = f"{start.year}年" if start.year != today.year else ""
    zh = f"{year}{start.month}月{start.day}日（周{WEEKDAYS[start.weekday()]}）"
    digits = f"{start:%Y-%m-%d}"
    if isinstance(night.start, datetime) and isinstance(night.end, datetime):
        hours = f"{night.start:%H:%M}–{night.end:%H:%M}"
        return f"{zh} {hours}", f"{digits} {night.start:%H:%M}-{night.end:%H:%M}"
    return f"{zh} 全天", digits


def draw(card: ShareCard, font_path: str | None, picture: bytes | None) -> bytes:
    """The PNG (CPU heavy: run it in the worker processes). Without a font the Chinese words
    are left out; the date in digits and the QR code are always there."""
    image = Image.new("RGB", SIZE, WHITE)
    pen = ImageDraw.Draw(image)
    y = _top(image, pen, picture, card.station, font_path) + 48
    width = SIZE[0] - 2 * MARGIN
    if font_path:  # lines are capped so that the words end above the QR code's corner
        title = _font(font_path, TITLE_SIZE)
        for line in wrap(card.title, title, width, 2 if picture else 3):
            pen.text((MARGIN, y), line, font=title, fill=INK)
            y += TITLE_LEADING
        y += 16
        for text, size, colour, most in ((card.when, 46, RED, 1), (card.more, 32, GREY, 1),
                                         (card.place, 42, INK, 2)):
            for line in wrap(text or "", _font(font_path, size), width, most):
                pen.text((MARGIN, y), line, font=_font(font_path, size), fill=colour)
                y += size + 22
    else:
        pen.text((MARGIN, y), card.when_digits, font=ImageFont.load_default(56), fill=RED)
    _qr_corner(image, pen, card, font_path)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _top(image: Image.Image, pen: ImageDraw.ImageDraw, picture: bytes | None, station: str,
         font_path: str | None) -> int:
    """The picture cut to fill the top, else a band with the station's name; its height."""
    if picture:
        with Image.open(io.BytesIO(picture)) as opened:
            fitted = ImageOps.fit(opened.convert("RGB"), (SIZE[0], PICTURE_HEIGHT))
        image.paste(fitted, (0, 0))
        return PICTURE_HEIGHT
    pen.rectangle((0, 0, SIZE[0], BAND_HEIGHT), fill=RED)
    if font_path:
        pen.text((MARGIN, BAND_HEIGHT // 2), station, font=_font(font_path, 48), fill=WHITE,
                 anchor="lm")
    return BAND_HEIGHT


def _qr_corner(image: Image.Image, pen: ImageDraw.ImageDraw, card: ShareCard,
               font_path: str | None) -> None:
    """The QR code bottom right; beside it what to do with it, and who made the card."""
    qr = qr_image(card.url, QR_SIZE)
    left, top = SIZE[0] - MARGIN - qr.width, SIZE[1] - MARGIN - qr.height
    image.paste(qr, (left, top))
    pen.line((MARGIN, top - 36, SIZE[0] - MARGIN, top - 36), fill=(220, 220, 220), width=2)
    if font_path:
        y = top + 40
        lines = (("扫码查看活动详情", 40, INK), ("长按图片保存，分享到朋友圈", 30, GREY),
                 (card.station, 34, RED))
        for text, size, colour in lines:
            pen.text((MARGIN, y), text, font=_font(font_path, size), fill=colour)
            y += size + 40


def qr_image(url: str, size: int) -> Image.Image:
    """The page's QR code, as large as fits in ``size`` pixels at whole pixels per module."""
    code = segno.make(url, error="m")
    modules = code.symbol_size(scale=1, border=4)[0]
    out = io.BytesIO()
    code.save(out, kind="png", scale=max(1, size // modules), border=4)
    out.seek(0)
    with Image.open(out) as opened:
        return opened.convert("RGB")


@functools.cache
def _font(path: str, size: int) -> Font:
    """The simplified-Chinese face of a collection (.ttc) when it has one."""
    for index in range(16):
        try:
            face = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if str(face.getname()[0]).endswith(" SC"):
            return face
    return ImageFont.truetype(path, size)


def wrap(text: str, font: Font, width: int, most: int) -> list[str]:
    """Lines that fit ``width``, broken between any two characters (Chinese has no spaces);
    at most ``most``, the last ending in … when text is left over."""
    lines: list[str] = []
    line = ""
    for char in text:
        if font.getlength(line + char) > width and line:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    if len(lines) > most:
        last = lines[most - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[: most - 1], last + "…"]
    return lines
