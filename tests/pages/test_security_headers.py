"""Every answer says what a browser may do with it: this site's scripts and styles only, no
framing by other sites, no type sniffing, no full address sent elsewhere."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Client

PAGES = ["/", "/calendar", "/subscribe", "/staff/login", "/no/such/page"]
FRAMED = ["/embed", "/embed?village=dongsheng&limit=3"]  # made to be shown on other sites


@pytest.mark.parametrize("path", [*PAGES, "/api/v1/events", "/feeds/all.ics"])
async def test_every_answer_carries_the_security_headers(
        client: Client, seeded: None, path: str) -> None:
    answer = await client.get(path)

    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'self'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", FRAMED)
async def test_the_embeddable_list_may_be_framed_by_any_site(
        client: Client, seeded: None, path: str) -> None:
    answer = await client.get(path)

    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors *" in policy and "frame-ancestors 'self'" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "x-frame-options" not in answer.headers
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", [*PAGES, *FRAMED])
async def test_pages_hold_no_inline_script_or_style_the_policy_would_block(
        client: Client, seeded: None, path: str) -> None:
    html = (await client.get(path)).text

    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/ld+json"' in attrs for attrs in scripts)  # data, not code
    assert "<style" not in html
    assert not re.search(r"\sstyle=\"", html)
    assert not re.search(r"\son[a-z]+=\"", html)


async def test_the_event_page_and_poster_hold_none_either(client: Client, seeded: None) -> None:
    events = (await client.get("/api/v1/events")).json()["items"]
    for path in (f"/events/{events[0]['id']}", f"/events/{events[0]['id']}/poster"):
        html = (await client.get(path)).text
        assert "<style" not in html, path
        assert not re.search(r"\son[a-z]+=\"", html), path
