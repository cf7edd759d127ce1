"""Reading a batch sheet, and the client's retries, without a server."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook

from bolin_events.client.api import BolinClient, ClientError, ConnectionLost
from bolin_events.client.sheet import read_sheet


def test_sheet_gbk_csv_with_chinese_headers_and_units(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    text = "场次编号,总人次（人次）,本地居民,外地游客,志愿者,统计方式,备注\n"
    text += '1-20261003T190000,"1,860",1120,740,12,计数器,国庆\n,,,,,,\n'
    path.write_bytes(text.encode("gb18030"))

    (row,) = read_sheet(path)

    assert (row.line, row.occurrence, row.problems) == (2, "1-20261003T190000", [])
    assert row.figures == {
        "total": 1860,
        "residents": 1120,
        "visitors": 740,
        "volunteers": 12,
        "method": "clicker",
        "note": "国庆",
    }


def test_sheet_xlsx_numbers_come_as_floats_and_words_are_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["活动场次", "总人次", "线上", "统计方式"])
    sheet.append(["2-20261018T193000", 3860.0, 3000, "估算"])
    sheet.append(["2-20261025T193000", "很多", 2.5, "目测"])
    book.save(tmp_path / "b.xlsx")

    good, bad = read_sheet(tmp_path / "b.xlsx")

    assert good.figures == {"total": 3860, "online": 3000, "method": "estimate"}
    assert bad.problems == [
        "「总人次」应为整数，而不是「很多」/ 总人次 must be a whole number",
        "「线上」应为整数，而不是「2.5」/ 线上 must be a whole number",
        "统计方式「目测」无法识别，可用：现场点数、计数器、签到表、票务、估算"
        " / unknown counting method",
    ]


def test_client_retries_a_busy_server_with_the_same_key() -> None:
    seen: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["idempotency-key"])
        if len(seen) < 3:
            return httpx.Response(503)
        return httpx.Response(201, json={"revision": 1, "total": 5})

    api = BolinClient("http://s", "t", transport=httpx.MockTransport(server), backoff=0)
    answer = api.report("1-20261003T190000", {"total": 5})

    assert (answer.status, answer.body["revision"]) == (201, 1)
    assert len(seen) == 3 and len(set(seen)) == 1


class Clock:
    """Time that passes only when the client sleeps."""

    def __init__(self) -> None:
        self.now: float = 0.0
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def test_client_waits_out_a_restart_of_over_thirty_seconds_with_one_key() -> None:
    clock, seen = Clock(), []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["idempotency-key"])
        if clock.now < 32:  # restarting: no one listens, then a proxy says 502, then busy
            if clock.now < 10:
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(502 if clock.now < 20 else 503, headers={"Retry-After": "2"})
        return httpx.Response(201, json={"revision": 1, "total": 5})

    api = BolinClient("http://s", "t", transport=httpx.MockTransport(server),
                      sleep=clock.sleep, clock=lambda: clock.now)
    answer = api.report("1-20261003T190000", {"total": 5})

    assert answer.status == 201
    assert clock.now >= 32 and len(set(seen)) == 1
    assert max(clock.pauses) <= 5  # never a long silence in between


def test_client_gives_up_after_its_patience_and_says_the_report_may_have_arrived() -> None:
    clock = Clock()

    def server(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    api = BolinClient("http://s", "t", transport=httpx.MockTransport(server),
                      sleep=clock.sleep, clock=lambda: clock.now)

    with pytest.raises(ConnectionLost):
        api.report("1-20261003T190000", {"total": 5})
    assert 40 <= clock.now <= 45


def test_client_error_carries_the_servers_words() -> None:
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"message": "您只能为本村上报", "message_en": "not yours"})

    api = BolinClient("http://s", "t", transport=httpx.MockTransport(server))

    with pytest.raises(ClientError) as refused:
        api.report("1-20261003T190000", {"total": 5})

    assert (refused.value.status, refused.value.message) == (403, "您只能为本村上报")
