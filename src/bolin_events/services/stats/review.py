"""The review paragraph: a period's figures in the town's own phrasing, ready to paste.

The review sums only what belongs together (DOMAIN.md, "Counting groups"): each category
belongs to a counting group, and each group writes its own sentence from its template —
what was held named by kind (a programme that carries a kind names its nights, otherwise
their category), the count in the group's unit, on-site people in its people word, online
views in a clause of their own, and 同比 only against a base of enough sessions. Highlighted
programmes are named after the groups' sentences with the station's part in them
("还在暑假开展“云岭翠湖”杯邻里篮球赛等体育运动，协助嘉悦农场开展“农耕文化体验节”活动").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as rows_of
from sqlalchemy.orm import aliased
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.models import (
    AttendanceReport,
    Category,
    CountingGroup,
    Event,
    Occurrence,
    Programme,
    StationRole,
    YearBaseline,
    utcnow,
)
from bolin_events.schemas.reports import ReviewOut, ReviewSentence
from bolin_events.services.attendance.held import is_held, is_latest
from bolin_events.services.refs import RefData, load_refs
from bolin_events.services.stats import wording
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.summary import period_out
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

NOTHING_HELD = "该时段内没有已举办的活动"
Warning = tuple[str, str]  # Chinese, English
BY_EVENTS = ("个", "班次")  # one exhibition, one course: counted once however many days


@dataclass
class Pair:
    """The held nights of one (category, programme, organizer) in a period."""

    category_id: int
    programme_id: int | None
    organizer_id: int | None
    sessions: int
    events: set[int]
    reported: int
    onsite: int
    online: int
    months: set[int]


@dataclass
class GroupFigures:
    group: CountingGroup
    sessions: int = 0
    events: set[int] = field(default_factory=set)
    reported: int = 0
    onsite: int = 0
    online: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    kind_people: Counter[str] = field(default_factory=Counter)
    highlighted: int = 0  # sessions of hosted highlights, named in the highlights' clause
    highlight_kinds: Counter[str] = field(default_factory=Counter)

    def count(self) -> int:
        return len(self.events) if self.group.unit in BY_EVENTS else self.sessions

    def add(self, pair: Pair, kind: str, *, highlighted: bool) -> None:
        self.sessions += pair.sessions
        self.events |= pair.events
        self.reported += pair.reported
        self.onsite += pair.onsite
        self.online += pair.online
        if highlighted:  # named in the highlights' clause, not again among the kinds
            self.highlighted += pair.sessions
            self.highlight_kinds[kind] += pair.sessions
        else:
            self.kinds[kind] += pair.sessions
            self.kind_people[kind] += pair.onsite

    def kind_names(self) -> list[str]:
        """Busiest first (most sessions, then most people); not the group's own name again;
        a group held only as highlights names their kinds."""
        kinds = self.kinds or self.highlight_kinds
        named = [k for k in kinds if k != self.group.name_zh]
        return sorted(named, key=lambda k: (-kinds[k], -self.kind_people[k], k))


@dataclass
class Highlight:
    programme: Programme
    group: CountingGroup
    organizers: Counter[int] = field(default_factory=Counter)
    months: set[int] = field(default_factory=set)


async def held_pairs(session: AsyncSession, settings: Settings, period: Period,
                     now: datetime) -> list[Pair]:
    """The period's held nights summed by category, programme and organizer, in one query."""
    start, end = period.bounds(zone(settings.timezone))
    latest = aliased(AttendanceReport, name="latest")
    online = func.coalesce(latest.online, 0)
    onsite = func.coalesce(latest.onsite, latest.total - online)
    query: Select[*tuple[Any, ...]] = (
        rows_of(
            col(Event.category_id),
            col(Event.programme_id),
            col(Event.organizer_id),
            col(Event.id).label("event_id"),
            col(Occurrence.starts_at),
            col(latest.id).label("report_id"),
            onsite.label("onsite"),
            online.label("online"),
        )
        .select_from(Occurrence)
        .join(Event, col(Event.id) == col(Occurrence.event_id))
        .outerjoin(latest, is_latest(latest))
        .where(*is_held(start, end, now))
    )
    tz = zone(settings.timezone)
    pairs: dict[tuple[int, int | None, int | None], Pair] = {}
    connection = await session.connection()
    for row in await connection.execute(query):
        key = (row.category_id, row.programme_id, row.organizer_id)
        pair = pairs.get(key)
        if pair is None:
            pair = pairs[key] = Pair(*key, 0, set(), 0, 0, 0, set())
        pair.sessions += 1
        pair.events.add(row.event_id)
        if row.report_id is not None:
            pair.reported += 1
            pair.onsite += int(row.onsite or 0)
            pair.online += int(row.online or 0)
        pair.months.add(row.starts_at.astimezone(tz).month)
    return list(pairs.values())


