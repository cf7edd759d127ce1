"""Bad requests: one JSON error shape, a message a person can act on, 4xx, nothing stored.

One status for one kind of mistake: 400 only for a body that cannot be read; a value that
breaks a rule, the schema's or the service's, is 422."""

from __future__ import annotations

from typing import Any

import pytest

from bolin_events.errors import field_zh
from tests.api.helpers import EVENTS, GALA, problem
from tests.conftest import Client, Staff


async def stored_events(client: Client, staff: Staff) -> int:
    response = await client.get(EVENTS, params={"status": "draft,published"},
                                headers=staff.scheduler)
    total: int = response.json()["total"]
    return total


async def refused(client: Client, staff: Staff, body: Any, status: int) -> dict[str, Any]:
    """POST an event that must be refused; the error body, once nothing was stored."""
    response = await client.post(EVENTS, json=body, headers=staff.scheduler)
    assert response.status_code == status, response.text
    assert await stored_events(client, staff) == 0
    return problem(response)


async def test_body_over_the_limit_is_413(client: Client, staff: Staff) -> None:
    body = {**GALA, "description_zh": "长" * 400_000}  # 1.2 MB of UTF-8

    error = await refused(client, staff, body, 413)

    assert (error["code"], error["message"]) == ("body_too_large", "请求内容过大，请缩小后重试。")


async def test_malformed_json_is_400(client: Client, staff: Staff) -> None:
    response = await client.post(EVENTS, content='{"title_zh": "村晚",'.encode(), headers={
        **staff.scheduler, "Content-Type": "application/json"})

    assert response.status_code == 400
    assert problem(response)["code"] == "bad_request"
    assert problem(response)["message_en"].startswith("The request could not be parsed.")
    assert await stored_events(client, staff) == 0


async def test_json_nested_too_deeply_is_400(client: Client, staff: Staff) -> None:
    response = await client.post(EVENTS, content=b"[" * 50_000 + b"]" * 50_000, headers={
        **staff.scheduler, "Content-Type": "application/json"})

    assert response.status_code == 400
    assert problem(response)["message_en"] == (
        "The request could not be parsed. (JSON is nested too deeply)")


async def test_json_that_is_not_an_object_is_422(client: Client, staff: Staff) -> None:
    error = await refused(client, staff, ["华盖村村晚"], 422)

    assert error["details"] == [
        {"message": "Input should be a valid dictionary or object to extract fields from"}]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "many", "Value error, must be a whole number such as 120, not text or "
         "true/false / 应为整数，如 120"),
        ("capacity", -1, "Input should be greater than or equal to 0"),
        ("all_day", "sometimes", "Value error, must be true or false / 应为 true 或 false"),
        ("title_zh", 42, "Input should be a valid string"),
        ("title_zh", "", "Value error, must not be empty / 不能为空"),
        ("title_zh", " \t\n", "Value error, must not be empty / 不能为空"),
        ("title_zh", "长" * 201, "Value should have at most 200 items after validation, not 201"),
        ("category", "Not A Slug", "String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'"),
        ("image_url", "javascript:alert(1)", "String should match pattern '^https?://\\S+$'"),
        ("price", "元" * 301, "Value should have at most 300 items after validation, not 301"),
        ("colour", "red", "Extra inputs are not permitted"),
    ],
)
async def test_wrong_field_is_422_naming_it(client: Client, staff: Staff, field: str,
                                            value: Any, message: str) -> None:
    error = await refused(client, staff, {**GALA, field: value}, 422)

    assert error["code"] == "invalid_request"
    assert [(d.get("key"), d["message"]) for d in error["details"]] == [(field, message)]
    unsupported = message.startswith("Extra inputs")
    # the Chinese names the field as a person knows it (标题, 容纳人数), or says it is not one
    named = f"不支持的字段：{field}" if unsupported else f"——{field_zh(field)}："
    assert named in error["message"]
    assert error["message_en"] == f"The request is not valid: {field}: {message}"


async def test_missing_title_is_422(client: Client, staff: Staff) -> None:
    body = {k: v for k, v in GALA.items() if k != "title_zh"}

    error = await refused(client, staff, body, 422)

    assert [(d["key"], d["message"]) for d in error["details"]] == [
        ("title_zh", "Field required")]


