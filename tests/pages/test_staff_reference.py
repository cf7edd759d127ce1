"""The reference data pages (基础数据): list, add, change, retire (停用) and restore villages,
venues, categories, organizers and programmes, and a category's default picture."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image
from sqlmodel import update

from bolin_events.models import Role, Venue, utcnow
from bolin_events.services import geo
from bolin_events.services.places import COORDINATE_DIGITS
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import csrf, log_in
from tests.pages.staff_helpers import location, post_form

HOME = "/staff/reference"
VENUE_FORM = {
    "name_zh": "沙河村文化广场",
    "name_en": "Shahe Culture Square",
    "village": "shahe",
    "address": "沙河村村委会旁",
    "capacity": "300",
    "latitude": "29.05",
    "longitude": "106.25",
    "coordinate_system": "gcj02",
}


@pytest.fixture
async def scheduler(client: Client, reference: None) -> dict[str, str]:
    return await log_in(client, "planner", Role.scheduler)


@pytest.fixture
async def scheduler_with_season(client: Client, seeded: None) -> dict[str, str]:
    """The demo season (next summer's events) is loaded: venues and programmes are in use."""
    return await log_in(client, "planner", Role.scheduler)


def field_value(html: str, name: str) -> str:
    found = re.search(rf'<input id="f-{name}" name="{name}" type="\w+" value="([^"]*)"', html)
    assert found, f"no input {name}"
    return found.group(1)


def options_of(html: str, name: str) -> list[str]:
    """The values a select offers (its blank choice left out)."""
    select = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', html, re.S)
    assert select, f"no select {name}"
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(0)) if v]


async def venues_changed_ago(client: Client, minutes: int) -> None:
    """Venues as last changed minutes ago: the data version reads change times to the second,
    so steps a test takes within one second would look like one (staff act minutes apart)."""
    moment = utcnow() - timedelta(minutes=minutes)
    async with client.app.state.sessionmaker() as session, session.begin():
        await session.exec(update(Venue).values(updated_at=moment))


async def add_venue(client: Client, **changes: str) -> str:
    """Adds a venue through the page; the path of its page."""
    response = await post_form(client, f"{HOME}/venues", {**VENUE_FORM, **changes})
    return location(response).split("?")[0]


async def test_index_lists_the_five_kinds_with_counts(
    client: Client, scheduler: dict[str, str]
) -> None:
    villages = (await client.get("/api/v1/villages")).json()["total"]

    response = await client.get(HOME)

    assert_good_page(response.text)
    for kind, word in (("villages", "村"), ("venues", "场地"), ("categories", "类别"),
                       ("organizers", "主办单位"), ("programmes", "活动项目")):
        assert f'<a href="{HOME}/{kind}">{word}</a>' in response.text
    assert f'<a href="{HOME}/villages">村</a></td><td>{villages}</td>' in response.text
    assert f'<a href="{HOME}">基础数据</a>' in response.text  # in the staff navigation


async def test_the_venue_form_speaks_english_when_asked(
    client: Client, scheduler: dict[str, str]
) -> None:
    response = await client.get(f"{HOME}/venues", params={"lang": "en"})

    assert_good_page(response.text)
    for words in ("New venue", "Add the venue", "Latitude (about 29)", "Amap / Tencent maps"):
        assert words in response.text


async def test_scheduler_adds_a_venue_from_amap_coordinates(
    client: Client, scheduler: dict[str, str]
) -> None:
    await client.get(f"{HOME}/venues")

    path = await add_venue(client)

    page = await client.get(path + "?done=ref_created")
    assert "已添加" in page.text
    assert_good_page(page.text)
    slug = path.rsplit("/", 1)[1]
    assert slug.isascii()
    venue = (await client.get(f"/api/v1/venues/{slug}")).json()
    stored = geo.to_wgs84(geo.Point(29.05, 106.25), "gcj02").rounded(COORDINATE_DIGITS)
    assert (venue["latitude"], venue["longitude"]) == (stored.lat, stored.lng)
    assert (venue["village"]["slug"], venue["capacity"], venue["address"]) == (
        "shahe", 300, "沙河村村委会旁")
    listing = (await client.get(f"{HOME}/venues")).text
    assert f'<a href="{path}">沙河村文化广场</a>' in listing
    assert "容纳 300 人" in listing


