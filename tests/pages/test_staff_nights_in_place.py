"""The staff event page's nights table: clashes marked on their nights, each night skipped,
cancelled, restored or moved in one step from its row, and the series counted by what is
held."""

from __future__ import annotations

from typing import Any

import pytest

from bolin_events.models import Role
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import FormData, event_id_of, location, nights_of, post_form

# Six Saturday evenings of square dancing at 清青乐园, from 2027-06-05.
DANCING: FormData = {
    "title_zh": "广场舞之夜", "category": "culture", "venue": "qingqing-park",
    "start_date": "2027-06-05", "start_time": "19:30", "end_time": "21:00",
    "repeat": "weekly", "byday": ["SA"], "ends": "count", "count": "6", "status": "published",
}


@pytest.fixture
async def scheduler(client: Client, reference: None) -> dict[str, str]:
    return await log_in(client, "scheduler", Role.scheduler)


@pytest.fixture
async def series(client: Client, scheduler: dict[str, str]) -> int:
    return event_id_of(await post_form(client, "/staff/events/new", DANCING))


def _row(tree: Any, night: str) -> Any:
    rows = [r for r in tree.iter("tr") if r.get("id") == f"night-{night}"]
    assert rows, f"no row for {night}"
    return rows[0]


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


async def _game(client: Client, headers: dict[str, str], day: str) -> dict[str, Any]:
    response = await client.post("/api/v1/events", headers=headers, json={
        "title_zh": "篮球友谊赛", "title_en": "Friendly basketball", "category": "sports",
        "venue": "qingqing-park", "start": f"{day}T20:00", "end": f"{day}T21:30",
        "status": "published", "allow_overlap": True})
    assert response.status_code == 201, response.text
    game: dict[str, Any] = response.json()
    return game


async def test_the_nights_that_clash_are_marked_with_the_other_event(
    client: Client, scheduler: dict[str, str], series: int
) -> None:
    game = await _game(client, scheduler, "2027-06-12")

    page = await client.get(f"/staff/events/{series}")

    tree = assert_good_page(page.text)
    clashing = _row(tree, f"{series}-20270612T193000")
    assert "冲突" in _text(clashing) and "篮球友谊赛" in _text(clashing)
    assert f'/staff/events/{game["id"]}' in {a.get("href") for a in clashing.iter("a")}
    assert "冲突" not in _text(_row(tree, f"{series}-20270605T193000"))
    english = assert_good_page((await client.get(f"/staff/events/{series}?lang=en")).text)
    assert "Clash Friendly basketball" in _text(_row(english, f"{series}-20270612T193000"))


async def test_skip_cancel_and_restore_from_the_row_in_one_step_each(
    client: Client, series: int
) -> None:
    first, second = f"{series}-20270605T193000", f"{series}-20270612T193000"
    tree = assert_good_page((await client.get(f"/staff/events/{series}")).text)
    row = _row(tree, first)
    posts = {f.get("action") for f in row.iter("form")} | {
        b.get("formaction") for b in row.iter("button") if b.get("formaction")}
    assert {f"/staff/occurrences/{first}/{a}" for a in ("skip", "cancel", "move")} <= posts
    assert [_text(b) for b in row.iter("button")] == ["取消", "不举办", "改期"]

    skipped = await post_form(client, f"/staff/occurrences/{first}/skip")
    cancelled = await post_form(client, f"/staff/occurrences/{second}/cancel",
                                {"reason": "雷雨预警"})

    assert location(skipped) == f"/staff/events/{series}?done=skip#night-{first}"
    assert location(cancelled) == f"/staff/events/{series}?done=cancel_night#night-{second}"
    page = await client.get(location(cancelled))
    tree = assert_good_page(page.text)
    assert "共 4 场，1 场不举办，1 场取消" in page.text
    assert "雷雨预警" in _text(_row(tree, second))
    restore = [b for b in _row(tree, first).iter("button") if _text(b) == "恢复"]
    assert restore and restore[0].get("formaction") == f"/staff/occurrences/{first}/restore"
    restored = await post_form(client, f"/staff/occurrences/{first}/restore")

    assert location(restored) == f"/staff/events/{series}?done=restore#night-{first}"
    assert "共 5 场，1 场取消" in (await client.get(location(restored))).text
    assert await nights_of(client, series, "2027-06-01", "2027-06-13") == [
        ("2027-06-05T19:30:00+08:00", "scheduled"), ("2027-06-12T19:30:00+08:00", "cancelled")]
    english = await client.get(f"/staff/events/{series}?lang=en")
    assert "5 times, 1 cancelled" in english.text


async def test_move_from_the_rows_small_form(client: Client, series: int) -> None:
    night = f"{series}-20270619T193000"
    tree = assert_good_page((await client.get(f"/staff/events/{series}")).text)
    move = next(f for f in _row(tree, night).iter("form")
                if f.get("action") == f"/staff/occurrences/{night}/move")
    names = {field.get("name") for field in move.iter() if field.get("name")}
    assert {"start_date", "start_time", "end_time", "venue"} <= names

    moved = await post_form(client, f"/staff/occurrences/{night}/move", {
        "start_date": "2027-06-20", "start_time": "18:00", "end_time": "19:30",
        "venue": "jiayue-farm"})

    assert location(moved) == f"/staff/events/{series}?done=move#night-{night}"
    page = await client.get(location(moved))
    row = _text(_row(assert_good_page(page.text), night))
    assert "2027-06-20" in row and "原定 2027-06-19" in row and "嘉悦农场研学基地" in row
    assert "共 6 场" in page.text  # a moved night is still held


async def test_a_refused_change_from_a_row_is_shown_on_the_nights_page(
    client: Client, series: int
) -> None:
    response = await post_form(client, f"/staff/occurrences/{series}-20270605T193000/cancel",
                               {"reason": " "})

    assert response.status_code in (400, 422)
    assert_good_page(response.text)
    assert await nights_of(client, series, "2027-06-01", "2027-06-06") == [
        ("2027-06-05T19:30:00+08:00", "scheduled")]


async def test_a_single_event_has_no_night_buttons(
    client: Client, scheduler: dict[str, str]
) -> None:
    single = {**DANCING, "repeat": "none"}
    event_id = event_id_of(await post_form(client, "/staff/events/new", single))

    page = await client.get(f"/staff/events/{event_id}")

    assert_good_page(page.text)
    assert "/staff/occurrences/" not in page.text
