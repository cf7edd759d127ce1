"""What every HTML page shares: the template engine, the language switch and the page context.

Pages are Chinese first. `?lang=en` (or `?lang=zh`) switches and a `lang` cookie keeps the
choice; templates write both languages with ``{{ tr("中文", "English") }}``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import pass_context
from litestar import Request
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import Cookie
from litestar.response import Template
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from bolin_events.auth import SESSION_COOKIE
from bolin_events.web.assets import THEME_COLOUR, asset_router, assets
from bolin_events.web.clients import is_wechat

WEB_DIR = Path(__file__).parent
TEMPLATE_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
LANGUAGES = ("zh", "en")
LANG_COOKIE = "lang"
LANG_COOKIE_SECONDS = 365 * 24 * 3600


def request_lang(request: Request[Any, Any, Any]) -> str:
    """The page language: `?lang=` first, then the cookie, then Chinese."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    kept = request.cookies.get(LANG_COOKIE)
    return kept if kept in LANGUAGES else "zh"


def lang_cookies(request: Request[Any, Any, Any]) -> list[Cookie]:
    """The cookie that keeps a `?lang=` choice for the next page (none when nothing changed)."""
    asked = request.query_params.get("lang")
    if asked not in LANGUAGES or request.cookies.get(LANG_COOKIE) == asked:
        return []
    return [
        Cookie(
            key=LANG_COOKIE,
            value=str(asked),
            max_age=LANG_COOKIE_SECONDS,
            path="/",
            httponly=True,
            samesite="lax",
        )
    ]


def switch_url(request: Request[Any, Any, Any], lang: str) -> str:
    """This page's address in the other language (other query parameters kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", lang))
    return f"{quote(request.url.path)}?{urlencode(params)}"


def render(
    request: Request[Any, Any, Any],
    template_name: str,
    *,
    status_code: int = 200,
    cookies: list[Cookie] | None = None,
    **context: Any,
) -> Template:
    """A page response: the template with `lang`, `user`, `path` and the language switch."""
    lang = request_lang(request)
    other = "en" if lang == "zh" else "zh"
    base_context = {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "switch_lang": other,
        "switch_url": switch_url(request, other),
        "path": request.url.path,
        "user": request.scope.get("user"),
        # Pages for addresses no route matches are made before the log-in is read: a
        # session cookie is then the best guess that the visitor is staff.
        "staff_link": bool(request.scope.get("user") or request.cookies.get(SESSION_COOKIE)),
        # inside WeChat, downloads and webcal links do nothing: pages guide to the browser
        "wechat": is_wechat(request.headers.get("user-agent")),
    }
    return Template(
        template_name=template_name,
        context={**base_context, **context},
        cookies=[*lang_cookies(request), *(cookies or [])],
        status_code=status_code,
        media_type="text/html",
    )


@pass_context
def _tr(context: Any, zh: str, en: str | None = None) -> str:
    if context.get("lang") == "en" and en:
        return en
    return zh


# What an HTML page may not carry: controls other than white space, and non-characters.
NOT_IN_HTML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def _finalize(value: Any) -> Any:
    """Every value a template writes loses those characters: a typed value, an address or a
    stored text echoed back with one of them must not break the page."""
    if isinstance(value, Markup):
        return Markup(NOT_IN_HTML.sub("", value))
    if isinstance(value, str):
        return NOT_IN_HTML.sub("", value)
    return value


def template_config(*, reload: bool = False) -> TemplateConfig[JinjaTemplateEngine]:
    """Templates are compiled once; with ``reload`` (development) an edited file is seen at
    its next render, at the cost of a look at the file on every render."""

    def configure(engine: JinjaTemplateEngine) -> None:
        env = engine.engine
        env.finalize = _finalize
        env.globals["tr"] = _tr
        env.globals["static_url"] = assets(STATIC_DIR).url  # hashed names (web.assets)
        env.globals["theme_colour"] = THEME_COLOUR  # the browser bar's, as the manifest says
        env.trim_blocks = True
        env.lstrip_blocks = True
        env.auto_reload = reload

    return TemplateConfig(directory=TEMPLATE_DIR, engine=JinjaTemplateEngine,
                          engine_callback=configure)


def static_router() -> Any:
    """The static files under plain and hashed names, the favicon and the web app manifest."""
    return asset_router(STATIC_DIR)
