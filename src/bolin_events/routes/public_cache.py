"""Public reads answered from memory: each public page and public JSON answer is rendered once
per data version (and per minute, for "today" and "tonight"), as the feeds are.

A visitor's request (GET or HEAD, no Authorization header, no staff log-in cookie) for a
public page or a public JSON list is keyed by its path, query and language cookie. Within
``BOLIN_FEED_RECHECK_SECONDS`` of the last check for that key it is answered from memory
without the database; after that, one check (the data version: services.versions) serves
every visitor asking at that moment, and the page is rendered again only when the data or
the minute moved on. Answers carry an ETag (a hash of the bytes, the same in every process)
and ``Cache-Control: public``, so a browser revalidates with If-None-Match (304) and a proxy
in front may share them; a client that accepts brotli (``br``) or gzip gets the compressed
copy kept beside each answer (compressed once per rendering, off the event loop; the app itself
is asked as by a client that takes neither, so nothing is compressed twice). Anything else —
staff pages, anything per user, errors, answers that set a cookie — passes through untouched.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import cast

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from bolin_events.auth import SESSION_COOKIE
from bolin_events.db import write_session
from bolin_events.routes.deps import REFS_VERSION
from bolin_events.services.cache import LRU, Recheck, accepts, brotlied, gzipped
from bolin_events.services.versions import data_version
from bolin_events.settings import Settings
from bolin_events.web.clients import is_wechat
from bolin_events.web.render import LANG_COOKIE

PAGES = re.compile(
    r"^/(?:|calendar|events|events/\d+|events/\d+/poster|events/\d+/share\.png|"
    r"programmes/[^/]+|programmes/[^/]+/poster|subscribe|search|embed|venues/[^/]+|"
    r"organizers/[^/]+|atom/[a-z]+(?:/[^/]+)?\.xml)$"
)
API = re.compile(
    r"^/api/v1/(?:events|events/\d+|occurrences|occurrences/[^/]+|feeds|"
    r"villages|venues|categories|organizers|programmes)/?$"
)
MAX_AGE = 60  # seconds a browser or proxy may reuse an answer without asking
KEPT_HEADERS = (b"content-type", b"content-language", b"link", b"x-total-count")


@dataclass(frozen=True, slots=True)
class Encoded:
    """One way of sending an answer (as it is, gzip- or brotli-compressed), headers encoded
    once."""

    body: bytes
    etag: bytes
    full: list[tuple[bytes, bytes]]  # 200 (GET and HEAD)
    unchanged: list[tuple[bytes, bytes]]  # 304


@dataclass(frozen=True, slots=True)
class Answer:
    """One rendered answer: as it is (``plain``) and, when that is smaller, gzip-compressed
    (``packed``) and brotli-compressed (``brotli``)."""

    status: int
    plain: Encoded
    packed: Encoded | None
    brotli: Encoded | None
    kept: bool  # a 200 without a cookie: may be sent to everyone asking the same
    raw: list[tuple[bytes, bytes]]  # the headers as the app gave them, for one not kept

    @classmethod
    def of(cls, status: int, headers: list[tuple[bytes, bytes]], body: bytes, *,
           page: bool) -> Answer:
        """Hashing and compressing are CPU work: made off the event loop (see ``check``)."""
        kept_headers = [(n, v) for n, v in headers if n.lower() in KEPT_HEADERS]
        # the language cookie, a log-in cookie and WeChat's browser (web.clients) change a page
        vary = b"Cookie, Accept-Encoding, User-Agent" if page else b"Accept-Encoding"

        def encoded(sent: bytes, extra: list[tuple[bytes, bytes]], tag: bytes) -> Encoded:
            etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + tag + b'"'
            common = [(b"etag", etag), (b"cache-control", f"public, max-age={MAX_AGE}".encode()),
                      (b"vary", vary)]
            full = [*common, *kept_headers, *extra,
                    (b"content-length", str(len(sent)).encode())]
            return Encoded(sent, etag, full, common)

        packed, brotli = gzipped(body), brotlied(body)
        sets_cookie = any(name.lower() == b"set-cookie" for name, _ in headers)
        return cls(
            status,
            encoded(body, [], b""),
            encoded(packed, [(b"content-encoding", b"gzip")], b"-gz") if packed else None,
            encoded(brotli, [(b"content-encoding", b"br")], b"-br") if brotli else None,
            status == 200 and not sets_cookie,
            headers,
        )

    def for_request(self, scope: Scope) -> Encoded:
        """The smallest copy the client takes: brotli, then gzip, then as it is."""
        asked = _header(scope, b"accept-encoding")
        if self.brotli is not None and accepts(asked, b"br"):
            return self.brotli
        if self.packed is not None and accepts(asked, b"gzip"):
            return self.packed
        return self.plain


def _size(answer: Answer) -> int:
    return sum(len(sent.body) for sent in (answer.plain, answer.packed, answer.brotli) if sent)


class PublicCache(Recheck[Answer]):
    """Per-process memory of public answers: by request and data version (``answers``), and
    what each request got moments ago (``Recheck``)."""

    def __init__(self, max_answers: int = 2048, max_bytes: int = 128 * 2**20) -> None:
        super().__init__()
        self.answers: LRU[Answer] = LRU(max_answers, max_bytes, _size)

    def keeps(self, answer: Answer) -> bool:
        return answer.kept


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if raw is None:
        return None
    for part in raw.decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def request_key(scope: Scope) -> tuple[Hashable, bool] | None:
    """The key a visitor's public read is remembered by, and whether it is a page; None for
    a request that is no visitor's public read."""
    if scope.get("method") not in ("GET", "HEAD"):
        return None
    path = scope["path"]
    page = bool(PAGES.match(path))
    if not page and not API.match(path):
        return None
    if _header(scope, b"authorization") is not None or _cookie(scope, SESSION_COOKIE):
        return None  # per user
    lang = _cookie(scope, LANG_COOKIE) if page else None
    wechat = page and is_wechat(_header(scope, b"user-agent"))
    return (path, scope.get("query_string", b""), lang, wechat), page


