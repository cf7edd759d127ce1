"""The API's contract as its OpenAPI states it and as it answers: one error shape (Problem),
every status an operation can answer, the bearer scheme, and a true ``Allow`` on OPTIONS.

Litestar documents only an operation's success and its own 400 body, which is not the one
this service sends; ``complete_contract`` adds the rest once the routes are known.
"""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.routes import HTTPRoute

from bolin_events.auth import guard_permission

PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    required=["status", "code", "message", "message_en", "details"],
    properties={
        "status": Schema(type=OpenAPIType.INTEGER, description="the HTTP status"),
        "code": Schema(type=OpenAPIType.STRING, description="a stable word for the problem, "
                       "e.g. invalid_input, venue_clash, not_found, busy"),
        "message": Schema(type=OpenAPIType.STRING, description="for people, in Chinese"),
        "message_en": Schema(type=OpenAPIType.STRING, description="for people, in English"),
        "details": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT),
                          description="what exactly: fields, limits, the other event …"),
    },
    description="Every error this service answers, whatever its status.",
)
STATUS_TEXT = {
    400: "The body could not be read (malformed JSON, a broken multipart body).",
    401: "No valid token (or a revoked one, or a disabled account).",
    403: "This role may not do this (or not for this village).",
    404: "No such record.",
    409: "Conflicts with what is there (a venue clash, a duplicate, a changed record).",
    413: "The body is too large.",
    415: "The body is not of the kind this operation takes.",
    422: "A value breaks a rule (the schema's or the service's); details name the fields.",
    429: "Too many failed log-ins: wait and try again (Retry-After).",
    503: "Busy or storage not writable: try again shortly (Retry-After).",
}
BEARER = "bearer"
_PARAM = re.compile(r"\{(\w+):\w+\}")


def _handlers(app: Litestar) -> dict[tuple[str, str], HTTPRouteHandler]:
    """Every operation's handler by (method, OpenAPI path)."""
    found = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            path = _PARAM.sub(r"{\1}", route.path)
            for handler in route.route_handlers:
                found.update({(m.lower(), path): handler for m in handler.http_methods})
    return found


def _guarded(handler: HTTPRouteHandler) -> bool:
    return any(guard_permission(g) for g in handler.resolve_guards())


def _optional_body(handler: HTTPRouteHandler) -> bool:
    data = handler.parsed_fn_signature.parameters.get("data")
    return data is not None and data.has_default


def _statuses(method: str, path: str, guarded: bool) -> set[int]:
    """One status for one kind of mistake: 422 for any value that breaks a rule, 400 only for
    a body that cannot be read (so only where a body is sent)."""
    codes = {422, 503}
    if path.startswith("/api/"):
        # a bad token is refused wherever it is sent; an unknown slug in a filter
        # (?village=nowhere) is a 404 as much as an unknown id in the path
        codes |= {401, 404}
    elif "{" in path:
        codes.add(404)
    if guarded:
        codes.add(403)
    if method != "get":
        codes |= {400, 409, 413, 415}
    if path == "/api/v1/auth/token":
        codes.add(429)
    return codes


EXTRA = {  # successes besides the one Litestar documents
    ("post", "/api/v1/occurrences/{occurrence_id}/reports"): {
        200: "A dry run (?dry_run=true): checked, nothing saved."},
    ("post", "/api/v1/occurrences/{occurrence_id}/tally/entrances"): {
        200: "An entrance of that name was already open: the same entrance."},
    ("post", "/api/v1/occurrences/{occurrence_id}/tally/entrances/{entrance_id}/batches"): {
        200: "A batch already counted (its key sent again): the figures, nothing counted."},
}


def complete_contract(app: Litestar) -> None:
    """The schema describes the API, its feeds and QR codes; pages (HTML for browsers) are
    kept out where app.py mounts them (a router with ``include_in_schema=False``)."""
    _true_allow(app)
    openapi = app.openapi_schema
    paths = openapi.paths or {}
    components = openapi.components
    components.schemas = {**(components.schemas or {}), "Problem": PROBLEM}
    components.security_schemes = {BEARER: SecurityScheme(
        type="http", scheme="bearer",
        description="A token from POST /api/v1/auth/token or `bolin-events tokens create`.")}
    handlers = _handlers(app)
    problem = {"application/json": OpenAPIMediaType(
        schema=Reference(ref="#/components/schemas/Problem"))}
    for path, item in paths.items():
        for method in ("get", "put", "post", "patch", "delete"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            handler = handlers.get((method, path))
            protected = handler is not None and _guarded(handler)
            if protected:
                operation.security = [{BEARER: []}]
            if handler is not None and operation.request_body is not None and _optional_body(
                    handler):
                operation.request_body.required = False  # e.g. restore: {allow_overlap} or none
            responses = operation.responses or {}
            for code, text in EXTRA.get((method, path), {}).items():
                success = next(iter(responses.values()))
                responses[str(code)] = OpenAPIResponse(description=text, content=success.content)
            responses.pop("400", None)  # Litestar's, for the schema errors we answer 422
            codes = _statuses(method, path, protected)
            if any(p.name == "expires" for p in operation.parameters or []
                   if hasattr(p, "name")):
                codes.add(403)  # a signed link past its time, or with a wrong signature
            for code in sorted(codes):
                responses[str(code)] = OpenAPIResponse(description=STATUS_TEXT[code],
                                                       content=problem)
            operation.responses = responses


def _true_allow(app: Litestar) -> None:
    """Litestar builds a path's route once per handler it adds, and keeps the OPTIONS handler
    of the first, which answers with that route's methods (``DELETE, OPTIONS`` where GET,
    PATCH and DELETE are served): that first route is told the path's final methods."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.handler_name != "options_handler":
                continue
            for cell in getattr(handler.fn, "__closure__", None) or ():
                first = cell.cell_contents
                if isinstance(first, HTTPRoute) and first is not route:
                    first.methods = set(route.methods)
