"""The annual culture return (年报): the station table's items, summed from the categories.

Each category's ``counting`` names the line it counts in (``RETURN_ITEMS``; ``mapping_doc``
writes it as the table the API description and the README show); an admin changes it with
``PATCH /api/v1/categories/{slug}``. An exhibition is one 个 however many days it is open, so
that line counts distinct events; every other line counts sessions held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import Category, Counting, utcnow
from bolin_events.schemas.reports import AnnualReturnOut, CategoryCounting, ReturnLine
from bolin_events.services.refs import load_refs
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.queries import Figures, GroupBy
from bolin_events.services.stats.summary import both_years, period_out
from bolin_events.settings import Settings


@dataclass(frozen=True)
class ReturnItem:
    item: str
    unit: str
    people_item: str
    counts_events: bool = False  # one exhibition is one 个, however many days it is open


RETURN_ITEMS: dict[str, ReturnItem] = {
    Counting.exhibition: ReturnItem("举办展览", "个", "参观人次", counts_events=True),
    Counting.activity: ReturnItem("组织文艺活动", "次", "参与人次"),
    Counting.training: ReturnItem("举办训练班", "班次", "培训人次"),
    Counting.lecture: ReturnItem("公益性讲座", "次", "听众人次"),
    Counting.performance: ReturnItem("演出场次", "场次", "观众人次"),
    Counting.legal: ReturnItem("法治宣传", "场次", "受教育人次"),
    Counting.sports: ReturnItem("体育赛事", "场次", "参与人次"),
    Counting.market: ReturnItem("夜市、市集", "场次", "参与人次"),
}


def mapping_doc() -> str:
    """The mapping as a Markdown table, for the API's description."""
    lines = [
        "| `counting` | station table item | counted as | people |",
        "|---|---|---|---|",
    ]
    for counting, item in RETURN_ITEMS.items():
        what = "distinct events" if item.counts_events else "sessions held"
        lines.append(f"| `{counting}` | {item.item}（{item.unit}） | {what} | {item.people_item} |")
    return "\n".join(lines)


def counting_of(category: Category) -> str:
    """The category's line; a value this version does not know counts as an activity."""
    return category.counting if category.counting in RETURN_ITEMS else Counting.activity


def counted(counting: str, figures: Figures) -> int:
    """What the line counts: distinct events for exhibitions, sessions for everything else."""
    return figures.events if RETURN_ITEMS[counting].counts_events else figures.sessions


async def annual_return(
    session: AsyncSession, settings: Settings, period: Period, *, now: datetime | None = None
) -> AnnualReturnOut:
    now = now or utcnow()
    refs = await load_refs(session)
    current, before = await both_years(session, settings, period, GroupBy.category, now)
    lines = {
        counting: ReturnLine(
            counting=counting,
            item=item.item,
            unit=item.unit,
            value=0,
            people_item=item.people_item,
            people=0,
            value_last_year=0,
            people_last_year=0,
            categories=[],
        )
        for counting, item in RETURN_ITEMS.items()
    }
    categories = sorted(refs.categories.by_id.values(), key=lambda c: c.slug)
    for category in categories:
        counting = counting_of(category)
        line = lines[counting]
        line.categories.append(category.slug)
        key = str(category.id)
        if key in current:
            line.value += counted(counting, current[key])
            line.people += current[key].people
        if key in before:
            line.value_last_year += counted(counting, before[key])
            line.people_last_year += before[key].people
    return AnnualReturnOut(
        period=period_out(period),
        lines=list(lines.values()),
        mapping=[
            CategoryCounting(slug=c.slug, name_zh=c.name_zh, counting=counting_of(c))
            for c in categories
        ],
        unreported=sum(f.unreported for f in current.values()),
    )
