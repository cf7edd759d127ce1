"""Charts: SVG drawn by pygal, with Chinese labels, for staff and for <img src>."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bolin_events.services.stats import links
from tests.conftest import Client, Staff
from tests.reports.helpers import REPORTS, report_all, season

SVG_NS = "{http://www.w3.org/2000/svg}"


def texts(svg: bytes) -> list[str]:
    """Every piece of text a person sees in the chart."""
    root = ET.fromstring(svg)
    return [t.text.strip() for t in root.iter(f"{SVG_NS}text") if t.text and t.text.strip()]


async def two_years(client: Client, staff: Staff) -> None:
    _, before = await season(client, staff.scheduler, "2024-06-01T19:00", nights=2)
    _, now = await season(client, staff.scheduler, "2025-06-01T19:00", nights=2)
    _, gala = await season(
        client, staff.scheduler, "2025-08-01T19:30", category="performance", venue="qingqing-park"
    )
    await report_all(client, staff.admin, before + now + gala, [90, 110, 120, 130, 400])


async def test_trend_chart_shows_every_month_and_both_years(client: Client, staff: Staff) -> None:
    await two_years(client, staff)

    response = await client.get(
        f"{REPORTS}/charts/trend", params={"period": "2025"}, headers=staff.scheduler
    )

    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml")
    seen = texts(response.content)
    assert [f"{m}月" for m in range(1, 13)] == [t for t in seen if t.endswith("月")][:12]
    assert {"2025年", "2024年", "2025年每月人次（与上年同期对比）"} <= set(seen)
    assert b"Noto Sans CJK SC" in response.content
    assert b"<script" not in response.content  # nothing loaded from the internet


async def test_category_and_village_charts_name_them_in_chinese(
    client: Client, staff: Staff
) -> None:
    await two_years(client, staff)

    categories = await client.get(
        f"{REPORTS}/charts/categories", params={"period": "2025"}, headers=staff.admin
    )
    villages = await client.get(
        f"{REPORTS}/charts/villages", params={"period": "2025"}, headers=staff.admin
    )

    assert {"文化活动", "文艺表演", "2025年各类别人次"} <= set(texts(categories.content))
    assert {"东胜村", "华盖村", "2025年各村人次"} <= set(texts(villages.content))


async def test_chart_inline_leaves_out_the_xml_declaration(client: Client, staff: Staff) -> None:
    response = await client.get(
        f"{REPORTS}/charts/villages",
        params={"period": "2025", "inline": "true"},
        headers=staff.admin,
    )

    assert response.content.startswith(b"<svg")
    assert "暂无数据" in texts(response.content)


async def test_chart_links_work_in_img_src_without_a_token(client: Client, staff: Staff) -> None:
    await two_years(client, staff)

    listed = await client.get(f"{REPORTS}/charts", params={"period": "2025"}, headers=staff.admin)
    trend = next(c for c in listed.json() if c["kind"] == "trend")
    shown = await client.get(trend["url"])
    tampered = await client.get(trend["url"].replace("period=2025", "period=2024"))
    bare = await client.get(f"{REPORTS}/charts/trend", params={"period": "2025"})

    assert [c["kind"] for c in listed.json()] == ["trend", "categories", "villages"]
    assert (shown.status_code, shown.headers["content-type"]) == (200, "image/svg+xml")
    assert "6月" in texts(shown.content)
    assert (tampered.status_code, bare.status_code) == (401, 401)


async def test_chart_reporter_token_is_refused(client: Client, staff: Staff) -> None:
    response = await client.get(
        f"{REPORTS}/charts/trend", params={"period": "2025"}, headers=staff.reporter
    )

    assert response.status_code == 403
    assert response.json()["message_en"] == "The role 'reporter' may not do this (reports:read)."
    assert "svg" not in response.headers["content-type"]


async def test_chart_unknown_kind_is_422(client: Client, staff: Staff) -> None:
    response = await client.get(
        f"{REPORTS}/charts/weather", params={"period": "2025"}, headers=staff.admin
    )

    assert response.status_code == 422
    assert response.json()["details"] == [
        {"message": "Invalid enum value 'weather'", "key": "kind", "source": "path"}]


def test_chart_signature_expires() -> None:
    path, expires = links.signed_path("secret", "trend", "2025", now=1_000)
    signature = path.rsplit("signature=", 1)[1]

    assert links.is_valid("secret", "trend", "2025", expires, signature, now=1_000 + 3_599)
    assert not links.is_valid("secret", "trend", "2025", expires, signature, now=1_000 + 3_601)
    assert not links.is_valid("other", "trend", "2025", expires, signature, now=1_000)
    assert not links.is_valid("secret", "villages", "2025", expires, signature, now=1_000)
