"""Fast on a bad connection: static files under names that change with their content (kept a
year), compressed; a favicon and a web app manifest; a skip link and a description on pages."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import brotli
import pytest
from PIL import Image

from bolin_events.web.assets import Assets
from tests.conftest import Client
from tests.pages.public_helpers import page

PAGES = ["/", "/calendar", "/events", "/subscribe", "/embed", "/staff/login", "/no/such/page"]
YEAR = "public, max-age=31536000, immutable"


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


async def _raw(client: Client, path: str, encoding: str) -> tuple[Any, bytes]:
    """The answer and its bytes as sent (httpx would unpack them)."""
    async with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as response:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])


@pytest.mark.parametrize("path", PAGES)
async def test_pages_link_static_files_by_hashed_names_kept_a_year(
    client: Client, seeded: None, path: str
) -> None:
    response = await client.get(path)
    urls = _static_urls(response.text)

    assert urls
    for url in urls:
        hashed = await client.get(url)
        plain = await client.get(re.sub(r"\.[0-9a-f]{8}(\.\w+)$", r"\1", url))
        assert re.search(r"\.[0-9a-f]{8}\.\w+$", url), url
        assert hashed.status_code == plain.status_code == 200, url
        assert hashed.content == plain.content
        assert hashed.headers["cache-control"] == YEAR
        assert plain.headers["cache-control"] == "public, max-age=3600"


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: red; }")
    before = Assets.scan(tmp_path).url("site.css")
    (tmp_path / "site.css").write_text("body { color: green; }")

    after = Assets.scan(tmp_path).url("site.css")

    assert before != after
    assert before.startswith("/static/site.") and after.endswith(".css")


async def test_a_stylesheet_is_sent_compressed_and_revalidated(client: Client) -> None:
    plain = await client.get("/static/public.css", headers={"Accept-Encoding": "identity"})
    packed, raw = await _raw(client, "/static/public.css", "br, gzip")
    again = await client.get("/static/public.css",
                             headers={"If-None-Match": plain.headers["etag"]})

    assert packed.headers["content-encoding"] == "br"
    assert brotli.decompress(raw) == plain.content
    assert len(raw) < len(plain.content) / 2
    assert again.status_code == 304 and again.content == b""


async def test_an_unknown_static_file_is_a_404_in_words(client: Client) -> None:
    response = await client.get("/static/nothing.css")

    assert response.status_code == 404
    assert "没有这个文件" in response.json()["message"]


async def test_the_favicon_is_an_icon_at_the_address_browsers_ask(client: Client) -> None:
    response = await client.get("/favicon.ico")

    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert (32, 32) in icon.info["sizes"]
    assert "set-cookie" not in response.headers


async def test_the_manifest_names_the_site_and_its_icons_answer(client: Client) -> None:
    response = await client.get("/manifest.webmanifest")
    manifest = json.loads(response.content)

    assert response.headers["content-type"].startswith("application/manifest+json")
    assert manifest["name"] == "柏林镇活动" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO((await client.get(icon["src"])).content))
        assert f"{image.width}x{image.height}" == icon["sizes"]
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


@pytest.mark.parametrize("path", ["/calendar", "/staff/login", "/no/such/page"])
async def test_a_page_links_its_icon_manifest_and_theme_colour(
    client: Client, seeded: None, path: str
) -> None:
    _, tree = await page(client, path, 404 if path == "/no/such/page" else 200)

    links = {link.get("rel"): link.get("href") for link in tree.iter("link")}
    metas = {meta.get("name"): meta.get("content") for meta in tree.iter("meta")}
    assert links["manifest"] == "/manifest.webmanifest"
    assert links["icon"] and (await client.get(links["icon"])).status_code == 200
    assert metas["theme-color"] == json.loads(
        (await client.get("/manifest.webmanifest")).content)["theme_color"]


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_has_one_description(client: Client, seeded: None, path: str) -> None:
    _, tree = await page(client, path, 404 if path == "/no/such/page" else 200)

    descriptions = [m.get("content") for m in tree.iter("meta") if m.get("name") == "description"]

    assert len(descriptions) == 1 and (descriptions[0] or "").strip(), descriptions


@pytest.mark.parametrize("path", ["/", "/calendar", "/staff/login"])
async def test_the_first_thing_in_a_page_skips_to_its_main_part(
    client: Client, seeded: None, path: str
) -> None:
    _, tree = await page(client, path)

    first = tree.find("body")[0]

    assert first.tag == "a" and first.get("href") == "#main"
    assert "".join(first.itertext()) == "跳到正文"
    assert tree.find(".//main").get("id") == "main"
    css = (await client.get("/static/site.css")).text
    assert ".skip-link:focus" in css  # hidden until a keyboard reaches it
