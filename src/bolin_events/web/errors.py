"""Problems shown as pages: the same error a JSON client gets, as HTML for a browser, and a
log-in redirect for a staff page asked for by someone not logged in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.response import Redirect

from bolin_events.auth import LoginRequired
from bolin_events.errors import DomainError
from bolin_events.http_errors import EXCEPTION_HANDLERS
from bolin_events.web.render import render

NOT_PAGES = ("/api/", "/feeds/", "/schema", "/healthz", "/readyz", "/qr.", "/static/")


def is_page(request: Request[Any, Any, Any]) -> bool:
    """An HTML page (as opposed to the JSON API, a feed or a file)."""
    raw = request.scope.get("raw_path")  # mounted handlers (the feeds) see a shortened path
    path = raw.decode("latin-1") if raw else request.url.path
    return not path.startswith(NOT_PAGES)


def _login_redirect(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if not is_page(request):
        return EXCEPTION_HANDLERS[DomainError](request, exc)  # type: ignore[no-any-return]
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method not in ("GET", "HEAD"):  # a form sent while logged out: no page to return to
        target = "/staff"
    return Redirect(f"/staff/login?{urlencode({'next': target})}", status_code=303)


def _html_errors(json_handler: Any) -> Any:
    """The JSON handler for the API; for pages, the same problem shown as an HTML page."""

    def handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        response: Response[Any] = json_handler(request, exc)
        if not is_page(request) or not isinstance(response.content, dict):
            return response
        problem = response.content
        page = render(request, "error.html", status_code=response.status_code or 500,
                      problem=problem)
        page.headers.update(response.headers)  # e.g. Retry-After, Allow
        return page

    return handler


PAGE_EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    LoginRequired: _login_redirect,
    **{kind: _html_errors(handler) for kind, handler in EXCEPTION_HANDLERS.items()},
}
