"""Villages, venues, categories, organizers and programmes: created by schedulers, read by all."""

from __future__ import annotations

import pytest

from tests.api.helpers import problem
from tests.conftest import Client, Staff

API = "/api/v1"


async def test_village_slug_is_the_pinyin_of_its_name(client: Client, staff: Staff) -> None:
    response = await client.post(f"{API}/villages", json={"name_zh": " 石龙村 "},
                                 headers=staff.scheduler)

    assert response.status_code == 201
    assert {k: v for k, v in response.json().items() if k != "id"} == {
        "slug": "shilong", "name_zh": "石龙村", "name_en": None}
    assert (await client.get(f"{API}/villages/shilong")).json() == response.json()


async def test_venue_sits_in_a_village(client: Client, staff: Staff) -> None:
    response = await client.post(f"{API}/venues", json={
        "name_zh": "沙河村文化广场", "name_en": "Shahe square", "village": "shahe",
        "capacity": 500}, headers=staff.scheduler)

    assert response.status_code == 201
    venue = response.json()
    assert {k: v for k, v in venue.items() if k != "id"} == {
        "slug": "shahecunwenhuaguangchang", "name_zh": "沙河村文化广场", "name_en": "Shahe square",
        "village": {"slug": "shahe", "name_zh": "沙河村", "name_en": "Shahe Village"},
        "address": None, "latitude": None, "longitude": None, "capacity": 500}
    listed = await client.get(f"{API}/venues")
    assert [v["slug"] for v in listed.json()["items"]] == [
        "culture-station", "ginkgo-night-market", "jiayue-farm", "qingqing-park",
        "shahecunwenhuaguangchang"]


async def test_venue_moves_to_another_village(client: Client, staff: Staff) -> None:
    response = await client.patch(f"{API}/venues/jiayue-farm", json={"village": "fuxing"},
                                  headers=staff.scheduler)

    assert response.json()["village"]["slug"] == "fuxing"
    assert (await client.get(f"{API}/venues/jiayue-farm")).json()["village"]["slug"] == "fuxing"


async def test_venue_in_an_unknown_village_is_404_and_not_stored(client: Client,
                                                                 staff: Staff) -> None:
    response = await client.post(f"{API}/venues", json={"name_zh": "新广场", "village": "bolin"},
                                 headers=staff.scheduler)

    assert response.status_code == 404
    assert problem(response)["message"] == (
        "找不到村「bolin」。现有：dongsheng, fuxing, huagai, shahe, xingnong")
    assert (await client.get(f"{API}/venues")).json()["total"] == 4


async def test_category_and_organizer_are_created(client: Client, staff: Staff) -> None:
    category = await client.post(f"{API}/categories", json={
        "name_zh": "非遗", "slug": "heritage", "counting": "exhibition"}, headers=staff.scheduler)
    organizer = await client.post(f"{API}/organizers", json={
        "name_zh": "东胜村村委会", "contact": "村委会办公室"}, headers=staff.scheduler)

    assert (category.json()["slug"], category.json()["counting"]) == ("heritage", "exhibition")
    assert (organizer.json()["slug"], organizer.json()["contact"]) == (
        "dongshengcuncunweihui", "村委会办公室")


async def test_programme_sits_inside_another(client: Client, staff: Staff) -> None:
    response = await client.post(f"{API}/programmes", json={
        "name_zh": "2028嗨夏季", "parent": "haixiaji", "start_date": "2028-06-01",
        "end_date": "2028-09-30"}, headers=staff.scheduler)

    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("slug", "parent", "start_date", "end_date")} == {
        "slug": "2028-haixiaji",
        "parent": {"slug": "haixiaji", "name_zh": "嗨夏季", "name_en": "Hi Summer festival"},
        "start_date": "2028-06-01", "end_date": "2028-09-30"}


async def test_programme_inside_itself_or_its_child_is_refused(client: Client,
                                                               staff: Staff) -> None:
    await client.post(f"{API}/programmes", json={"name_zh": "2028嗨夏季", "parent": "haixiaji"},
                      headers=staff.scheduler)

    own = await client.patch(f"{API}/programmes/haixiaji", json={"parent": "haixiaji"},
                             headers=staff.scheduler)
    child = await client.patch(f"{API}/programmes/haixiaji", json={"parent": "2028-haixiaji"},
                               headers=staff.scheduler)

    for response in (own, child):
        assert response.status_code == 422
        assert problem(response)["message_en"] == (
            "A programme cannot sit inside itself or one of its own sub-programmes.")
    assert (await client.get(f"{API}/programmes/haixiaji")).json()["parent"] is None


async def test_programme_ending_before_it_starts_is_refused(client: Client,
                                                            staff: Staff) -> None:
    response = await client.post(f"{API}/programmes", json={
        "name_zh": "秋季", "start_date": "2027-10-01", "end_date": "2027-09-01"},
        headers=staff.scheduler)

    assert response.status_code == 422
    assert problem(response)["message_en"] == "end_date is before start_date."
    assert "qiuji" not in [p["slug"] for p in (await client.get(f"{API}/programmes")).json()[
        "items"]]


async def test_slug_taken_is_409(client: Client, staff: Staff) -> None:
    response = await client.post(f"{API}/villages", json={"name_zh": "华盖村"},
                                 headers=staff.scheduler)

    assert response.status_code == 409
    assert problem(response)["message_en"] == (
        "The village slug 'huagai' is taken; send another slug.")


async def test_name_taken_under_another_slug_is_409(client: Client, staff: Staff) -> None:
    response = await client.post(f"{API}/villages", json={"name_zh": "华盖村", "slug": "huagai-2"},
                                 headers=staff.scheduler)

    assert response.status_code == 409
    assert problem(response)["code"] == "conflict"
    assert (await client.get(f"{API}/villages")).json()["total"] == 5


async def test_name_without_pinyin_needs_a_slug(client: Client, staff: Staff) -> None:
    response = await client.post(f"{API}/organizers", json={"name_zh": "！！！"},
                                 headers=staff.scheduler)

    assert response.status_code == 422
    assert problem(response)["message_en"] == "No slug can be made from the name; send one."


@pytest.mark.parametrize("kind", ["villages", "venues", "categories", "organizers",
                                  "programmes"])
async def test_unknown_slug_is_404_for_every_kind(client: Client, reference: None,
                                                  kind: str) -> None:
    response = await client.get(f"{API}/{kind}/atlantis")

    assert response.status_code == 404
    assert problem(response)["message_en"].startswith("No ")
    assert "with slug 'atlantis'. Known: " in problem(response)["message_en"]


async def test_list_is_paged(client: Client, reference: None) -> None:
    response = await client.get(f"{API}/categories", params={"limit": 2, "offset": 3})

    assert {k: v for k, v in response.json().items() if k != "items"} == {
        "total": 13, "limit": 2, "offset": 3}
    assert [c["slug"] for c in response.json()["items"]] == ["lecture", "legal"]
