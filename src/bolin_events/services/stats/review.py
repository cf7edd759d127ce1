"""The review paragraph: a period's figures in the town's own phrasing, ready to paste."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import utcnow
from bolin_events.schemas.reports import ReviewOut, ReviewSentence
from bolin_events.services.refs import load_refs
from bolin_events.services.stats import wording
from bolin_events.services.stats.annual import RETURN_ITEMS, counted, counting_of
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.queries import Figures, GroupBy
from bolin_events.services.stats.summary import both_years, period_out
from bolin_events.settings import Settings

ORDER = list(RETURN_ITEMS)


async def review(
    session: AsyncSession,
    settings: Settings,
    period: Period,
    digits: int,
    *,
    now: datetime | None = None,
) -> ReviewOut:
    """Category by category in the annual return's order (busiest first within a line); the
    opening sums every category, exhibitions once each."""
    now = now or utcnow()
    refs = await load_refs(session)
    current, before = await both_years(session, settings, period, GroupBy.category, now)
    held = [c for c in refs.categories.by_id.values() if str(c.id) in current]
    held.sort(key=lambda c: (ORDER.index(counting_of(c)), -current[str(c.id)].people, c.slug))
    sentences: list[ReviewSentence] = []
    count = people = 0
    for category in held:
        counting = counting_of(category)
        now_figures = current[str(category.id)]
        last_people = before.get(str(category.id), Figures(None)).people
        value = counted(counting, now_figures)
        text = wording.sentence(
            category.name_zh, counting, value, now_figures.people, last_people, digits
        )
        sentences.append(ReviewSentence(category=category.slug, text=text))
        count, people = count + value, people + now_figures.people
    people_before = sum(f.people for f in before.values())
    opening = wording.overall(period.label, count, people, people_before, digits)
    return ReviewOut(
        period=period_out(period),
        digits=digits,
        paragraph=wording.paragraph(opening, [s.text for s in sentences]),
        sentences=sentences,
        warnings=_warnings(list(current.values())),
    )


def _warnings(figures: list[Figures]) -> list[str]:
    if not figures:
        return ["该期间没有已举办的场次。"]
    unreported = sum(f.unreported for f in figures)
    if unreported:
        return [
            f"尚有{unreported}场次未上报人次，人次合计偏少；请先补报（/api/v1/reports/pending）。"
        ]
    return []
