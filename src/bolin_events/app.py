"""create_app(settings): routes, plugins, database lifecycle and error mapping."""

from __future__ import annotations

import gc
from typing import Any

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from bolin_events import __version__, logs
from bolin_events.auth import TokenAuthMiddleware
from bolin_events.db import make_engine, make_sessionmaker, provide_db, written
from bolin_events.housekeeping import start_housekeeping, stop_housekeeping
from bolin_events.http_errors import JsonRequest
from bolin_events.notify import Listener
from bolin_events.routes.access_log import AccessLog, Writer
from bolin_events.routes.api.accounts import AccountController
from bolin_events.routes.api.attendance import attendance_routers
from bolin_events.routes.api.audit import AuditController
from bolin_events.routes.api.baselines import BASELINE_ROUTERS
from bolin_events.routes.api.checkins import CheckInController
from bolin_events.routes.api.events import EventController
from bolin_events.routes.api.feeds import FEED_LIST_ROUTES
from bolin_events.routes.api.health import healthz, readyz
from bolin_events.routes.api.holidays import HOLIDAY_ROUTERS
from bolin_events.routes.api.imports import import_routers
from bolin_events.routes.api.occurrences import OccurrenceController
from bolin_events.routes.api.pictures import picture_routers
from bolin_events.routes.api.places import PLACE_ROUTERS
from bolin_events.routes.api.reports import REPORT_ROUTERS
from bolin_events.routes.api.signups import SIGNUP_ROUTERS
from bolin_events.routes.api.tally import TallyController
from bolin_events.routes.api.years import YEAR_ROUTERS
from bolin_events.routes.contract import complete_contract
from bolin_events.routes.deps import DEPENDENCIES
from bolin_events.routes.feeds import FEED_ROUTES
from bolin_events.routes.multipart import parse_off_loop
from bolin_events.routes.overload import ConcurrencyLimitMiddleware
from bolin_events.routes.pages.annual import ANNUAL_PAGES
from bolin_events.routes.pages.attendance import ATTENDANCE_PAGES
from bolin_events.routes.pages.audit import AUDIT_PAGES
from bolin_events.routes.pages.baselines import BASELINE_PAGES
from bolin_events.routes.pages.door import DOOR_PAGES
from bolin_events.routes.pages.embed import EMBED_PAGES
from bolin_events.routes.pages.event_pictures import EVENT_PICTURE_PAGES
from bolin_events.routes.pages.events import EVENT_PAGES
from bolin_events.routes.pages.holidays import HOLIDAY_PAGES
from bolin_events.routes.pages.imports import IMPORT_PAGES
from bolin_events.routes.pages.nights import NIGHT_PAGES
from bolin_events.routes.pages.pictures import PICTURE_PAGES
from bolin_events.routes.pages.places import PLACE_PAGES
from bolin_events.routes.pages.planner import PLANNER_PAGES
from bolin_events.routes.pages.public import PUBLIC_PAGES
from bolin_events.routes.pages.records import RECORD_PAGES
from bolin_events.routes.pages.reference import REFERENCE_PAGES
from bolin_events.routes.pages.reports import REPORTS_PAGES
from bolin_events.routes.pages.search import SEARCH_PAGES
from bolin_events.routes.pages.signups import SIGNUP_PAGES
from bolin_events.routes.pages.staff import STAFF_PAGES
from bolin_events.routes.pages.syndication import SYNDICATION_PAGES
from bolin_events.routes.pages.tally import TALLY_PAGES
from bolin_events.routes.pages.users import USER_PAGES
from bolin_events.routes.pages.years import YEAR_PAGES
from bolin_events.routes.public_cache import PublicCache, PublicCacheMiddleware
from bolin_events.services.feeds.cache import FeedCache
from bolin_events.services.search.build import SearchCache
from bolin_events.services.versions import RefsCache
from bolin_events.settings import Settings, get_settings
from bolin_events.web.errors import PAGE_EXCEPTION_HANDLERS
from bolin_events.web.render import static_router, template_config

API_DESCRIPTION = """柏林镇文化活动与文旅项目管理。
Event and cultural-tourism programme manager for 柏林镇 (Bolin town, Chongqing).

Reads of public data need no login. Every write needs `Authorization: Bearer <token>`
(get one from `POST /api/v1/auth/token` or `bolin-events tokens create`).
Errors always have the shape `{status, code, message, message_en, details}`.

iCal feeds (GET or HEAD; plain ASGI for speed, so not listed as operations below):
`/feeds/all.ics`, `/feeds/categories/{slug}.ics`, `/feeds/villages/{slug}.ics`,
`/feeds/venues/{slug}.ics`, `/feeds/programmes/{slug}.ics`, `/feeds/events/{id}.ics`;
`?category=a,b&village=c&venue=…&programme=…` narrows any of them. `GET /api/v1/feeds` lists
them with their subscribe links. Downloads of one event, as an attachment with a reminder
(`?alarm=1h|1d|none`): `/feeds/events/{id}/nights/{night}.ics` (one night) and
`/feeds/events/{id}/upcoming.ics` (the nights still to come).
"""


CSRF_EXEMPT = [
    "^/api/", "^/feeds/", "^/healthz", "^/readyz", "^/schema", "^/qr\\.", "^/static/",
    # public pages have no form to protect, and a cookie would keep any cache from sharing them
    "^/$", "^/calendar$", "^/events", "^/programmes/", "^/subscribe$", "^/media/",
    "^/embed$", "^/search$", "^/atom/", "^/favicon\\.ico$", "^/manifest\\.webmanifest$",
    "^/venues/", "^/organizers/",
    "^/signups/",  # a visitor's own sign-up: reached by its secret link, no cookie
]


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