async def test_saving_a_venue_again_keeps_its_stored_coordinates(
    client: Client, scheduler: dict[str, str]
) -> None:
    path = await add_venue(client)
    slug = path.rsplit("/", 1)[1]
    before = (await client.get(f"/api/v1/venues/{slug}")).json()
    page = (await client.get(path)).text
    shown = {name: field_value(page, name) for name in ("name_zh", "latitude", "longitude")}

    response = await post_form(client, path, {
        **shown, "village": "shahe", "address": "沙河村新址", "capacity": "300",
        "coordinate_system": "gcj02",  # as left on the select: the numbers did not change
    })

    assert location(response) == f"{path}?done=ref_saved"
    after = (await client.get(f"/api/v1/venues/{slug}")).json()
    assert (after["latitude"], after["longitude"]) == (before["latitude"], before["longitude"])
    assert after["address"] == "沙河村新址"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "二十九"}, "纬度应为数字"),
        ({"latitude": "106.25", "longitude": "29.05"}, "请检查是否填反"),
        ({"longitude": ""}, "纬度和经度要一起填写"),
        ({"capacity": "很多"}, "容纳人数应为整数"),
        ({"village": "atlantis"}, "找不到村"),
        ({"name_zh": ""}, "不能为空"),
    ],
)
async def test_a_refused_venue_says_why_and_keeps_what_was_typed(
    client: Client, scheduler: dict[str, str], changes: dict[str, str], message: str
) -> None:
    before = (await client.get("/api/v1/venues")).json()["total"]

    response = await post_form(client, f"{HOME}/venues", {**VENUE_FORM, **changes})

    assert message in response.text
    assert_good_page(response.text)
    assert f'value="{VENUE_FORM["address"]}"' in response.text
    assert (await client.get("/api/v1/venues")).json()["total"] == before


async def test_a_retired_venue_leaves_the_choices_and_can_come_back(
    client: Client, scheduler: dict[str, str]
) -> None:
    path = await add_venue(client)
    slug = path.rsplit("/", 1)[1]
    await venues_changed_ago(client, minutes=2)
    assert f'value="{slug}"' in (await client.get("/calendar")).text

    retired = await post_form(client, f"{path}/retire")
    await venues_changed_ago(client, minutes=1)

    assert location(retired) == f"{path}?done=ref_retired"
    assert "已停用" in (await client.get(location(retired))).text
    assert slug not in options_of((await client.get("/staff/events/new")).text, "venue")
    assert f'value="{slug}"' not in (await client.get("/calendar")).text
    assert (await client.get(f"/api/v1/venues/{slug}")).status_code == 200  # kept for history

    restored = await post_form(client, f"{path}/restore")

    assert location(restored) == f"{path}?done=ref_restored"
    assert slug in options_of((await client.get("/staff/events/new")).text, "venue")


async def test_retiring_a_venue_with_events_to_come_names_them(
    client: Client, scheduler_with_season: dict[str, str]
) -> None:
    coming = (await client.get("/api/v1/occurrences", params={
        "start": "2027-01-01", "end": "2027-12-31", "venue": "qingqing-park"})).json()
    titles = {o["title_zh"] for o in coming if o["status"] != "cancelled"}
    path = f"{HOME}/venues/qingqing-park"
    await client.get(path)

    response = await post_form(client, f"{path}/retire")

    assert "仍在使用，不能停用" in response.text
    assert any(f"活动「{title}」" in response.text for title in titles)
    assert_good_page(response.text)
    assert "qingqing-park" in options_of((await client.get("/staff/events/new")).text, "venue")