def _up(refs: RefData, programme_id: int | None) -> list[Programme]:
    """The programme and the ones it sits inside, nearest first."""
    chain: list[Programme] = []
    while programme_id is not None and programme_id in refs.programmes.by_id:
        programme = refs.programmes.by_id[programme_id]
        if programme in chain:
            break
        chain.append(programme)
        programme_id = programme.parent_id
    return chain


def kind_of(refs: RefData, category: Category, programme_id: int | None) -> str:
    """What a night is called in the review: its programme's kind, else its category's name."""
    for programme in _up(refs, programme_id):
        if programme.kind_zh:
            return programme.kind_zh
    return category.name_zh


def highlight_of(refs: RefData, programme_id: int | None) -> Programme | None:
    return next((p for p in _up(refs, programme_id) if p.highlight), None)


async def baselines(session: AsyncSession, year: int) -> dict[int, YearBaseline]:
    rows = await session.exec(select(YearBaseline).where(col(YearBaseline.year) == year))
    return {b.group_id: b for b in rows.all()}


@dataclass(frozen=True)
class Base:
    sessions: int
    people: int


async def review(
    session: AsyncSession,
    settings: Settings,
    period: Period,
    digits: int | None = None,
    *,
    now: datetime | None = None,
) -> ReviewOut:
    """The paragraph of ``period``; ``digits`` overrides every group's significant figures."""
    now = now or utcnow()
    refs = await load_refs(session)
    pairs = await held_pairs(session, settings, period, now)
    groups, highlights, warnings = _gather(refs, pairs)
    bases = await _bases(session, settings, refs, period, now)
    sentences: list[ReviewSentence] = []
    for figures in groups:
        group = figures.group
        template = group.template
        if not template and figures.highlighted:  # named through its highlights only
            if left := figures.sessions - figures.highlighted:
                warnings.append((
                    f"{group.name_zh}另有{left}场次没有写入段落：该分组没有句式，只写标为重点的"
                    "活动项目。",
                    f"{group.name_en or group.slug}: {left} more sessions are not in the "
                    "paragraph — the group has no sentence, only its highlights are named.",
                ))
            continue
        if not template:  # no sentence and nothing to name it by: say it plainly
            template = f"开展{{kinds}}等{group.name_zh}{{count}}"
        base = bases.get(group.id or 0)
        text, note = _sentence(settings, figures, template, base, digits)
        if note:
            warnings.append(note)
        sentences.append(ReviewSentence(group=group.slug, text=text))
    if highlights:
        sentences.append(ReviewSentence(group="highlights", text=_highlights(refs, highlights)))
    paragraph = _paragraph(period, sentences, {g.group.slug: g.group for g in groups})
    unreported = sum(g.sessions - g.reported for g in groups)
    if unreported:
        warnings.append((
            f"尚有{unreported}场次未上报人次，人次合计偏少；请先补报。",
            f"{unreported} sessions are not reported yet, so the people are short; report "
            "them first.",
        ))
    return ReviewOut(
        period=period_out(period),
        digits=digits or settings.figure_digits,
        paragraph=paragraph,
        sentences=sentences,
        warnings=[zh for zh, _ in warnings],
        warnings_en=[en for _, en in warnings],
    )


def _gather(
    refs: RefData, pairs: list[Pair]
) -> tuple[list[GroupFigures], list[Highlight], list[Warning]]:
    by_group: dict[int, GroupFigures] = {}
    found: dict[int, Highlight] = {}
    ungrouped: Counter[str] = Counter()
    for pair in pairs:
        category = refs.categories.by_id[pair.category_id]
        group = refs.groups.by_id.get(category.group_id or -1)
        if group is None:
            ungrouped[category.name_zh] += pair.sessions
            continue
        highlight = highlight_of(refs, pair.programme_id)
        if highlight is not None:
            named = found.setdefault(highlight.id or 0, Highlight(highlight, group))
            if pair.organizer_id is not None:
                named.organizers[pair.organizer_id] += pair.sessions
            named.months |= pair.months
            if (highlight.station_role or StationRole.host) != StationRole.host:
                continue  # the station helped another body: named, not counted as its own
        figures = by_group.setdefault(group.id or 0, GroupFigures(group))
        kind = kind_of(refs, category, pair.programme_id)
        figures.add(pair, kind, highlighted=highlight is not None)
    groups = sorted(by_group.values(), key=lambda g: (g.group.position, g.group.slug))
    highlights = sorted(found.values(), key=lambda h: (h.group.position, min(h.months)))
    warnings = [
        (f"类别「{name}」未归入统计分组，它的{n}场次没有写入段落。",
         f"The category {name} is in no counting group: its {n} sessions are not in the "
         "paragraph.")
        for name, n in sorted(ungrouped.items())
    ]
    return groups, highlights, warnings


