"""The annual return (年报): the 乡镇综合文化站 items of the national culture statistics return,
as the form has them, and beside it what the station reports to other offices.

Each category's ``counting`` names its item (an admin changes it with
``PATCH /api/v1/categories/{slug}``): 举办展览 counts exhibitions — one 个 however many days
it is open —, 组织文艺活动 and 公益性讲座 count sessions held, 举办训练班 counts courses: a
training event is one 班次 however many meetings, in the year of its first held meeting, and
its 培训人次 are its trainees (completed, else enrolled, else its largest meeting), not the
sum of its meetings. People are on-site attendances: online views are shown apart, never in
人次. Categories counted as ``none`` (法治宣传, 体育, 夜市 …) are summed per counting group
beside the return (另报). The items kept by hand for the year come from services.stats.kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Category, Counting, utcnow
from bolin_events.schemas.reports import AnnualReturnOut, BesideLine, CategoryCounting, ReturnLine
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.stats.courses import Course, course_out, course_warnings, courses
from bolin_events.services.stats.kept import kept_items
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.queries import Figures, GroupBy, Window, figures, window_of
from bolin_events.services.stats.summary import period_out
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

FORM_TITLE = "乡镇综合文化站 年报"
BESIDE_TITLE = "不属于文化站年报的活动（另报）"


@dataclass(frozen=True)
class ReturnItem:
    item: str
    unit: str
    people_item: str
    counted_as: str  # for the API's description


# In the form's order.
RETURN_ITEMS: dict[str, ReturnItem] = {
    Counting.exhibition: ReturnItem("举办展览", "个", "参观人次", "exhibitions (distinct events)"),
    Counting.activity: ReturnItem("组织文艺活动", "次", "参加人次", "sessions held"),
    Counting.training: ReturnItem("举办训练班", "班次", "培训人次", "courses (one per event)"),
    Counting.lecture: ReturnItem("公益性讲座", "次", "参加人次", "sessions held"),
}


def mapping_doc() -> str:
    """The items as a Markdown table, for the API's description."""
    lines = [
        "| `counting` | station table item | counted as | people |",
        "|---|---|---|---|",
    ]
    for counting, item in RETURN_ITEMS.items():
        name = f"{item.item}（{item.unit}）"
        lines.append(f"| `{counting}` | {name} | {item.counted_as} | {item.people_item} |")
    lines.append("| `none` | 另报 (beside the return) | sessions held, per counting group | 人次 |")
    return "\n".join(lines)


def counting_of(category: Category) -> str:
    """The category's item, or ``none``; a value this version does not know is an activity."""
    if category.counting == Counting.none or category.counting in RETURN_ITEMS:
        return category.counting
    return Counting.activity


@dataclass
class Year:
    """One window's figures: per category, and the training line's courses."""

    by_category: dict[str | None, Figures]
    courses: list[Course]


async def _year(session: AsyncSession, window: Window, refs: RefData) -> Year:
    training = [
        c.id for c in refs.categories.by_id.values()
        if c.id is not None and counting_of(c) == Counting.training
    ]
    found = {f.key: f for f in await figures(session, window, GroupBy.category)}
    return Year(found, await courses(session, window, training))


def _sum(year: Year, categories: list[Category], name: str) -> int:
    return sum(
        getattr(year.by_category[str(c.id)], name)
        for c in categories
        if str(c.id) in year.by_category
    )


def _line_figures(counting: str, year: Year, categories: list[Category]) -> tuple[int, int]:
    if counting == Counting.training:
        return len(year.courses), sum(c.trainees[0] for c in year.courses)
    counts = "events" if counting == Counting.exhibition else "sessions"
    return _sum(year, categories, counts), _sum(year, categories, "onsite")


def _lines(refs: RefData, now: Year, before: Year) -> list[ReturnLine]:
    by_item: dict[str, list[Category]] = {counting: [] for counting in RETURN_ITEMS}
    for category in sorted(refs.categories.by_id.values(), key=lambda c: c.slug):
        by_item.get(counting_of(category), []).append(category)
    lines = []
    for counting, item in RETURN_ITEMS.items():
        categories = by_item[counting]
        value, people = _line_figures(counting, now, categories)
        value_before, people_before = _line_figures(counting, before, categories)
        lines.append(
            ReturnLine(
                counting=counting,
                item=item.item,
                unit=item.unit,
                value=value,
                people_item=item.people_item,
                people=people,
                online=_sum(now, categories, "online"),
                value_last_year=value_before,
                people_last_year=people_before,
                categories=[c.slug for c in categories],
            )
        )
    return lines


def _beside(refs: RefData, year: Year) -> list[BesideLine]:
    """Per counting group, its categories that are not items of the return."""
    groups: dict[int | None, list[Category]] = {}
    for category in sorted(refs.categories.by_id.values(), key=lambda c: c.slug):
        if counting_of(category) == Counting.none:
            groups.setdefault(category.group_id, []).append(category)
    ordered = sorted(groups, key=lambda g: _group_order(refs, g))
    found = []
    for group_id in ordered:
        group = refs.groups.by_id.get(group_id) if group_id is not None else None
        categories = groups[group_id]
        found.append(
            BesideLine(
                group=group.slug if group else "-",
                name_zh=group.name_zh if group else "其他",
                name_en=group.name_en if group else "Other",
                sessions=_sum(year, categories, "sessions"),
                people=_sum(year, categories, "onsite"),
                online=_sum(year, categories, "online"),
                categories=[c.slug for c in categories],
            )
        )
    return found


def _group_order(refs: RefData, group_id: int | None) -> tuple[int, int, str]:
    group = refs.groups.by_id.get(group_id) if group_id is not None else None
    if group is None:
        return (1, 0, "")
    return (0, group.position, group.slug)


async def annual_return(
    session: AsyncSession, settings: Settings, period: Period, *, now: datetime | None = None
) -> AnnualReturnOut:
    """The return for ``period`` (a year; a shorter period previews its lines), beside the
    same period a year earlier; the hand-kept items only for a whole year."""
    now = now or utcnow()
    refs = await load_refs(session)
    tz = zone(settings.timezone)
    current = await _year(session, window_of(period, tz, now), refs)
    before = await _year(session, window_of(period.year_earlier(), tz, now), refs)
    categories = sorted(refs.categories.by_id.values(), key=lambda c: c.slug)
    return AnnualReturnOut(
        period=period_out(period),
        title=f"{FORM_TITLE} {period.label}",
        lines=_lines(refs, current, before),
        courses=[course_out(c, settings) for c in current.courses],
        kept=await kept_items(session, period.first.year) if period.kind == "year" else [],
        beside=_beside(refs, current),
        mapping=[_mapping(refs, c) for c in categories],
        unreported=sum(f.unreported for f in current.by_category.values()),
        warnings=course_warnings(current.courses),
    )


def _mapping(refs: RefData, category: Category) -> CategoryCounting:
    group = refs.groups.by_id.get(category.group_id) if category.group_id else None
    return CategoryCounting(
        slug=category.slug,
        name_zh=category.name_zh,
        counting=counting_of(category),
        group=group.slug if group else None,
    )
