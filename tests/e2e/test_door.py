"""Check-in at the door on a phone (360 px): a typed code answered at once, the same code
refused the second time, and check-ins made while offline queued and sent when the connection
returns — also across a reload.

The server here is this module's own (the demo season, the three staff accounts): sign-ups
for a demo night of the 东胜村 night market are written straight into its database before it
is used, as the sign-up service would leave them.
"""

from __future__ import annotations

import asyncio
import base64
import io
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import segno
from playwright.sync_api import expect

from bolin_events.db import make_engine, make_sessionmaker
from bolin_events.settings import Settings
from tests.door.helpers import sign_up
from tests.e2e.conftest import Site, log_in, screenshot
from tests.support.db import prepare, scratch_postgres
from tests.support.servers import serve

NIGHT_MARKET = "东胜银杏夜市（演示）"
ABORT_POSTS = "door-sends-fail"


@dataclass
class DoorSite(Site):
    nights: list[str]  # a night of its own for each test, its sign-ups in SIGN_UPS
    token: str

    def door_list(self, night: str) -> dict[str, Any]:
        """The night's codes as the server has them (the API, as admin)."""
        answer = httpx.get(self.at(f"/api/v1/occurrences/{night}/check-ins"),
                           headers={"Authorization": f"Bearer {self.token}"})
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def people_in(self, night: str, code: str) -> int | None:
        found = [c["people"] for c in self.door_list(night)["codes"] if c["code"] == code]
        return found[0] if found else None


# (code, party, name) of each test's night
SIGN_UPS = [
    [("DOOR11", 3, "王小明"), ("DOOR22", 2, "李华"), ("DOOR23", 1, "周")],
    [("DOOR33", 1, "张三")],
    [("DOOR44", 4, "赵六")],
    [("DOOR55", 1, "钱")],
    [("DOOR66", 1, "孙")],
]


def demo_nights(url: str) -> list[str]:
    """The nights to come of the demo night market (in 东胜村, the reporter's village)."""
    today = date.today()
    answer = httpx.get(f"{url}/api/v1/occurrences", params={
        "start": today.isoformat(), "end": (today + timedelta(days=700)).isoformat(),
        "village": "dongsheng"})
    nights = [o["id"] for o in answer.json()
              if o["title_zh"] == NIGHT_MARKET and o["status"] == "scheduled"]
    assert len(nights) >= len(SIGN_UPS), "the demo season has too few night markets to come"
    return [str(n) for n in nights]


@pytest.fixture(scope="module")
def door_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DoorSite]:
    """Asked for before the browser: the sign-ups are written with asyncio, which cannot run
    while Playwright's own loop does."""
    data_dir = tmp_path_factory.mktemp("e2e-door")
    with ExitStack() as stack:
        if os.environ.get("BOLIN_TEST_DATABASE_URL", "").startswith("postgresql"):
            url = stack.enter_context(scratch_postgres("bolin_e2e_door"))
        else:
            url = f"sqlite+aiosqlite:///{data_dir / 'door.db'}"
        settings = Settings(database_url=url, data_dir=data_dir, secret_key="e2e-door-secret")
        tokens = prepare(settings, demo=True)
        server = stack.enter_context(serve(data_dir, database_url=url,
                                           env={"BOLIN_SECRET_KEY": "e2e-door-secret"}))
        nights = demo_nights(server.url)

        async def sign_ups() -> None:
            engine = make_engine(settings)
            try:
                sessions = make_sessionmaker(engine)
                for night, made in zip(nights, SIGN_UPS, strict=False):
                    for code, party, name in made:
                        await sign_up(sessions, night, code, party=party, name=name)
            finally:
                await engine.dispose()

        asyncio.run(sign_ups())
        yield DoorSite(server.url, nights, tokens["admin"])


def open_door(phone: Any, site: DoorSite, night: str) -> None:
    log_in(phone, site, "reporter")
    phone.goto(site.at(f"/staff/nights/{night}/check-in"))
    # door.js has read the night's codes: it can answer offline from now on
    phone.wait_for_function("night => localStorage.getItem('bolin-door:codes:' + night)",
                            arg=night)


def check_in(phone: Any, code: str) -> Any:
    phone.get_by_label("签到码").fill(code)
    phone.get_by_role("button", name="签到", exact=True).click()
    return phone.locator("#door-answer")


