"""Importing a sheet again: the same file changes nothing, a corrected one only what changed."""

from __future__ import annotations

from tests.conftest import Client, Staff
from tests.imports.helpers import (
    FESTIVAL,
    GALA,
    HEADERS_ZH,
    NIGHT_MARKET,
    SEASON,
    stored,
    upload,
    xlsx,
)


async def test_reimport_of_the_same_file_changes_nothing(client: Client, staff: Staff) -> None:
    await upload(client, staff.scheduler, xlsx(SEASON))
    before = await stored(client, staff.scheduler)

    response = await upload(client, staff.scheduler, xlsx(SEASON))

    assert response.json()["counts"] == {
        "create": 0, "update": 0, "unchanged": 3, "cancel": 0, "error": 0, "skip": 0}
    after = await stored(client, staff.scheduler)
    assert [(e["sequence"], e["updated_at"]) for e in after] == [
        (e["sequence"], e["updated_at"]) for e in before
    ]

async def test_corrected_file_updates_only_the_changed_row(client: Client, staff: Staff) -> None:
    await upload(client, staff.scheduler, xlsx(SEASON))
    before = {e["title_zh"]: e for e in await stored(client, staff.scheduler)}
    corrected = [NIGHT_MARKET, {**GALA, "结束时间": "2027-07-03 22:00"}, FESTIVAL]

    response = await upload(client, staff.scheduler, xlsx(corrected))

    rows = response.json()["rows"]
    assert [(r["action"], r["changes"]) for r in rows] == [
        ("unchanged", []), ("update", ["end"]), ("unchanged", []),
    ]
    after = {e["title_zh"]: e for e in await stored(client, staff.scheduler)}
    assert after["华盖村纳凉村晚"]["end"] == "2027-07-03T22:00:00+08:00"
    assert {t: e["sequence"] - before[t]["sequence"] for t, e in after.items()} == {
        "银杏夜市（导入）": 0, "华盖村纳凉村晚": 1, "农耕文化体验节": 0,
    }

async def test_published_in_a_later_file_publishes_the_draft(client: Client,
                                                             staff: Staff) -> None:
    await upload(client, staff.scheduler, xlsx([FESTIVAL]))

    response = await upload(client, staff.scheduler, xlsx([{**FESTIVAL, "状态": "已发布"}]))

    assert [(r["action"], r["changes"]) for r in response.json()["rows"]] == [
        ("update", ["status"])
    ]
    (event,) = await stored(client, staff.scheduler)
    assert (event["status"], event["sequence"]) == ("published", 1)

async def test_rows_left_out_of_a_later_file_stay(client: Client, staff: Staff) -> None:
    await upload(client, staff.scheduler, xlsx(SEASON))

    response = await upload(client, staff.scheduler, xlsx([GALA]))

    assert response.json()["counts"]["unchanged"] == 1
    assert len(await stored(client, staff.scheduler)) == 3


async def test_file_without_a_repeat_column_keeps_the_series(client: Client,
                                                             staff: Staff) -> None:
    await upload(client, staff.scheduler, xlsx([NIGHT_MARKET]))
    without_repeat = [h for h in HEADERS_ZH if h != "重复"]

    response = await upload(client, staff.scheduler, xlsx([NIGHT_MARKET], without_repeat))

    assert [r["action"] for r in response.json()["rows"]] == ["unchanged"]
    (market,) = await stored(client, staff.scheduler)
    assert (market["occurrence_count"], market["sequence"]) == (8, 0)


async def test_emptied_cell_clears_its_field_and_missing_column_keeps_it(
        client: Client, staff: Staff) -> None:
    headers = [*HEADERS_ZH, "价格", "联系方式"]
    await upload(client, staff.scheduler,
                 xlsx([{**GALA, "价格": "免费", "联系方式": "文化站"}], headers))

    emptied = await upload(client, staff.scheduler, xlsx([{**GALA, "联系方式": "文化站"}], headers))
    dropped = await upload(client, staff.scheduler, xlsx([GALA], [*HEADERS_ZH, "价格"]))

    assert [r["changes"] for r in emptied.json()["rows"]] == [["price"]]
    assert [r["action"] for r in dropped.json()["rows"]] == ["unchanged"]
    (gala,) = await stored(client, staff.scheduler)
    assert (gala["price"], gala["contact"]) == (None, "文化站")
