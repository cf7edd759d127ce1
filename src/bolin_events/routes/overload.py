"""Overload ends in fast refusals, never in a stall.

Answers kept in memory (public pages and JSON: routes.public_cache; feeds) cost microseconds
and are never refused. Whatever has to reach the app — a render after a change, staff pages,
writes — counts against ``BOLIN_MAX_CONCURRENT_REQUESTS`` per worker; beyond it a request is
answered at once with 503 and ``Retry-After`` instead of queueing for a database connection.
The database pool's own wait is short too (``BOLIN_DB_POOL_TIMEOUT_SECONDS``), and running
out of it is the same 503 (http_errors), so a crowd leaves no backlog behind it.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from bolin_events.http_errors import BUSY_EN, BUSY_ZH, RETRY_AFTER_SECONDS
from bolin_events.settings import Settings

JSON_BODY = (
    b'{"status": 503, "code": "busy", "message": "' + BUSY_ZH.encode() + b'", "message_en": "'
    + BUSY_EN.encode() + b'", "details": []}'
)
HTML_BODY = (
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" '
    'content="width=device-width, initial-scale=1"><title>请稍后再试 / Busy</title>'
    f'<h1>{BUSY_ZH}</h1><p lang="en">{BUSY_EN}</p><p><a href="">刷新 / Reload</a></p></html>'
).encode()


def wants_html(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"accept":
            return b"text/html" in value
    return False


class ConcurrencyLimitMiddleware(ASGIMiddleware):
    """At most ``max_concurrent_requests`` requests in the app at once per process."""

    scopes = (ScopeType.HTTP,)
    # health checks must answer under load; feeds come from memory
    exclude_path_pattern = ("^/healthz$", "^/readyz$", "^/static/", "^/feeds/")

    def __init__(self) -> None:
        self.running = 0

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        settings: Settings = scope["app"].state.settings
        if self.running >= settings.max_concurrent_requests:
            await refuse(scope, send)
            return
        self.running += 1
        try:
            await next_app(scope, receive, send)
        finally:
            self.running -= 1


async def refuse(scope: Scope, send: Send) -> None:
    html = wants_html(scope)
    body = HTML_BODY if html else JSON_BODY
    media = b"text/html; charset=utf-8" if html else b"application/json"
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", media), (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(RETRY_AFTER_SECONDS).encode()), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body, "more_body": False})