def test_door_checks_in_a_typed_code_refuses_it_twice_and_queues_while_offline(
        door_site: DoorSite, phone: Any) -> None:
    night = door_site.nights[0]
    open_door(phone, door_site, night)
    phone.get_by_label("入口").fill("东门")
    screenshot(phone, "door-ready")

    answer = check_in(phone, "door-11")
    expect(answer).to_have_text("已签到 3人 · 王*")
    expect(answer).to_have_class(re.compile("is-ok"))
    expect(phone.locator(".door-counts")).to_contain_text("签到 3 / 报名 6 人")
    screenshot(phone, "door-checked-in")

    again = check_in(phone, "DOOR11")
    expect(again).to_contain_text("已签到过（")
    expect(again).to_contain_text("东门")
    expect(again).to_have_class(re.compile("is-bad"))

    phone.context.set_offline(True)
    queued = check_in(phone, "DOOR22")
    expect(queued).to_have_text("已签到 2人（待同步） · 李*")
    expect(phone.locator(".door-queue")).to_have_text("离线，已排队 1")
    expect(phone.locator(".door-counts")).to_contain_text("签到 5 / 报名 6 人")
    screenshot(phone, "door-offline-queued")
    assert door_site.people_in(night, "DOOR22") is None  # only on the phone so far

    phone.context.set_offline(False)
    expect(phone.locator(".door-queue")).to_be_hidden(timeout=20_000)
    expect(phone.locator(".door-log li").first).to_contain_text("已同步")
    assert door_site.people_in(night, "DOOR22") == 2
    assert door_site.door_list(night)["figures"]["checked_in"] == 5
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    screenshot(phone, "door-synced")


def test_a_queued_check_in_outlives_a_reload_and_counts_once(
        door_site: DoorSite, phone: Any) -> None:
    night = door_site.nights[1]
    open_door(phone, door_site, night)

    def refuse_posts(route: Any) -> None:  # the server is out of reach; reading still works
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    phone.route("**/check-ins", refuse_posts)
    queued = check_in(phone, "DOOR33")
    expect(queued).to_have_text("已签到 1人（待同步） · 张*")
    expect(phone.locator(".door-queue")).to_contain_text("待同步 1")

    phone.reload()
    expect(phone.locator(".door-queue")).to_contain_text("待同步 1")
    assert door_site.people_in(night, "DOOR33") is None
    phone.unroute("**/check-ins")
    phone.reload()  # on load the queue is sent (also by the online event and a timer)

    expect(phone.locator(".door-queue")).to_be_hidden(timeout=20_000)
    assert door_site.people_in(night, "DOOR33") == 1
    again = check_in(phone, "DOOR33")
    expect(again).to_contain_text("已签到过（")


def test_a_lapsed_log_in_keeps_the_check_in_queued_until_logged_in_again(
        door_site: DoorSite, phone: Any) -> None:
    night = door_site.nights[2]
    open_door(phone, door_site, night)
    phone.context.clear_cookies()  # the session (and its CSRF cookie) has gone

    queued = check_in(phone, "DOOR44")
    expect(queued).to_have_text("已签到 4人（待同步） · 赵*")
    expect(phone.locator(".door-alert")).to_have_text(
        "登录已过期，请重新登录；未发送的签到已排队。")
    assert door_site.people_in(night, "DOOR44") is None

    open_door(phone, door_site, night)  # logs in again; the page sends what waited

    expect(phone.locator(".door-queue")).to_be_hidden(timeout=20_000)
    assert door_site.people_in(night, "DOOR44") == 4


def test_without_a_camera_scanning_falls_back_to_typing(
        door_site: DoorSite, phone: Any) -> None:
    night = door_site.nights[3]
    open_door(phone, door_site, night)

    phone.get_by_role("button", name="扫码").click()

    answer = phone.locator("#door-answer")
    expect(answer).to_contain_text("请输入签到码")
    expect(phone.locator(".door-camera")).to_be_hidden()
    assert phone.evaluate("document.activeElement.id") == "door-code"
    screenshot(phone, "door-no-camera")


def test_the_served_qr_decoder_reads_a_visitors_code(door_site: DoorSite, phone: Any) -> None:
    night = door_site.nights[4]
    open_door(phone, door_site, night)
    decoder = phone.locator("#door").get_attribute("data-jsqr")
    served = phone.request.get(door_site.at(decoder))
    assert served.headers["content-type"] == "application/javascript; charset=utf-8"
    picture = io.BytesIO()
    segno.make_qr("DOOR11", error="m").save(picture, kind="png", scale=8, border=4)
    data_url = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()

    phone.add_script_tag(url=decoder)
    read = phone.evaluate("""async (src) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width; canvas.height = image.height;
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height);
      const found = jsQR(pixels.data, image.width, image.height);
      return found && found.data;
    }""", data_url)

    assert read == "DOOR11"
