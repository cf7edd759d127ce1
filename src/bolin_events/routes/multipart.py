"""Multipart bodies (photo uploads, spreadsheets, the report form with its photo) parsed off
the event loop.

Litestar parses multipart/form-data on the event loop, in Python, a chunk at a time: 12–13 ms
for a 3.5 MB phone photo, during which every other request of the process waits (a warm feed
answer takes 1–5 ms). ``parse_off_loop`` runs before a handler's arguments are gathered (and
after its guards, so nobody unauthorised makes us parse anything): it reads the body — as
the route's size limit allows — and has the same parser (the ``multipart`` package Litestar
uses) split it in the worker pool (services.heavy), then leaves the result where Litestar
looks first, so neither the ``data`` argument nor ``request.form()`` parses it again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState
from multipart import MultipartSegment, ParserError, ParserLimitReached, PushMultipartParser

from bolin_events.services.heavy import off_loop

ONE_MEGABYTE = 1024 * 1024


async def parse_off_loop(request: Request[Any, Any, Any]) -> None:
    """A ``before_request`` hook: nothing for bodies that are not multipart."""
    kind, options = request.content_type
    if kind != RequestEncodingType.MULTI_PART:
        return
    state = ScopeState.from_scope(request.scope)
    if state.form is not Empty:
        return
    boundary = options.get("boundary")
    if not boundary:
        raise ClientException("multipart boundary missing in Content-Type")
    body = await request.body()
    limit = request.app.multipart_form_part_limit
    state.form = await off_loop(split, body, boundary.encode("latin-1"), limit)


def split(body: bytes, boundary: bytes, part_limit: int) -> dict[str, Any]:
    """Litestar's own result for this body (a value, or a list of them, per field name; files
    as UploadFile kept in memory)."""
    fields: defaultdict[str, list[Any]] = defaultdict(list)
    if not body:
        return {}
    segment: MultipartSegment | None = None
    data = bytearray()
    try:
        with PushMultipartParser(boundary, max_segment_count=part_limit) as parser:
            for chunk in (body, b""):
                for part in parser.parse(chunk):
                    if isinstance(part, MultipartSegment):
                        segment, data = part, bytearray()
                    elif part:
                        data += part
                    elif segment is None:
                        raise ClientException("Unexpected eof in multipart/form-data")
                    else:
                        fields[segment.name].append(_value(segment, data))
                        segment = None
                if parser.closed:
                    break
    except ParserError as exc:
        raise ClientException("Invalid multipart/form-data") from exc
    except UnicodeDecodeError as exc:
        raise ClientException(f"A form field is not valid text ({exc.reason})") from exc
    except ParserLimitReached:
        raise ClientException("Request Entity Too Large") from None  # as Litestar answers
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


def _value(segment: MultipartSegment, data: bytearray) -> Any:
    if not segment.filename:
        return data.decode(segment.charset or "utf-8")
    return UploadFile(
        content_type=segment.content_type or "text/plain",
        filename=segment.filename,
        file_data=bytes(data),
        headers=dict(segment.headerlist),
        max_spool_size=max(ONE_MEGABYTE, len(data) + 1),  # stays in memory: no disk round trip
    )
