"""The reference data pages' forms (基础数据): one description per kind, the form read back as
typed, and turned into the same input the JSON API takes (schemas.places).

Numbers are read here (a form sends text; the API's schemas take JSON numbers only), every
other rule is the schema's and the service's, so the pages and the API refuse alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import SQLModel

from bolin_events.calendar import Label
from bolin_events.errors import not_found
from bolin_events.models import Category, Counting, Organizer, Programme, Venue, Village
from bolin_events.schemas import places as s
from bolin_events.schemas.common import clean_text
from bolin_events.services.refs import KIND_NAMES, RefData
from bolin_events.web.form_problems import Problems, from_validation

NAMES = ("name_zh", "name_en", "slug")
VENUE = ("village", "address", "capacity", "latitude", "longitude", "coordinate_system")
PROGRAMME = ("parent", "start_date", "end_date", "description_zh", "description_en", "kind_zh",
             "highlight", "station_role")
POINT = ("latitude", "longitude", "coordinate_system")
MAX_CHARS = 5000


@dataclass(frozen=True)
class Kind:
    """One kind of reference data as the pages show it."""

    path: str
    model: type[SQLModel]
    create: type[BaseModel]
    change: type[BaseModel]
    name: Label
    fields: tuple[str, ...]

    @property
    def one(self) -> Label:
        """One row of the kind: 场地 / venue."""
        return Label(*KIND_NAMES[self.model])


KINDS: dict[str, Kind] = {k.path: k for k in (
    Kind("villages", Village, s.VillageIn, s.VillageUpdate, Label("村", "Villages"), NAMES),
    Kind("venues", Venue, s.VenueIn, s.VenueUpdate, Label("场地", "Venues"), (*NAMES, *VENUE)),
    Kind("categories", Category, s.CategoryIn, s.CategoryUpdate, Label("类别", "Categories"),
         (*NAMES, "counting", "group")),
    Kind("organizers", Organizer, s.OrganizerIn, s.OrganizerUpdate,
         Label("主办单位", "Organizers"), (*NAMES, "contact")),
    Kind("programmes", Programme, s.ProgrammeIn, s.ProgrammeUpdate,
         Label("活动项目", "Programmes"), (*NAMES, *PROGRAMME)),
)}

# The 乡镇综合文化站 return's items, in the words of the return (models.Counting).
COUNTING_WORDS: dict[str, Label] = {
    Counting.activity: Label("组织文艺活动（次）", "Cultural activities (times)"),
    Counting.exhibition: Label("举办展览（个）", "Exhibitions (number)"),
    Counting.training: Label("举办训练班（班次）", "Training courses (courses)"),
    Counting.lecture: Label("公益性讲座（次）", "Public lectures (times)"),
    Counting.none: Label("不计入文化站年报", "Not an item of the station's return"),
}
SYSTEMS: dict[str, Label] = {
    "gcj02": Label("高德 / 腾讯地图（GCJ-02）", "Amap / Tencent maps (GCJ-02)"),
    "bd09": Label("百度地图（BD-09）", "Baidu maps (BD-09)"),
    "wgs84": Label("GPS（WGS-84）", "GPS (WGS-84)"),
}
LABELS: dict[str, tuple[str, str]] = {
    "name_zh": ("中文名称", "Chinese name"),
    "name_en": ("英文名称", "English name"),
    "slug": ("标识", "Slug"),
    "village": ("所在村", "Village"),
    "address": ("地址", "Address"),
    "capacity": ("容纳人数", "Capacity"),
    "latitude": ("纬度", "Latitude"),
    "longitude": ("经度", "Longitude"),
    "coordinate_system": ("坐标系", "Coordinate system"),
    "counting": ("计入年报项目", "Return item"),
    "group": ("统计分组", "Counting group"),
    "contact": ("联系方式", "Contact"),
    "parent": ("上级活动项目", "Parent programme"),
    "start_date": ("开始日期", "Start date"),
    "end_date": ("结束日期", "End date"),
    "description_zh": ("中文介绍", "Chinese description"),
    "description_en": ("英文介绍", "English description"),
    "kind_zh": ("年度总结中的活动类型名称", "What the year review calls it"),
    "highlight": ("重点活动项目（年度总结中点名）", "Highlight (named in the year review)"),
    "station_role": ("文化站角色", "The culture station's part"),
}


def kind_of(path: str) -> Kind:
    found = KINDS.get(path)
    if found is None:
        raise not_found("基础数据类型", "kind of reference data", path)
    return found


def read_form(kind: Kind, data: Mapping[str, Any]) -> dict[str, str]:
    """The form as typed, to show back after a refusal."""
    values = {name: clean_text(str(data.get(name) or ""))[:MAX_CHARS] for name in kind.fields}
    if "highlight" in values:
        values["highlight"] = "on" if data.get("highlight") else ""
    return values


def blank_form(kind: Kind) -> dict[str, str]:
    values = dict.fromkeys(kind.fields, "")
    if "coordinate_system" in values:
        values["coordinate_system"] = "gcj02"  # what the 高德 picker the page points to gives
    if "counting" in values:
        values["counting"] = Counting.activity
    return values


def from_row(kind: Kind, refs: RefData, row: Any) -> dict[str, str]:
    """The edit form of a stored row; coordinates as stored (WGS-84: sent back unchanged, they
    are not converted again, whatever the select says)."""
    values = blank_form(kind)
    for name in kind.fields:
        value = getattr(row, name, None)
        values[name] = "" if value is None else str(value)
    if isinstance(row, Venue):
        values["village"] = _slug(refs.villages.by_id.get(row.village_id or -1))
    if isinstance(row, Category):
        values["group"] = _slug(refs.groups.by_id.get(row.group_id or -1))
    if isinstance(row, Programme):
        values["parent"] = _slug(refs.programmes.by_id.get(row.parent_id or -1))
        values["highlight"] = "on" if row.highlight else ""
    return values


def _slug(row: Any) -> str:
    return str(row.slug) if row is not None else ""


def _number(
    problems: Problems, values: dict[str, str], name: str, parser: type[int] | type[float]
) -> Any:
    text = values[name]
    if not text:
        return None
    zh, en = LABELS[name]
    whole = parser is int
    return problems.parse(
        name, text, parser,
        f"{zh}应为{'整数' if whole else '数字'}（如 {'120' if whole else '29.05'}）。",
        f"{en} must be {'a whole number' if whole else 'a number'} "
        f"(e.g. {'120' if whole else '29.05'}).",
    )


def to_input(kind: Kind, values: dict[str, str], row: Any = None) -> BaseModel:
    """The API's create (``row`` None) or change input for this form; InvalidInput naming the
    form's fields otherwise. On a change, coordinates shown as stored and left as they were
    are not sent again (they are WGS-84 already: converting them again would move the point)."""
    problems = Problems()
    data: dict[str, Any] = {name: (value or None) for name, value in values.items()}
    if "highlight" in data:
        data["highlight"] = values["highlight"] == "on"
    numbers: tuple[tuple[str, type[int] | type[float]], ...] = (
        ("capacity", int), ("latitude", float), ("longitude", float))
    for name, parser in numbers:
        if name in data:
            data[name] = _number(problems, values, name, parser)
    problems.raise_any()
    if row is None:
        data = {name: value for name, value in data.items() if value is not None}
        data["name_zh"] = values["name_zh"]  # an empty name is the schema's to refuse
        schema = kind.create
    else:
        data.pop("slug", None)
        if isinstance(row, Venue) and (data["latitude"], data["longitude"]) == (
            row.latitude, row.longitude
        ):
            for name in POINT:
                data.pop(name)
        schema = kind.change
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc, LABELS) from None
