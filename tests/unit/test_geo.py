"""Coordinate systems: the conversions agree with the map providers' own published examples,
and going there and back lands within half a metre."""

from __future__ import annotations

import math

import pytest

from bolin_events.services.geo import Point, System, from_wgs84, to_wgs84

# 高德's coordinate-convert API documentation: GPS 116.481499,39.990475 (lng,lat) is GCJ-02
# 116.487585177952,39.991754014757.
AMAP_GPS = Point(39.990475, 116.481499)
AMAP_GCJ = Point(39.991754014757, 116.487585177952)
# 百度's geoconv documentation: WGS-84 114.21892734521,29.575429778924 is bd09ll
# 114.23074871003,29.579084787368.
BAIDU_WGS = Point(29.575429778924, 114.21892734521)
BAIDU_BD = Point(29.579084787368, 114.23074871003)
PUBLISHED = 1e-5  # degrees: about a metre; the providers round and 百度 adds its own noise


def metres(a: Point, b: Point) -> float:
    """Distance on the sphere, near enough for points a few metres apart."""
    north = math.radians(b.lat - a.lat)
    east = math.radians(b.lng - a.lng) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6_371_000 * math.hypot(north, east)


def test_wgs84_to_gcj02_matches_amaps_published_example() -> None:
    gcj = from_wgs84(AMAP_GPS, "gcj02")

    assert gcj.lat == pytest.approx(AMAP_GCJ.lat, abs=PUBLISHED)
    assert gcj.lng == pytest.approx(AMAP_GCJ.lng, abs=PUBLISHED)


def test_gcj02_to_wgs84_recovers_amaps_gps_point() -> None:
    wgs = to_wgs84(AMAP_GCJ, "gcj02")

    assert metres(wgs, AMAP_GPS) < 0.5


def test_wgs84_to_bd09_matches_baidus_published_example() -> None:
    bd = from_wgs84(BAIDU_WGS, "bd09")

    assert bd.lat == pytest.approx(BAIDU_BD.lat, abs=PUBLISHED)
    assert bd.lng == pytest.approx(BAIDU_BD.lng, abs=PUBLISHED)


def test_bd09_to_wgs84_recovers_baidus_wgs_point() -> None:
    wgs = to_wgs84(BAIDU_BD, "bd09")

    assert metres(wgs, BAIDU_WGS) < 1.0  # 百度's answer itself is ~0.5 m off the formula


@pytest.mark.parametrize("system", ["gcj02", "bd09"])
@pytest.mark.parametrize("place", [
    Point(29.05, 106.25),  # 柏林镇, Jiangjin
    Point(18.25, 109.5),  # Sanya, the south
    Point(53.47, 122.37),  # Mohe, the north
    Point(39.47, 75.99),  # Kashgar, the west
    Point(47.73, 134.99),  # Fuyuan, the east
])
def test_a_round_trip_lands_within_half_a_metre(place: Point, system: System) -> None:
    there = to_wgs84(place, system)
    back = from_wgs84(there, system)

    assert metres(back, place) < 0.5
    assert metres(there, place) > 100  # it did move: the systems differ by hundreds of metres


def test_outside_china_no_system_moves_a_point() -> None:
    berlin = Point(52.52, 13.40)

    assert from_wgs84(berlin, "gcj02") == berlin
    assert from_wgs84(berlin, "bd09") == berlin
    assert to_wgs84(berlin, "gcj02") == berlin


def test_wgs84_is_left_as_it_is() -> None:
    place = Point(29.05, 106.25)

    assert to_wgs84(place, "wgs84") == place == from_wgs84(place, "wgs84")