async def test_retiring_a_village_with_venues_lists_the_venues(
    client: Client, scheduler: dict[str, str]
) -> None:
    venues = (await client.get("/api/v1/venues")).json()["items"]
    in_dongsheng = [v["name_zh"] for v in venues if (v["village"] or {}).get("slug") == "dongsheng"]
    await client.get(f"{HOME}/villages/dongsheng")

    response = await post_form(client, f"{HOME}/villages/dongsheng/retire")

    assert in_dongsheng
    for name in in_dongsheng:
        assert f"场地「{name}」" in response.text
    assert "dongsheng" in options_of((await client.get(f"{HOME}/venues")).text, "village")


async def test_a_programme_cannot_sit_inside_itself_or_its_own_sub_programme(
    client: Client, scheduler_with_season: dict[str, str]
) -> None:
    programmes = (await client.get("/api/v1/programmes", params={"limit": 500})).json()["items"]
    children = [p["slug"] for p in programmes if (p["parent"] or {}).get("slug") == "haixiaji"]
    page = (await client.get(f"{HOME}/programmes/haixiaji")).text

    offered = options_of(page, "parent")

    assert children
    assert "haixiaji" not in offered
    assert not set(children) & set(offered)
    response = await post_form(client, f"{HOME}/programmes/haixiaji", {
        "name_zh": field_value(page, "name_zh"), "parent": children[0]})
    assert "上级活动项目不能是它自己或它的下级" in response.text


async def test_a_category_form_says_the_return_item_in_words(
    client: Client, scheduler: dict[str, str]
) -> None:
    await client.get(f"{HOME}/categories")

    response = await post_form(client, f"{HOME}/categories", {
        "name_zh": "非遗体验", "slug": "heritage-workshop", "counting": "training",
        "group": "culture"})

    page = (await client.get(location(response))).text
    assert "举办训练班（班次）" in page
    category = (await client.get("/api/v1/categories/heritage-workshop")).json()
    assert (category["counting"], category["group"]["slug"]) == ("training", "culture")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 30)).save(out, "JPEG")
    return out.getvalue()


async def test_a_category_gets_a_default_picture_from_its_page(
    client: Client, scheduler: dict[str, str]
) -> None:
    path = f"{HOME}/categories/culture"
    await client.get(path)

    response = await client.post(f"{path}/picture", data={"_csrf_token": csrf(client)},
                                 files={"picture": ("poster.jpg", jpeg(), "image/jpeg")})

    assert location(response) == f"{path}?done=ref_picture_saved#picture"
    page = (await client.get(location(response))).text
    assert "默认图片已上传" in page
    assert "<picture>" in page
    assert (await client.get("/api/v1/categories/culture/picture")).status_code == 200


async def test_a_programme_gets_its_picture_from_its_page_and_loses_it_again(
    client: Client, scheduler: dict[str, str]
) -> None:
    path = f"{HOME}/programmes/haixiaji"
    before = (await client.get(path)).text

    response = await client.post(f"{path}/picture", data={"_csrf_token": csrf(client)},
                                 files={"picture": ("poster.jpg", jpeg(), "image/jpeg")})
    page = (await client.get(location(response))).text
    public = (await client.get("/programmes/haixiaji")).text
    removed = await post_form(client, f"{path}/picture/delete")
    after = (await client.get(location(removed))).text

    assert "还没有项目图片" in before and "<picture>" not in before
    assert location(response) == f"{path}?done=ref_programme_picture_saved#picture"
    assert "图片已上传：活动项目的公众页面显示它" in page
    assert "<picture>" in page and "删除项目图片" in page
    assert "<picture>" in public
    assert location(removed) == f"{path}?done=ref_programme_picture_removed#picture"
    assert "图片已删除" in after and "<picture>" not in after
    assert (await client.get("/api/v1/programmes/haixiaji/picture")).status_code == 404


