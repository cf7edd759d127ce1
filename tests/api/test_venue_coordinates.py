"""A venue's map coordinates: entered in the system of the map they were copied from, stored
and given out in WGS-84, refused when they cannot be a place in China."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Client, Staff

VENUES = "/api/v1/venues"
# The map providers' own published conversion examples (see tests/unit/test_geo.py):
# 高德: GPS 39.990475,116.481499 is GCJ-02 39.991754014757,116.487585177952;
# 百度: WGS-84 29.575429778924,114.21892734521 is bd09ll 29.579084787368,114.23074871003.
AMAP_GCJ, AMAP_GPS = (39.991754014757, 116.487585177952), (39.990475, 116.481499)
BAIDU_BD, BAIDU_WGS = (29.579084787368, 114.23074871003), (29.575429778924, 114.21892734521)
PUBLISHED = 1e-5  # degrees, about a metre


async def make_venue(client: Client, staff: Staff, **fields: Any) -> Any:
    body = {"name_zh": "镇文化广场", "slug": "town-square", **fields}
    return await client.post(VENUES, json=body, headers=staff.scheduler)


@pytest.mark.parametrize(("system", "sent", "stored"), [
    ("gcj02", AMAP_GCJ, AMAP_GPS),
    ("bd09", BAIDU_BD, BAIDU_WGS),
])
async def test_coordinates_copied_from_a_chinese_map_are_stored_as_wgs84(
    client: Client, staff: Staff, system: str, sent: tuple[float, float],
    stored: tuple[float, float]
) -> None:
    response = await make_venue(client, staff, latitude=sent[0], longitude=sent[1],
                                coordinate_system=system)

    assert response.status_code == 201, response.text
    venue = (await client.get(f"{VENUES}/town-square")).json()
    assert venue["latitude"] == pytest.approx(stored[0], abs=PUBLISHED)
    assert venue["longitude"] == pytest.approx(stored[1], abs=PUBLISHED)
    assert "coordinate_system" not in venue  # what comes out is always WGS-84


async def test_wgs84_is_the_default_and_stored_as_sent(client: Client, staff: Staff) -> None:
    response = await make_venue(client, staff, latitude=29.0512, longitude=106.2511)

    assert response.status_code == 201, response.text
    assert (response.json()["latitude"], response.json()["longitude"]) == (29.0512, 106.2511)


async def test_calendars_get_the_stored_wgs84_point(client: Client, staff: Staff) -> None:
    await make_venue(client, staff, latitude=AMAP_GCJ[0], longitude=AMAP_GCJ[1],
                     coordinate_system="gcj02")
    event = await client.post("/api/v1/events", headers=staff.scheduler, json={
        "title_zh": "广场舞展演", "category": "performance", "venue": "town-square",
        "start": "2027-09-20T19:30", "end": "2027-09-20T21:30", "status": "published"})
    assert event.status_code == 201, event.text

    feed = (await client.get(f"/feeds/events/{event.json()['id']}.ics")).text

    geo = next(line for line in feed.splitlines() if line.startswith("GEO:"))
    lat, lng = (float(part) for part in geo.removeprefix("GEO:").split(";"))
    assert lat == pytest.approx(AMAP_GPS[0], abs=PUBLISHED)
    assert lng == pytest.approx(AMAP_GPS[1], abs=PUBLISHED)


async def test_swapped_latitude_and_longitude_are_refused(client: Client, staff: Staff) -> None:
    response = await make_venue(client, staff, latitude=106.25, longitude=29.05)

    assert response.status_code == 422, response.text
    body = response.json()
    assert "纬度在前" in body["message"] and "check the order" in body["message_en"]
    assert (await client.get(f"{VENUES}/town-square")).status_code == 404  # nothing stored


async def test_a_point_outside_china_is_refused(client: Client, staff: Staff) -> None:
    response = await make_venue(client, staff, latitude=52.52, longitude=13.40)  # Berlin

    assert response.status_code == 422, response.text
    assert "不在中国境内" in response.json()["message"]


@pytest.mark.parametrize("body", [{"latitude": 29.05}, {"latitude": 29.05, "longitude": None}])
async def test_latitude_without_longitude_is_refused(
    client: Client, staff: Staff, body: dict[str, Any]
) -> None:
    response = await client.patch(f"{VENUES}/jiayue-farm", json=body, headers=staff.scheduler)

    assert response.status_code == 422, response.text
    assert "纬度和经度要一起填写" in response.json()["message"]


async def test_coordinates_are_cleared_together(client: Client, staff: Staff) -> None:
    farm = f"{VENUES}/jiayue-farm"
    await client.patch(farm, json={"latitude": 29.05, "longitude": 106.25},
                       headers=staff.scheduler)

    response = await client.patch(farm, json={"latitude": None, "longitude": None},
                                  headers=staff.scheduler)

    assert response.status_code == 200, response.text
    assert (response.json()["latitude"], response.json()["longitude"]) == (None, None)


async def test_an_unknown_coordinate_system_is_refused(client: Client, staff: Staff) -> None:
    response = await make_venue(client, staff, latitude=29.05, longitude=106.25,
                                coordinate_system="mercator")

    assert response.status_code == 422, response.text
    assert "coordinate_system" in response.json()["message_en"]
