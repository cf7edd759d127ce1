"""What the public page tests share: fetch a page and check it, find demo events, read cells."""

from __future__ import annotations

from typing import Any

from bolin_events.models import Role
from tests.conftest import Client, make_user
from tests.html_check import assert_good_page

NIGHT_MARKET = "东胜银杏夜市（演示）"
OPENING = "2027嗨夏季开幕式（演示）"
SHAHE_GALA = "沙河村纳凉村晚（演示）"  # cancelled in the demo season
DRAFT = "秋季村晚筹备（草稿，演示）"


async def page(client: Client, path: str, status: int = 200) -> tuple[str, Any]:
    """The page's HTML and its parsed tree, after checking the status and the HTML rules."""
    response = await client.get(path)
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text, assert_good_page(response.text)


WECHAT = ("Mozilla/5.0 (Linux; Android 10; V2036A) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 "
          "MMWEBID/1234 MicroMessenger/8.0.28.2240(0x28001C3B) WeChat/arm64 Weixin Android")
ANDROID = ("Mozilla/5.0 (Linux; Android 10; V2036A) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/86.0.4240.99 Mobile Safari/537.36")


async def page_as(client: Client, path: str, agent: str) -> tuple[str, Any]:
    client.headers["user-agent"] = agent
    try:
        return await page(client, path)
    finally:
        del client.headers["user-agent"]


async def scheduler(client: Client) -> dict[str, str]:
    return await make_user(client.app, "scheduler", Role.scheduler)


async def event_id(client: Client, title_zh: str, headers: dict[str, str] | None = None) -> int:
    """The id of a demo event, found by its Chinese title (drafts need staff headers)."""
    params = {"limit": 500, **({"status": "draft"} if headers else {})}
    response = await client.get("/api/v1/events", params=params, headers=headers or {})
    ids = [e["id"] for e in response.json()["items"] if e["title_zh"] == title_zh]
    assert ids, f"no event {title_zh!r}"
    return int(ids[0])


def text(element: Any) -> str:
    return "".join(element.itertext())


def by_class(tree: Any, tag: str, name: str) -> list[Any]:
    return [el for el in tree.iter(tag) if name in (el.get("class") or "").split()]


def month_cells(tree: Any) -> dict[str, Any]:
    """The month grid's cells by their date label (e.g. "6月26日 周六")."""
    cells = {}
    for cell in tree.iter("td"):
        label = by_class(cell, "span", "full-date")
        if label:
            cells[text(label[0]).strip()] = cell
    return cells


def headings(tree: Any, tag: str = "h3") -> list[str]:
    return [text(h).strip() for h in tree.iter(tag)]
