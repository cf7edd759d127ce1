"""A scheduler carries a season in the workspace (issue 16): adds a venue, imports a 40-row sheet
through the browser (preview, confirm, the same sheet again changes nothing), enters ten
events by copying and 保存并新建 in at most four actions each after the first, and sees the
clash of two of them marked in the planner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Site, log_in, screenshot
from tests.imports.helpers import xlsx

VENUE = "柏林镇浏览器广场"
SHEET_ROWS = 40
MOST_ACTIONS = 4  # per event after the first


def field(label: str) -> re.Pattern[str]:
    """A field's label as shown (a required one ends in " *")."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


@dataclass
class Actions:
    """What the scheduler does with the page, counted: a typed field, a choice, a click."""

    page: Any
    done: int = 0

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(field(label)).fill(value)
        self.done += 1

    def choose(self, label: str, value: str) -> None:
        self.page.get_by_label(field(label)).select_option(value)
        self.done += 1

    def click(self, role: str, name: str) -> None:
        self.page.get_by_role(role, name=name, exact=True).first.click()
        self.done += 1


def season_sheet(path: Path) -> Path:
    rows = [{"活动名称": f"秋季讲座第{i}讲（浏览器）", "类别": "讲座", "场地": VENUE,
             "开始时间": f"2027-03-{i % 28 + 1:02d} {8 + i // 28 * 3}:00",
             "结束时间": f"2027-03-{i % 28 + 1:02d} {9 + i // 28 * 3}:00",
             "状态": "已发布", "外部编号": f"browser-lecture-{i}"}
            for i in range(SHEET_ROWS)]
    path.write_bytes(xlsx(rows))
    return path


def tile(page: Any, action: str) -> str:
    """The count a preview gives for one action (新建, 更新, 不变, 出错)."""
    tiles = page.get_by_role("list", name="各类行数").get_by_role("listitem")
    text: str = tiles.filter(has_text=action).first.inner_text()
    return text.replace(action, "").strip()


def test_a_scheduler_adds_a_venue_imports_a_sheet_and_enters_a_run_of_events(
    site: Site, desktop: Any, tmp_path: Path
) -> None:
    page = desktop
    log_in(page, site, "scheduler")

    # a new venue, from the workspace
    page.get_by_role("link", name="基础数据").click()
    page.get_by_role("link", name="场地", exact=True).click()
    page.get_by_label(field("中文名称")).fill(VENUE)
    page.get_by_label("所在村（可不选）").select_option("dongsheng")
    page.get_by_label("地址（可不填）").fill("东胜村村委会旁")
    page.get_by_role("button", name="新建场地").click()
    page.wait_for_url(re.compile(r"/staff/reference/venues/[a-z0-9-]+\?"))
    assert "已添加" in page.get_by_role("status").first.inner_text()
    venue = page.url.split("?")[0].rsplit("/", 1)[1]

    # a season from a sheet: preview, confirm, and the same sheet again changes nothing
    sheet = season_sheet(tmp_path / "秋季讲座.xlsx")
    page.get_by_role("link", name="导入", exact=True).click()
    page.get_by_label("导入文件").set_input_files(str(sheet))
    page.get_by_role("button", name="预览").click()
    assert tile(page, "新建") == str(SHEET_ROWS)
    screenshot(page, "scheduler-import-preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_role("heading", name="导入完成").wait_for()
    page.goto(site.at("/staff/import"))
    page.get_by_label("导入文件").set_input_files(str(sheet))
    page.get_by_role("button", name="预览").click()
    assert (tile(page, "新建"), tile(page, "不变")) == ("0", str(SHEET_ROWS))
    assert page.get_by_role("button", name="确认导入").count() == 0

    # ten events: the first typed in full, then copied and 保存并新建, few actions each
    page.goto(site.at("/staff/events/new"))
    first = Actions(page)
    first.fill("标题（中文）", "五月夜读第1场（浏览器）")
    first.choose("类别", "reading")
    first.choose("场地", venue)
    first.fill("开始日期", "2027-05-03")
    first.fill("开始时间", "19:00")
    first.fill("结束时间", "20:30")
    first.click("button", "保存")
    page.wait_for_url(re.compile(r"/staff/events/\d+\?done=created"))

    copy = Actions(page)  # the second: a copy of the first on the same evening (a clash)
    copy.click("link", "复制为新活动")
    copy.fill("标题（中文）", "五月夜读第2场（浏览器）")
    copy.click("button", "保存并新建")
    assert "已保存" in page.get_by_role("status").first.inner_text()
    counts = [copy.done]
    for number in range(3, 11):
        again = Actions(page)
        again.fill("开始日期", f"2027-05-{number + 1:02d}")
        again.fill("标题（中文）", f"五月夜读第{number}场（浏览器）")
        again.click("button", "保存并新建")
        assert f"五月夜读第{number}场" in page.get_by_role("status").first.inner_text()
        counts.append(again.done)
    screenshot(page, "scheduler-save-and-new")
    assert max(counts) <= MOST_ACTIONS, counts
    print(f"actions: first {first.done}, then {counts}")

    # the planner shows the ten nights at the venue and marks the two on one evening
    page.goto(site.at(f"/staff/planner?month=2027-05&venue={venue}"))
    nights = page.locator("li.planner-night")
    assert nights.count() == 10
    clashes = page.locator("li.planner-night.clash")
    assert clashes.count() == 2
    assert "冲突" in clashes.first.inner_text()
    screenshot(page, "scheduler-planner-clash")
