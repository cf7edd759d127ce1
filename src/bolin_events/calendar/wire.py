"""RFC 5545 content lines written by hand: small pure functions, no icalendar objects.

Building icalendar objects for thousands of events is the slow part of a feed; the wire
format itself is simple enough to write directly (ICAL.md, "Text and wire").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CRLF = b"\r\n"
MAX_OCTETS = 75
# Control characters break calendar clients; newlines and tabs are dealt with separately.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Line breaks beyond CR and LF, kept as breaks (escaped \n) in a description.
_OTHER_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon, comma and newlines escaped."""
    if not value.isprintable():  # newlines, tabs or control characters: the rare slow path
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        value = value.translate(_OTHER_BREAKS)
        value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace(
        "\n", "\\n")


def one_line(value: str) -> str:
    """A title as one line: each line break (whatever str.splitlines breaks at), with the
    blanks around it, becomes one space.

    Escaped, a break would still be a break: calendar clients show a SUMMARY with one as a
    broken entry, so titles stored before breaks were flattened on input are flattened here.
    """
    if value.isprintable():
        return value
    return " ".join(line.strip() for line in value.splitlines() if line.strip())


def fold(line: str) -> bytes:
    """One content line as UTF-8 with CRLF, folded at ≤75 octets and never inside a character."""
    return encode_lines([line])


def _fold_bytes(raw: bytes) -> bytes:
    parts = []
    start, limit = 0, MAX_OCTETS
    while len(raw) - start > limit:
        cut = start + limit
        while raw[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back up to the lead byte
            cut -= 1
        parts.append(raw[start:cut])
        start, limit = cut, MAX_OCTETS - 1  # continuation lines start with one space
    parts.append(raw[start:])
    return b"\r\n ".join(parts)


def encode_lines(lines: list[str]) -> bytes:
    """Content lines as wire bytes: UTF-8, each folded as needed, each ended by CRLF.

    Encoded in one go and split again: cheaper than encoding line by line. No line holds a
    raw CR or LF (text values escape them), so the split gives back the same lines.
    """
    raw = "\r\n".join(lines).encode("utf-8").split(CRLF)
    return CRLF.join([line if len(line) <= MAX_OCTETS else _fold_bytes(line) for line in raw]
                     + [b""])


def text_line(name: str, value: str) -> str:
    return f"{name}:{escape_text(value)}"


def _compact(moment: datetime) -> str:
    """20270604T190000 from a datetime's own wall clock (%-format measured fastest here)."""
    fields = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return "%04d%02d%02dT%02d%02d%02d" % fields  # noqa: UP031


def utc_stamp(moment: datetime) -> str:
    """A UTC DATE-TIME such as 20270604T110000Z."""
    return _compact(moment if moment.tzinfo is UTC else moment.astimezone(UTC)) + "Z"


def local_stamp(moment: datetime, tz: ZoneInfo) -> str:
    return _compact(moment.astimezone(tz))


def date_stamp(day: date) -> str:
    return day.isoformat().replace("-", "")


def when_line(name: str, moment: datetime, tz: ZoneInfo, *, all_day: bool) -> str:
    """DTSTART/DTEND/EXDATE/RECURRENCE-ID in the event's own value type and TZID (§3.8.5.1)."""
    if all_day:
        return f"{name};VALUE=DATE:{date_stamp(moment.astimezone(tz).date())}"
    return f"{name};TZID={tz.key}:{local_stamp(moment, tz)}"


def dates_line(name: str, moments: Sequence[datetime], tz: ZoneInfo, *, all_day: bool) -> str:
    """An RDATE/EXDATE with several values (§3.8.5.2), in one value type and TZID as
    ``when_line`` writes them; folded like any line when written."""
    if all_day:
        values = ",".join(date_stamp(moment.astimezone(tz).date()) for moment in moments)
        return f"{name};VALUE=DATE:{values}"
    return f"{name};TZID={tz.key}:{','.join(local_stamp(moment, tz) for moment in moments)}"