async def open_database(app: Litestar) -> None:
    engine = make_engine(app.state.settings)
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)


async def close_database(app: Litestar) -> None:
    await app.state.engine.dispose()


async def start_listening(app: Litestar) -> None:
    """Writes in other processes end this one's recheck windows (PostgreSQL: notify)."""
    app.state.listener = Listener(app.state.settings, lambda: written(app.state))
    app.state.listener.start()


async def stop_listening(app: Litestar) -> None:
    listener: Listener | None = app.state.get("listener")
    if listener is not None:
        await listener.stop()


def flush_access_log(app: Litestar) -> None:
    writer: Writer | None = app.state.get("access_log")
    if writer is not None:
        writer.flush()


def fresh_state(settings: Settings) -> dict[str, Any]:
    """What the app keeps besides its database: its settings and the in-process caches, which
    hold only what follows from database contents (so any process may start with them empty).
    ``after_write`` is told of every committed write (db.provide_db)."""
    feed_cache, public_cache = FeedCache(), PublicCache()
    return {
        "settings": settings,
        "feed_cache": feed_cache,
        "public_cache": public_cache,
        "refs_cache": RefsCache(),
        "search_cache": SearchCache(),
        "after_write": [feed_cache.forget_recent, public_cache.forget_recent],
        "access_log": Writer(settings.log_format == "json") if settings.access_log else None,
    }


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()

    logs.configure(settings.log_level, settings.log_format)
    app = Litestar(
        route_handlers=[
            healthz,
            readyz,
            EventController,
            OccurrenceController,
            AccountController,
            AuditController,
            TallyController,
            CheckInController,
            *SIGNUP_ROUTERS,
            *PLACE_ROUTERS,
            *import_routers(settings),
            *attendance_routers(settings),
            *picture_routers(settings),
            *REPORT_ROUTERS,
            *BASELINE_ROUTERS,
            *YEAR_ROUTERS,
            *HOLIDAY_ROUTERS,
            *FEED_LIST_ROUTES,
            *FEED_ROUTES,
            # pages and their files are for browsers: none of them is in the OpenAPI
            Router(path="/", include_in_schema=False, route_handlers=[
                *PUBLIC_PAGES,
                *EMBED_PAGES,
                *SYNDICATION_PAGES,
                *PICTURE_PAGES,
                *SEARCH_PAGES,
                *PLACE_PAGES,
                *STAFF_PAGES,
                *USER_PAGES,
                *AUDIT_PAGES,
                *BASELINE_PAGES,
                *EVENT_PAGES,
                *EVENT_PICTURE_PAGES,
                *IMPORT_PAGES,
                *NIGHT_PAGES,
                *PLANNER_PAGES,
                *ATTENDANCE_PAGES,
                *TALLY_PAGES,
                *DOOR_PAGES,
                *SIGNUP_PAGES,
                *REPORTS_PAGES,
                *ANNUAL_PAGES,
                *YEAR_PAGES,
                *HOLIDAY_PAGES,
                *RECORD_PAGES,
                *REFERENCE_PAGES,
                static_router(),
            ]),
        ],
        dependencies={
            "db": Provide(provide_db),
            "settings": Provide(provide_settings, sync_to_thread=False),
            **DEPENDENCIES,
        },
        # outermost first: cached answers skip the concurrency bound
        middleware=[PublicCacheMiddleware(), ConcurrencyLimitMiddleware(), TokenAuthMiddleware()],
        exception_handlers=PAGE_EXCEPTION_HANDLERS,  # they log what they answer 5xx
        logging_config=None,  # logs.configure set the handlers; Litestar's would replace them
        request_class=JsonRequest,
        before_request=parse_off_loop,  # multipart bodies split in the worker pool
        on_startup=[open_database, start_listening, start_housekeeping],
        on_shutdown=[stop_housekeeping, stop_listening, close_database, flush_access_log],
        state=State(fresh_state(settings)),
        template_config=template_config(reload=settings.environment == "development"),
        csrf_config=CSRFConfig(
            secret=settings.resolved_secret_key(),
            cookie_name="bolin_csrf",
            cookie_secure=settings.secure_cookies,
            cookie_httponly=True,
            cookie_samesite="lax",
            exclude=CSRF_EXEMPT,  # the JSON API authenticates by header, never by cookie
        ),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="bolin-events",
            version=__version__,
            description=API_DESCRIPTION,
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        debug=False,
    )
    complete_contract(app)
    # around everything, so that requests no route matches are logged too
    app.asgi_handler = AccessLog(app.asgi_handler)
    return app


def create_app_from_env() -> Litestar:
    """The factory `bolin-events serve` hands to uvicorn (one per worker process)."""
    app = create_app(get_settings())
    app.on_startup.append(freeze_startup_objects)
    return app


def freeze_startup_objects() -> None:
    """What a worker has made by the time it starts (modules, the app, the engine) stays for
    its life: moved out of the garbage collector's sight, later collections have that much
    less to walk (a measured ~5% on the hot feed path). For server processes only: a test
    run that makes many apps would keep each one's garbage."""
    gc.collect()
    gc.freeze()