async def _bases(
    session: AsyncSession, settings: Settings, refs: RefData, period: Period, now: datetime
) -> dict[int, Base]:
    """Each group's figures a year earlier: a whole year's baseline entered by hand when
    there is one, otherwise the data of the same period last year."""
    earlier = period.year_earlier()
    groups, _, _ = _gather(refs, await held_pairs(session, settings, earlier, now))
    found = {g.group.id or 0: Base(g.count(), g.onsite) for g in groups}
    if period.kind == "year":
        for group_id, baseline in (await baselines(session, earlier.first.year)).items():
            found[group_id] = Base(baseline.sessions, baseline.people)
    return found


def _sentence(
    settings: Settings,
    figures: GroupFigures,
    template: str,
    base: Base | None,
    digits: int | None,
) -> tuple[str, Warning | None]:
    group = figures.group
    kept = digits or group.digits or settings.figure_digits
    count = figures.count()
    count_text = (wording.round_figure(count, kept) if group.round_count else str(count))
    if figures.reported == 0 or figures.onsite == 0:  # nobody reported: no 惠及群众0人
        template = "，".join(part for part in template.split("，") if "{people}" not in part)
    kinds = figures.kind_names()
    if not kinds:  # "开展文化活动2场次", not "开展等文化活动"
        template = template.replace("{kinds}等", "").replace("{kinds}", "")
    text = template.format(
        kinds="、".join(kinds),
        count=f"{count_text}{group.unit}",
        people=f"{wording.round_figure(figures.onsite, kept)}{group.people_unit}",
    )
    if figures.online:
        text += f"，另有线上观看{wording.round_figure(figures.online, kept)}人次"
    note = None
    if base is not None and figures.onsite:
        minimum = settings.yoy_min_sessions
        if base.sessions < minimum:
            note = (
                f"{group.name_zh}上年只有{base.sessions}{group.unit}（不足{minimum}{group.unit}），"
                "同比没有意义，未写入。",
                f"{group.name_en or group.slug}: the year before had only {base.sessions} "
                f"sessions (fewer than {minimum}), so no 同比 is written.",
            )
        elif change := wording.yoy_text(figures.onsite, base.people):
            text += f"，{change}"
    return text, note


def _when(months: set[int]) -> str:
    if months and months <= {7, 8}:
        return "在暑假"
    if months and months <= {1, 2}:
        return "在寒假"
    return ""


def _quoted(name: str) -> str:
    return name if "“" in name else f"“{name}”"


def _highlights(refs: RefData, highlights: list[Highlight]) -> str:
    """ "还在暑假开展“云岭翠湖”杯邻里篮球赛等体育运动，协助嘉悦农场开展“农耕文化体验节”活动"."""
    whens = {_when(h.months) for h in highlights}
    common = whens.pop() if len(whens) == 1 else None
    phrases: list[str] = []
    hosted: dict[int, list[Highlight]] = {}
    for h in highlights:
        role = h.programme.station_role or StationRole.host
        if role == StationRole.host and not h.group.template:
            hosted.setdefault(h.group.id or 0, []).append(h)
            continue
        phrases.append(_phrase(refs, h, role, "" if common is not None else _when(h.months)))
    for named in hosted.values():
        when = "" if common is not None else _when(set().union(*(h.months for h in named)))
        names = "、".join(_quoted(h.programme.name_zh) for h in named)
        phrases.insert(0, f"{when}开展{names}等{named[0].group.name_zh}")
    return f"还{common or ''}" + "，".join(phrases)


def _phrase(refs: RefData, h: Highlight, role: str, when: str) -> str:
    name = _quoted(h.programme.name_zh)
    if role == StationRole.host:
        return f"{when}开展{name}活动"
    organizer = None
    if h.organizers:
        organizer_id = h.organizers.most_common(1)[0][0]
        organizer = refs.organizers.by_id.get(organizer_id)
    org = organizer.name_zh if organizer else ""
    if role == StationRole.assist:
        return f"{when}协助{org}开展{name}活动"
    return f"{when}{role}{org + '主办的' if org else ''}{name}活动"


def _paragraph(
    period: Period, sentences: list[ReviewSentence], groups: dict[str, CountingGroup]
) -> str:
    """Groups joined with ；, highlights after them; a separate group a sentence of its own."""
    if not sentences:
        return f"{period.label}，{NOTHING_HELD}。"
    joined = [s.text for s in sentences if not _separate(s, groups)]
    if joined and joined[-1].startswith("还") and len(joined) == 1:
        joined[0] = joined[0][1:]  # nothing before it: no "also"
    blocks = ["；".join(joined)] if joined else []
    blocks += [s.text for s in sentences if _separate(s, groups)]
    return f"{period.label}，" + "。".join(blocks) + "。"


def _separate(sentence: ReviewSentence, groups: dict[str, CountingGroup]) -> bool:
    group = groups.get(sentence.group)
    return bool(group and group.separate)