def not_modified(scope: Scope, sent: Encoded) -> bool:
    asked = _header(scope, b"if-none-match")
    if asked is None:
        return False
    if asked == sent.etag:
        return True
    tags = {tag.strip().removeprefix(b"W/") for tag in asked.split(b",")}
    return b"*" in tags or sent.etag in tags


async def _render(app: ASGIApp, scope: Scope, receive: Receive, *, page: bool) -> Answer:
    """What the app answers to this request as a plain GET (a HEAD or a conditional request
    must not be what everyone else is sent); asked without Accept-Encoding, so the body is
    never compressed already when the copies are made."""
    headers = [(k, v) for k, v in scope.get("headers", ())
               if k not in (b"if-none-match", b"if-modified-since", b"accept-encoding")]
    started: dict[str, object] = {}
    body: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            body.append(bytes(message.get("body", b"")))

    as_get = cast("Scope", {**scope, "method": "GET", "headers": headers})
    await app(as_get, receive, capture)
    status = int(started.get("status", 500))  # type: ignore[call-overload]
    raw_headers = [(bytes(k), bytes(v)) for k, v in started.get("headers", [])]  # type: ignore[attr-defined]
    return await asyncio.to_thread(Answer.of, status, raw_headers, b"".join(body), page=page)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class PublicCacheMiddleware(ASGIMiddleware):
    """Sends a visitor's public read from memory when the data has not changed (see above)."""

    exclude_path_pattern = ("^/feeds/", "^/static/", "^/staff", "^/schema", "^/healthz")

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        found = request_key(scope)
        if found is None:
            await next_app(scope, receive, send)
            return
        key, page = found
        state = scope["app"].state
        settings: Settings = state.settings
        cache: PublicCache = state.public_cache

        async def check() -> Answer:
            async with write_session(state.sessionmaker, writes=False) as db:
                version = await data_version(db)
            versioned = (key, version, int(time.time() // 60))  # pages know "today"
            answer = cache.answers.get(versioned)
            if answer is None:
                scope.setdefault("state", {})[REFS_VERSION] = version.refs
                answer = await _render(next_app, scope, receive, page=page)
                if answer.kept:
                    cache.answers.put(versioned, answer)
            return answer

        answer = cache.recent(key, settings.feed_recheck_seconds)
        if answer is None:
            answer = await cache.checked(key, settings.feed_recheck_seconds, check)
        head = scope.get("method") == "HEAD"
        if not answer.kept:  # an error, or an answer that sets a cookie: as the app gave it
            await _send(send, answer.status, answer.raw, b"" if head else answer.plain.body)
            return
        sent = answer.for_request(scope)
        if not_modified(scope, sent):
            await _send(send, 304, sent.unchanged, b"")
        else:
            await _send(send, 200, sent.full, b"" if head else sent.body)