async def test_the_programme_picture_form_without_a_file_says_so(
    client: Client, scheduler: dict[str, str]
) -> None:
    path = f"{HOME}/programmes/haixiaji"
    english = (await client.get(path, params={"lang": "en"})).text

    response = await client.post(f"{path}/picture", data={"_csrf_token": csrf(client)},
                                 files={"picture": ("", b"", "application/octet-stream")})

    assert_good_page(english)
    for words in ("Programme picture", "Picture file", "Upload the programme picture"):
        assert words in english
    assert "Choose the picture to upload." in response.text
    assert "<picture>" not in response.text


@pytest.mark.parametrize("path", [HOME, f"{HOME}/venues", f"{HOME}/venues/jiayue-farm"])
async def test_a_reporter_may_not_open_the_reference_pages(
    client: Client, reference: None, path: str
) -> None:
    await log_in(client, "cadre", Role.reporter, ["dongsheng"])

    response = await client.get(path)

    assert response.status_code == 403
    assert "无权编排活动" in response.text


@pytest.mark.parametrize("path", [f"{HOME}/planets", f"{HOME}/venues/atlantis"])
async def test_an_unknown_kind_or_row_is_a_404_page(
    client: Client, scheduler: dict[str, str], path: str
) -> None:
    response = await client.get(path)

    assert response.status_code == 404
    assert "找不到" in response.text


async def test_retiring_is_in_the_audit_trail(client: Client, reference: None) -> None:
    admin = await log_in(client, "boss", Role.admin)
    await client.get(f"{HOME}/organizers/jiayue-farm")

    await post_form(client, f"{HOME}/organizers/jiayue-farm/retire")

    entries: list[dict[str, Any]] = (await client.get(
        "/api/v1/audit", params={"object_type": "organizer"}, headers=admin)).json()["items"]
    assert any("retired_at" in e["changes"] and (e["username"], e["via"]) == ("boss", "page")
               for e in entries), entries


async def test_an_old_event_keeps_its_retired_venue_in_the_editor(
    client: Client, scheduler: dict[str, str]
) -> None:
    """A venue retired after its season stays chosen on an old event being edited (a save
    must not clear it), while new events are no longer offered it."""
    path = await add_venue(client)
    slug = path.rsplit("/", 1)[1]
    made = await client.post("/api/v1/events", headers=scheduler, json={
        "title_zh": "旧场地的讲座", "category": "lecture", "venue": slug,
        "start": "2020-05-01T10:00", "end": "2020-05-01T11:00"})
    assert made.status_code == 201, made.text
    await venues_changed_ago(client, minutes=2)

    await post_form(client, f"{path}/retire")
    editing = (await client.get(f"/staff/events/{made.json()['id']}")).text

    assert slug in options_of(editing, "venue")
    assert f'value="{slug}" selected' in editing
    assert slug not in options_of((await client.get("/staff/events/new")).text, "venue")


async def test_nothing_new_is_planned_at_a_retired_venue_through_the_api(
    client: Client, scheduler: dict[str, str]
) -> None:
    path = await add_venue(client)
    slug = path.rsplit("/", 1)[1]
    old = await client.post("/api/v1/events", headers=scheduler, json={
        "title_zh": "旧场地的讲座", "category": "lecture", "venue": slug,
        "start": "2020-05-01T10:00", "end": "2020-05-01T11:00"})
    await venues_changed_ago(client, minutes=2)
    await post_form(client, f"{path}/retire")

    new = await client.post("/api/v1/events", headers=scheduler, json={
        "title_zh": "新讲座", "category": "lecture", "venue": slug,
        "start": "2027-05-01T10:00", "end": "2027-05-01T11:00"})
    renamed = await client.patch(f"/api/v1/events/{old.json()['id']}", headers=scheduler,
                                 json={"title_zh": "旧场地的讲座（补记）", "venue": slug})

    assert new.status_code == 422
    assert new.json()["message"].startswith("场地「沙河村文化广场」已停用，不能再选用")
    assert new.json()["details"] == [{"field": "venue", "value": slug}]
    assert renamed.status_code == 200, renamed.text  # what it already had stays allowed
