"""Static files under names that change with their content, so a phone keeps them for a year.

``static_url("public.css")`` in a template writes ``/static/public.3f9a1c2e.css``: the first
eight hex digits of the file's SHA-256, computed once when the app starts (the same name in
every process). A changed file gets a new name, so a hashed name may be kept forever
(``immutable``); the plain name answers too (old pages, links from elsewhere) but is kept only
briefly. Every file is small (a few kB), so all are held in memory with gzip and brotli copies
made at start-up: serving one is a dictionary look-up, never work on the event loop.

Also here: ``/favicon.ico`` (browsers ask for it whatever the page says) and the web app
manifest ``/manifest.webmanifest`` (the name and icons a phone shows when the page is added
to its home screen).
"""

from __future__ import annotations

import functools
import hashlib
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from litestar import HttpMethod, Request, Router, route
from litestar.response.base import ASGIResponse

from bolin_events.errors import NotFound
from bolin_events.services.cache import accepts, brotlied, gzipped

HASHED_CACHE = "public, max-age=31536000, immutable"  # a year: the name changes with the bytes
PLAIN_CACHE = "public, max-age=3600"
ROOT_CACHE = "public, max-age=86400"  # /favicon.ico and the manifest: fixed names
THEME_COLOUR = "#2f6b3f"  # site.css --accent
COMPRESSED_TYPES = ("text/", "image/svg+xml", "application/javascript", "application/json",
                    "application/manifest+json")
MEDIA_TYPES = {".ico": "image/x-icon", ".js": "application/javascript",
               ".webmanifest": "application/manifest+json"}


@dataclass(frozen=True, slots=True)
class Asset:
    """One file as it is sent: its bytes, compressed copies when smaller, and its ETag."""

    hashed: str  # "public.3f9a1c2e.css"
    media_type: str
    body: bytes
    gzip: bytes | None
    brotli: bytes | None
    etag: str

    @classmethod
    def of(cls, name: str, body: bytes) -> Asset:
        digest = hashlib.sha256(body).hexdigest()
        path = PurePosixPath(name)
        hashed = str(path.with_name(f"{path.stem}.{digest[:8]}{path.suffix}"))
        media_type = (MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(name)[0]
                      or "application/octet-stream")
        squeezed = media_type.startswith(COMPRESSED_TYPES)
        if media_type.startswith("text/") or media_type.endswith(("json", "javascript")):
            media_type += "; charset=utf-8"
        return cls(hashed, media_type, body, gzipped(body) if squeezed else None,
                   brotlied(body) if squeezed else None, f'"{digest[:32]}"')

    def answer(self, request: Request[Any, Any, Any], cache_control: str) -> ASGIResponse:
        """The file (or 304 when the browser has it), in the smallest encoding it takes."""
        headers = {"cache-control": cache_control, "etag": self.etag, "vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == self.etag:
            return ASGIResponse(status_code=304, headers=headers)
        asked = request.headers.get("accept-encoding", "").encode("latin-1")
        body = self.body
        if self.brotli is not None and accepts(asked, b"br"):
            body, headers["content-encoding"] = self.brotli, "br"
        elif self.gzip is not None and accepts(asked, b"gzip"):
            body, headers["content-encoding"] = self.gzip, "gzip"
        headers.update({"content-type": self.media_type, "content-length": str(len(body))})
        head = request.method == HttpMethod.HEAD
        return ASGIResponse(body=b"" if head else body, headers=headers, is_head_response=head)


@dataclass(frozen=True)
class Assets:
    """Every static file, by its plain and by its hashed name."""

    by_name: dict[str, Asset]
    hashed: frozenset[str]

    @classmethod
    def scan(cls, directory: Path) -> Assets:
        by_name: dict[str, Asset] = {}
        for path in sorted(directory.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                name = path.relative_to(directory).as_posix()
                asset = Asset.of(name, path.read_bytes())
                by_name[name] = by_name[asset.hashed] = asset
        return cls(by_name, frozenset(a.hashed for a in by_name.values()))

    def url(self, name: str) -> str:
        """``/static/`` and the file's hashed name; a name that is no file fails the page (a
        typo must show in the tests, not as a broken style on a phone)."""
        asset = self.by_name.get(name)
        if asset is None or name in self.hashed:
            raise LookupError(f"no static file {name!r} in web/static")
        return f"/static/{asset.hashed}"


@functools.cache
def assets(directory: Path) -> Assets:
    """Read once per process: the files only change with a new release (a restart)."""
    return Assets.scan(directory)


def manifest(files: Assets) -> bytes:
    """What a phone shows for the site on its home screen."""
    icons = [{"src": files.url(f"icon-{size}.png"), "sizes": f"{size}x{size}",
              "type": "image/png"} for size in (192, 512)]
    return json.dumps({
        "name": "柏林镇活动", "short_name": "柏林镇活动", "lang": "zh-CN",
        "description": "重庆市江津区柏林镇文化活动与文旅日历 · Events in Bolin town, Chongqing",
        "start_url": "/", "scope": "/", "display": "browser",
        "background_color": "#fbfaf6", "theme_color": THEME_COLOUR, "icons": icons,
    }, ensure_ascii=False, indent=1).encode()


def asset_router(directory: Path) -> Router:
    """``/static/{name}`` (plain or hashed), ``/favicon.ico`` and ``/manifest.webmanifest``."""
    files = assets(directory)
    favicon = files.by_name["favicon.ico"]
    manifest_file = Asset.of("manifest.webmanifest", manifest(files))
    methods = [HttpMethod.GET, HttpMethod.HEAD]

    @route("/static/{name:path}", http_method=methods, name="static", include_in_schema=False)
    async def static_file(request: Request[Any, Any, Any], name: str) -> ASGIResponse:
        name = name.lstrip("/")
        asset = files.by_name.get(name)
        if asset is None:
            raise NotFound(f"没有这个文件：/static/{name[:100]}",
                           f"No file at /static/{name[:100]}.")
        return asset.answer(request, HASHED_CACHE if name in files.hashed else PLAIN_CACHE)

    @route("/favicon.ico", http_method=methods, name="favicon", include_in_schema=False)
    async def favicon_file(request: Request[Any, Any, Any]) -> ASGIResponse:
        return favicon.answer(request, ROOT_CACHE)

    @route("/manifest.webmanifest", http_method=methods, name="manifest",
           include_in_schema=False)
    async def manifest_answer(request: Request[Any, Any, Any]) -> ASGIResponse:
        return manifest_file.answer(request, ROOT_CACHE)

    return Router(path="/", route_handlers=[static_file, favicon_file, manifest_answer])