@pytest.mark.parametrize(
    ("field", "slug", "en"),
    [
        ("category", "opera", "No category with slug 'opera'. Known: culture, exhibition, "
         "farming, lecture, legal, market, opera-tour, performance, public-lecture, reading, "
         "sports, study-tour, training"),
        ("venue", "town-hall", "No venue with slug 'town-hall'. Known: culture-station, "
         "ginkgo-night-market, jiayue-farm, qingqing-park"),
        ("organizer", "nobody",
         "No organizer with slug 'nobody'. Known: culture-station, jiayue-farm"),
        ("programme", "winter", "No programme with slug 'winter'. Known: cunwan, "
         "farming-festival, ginkgo-night-market, haixiaji, heritage, legal-awareness, "
         "yunling-cuihu-cup"),
    ],
)
async def test_unknown_reference_is_404_naming_it(client: Client, staff: Staff, field: str,
                                                  slug: str, en: str) -> None:
    error = await refused(client, staff, {**GALA, field: slug}, 404)

    assert (error["message_en"], error["details"]) == (en, [{"field": field, "value": slug}])


@pytest.mark.parametrize(
    ("changes", "en"),
    [
        ({"end": "2027-05-01T18:00"}, "end must be after start."),
        ({"timezone": "Asia/Beijing"},
         "Unknown timezone 'Asia/Beijing'; use an IANA name such as Asia/Shanghai."),
        ({"all_day": True, "start": "2027-05-01T09:00", "end": "2027-05-02"},
         "An all-day event takes a date for start (e.g. 2027-07-10), not a time."),
        ({"start": "2027-05-01"},
         "start needs a date and time (e.g. 2027-06-04T19:00); set all_day for a whole-day "
         "event."),
        ({"all_day": True, "start": "2027-05-01", "end": "2028-06-01"},
         "One occurrence cannot last over a year; use a recurrence rule."),
        ({"start": "0001-01-01T19:30", "end": "0001-01-01T21:30"},
         "start must fall between 1900 and 2199."),
        ({"all_day": True, "start": "9999-12-31", "end": "9999-12-31"},
         "start must fall between 1900 and 2199."),
        ({"rrule": "FREQ=YEARLY;COUNT=3"},
         "The recurrence rule's FREQ is wrong: must be DAILY, WEEKLY or MONTHLY"),
        ({"rrule": "FREQ=MONTHLY;BYDAY=SA;BYSETPOS=-1;COUNT=3"},
         "The recurrence rule's BYSETPOS is wrong: is not supported (only FREQ, INTERVAL, "
         "BYDAY, BYMONTHDAY, COUNT, UNTIL, WKST)"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=周六;COUNT=3"},
         "The recurrence rule's BYDAY is wrong: '周六' is not a day (MO, TU … SU; monthly rules "
         "may use 1SA, -1FR)"),
        ({"rrule": "FREQ=DAILY;UNTIL=20270101"},
         "The recurrence rule's RRULE is wrong: it gives no occurrence after the start"),
    ],
)
async def test_impossible_time_is_422(client: Client, staff: Staff, changes: dict[str, Any],
                                      en: str) -> None:
    error = await refused(client, staff, {**GALA, **changes}, 422)

    assert (error["code"], error["message_en"]) == ("invalid_input", en)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("event_id", [4242, 2**31, 10**20])
async def test_unknown_event_id_is_404(client: Client, staff: Staff, method: str,
                                       event_id: int) -> None:
    body = {"title_zh": "新名字"} if method == "PATCH" else None

    response = await client.request(method, f"{EVENTS}/{event_id}", json=body,
                                    headers=staff.scheduler)

    assert response.status_code == 404
    assert problem(response)["message_en"] == f"No event {event_id} exists."


async def test_event_id_that_is_not_a_number_is_404(client: Client, staff: Staff) -> None:
    response = await client.get(f"{EVENTS}/night-market")

    assert response.status_code == 404
    assert problem(response)["code"] == "not_found"


async def test_unknown_address_is_404_and_wrong_method_405(client: Client) -> None:
    missing = await client.get("/api/v1/nothing-here")
    wrong = await client.put("/healthz")

    assert (missing.status_code, problem(missing)["message_en"]) == (
        404, "Nothing is at this address.")
    assert (wrong.status_code, problem(wrong)["code"]) == (405, "method_not_allowed")


async def test_patch_with_an_impossible_time_changes_nothing(client: Client,
                                                             staff: Staff) -> None:
    created = await client.post(EVENTS, json=GALA, headers=staff.scheduler)
    url = f"{EVENTS}/{created.json()['id']}"

    response = await client.patch(url, json={"end": "2027-05-01T19:00", "title_zh": "改名"},
                                  headers=staff.scheduler)

    assert response.status_code == 422
    assert problem(response)["message_en"] == "end must be after start."
    assert (await client.get(url, headers=staff.scheduler)).json() == created.json()
