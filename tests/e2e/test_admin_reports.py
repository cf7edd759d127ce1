"""An admin reads the year's figures on the reports page: the charts draw and files download."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Site, log_in, screenshot

LOADED = "img => img.complete && img.naturalWidth > 0"


def test_admin_opens_the_reports_page_and_the_charts_render(site: Site, desktop: Any) -> None:
    log_in(desktop, site, "admin")
    desktop.goto(site.at("/staff/reports?year=2026"))

    paragraph = desktop.locator("#review-text").input_value()
    charts = desktop.locator("img.chart")
    assert charts.count() == 3
    for index in range(3):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        desktop.wait_for_function(LOADED, arg=chart.element_handle(), timeout=10_000)
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    with desktop.expect_download() as download:
        desktop.locator('a[href*="ledger/file?format=csv"]').click()

    assert paragraph.startswith("2026年")
    assert download.value.suggested_filename == "ledger-2026.csv"
    with open(download.value.path(), "rb") as saved:
        assert saved.read(3) == b"\xef\xbb\xbf"
    desktop.evaluate("window.scrollTo(0, 0)")
    screenshot(desktop, "admin-reports")


def test_the_review_paragraph_copies_with_one_click(site: Site, desktop: Any) -> None:
    desktop.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(desktop, site, "admin")
    desktop.goto(site.at("/staff/reports?year=2026"))
    paragraph = desktop.locator("#review-text").input_value()

    desktop.get_by_role("button", name="复制段落").click()

    desktop.locator("[data-copied]").wait_for(state="visible", timeout=5_000)
    assert desktop.evaluate("navigator.clipboard.readText()") == paragraph
