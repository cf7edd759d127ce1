"""Input a hostile or careless client sends is answered with a 4xx or stored clean, the same
on both databases, and never with a 500."""

from __future__ import annotations

import pytest

from bolin_events.settings import Settings
from tests.attendance.helpers import make_event, reports_url
from tests.conftest import PASSWORD, Client, Staff

CONTROL = "\x00\x01\x1b\x7f"


async def test_control_characters_in_a_report_note_are_dropped_not_a_500(
        client: Client, staff: Staff) -> None:
    _, night = await make_event(client, staff.scheduler)

    filed = await client.post(reports_url(night), headers=staff.reporter,
                              json={"total": 86, "note": f"天冷{CONTROL}人少\n第二行"})
    history = await client.get(reports_url(night), headers=staff.reporter)

    assert filed.status_code == 201, filed.text
    assert filed.json()["note"] == "天冷人少\n第二行"  # line breaks are kept
    assert history.json()["current"]["note"] == "天冷人少\n第二行"


async def test_control_characters_in_a_token_name_are_dropped(
        client: Client, staff: Staff) -> None:
    made = await client.post("/api/v1/auth/token", json={
        "username": "scheduler", "password": PASSWORD, "name": f"值班{CONTROL}手机"})
    mine = await client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {made.json()['token']}"})

    assert made.status_code == 201, made.text
    assert made.json()["name"] == "值班手机"
    assert mine.status_code == 200


async def test_control_characters_in_every_text_of_an_event_are_dropped(
        client: Client, staff: Staff) -> None:
    created = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": f"纳凉{CONTROL}晚会", "description_zh": f"带{CONTROL}扇子\n和水",
        "price": f"免{CONTROL}费", "category": "performance", "venue": "qingqing-park",
        "start": "2027-07-02T19:30:00", "end": "2027-07-02T21:30:00", "allow_overlap": True})

    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["title_zh"], body["description_zh"], body["price"]) == (
        "纳凉晚会", "带扇子\n和水", "免费")


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/feeds/events/2147483648.ics"),
    ("GET", "/feeds/events/99999999999999999999.ics"),
    ("GET", "/api/v1/photos/2147483648"),
    ("GET", "/api/v1/photos/9223372036854775808"),
    ("GET", "/api/v1/events/2147483648"),
    ("GET", "/api/v1/events/9223372036854775808"),
    ("PATCH", "/api/v1/events/9223372036854775808"),
    ("GET", "/events/2147483648"),
    ("GET", "/events/9223372036854775808/poster"),
    ("DELETE", "/api/v1/tokens/2147483648"),
    ("GET", "/api/v1/occurrences/2147483648-20270101T190000"),
    ("POST", "/api/v1/occurrences/9223372036854775808-20270101T190000/skip"),
])
async def test_ids_beyond_the_columns_range_are_a_404(
        client: Client, staff: Staff, method: str, path: str) -> None:
    answer = await client.request(method, path, headers=staff.admin,
                                  json={} if method in ("PATCH", "POST") else None)

    assert answer.status_code == 404, answer.text
    assert "找不到" in answer.text  # said as for any id that names nothing, page or JSON


async def test_json_sent_as_plain_text_is_a_415_and_changes_nothing(
        client: Client, staff: Staff) -> None:
    body = ('{"title_zh": "纳凉晚会", "category": "performance", "venue": "qingqing-park", '
            '"start": "2027-07-02T19:30:00", "end": "2027-07-02T21:30:00"}')

    sent = await client.post("/api/v1/events", content=body.encode(), headers={
        **staff.scheduler, "Content-Type": "text/plain"})
    listed = await client.get("/api/v1/events", headers=staff.scheduler,
                              params={"status": "draft"})

    assert sent.status_code == 415
    assert sent.json()["message"] == "请以 JSON 发送。"
    assert listed.json()["total"] == 0


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/venues", {"name_zh": "沙河村文化广场", "village": "shahe", "capacity": True},
     "capacity"),
    ("/api/v1/venues", {"name_zh": "沙河村文化广场", "village": "shahe", "capacity": "300"},
     "capacity"),
    ("/api/v1/events", {"title_zh": "纳凉晚会", "category": "performance",
                        "venue": "qingqing-park", "start": 1814000000, "end": 1814007200},
     "start"),
    ("/api/v1/events", {"title_zh": "纳凉晚会", "category": "performance",
                        "venue": "qingqing-park", "start": "2027-07-02T19:30:00",
                        "end": "2027-07-02T21:30:00", "allow_overlap": "yes"},
     "allow_overlap"),
    ("/api/v1/programmes", {"name_zh": "古镇庙会", "start_date": "0001-01-01"}, "start_date"),
    ("/api/v1/programmes", {"name_zh": "古镇庙会", "start_date": 20270701}, "start_date"),
])
async def test_values_of_the_wrong_json_type_are_refused_not_guessed(
        client: Client, staff: Staff, path: str, body: dict[str, object], field: str) -> None:
    sent = await client.post(path, json=body, headers=staff.admin)

    assert sent.status_code == 422, sent.text
    assert field in sent.text


async def test_a_report_total_sent_as_text_is_refused(client: Client, staff: Staff) -> None:
    _, night = await make_event(client, staff.scheduler)

    sent = await client.post(reports_url(night), headers=staff.reporter, json={"total": "100"})
    history = await client.get(reports_url(night), headers=staff.reporter)

    assert sent.status_code == 422
    assert "total" in sent.text
    assert history.json()["current"] is None


async def test_a_local_time_the_clocks_skip_is_named_as_such(
        client: Client, staff: Staff) -> None:
    sent = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": "柏林友好城市交流会", "category": "culture", "venue": "qingqing-park",
        "timezone": "Europe/Berlin", "start": "2027-03-28T02:30:00",
        "end": "2027-03-28T04:00:00"})

    assert sent.status_code == 422, sent.text  # like every other time that cannot be
    assert "2027-03-28 02:30 does not exist in Europe/Berlin" in sent.json()["message_en"]
    assert "夏令时" in sent.json()["message"]


@pytest.mark.parametrize(("body", "said"), [
    (b"--edge\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n"
     b"\xff\xd8 no closing boundary", "multipart"),
    (b"--edge\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\xff\xfe\xfa\r\n"
     b"--edge--\r\n", "not valid text"),
    (b"not a multipart body at all", "multipart"),
])
async def test_a_broken_multipart_body_is_a_400_that_says_so(
        client: Client, staff: Staff, settings: Settings, body: bytes, said: str) -> None:
    _, night = await make_event(client, staff.scheduler)
    await client.post(reports_url(night), headers=staff.reporter, json={"total": 40})

    sent = await client.post(f"/api/v1/occurrences/{night}/photos", content=body, headers={
        **staff.reporter, "Content-Type": "multipart/form-data; boundary=edge"})

    assert sent.status_code == 400, sent.text
    assert said in sent.json()["message_en"]
    uploads = settings.data_dir / "uploads"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


async def test_a_multipart_body_without_a_boundary_is_a_400(
        client: Client, staff: Staff) -> None:
    _, night = await make_event(client, staff.scheduler)

    sent = await client.post(f"/api/v1/occurrences/{night}/photos", content=b"--x--", headers={
        **staff.reporter, "Content-Type": "multipart/form-data"})

    assert sent.status_code == 400, sent.text
    assert "boundary" in sent.json()["message_en"]
