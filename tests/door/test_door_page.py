"""The door page (/staff/nights/{night}/check-in): what door staff see, what door.js posts
to, and the plain form that works without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bolin_events.models import Role
from tests.attendance.helpers import make_event
from tests.conftest import Client, Staff
from tests.door.helpers import HUAGAI, sign_up, tonight
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in
from tests.pages.staff_helpers import post_form


def page_url(night: str) -> str:
    return f"/staff/nights/{night}/check-in"


def json_url(night: str) -> str:
    return f"/staff/nights/{night}/check-ins"


def answer_of(html: str) -> str:
    found = re.search(r'<div class="door-answer (is-\w+)"[^>]*>([^<]*)</div>', html)
    assert found, "no answer on the page"
    return f"{found.group(1)} {found.group(2)}"


@pytest.fixture
async def night(client: Client, staff: Staff) -> str:
    night = await tonight(client, staff.scheduler, title_zh="嘉悦农场研学日")
    await sign_up(client.app.state.sessionmaker, night, "K7M3QX", party=3)
    await sign_up(client.app.state.sessionmaker, night, "PAIR22", party=2)
    await log_in(client, "doorkeeper", Role.reporter, ["dongsheng"])
    return night


async def post_json(client: Client, night: str, body: dict[str, Any],
                    token: str | None = None) -> Any:
    if token is None:
        await client.get(page_url(night))  # sets the CSRF cookie, as the page does
        token = csrf(client)
    return await client.post(json_url(night), json=body, headers={"X-CSRFToken": token})


async def test_the_door_page_shows_the_night_its_counts_and_a_big_code_field(
        client: Client, night: str) -> None:
    response = await client.get(page_url(night))

    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    tree = assert_good_page(response.text)
    assert "签到 · 嘉悦农场研学日" in "".join(tree.find(".//h1").itertext())
    counts = "".join(next(p for p in tree.iter("p")
                          if "door-counts" in (p.get("class") or "")).itertext())
    assert re.sub(r"\s+", " ", counts).startswith("签到 0 / 报名 5 人")
    code = tree.find(".//input[@id='door-code']")
    assert (code.get("inputmode"), code.get("autocapitalize")) == ("text", "characters")
    buttons = [b.text for b in tree.iter("button") if b.get("class") != "link-button"]
    assert buttons[:2] == ["签到", "扫码"]


async def test_the_page_names_the_qr_decoder_it_falls_back_to_and_serves_it_as_javascript(
        client: Client, night: str) -> None:
    html = (await client.get(page_url(night))).text
    decoder = re.search(r'data-jsqr="(/static/vendor/jsqr/jsQR\.[0-9a-f]{8}\.js)"', html)

    assert decoder
    served = await client.get(decoder.group(1))
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/javascript; charset=utf-8"
    assert b"function jsQR(" in served.content
    licence = await client.get("/static/vendor/jsqr/LICENSE")
    assert b"Apache License" in licence.content


async def test_door_js_checks_in_with_the_csrf_header_and_gets_json(
        client: Client, night: str) -> None:
    answer = await post_json(client, night, {"code": "k7m3qx", "key": "phone-key-1",
                                             "door": "东门"})
    refused = await post_json(client, night, {"code": "K7M3QX", "key": "phone-key-2"})
    listed = await client.get(json_url(night))

    assert (answer.status_code, answer.json()["message"]) == (200, "已签到 3人")
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/json")
    assert refused.json()["message"].startswith("已签到过（")
    assert listed.headers["cache-control"] == "private, no-store"
    assert listed.json()["figures"]["checked_in"] == 3
    assert "138" not in listed.text


async def test_a_check_in_without_the_csrf_header_is_refused(
        client: Client, night: str) -> None:
    answer = await post_json(client, night, {"code": "K7M3QX", "key": "phone-key-1"},
                             token="forged")

    assert answer.status_code == 403
    assert (await client.get(json_url(night))).json()["figures"]["checked_in"] == 0


async def test_a_bad_body_from_the_script_gets_a_json_refusal(
        client: Client, night: str) -> None:
    answer = await post_json(client, night, {"code": "K7M3QX", "key": "x"})

    assert answer.status_code == 422
    assert answer.json()["message"].startswith("请求有误")


async def test_a_lapsed_log_in_gets_a_json_401_the_script_can_read(
        client: Client, night: str) -> None:
    await client.get(page_url(night))
    token = csrf(client)
    client.cookies.delete("bolin_session")

    answer = await client.post(json_url(night), json={"code": "K7M3QX", "key": "key-0001"},
                               headers={"X-CSRFToken": token})
    listed = await client.get(json_url(night))

    assert (answer.status_code, listed.status_code) == (401, 401)
    assert answer.json()["message"] == "请先登录。"


async def test_without_javascript_the_form_checks_in_and_shows_the_answer(
        client: Client, night: str) -> None:
    await client.get(page_url(night))

    done = await post_form(client, page_url(night),
                           {"code": "PAIR22", "key": "form-key-0001", "people": "",
                            "door": "西门"})
    again = await post_form(client, page_url(night),
                            {"code": "PAIR22", "key": "form-key-0002", "people": "",
                             "door": "东门"})

    assert done.status_code == 200
    assert answer_of(done.text) == "is-ok 已签到 2人 · 王*"
    assert 'value="西门"' in done.text  # the entrance stays for the next code
    assert again.status_code == 409
    assert answer_of(again.text).startswith("is-bad 已签到过（")


async def test_the_form_says_what_to_fix_when_the_people_are_not_a_number(
        client: Client, night: str) -> None:
    await client.get(page_url(night))

    refused = await post_form(client, page_url(night),
                              {"code": "PAIR22", "key": "form-key-0001", "people": "两"})

    assert refused.status_code == 422
    assert answer_of(refused.text) == "is-bad 请输入签到码；人数须为 1–50 的整数。"


async def test_a_reporter_of_another_village_gets_no_door_page(
        client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler, venue=HUAGAI)
    await log_in(client, "doorkeeper", Role.reporter, ["dongsheng"])

    page = await client.get(page_url(night))
    listed = await client.get(json_url(night))

    assert page.status_code == 403 and "您只能为本村（东胜村）的场次" in page.text
    assert listed.status_code == 403 and listed.json()["code"] == "forbidden"


async def test_nobody_logged_out_reaches_the_door_page(client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler)

    response = await client.get(page_url(night))

    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login?next=")


async def test_a_cancelled_night_says_so_above_the_form(client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler, rrule="FREQ=DAILY;COUNT=2")
    await client.post(f"/api/v1/occurrences/{night}/cancel", headers=staff.scheduler,
                      json={"reason": "暴雨"})
    await log_in(client, "doorkeeper", Role.scheduler)

    html = (await client.get(page_url(night))).text

    assert "不能签到：该场次已取消（暴雨）。" in html


async def test_a_night_on_another_day_is_pointed_out(client: Client, staff: Staff) -> None:
    _, night = await make_event(client, staff.scheduler, days_from_now=3)
    await log_in(client, "doorkeeper", Role.scheduler)

    html = (await client.get(page_url(night))).text

    assert "注意：这是 " in html and " 的场次，不是今天。" in html


async def test_the_staff_night_page_links_to_its_door(client: Client, staff: Staff) -> None:
    night = await tonight(client, staff.scheduler, rrule="FREQ=DAILY;COUNT=2")
    await log_in(client, "planner", Role.scheduler)

    html = (await client.get(f"/staff/occurrences/{night}")).text

    assert f'href="/staff/nights/{night}/check-in"' in html


async def test_the_door_page_reads_in_english_too(client: Client, night: str) -> None:
    response = await client.get(page_url(night), params={"lang": "en"})

    tree = assert_good_page(response.text)
    counts = "".join(next(p for p in tree.iter("p")
                          if "door-counts" in (p.get("class") or "")).itertext())
    assert re.sub(r"\s+", " ", counts).startswith("Checked in 0 / signed up 5 people")
    assert '"ok_pending": "Checked in: {people} (to be sent)"' in response.text


async def test_a_walk_in_is_added_at_the_door_and_counted_as_checked_in(
        client: Client, night: str) -> None:
    await client.get(page_url(night))

    added = await post_form(client, f"/staff/nights/{night}/walk-ins",
                            {"name": "路过的游客", "party": "2", "door": "南门"})

    location = added.headers["location"]
    assert added.status_code == 303
    code = re.search(r"walk_in=([A-Z0-9]+)&people=2$", location)
    assert code
    html = (await client.get(location)).text
    assert answer_of(html) == f"is-ok 已现场加入 2人（签到码 {code.group(1)}）"
    listed = (await client.get(json_url(night))).json()
    assert listed["figures"]["checked_in"] == 2 and listed["figures"]["walk_ins"] == 2
    assert [(c["name"], c["people"]) for c in listed["codes"] if c["walk_in"]] == [("路*", 2)]


async def test_a_walk_in_without_a_usable_count_is_refused_on_the_page(
        client: Client, night: str) -> None:
    await client.get(page_url(night))

    refused = await post_form(client, f"/staff/nights/{night}/walk-ins", {"party": "0"})

    assert refused.status_code == 422
    assert answer_of(refused.text) == "is-bad 现场加入的人数须为 1–50 的整数。"
    assert (await client.get(json_url(night))).json()["figures"]["walk_ins"] == 0
