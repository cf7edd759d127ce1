"""Map coordinates in the three systems Chinese maps use, and the conversions between them.

WGS-84 is what GPS, iCalendar ``GEO`` and schema.org mean, and what a venue stores. 高德 and
腾讯 draw their maps in GCJ-02 (WGS-84 moved by the national formula, a few hundred metres),
百度 in BD-09 (GCJ-02 moved again): a marker given in the wrong system lands beside the place.

These are the published formulas (as in eviltransform and prcoords). Neither shift has a
closed inverse, so going back is a fixed-point iteration of the forward formula, run until it
moves less than a millimetre. GCJ-02 is defined only inside China: outside, all three agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

System = Literal["wgs84", "gcj02", "bd09"]

# The Krasovsky 1940 ellipsoid the GCJ-02 formula is written for.
_A = 6378245.0
_EE = 0.00669342162296594323
# 百度's second shift: x_pi = π·3000/180 and its fixed offsets in degrees.
_X_PI = math.pi * 3000.0 / 180.0
_BD_DLNG, _BD_DLAT = 0.0065, 0.006
_CLOSE_ENOUGH = 1e-9  # degrees: about a tenth of a millimetre
_MAX_STEPS = 30


@dataclass(frozen=True)
class Point:
    """A latitude and longitude in degrees; which system is the caller's to know."""

    lat: float
    lng: float

    def rounded(self, digits: int) -> Point:
        return Point(round(self.lat, digits), round(self.lng, digits))


def gcj02_applies(point: Point) -> bool:
    """The box the GCJ-02 formula shifts; outside it, coordinates are left as they are."""
    return 0.8293 <= point.lat <= 55.8271 and 72.004 <= point.lng <= 137.8347


def _shift_lat(x: float, y: float) -> float:
    value = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    value += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2 / 3
    value += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2 / 3
    return value


def _shift_lng(x: float, y: float) -> float:
    value = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    value += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2 / 3
    value += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2 / 3
    value += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    return value


def wgs84_to_gcj02(point: Point) -> Point:
    if not gcj02_applies(point):
        return point
    x, y = point.lng - 105.0, point.lat - 35.0
    rad_lat = point.lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    d_lat = _shift_lat(x, y) * 180.0 / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    d_lng = _shift_lng(x, y) * 180.0 / (_A / math.sqrt(magic) * math.cos(rad_lat) * math.pi)
    return Point(point.lat + d_lat, point.lng + d_lng)


def gcj02_to_bd09(point: Point) -> Point:
    x, y = point.lng, point.lat
    z = math.sqrt(x * x + y * y) + 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) + 0.000003 * math.cos(x * _X_PI)
    return Point(z * math.sin(theta) + _BD_DLAT, z * math.cos(theta) + _BD_DLNG)


def _inverse(forward: Callable[[Point], Point], target: Point) -> Point:
    """The point ``forward`` takes to ``target``: both shifts are small and smooth, so
    stepping by the remaining difference converges in a few rounds."""
    guess = target
    for _ in range(_MAX_STEPS):
        reached = forward(guess)
        d_lat, d_lng = target.lat - reached.lat, target.lng - reached.lng
        guess = Point(guess.lat + d_lat, guess.lng + d_lng)
        if abs(d_lat) < _CLOSE_ENOUGH and abs(d_lng) < _CLOSE_ENOUGH:
            break
    return guess


def gcj02_to_wgs84(point: Point) -> Point:
    return _inverse(wgs84_to_gcj02, point) if gcj02_applies(point) else point


def bd09_to_gcj02(point: Point) -> Point:
    return _inverse(gcj02_to_bd09, point)


def to_wgs84(point: Point, system: System) -> Point:
    """What a venue stores, from coordinates copied out of a map in ``system``."""
    if not gcj02_applies(point):
        return point
    if system == "gcj02":
        return gcj02_to_wgs84(point)
    if system == "bd09":
        return gcj02_to_wgs84(bd09_to_gcj02(point))
    return point


def from_wgs84(point: Point, system: System) -> Point:
    """Stored coordinates as the map drawn in ``system`` wants them."""
    if not gcj02_applies(point):
        return point
    if system == "gcj02":
        return wgs84_to_gcj02(point)
    if system == "bd09":
        return gcj02_to_bd09(wgs84_to_gcj02(point))
    return point
