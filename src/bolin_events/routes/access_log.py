"""One access line per request, with a request id, at a cost a crowd does not notice.

Every request gets an id: the caller's ``X-Request-ID`` when it sends a sensible one (a
proxy in front usually does), otherwise one made here (this process's random prefix and a
counter); it is echoed as ``X-Request-ID`` on the answer and written on the request's line,
so a visitor's complaint, a proxy's log and this log can be matched.

Lines are kept in memory and written to standard error together — when 256 are waiting, half
a second after the first of them, and when the app stops — as text::

    2026-07-18T20:15:03.412+08:00 203.0.113.7 "GET /events/12" 200 18342 1.4ms 9f3a1c2e-1b

or, with ``BOLIN_LOG_FORMAT=json``, one JSON object per line (``time``, ``client``,
``method``, ``path``, ``status``, ``bytes``, ``duration_ms``, ``request_id``). Writing them
one by one through ``logging`` took ~40 % of the fastest answers' throughput (uvicorn's access
log does so; `serve` turns it off); this costs a few per cent (bench/pages.py measures it).
``BOLIN_ACCESS_LOG=false`` turns the lines off (the id is still echoed).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import sys
import time
from datetime import datetime
from time import perf_counter
from typing import IO

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from bolin_events.logs import REQUEST_ID

REQUEST_ID_HEADER = b"x-request-id"
SENSIBLE_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")
BATCH = 256  # lines written together at most
WAIT_SECONDS = 0.5  # the longest a line waits to be written


# What one request leaves: (perf_counter at its start, client, method, path, query, status,
# bytes sent, milliseconds, request id); a plain tuple, made into text only when written.
Line = tuple[float, str, str, str, bytes, int, int, float, str]
TEXT = '%s %s "%s %s" %d %d %.1fms %s\n'


class Writer:
    """Lines waiting to be written to ``stream`` (standard error unless given)."""

    def __init__(self, json: bool, stream: IO[str] | None = None) -> None:
        self.json, self.stream = json, stream
        self.waiting: list[Line] = []
        self.timer: asyncio.TimerHandle | None = None
        # wall-clock time of a perf_counter reading, without asking the clock per request
        self.wall_offset = time.time() - time.perf_counter()
        self._second, self._whole, self._zone = -1, "", ""
        self._milli, self._stamp = -1, ""
        self._encoder = msgspec.json.Encoder()

    def add(self, line: Line) -> None:
        self.waiting.append(line)
        if len(self.waiting) >= BATCH:
            self.flush()
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(WAIT_SECONDS, self.flush)

    def flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if not self.waiting:
            return
        lines, self.waiting = self.waiting, []
        text = "".join(map(self._json if self.json else self._text, lines))
        stream = self.stream or sys.stderr
        stream.write(text)
        stream.flush()

    def _time(self, started: float) -> str:
        """ISO 8601 in the server's local time, to the millisecond: made once a millisecond
        (lines come in time order, a crowd's many to the millisecond), its seconds' part
        once a second."""
        at = started + self.wall_offset
        milli = int(at * 1000)
        if milli == self._milli:
            return self._stamp
        second = milli // 1000
        if second != self._second:
            moment = datetime.fromtimestamp(second).astimezone()
            zone = moment.strftime("%z")
            self._second, self._whole = second, moment.strftime("%Y-%m-%dT%H:%M:%S")
            self._zone = f"{zone[:3]}:{zone[3:]}"
        self._milli, self._stamp = milli, f"{self._whole}.{milli % 1000:03d}{self._zone}"
        return self._stamp

    def _text(self, line: Line) -> str:
        started, client, method, path, query, status, sent, ms, request_id = line
        if query:
            path = f"{path}?{query.decode('latin-1')}"
        return TEXT % (self._time(started), client, method, path, status, sent, ms, request_id)

    def _json(self, line: Line) -> str:
        started, client, method, path, query, status, sent, ms, request_id = line
        if query:
            path = f"{path}?{query.decode('latin-1')}"
        return self._encoder.encode({
            "time": self._time(started), "level": "INFO", "logger": "bolin_events.access",
            "client": client, "method": method, "path": path, "status": status,
            "bytes": sent, "duration_ms": round(ms, 1), "request_id": request_id,
        }).decode() + "\n"


class RequestIds:
    """Ids made here: unique across processes by a random prefix, within one by a counter."""

    def __init__(self) -> None:
        self.prefix = os.urandom(4).hex()
        self.counter = itertools.count(1)

    def next(self) -> str:
        return f"{self.prefix}-{next(self.counter):x}"


def _request_id(scope: Scope, ids: RequestIds) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            if SENSIBLE_ID.match(value):
                return bytes(value).decode("ascii")
            break
    return ids.next()


# Sent with every answer (the API docs at /schema load their own scripts and are left out):
# pages run only this site's scripts and styles, are framed only by this site, and no
# answer is sniffed into another type or leaks its full address to other sites.
POLICY = (b"default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
          b"script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; ")
OTHER_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
SECURITY_HEADERS = [
    (b"content-security-policy", POLICY + b"frame-ancestors 'self'"), *OTHER_HEADERS]
# /embed is made to be shown in a frame on any site (the town's website, a village's page)
EMBED_PATH = "/embed"
EMBED_HEADERS = [(b"content-security-policy", POLICY + b"frame-ancestors *"), *OTHER_HEADERS]


class AccessLog:
    """Around the whole app (Litestar's own middleware sees only requests a route matched):
    gives every HTTP request an id, echoes it, adds ``SECURITY_HEADERS`` and logs one line
    for it (see above)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.ids = app, RequestIds()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        writer: Writer | None = scope["app"].state.get("access_log")
        request_id = _request_id(scope, self.ids)
        added = [(REQUEST_ID_HEADER, request_id.encode("ascii"))]
        if scope["path"] == EMBED_PATH:
            added += EMBED_HEADERS
        elif not scope["path"].startswith("/schema"):
            added += SECURITY_HEADERS
        REQUEST_ID.set(request_id)  # for the log lines written while it runs (logs.py)
        started = perf_counter()
        status, sent = 500, 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), *added]}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if writer is not None:
                client = scope.get("client")
                writer.add((started, client[0] if client else "-", scope["method"],
                            scope["path"], scope["query_string"], status, sent,
                            (perf_counter() - started) * 1000, request_id))

