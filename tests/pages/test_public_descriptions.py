"""What a search engine or a shared link shows of each public page, and what a thumb can hit."""

from __future__ import annotations

import pytest

from tests.conftest import Client
from tests.pages.public_helpers import NIGHT_MARKET, event_id, page


def description(tree: object) -> list[str]:
    return [str(m.get("content")) for m in tree.iter("meta")  # type: ignore[attr-defined]
            if m.get("name") == "description"]


@pytest.mark.parametrize("path", [
    "/", "/calendar?month=2027-06", "/events", "/events/{market}", "/events/{market}/poster",
    "/programmes/haixiaji", "/programmes/haixiaji/poster", "/subscribe",
])
async def test_every_public_page_has_one_meta_description(
    client: Client, seeded: None, path: str
) -> None:
    market = await event_id(client, NIGHT_MARKET)

    _, tree = await page(client, path.format(market=market))

    found = description(tree)
    assert len(found) == 1 and len(found[0]) >= 10, found


async def test_event_links_in_lists_are_thumb_sized(client: Client) -> None:
    css = (await client.get("/static/public.css")).text

    assert ".nights:not(.compact) .night a { display: inline-flex; align-items: center; " \
           "min-height: 44px; }" in css
    site = (await client.get("/static/site.css")).text
    assert "[hidden] { display: none !important; }" in site  # script-shown buttons stay hidden
