"""An admin prints activity record sheets (活动记录表): in print the navigation goes, each sheet
takes its own A4 page, and Chromium's print-to-PDF makes the document inspectors are handed."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import ARTIFACTS, Site, log_in, screenshot

PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b")  # not /Pages, the page tree


def printed(page: Any, name: str) -> bytes:
    """The page printed to an A4 PDF, kept as a test artifact."""
    pdf: bytes = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    return pdf


def corrected_night(page: Any, site: Site) -> str:
    """The id of the demo night whose report was corrected (autumn 2026, two revisions)."""
    page.goto(site.at("/staff/records?period=2026"))
    sheet = page.locator("article.record-sheet", has_text="按入口计数器核对更正（演示）")
    return str(sheet.locator(".record-id").inner_text()).split()[-1]


def test_admin_prints_a_held_nights_record_sheet_to_pdf(site: Site, desktop: Any) -> None:
    log_in(desktop, site, "admin")
    night = corrected_night(desktop, site)
    desktop.goto(site.at(f"/staff/records/{night}"))
    desktop.evaluate("window.print = () => { window.printed = true; }")  # no dialog in a test

    desktop.get_by_role("button", name="打印 / Print").click()
    desktop.emulate_media(media="print")
    pdf = printed(desktop, "record-sheet")

    assert desktop.evaluate("window.printed") is True
    assert desktop.locator("h1").inner_text() == "东胜银杏夜市·秋季（演示）"
    assert desktop.locator(".record-trail tbody tr").count() == 2
    assert desktop.locator(".record-figures td").nth(2).inner_text() == "未填"  # online
    assert desktop.locator("nav.site-nav").is_hidden()
    assert desktop.locator(".record-tools").is_hidden()
    assert pdf.startswith(b"%PDF")
    assert len(PAGE_OBJECT.findall(pdf)) == 1
    screenshot(desktop, "record-sheet-print")


def test_a_months_sheets_print_one_page_each_behind_the_cover(site: Site, desktop: Any) -> None:
    log_in(desktop, site, "admin")
    desktop.goto(site.at("/staff/records?period=2026-10"))
    sheets = desktop.locator("article.record-sheet").count()

    desktop.emulate_media(media="print")
    pdf = printed(desktop, "record-sheets-2026-10")

    breaks = desktop.evaluate(
        "[...document.querySelectorAll('.record-cover, .record-sheet')]"
        ".map(el => getComputedStyle(el).breakAfter)"
    )
    assert sheets >= 2
    assert breaks == ["page"] * sheets + ["auto"]
    assert desktop.locator("h1").inner_text() == "2026年10月活动记录表"
    assert pdf.startswith(b"%PDF")
    assert len(PAGE_OBJECT.findall(pdf)) >= sheets + 1
