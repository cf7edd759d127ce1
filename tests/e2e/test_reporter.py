"""A village reporter on a phone reports a night from the "still to report" list."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import Site, log_in, screenshot

FORM_FIELDS = """form => {
  const fields = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string") fields[name] = value;
  }
  return fields;
}"""


def test_reporter_reports_a_night_on_a_phone_and_a_double_submit_counts_once(
    site: Site, phone: Any
) -> None:
    log_in(phone, site, "reporter")
    phone.goto(site.at("/staff/attendance"))
    screenshot(phone, "reporter-pending")
    # the demo season's nights ended more than 7 days ago: under the older ones
    phone.get_by_role("link", name=re.compile("场更早的未上报")).click()
    task = phone.locator("a.task:not(.done)").first
    href = task.get_attribute("href")
    assert href and href.startswith("/staff/attendance/")
    task.click()
    phone.wait_for_url(site.at(href))

    phone.get_by_label("总人次（现场＋线上）").fill("333")
    phone.get_by_text("分项（可选）").click()
    phone.get_by_label("现场人次").fill("333")
    phone.get_by_label("统计方式").select_option("clicker")
    screenshot(phone, "reporter-form")
    sent = phone.locator("form.report-form").evaluate(FORM_FIELDS)
    phone.get_by_role("button", name="提交上报").dblclick()
    phone.wait_for_url(re.compile(r"\?saved=1$"))
    # the browser sends the very same form again, as after a dropped connection
    resent = phone.request.post(site.at(href), multipart=sent)

    assert resent.ok and resent.url.endswith("?saved=1&again=1")
    phone.goto(resent.url)
    confirmation = phone.get_by_role("status")
    assert "已上报：第 1 版，总人次 333" in confirmation.inner_text()
    assert "没有重复计数" in confirmation.inner_text()
    screenshot(phone, "reporter-confirmation")
    history = phone.locator("ol.revisions > li")
    assert history.count() == 1
    assert "333" in history.first.inner_text()
    phone.goto(site.at("/staff/attendance?older=1"))
    assert phone.locator(f'a.task:not(.done)[href="{href}"]').count() == 0
    assert phone.locator(f'a.task.done[href="{href}"]').count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
