"""A scheduler chooses 每年农历八月十五 in the editor and sees the next 中秋 dates, with their
lunar names, before saving; the lunar choices show only for their kind of repetition."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Site, log_in, screenshot


def test_the_editor_shows_the_next_mid_autumn_dates_before_saving(
    site: Site, desktop: Any
) -> None:
    page = desktop
    log_in(page, site, "scheduler")
    page.goto(site.at("/staff/events/new"))
    page.get_by_label("开始日期").fill("2027-01-01")
    page.get_by_label("开始时间").fill("19:30")
    preview = page.locator("#f-preview")
    expect(page.get_by_label("农历月份")).to_be_hidden()  # the script has run
    expect(preview).to_be_hidden()

    page.get_by_label("每年农历…").check()
    page.get_by_label("农历月份").select_option("8")
    page.get_by_label("农历日子").select_option("15")
    page.get_by_label("按次数").check()
    page.get_by_label("共几次").fill("5")

    expect(preview).to_contain_text("共 5 次：2027年9月15日 周三 · 农历八月十五 中秋节；"
                                    "2028年10月3日 周二 · 农历八月十五 中秋节")
    expect(preview).to_contain_text("2031年10月1日 周三 · 农历八月十五 中秋节")
    screenshot(page, "scheduler-lunar-preview")

    page.get_by_label("闰月（只在有这个闰月的年份举办）").check()
    expect(preview).to_contain_text("闰八月很少见：2027 年以后只在 2052、2071、2090 年有")

    page.get_by_label("每年节气…").check()
    expect(page.get_by_label("农历月份")).to_be_hidden()
    page.get_by_label("节气", exact=True).select_option("秋分")
    expect(preview).to_contain_text("2027年9月23日 周四 · 农历八月廿三 秋分")
