"""The statistics and the ledger as tables, for CSV and XLSX files."""

from __future__ import annotations

from bolin_events.schemas.reports import LedgerOut, LedgerRow, StatsOut, StatsRow
from bolin_events.services.stats.files import Cell, Table

GROUP_ZH = {
    "category": "类别",
    "village": "村",
    "venue": "场地",
    "programme": "活动项目",
    "organizer": "主办单位",
    "month": "月份",
    "total": "统计范围",
}
STATS_HEADERS = [
    "场次",
    "活动个数",
    "人次",
    "本地居民",
    "外地游客",
    "现场人次",
    "线上人次",
    "志愿者",
    "未上报场次",
    "上年同期场次",
    "上年同期人次",
    "人次同比",
    "报名场次",
    "报名人次",
    "签到人次",
    "签到率",
    "报名场次上报人次",
]
LEDGER_HEADERS = [
    "日期",
    "结束日期",
    "时间",
    "活动",
    "场地",
    "所属村",
    "主办单位",
    "类别",
    "报名人数",
    "签到人数",
    "现场加入人数",
    "上报人次",
    "现场人次",
    "线上人次",
    "本地居民",
    "外地游客",
    "统计方式",
    "备注",
    "上报人",
    "上报时间",
    "版本",
    "照片数",
    "场次编号",
]
SIGNUP_NOTE = (
    "报名场次：开放报名的已举办场次；报名人次：已确认的报名（不含候补、已取消）；签到人次：扫码或"
    "签到码签到，含现场加入；签到率＝签到人次÷报名人次（含现场加入，可超过 100%）；"
    "报名场次上报人次：这些场次最新一版上报之和。"
)
DAY_KINDS_NOTE = (
    "法定节假日、周末、工作日：按每场开始当天（当地日期）归类，跨多天的场次按第一天；调休上班的"
    "周末计入工作日；尚未公布假日安排的年份，其场次单列为“假日安排未公布”，录入假日安排后重新归类。"
)
NOT_GIVEN = "未填"  # a figure a report left out: blank, never 0


def _given(value: int | None) -> Cell:
    return NOT_GIVEN if value is None else value


def _stats_cells(row: StatsRow) -> list[Cell]:
    return [
        row.name_zh,
        row.sessions,
        row.events,
        row.people,
        _given(row.residents),
        _given(row.visitors),
        row.onsite,
        row.online,
        row.volunteers,
        row.unreported,
        row.sessions_last_year,
        row.people_last_year,
        row.people_change or "—",
        *_day_kind_cells(row),
        *_signup_cells(row),
    ]


def _day_kind_cells(row: StatsRow) -> list[Cell]:
    """场次 and 人次 on each kind of day (every row lists the same kinds, as the totals do)."""
    return [figure for k in row.by_day_kind for figure in (k.sessions, k.people)]


def _signup_cells(row: StatsRow) -> list[Cell]:
    """报名, 签到 and 上报 of the group's nights that took sign-ups; blank when none did."""
    s = row.signups
    if s is None:
        return [None] * 5
    rate = None if s.check_in_rate is None else f"{s.check_in_rate:.1f}%"
    return [s.sessions, s.registered, s.checked_in, rate, s.reported]


def _unknown_years_note(years: list[int]) -> list[str]:
    if not years:
        return []
    named = "、".join(f"{year}年" for year in years)
    return [f"{named}假日安排未公布：这些年份的场次未分假日、周末、工作日。"]


def stats_table(stats: StatsOut) -> Table:
    """One row per group (with its split by kind of day before the sign-up columns) and a
    totals row."""
    rows = stats.rows or [stats.total]
    day_headers = [f"{k.kind_zh}{u}" for k in stats.total.by_day_kind for u in ("场次", "人次")]
    at = STATS_HEADERS.index("报名场次")
    headers = [*STATS_HEADERS[:at], *day_headers, *STATS_HEADERS[at:]]
    return Table(
        title=f"统计 {stats.period.key}",
        headers=[GROUP_ZH[stats.group_by], *headers],
        rows=[_stats_cells(r) for r in rows],
        totals=_stats_cells(stats.total) if stats.rows else None,
        notes=[
            f"统计期：{stats.period.label}（{stats.period.first} 至 {stats.period.last}），"
            f"同比对照：{stats.compared_with.label}。",
            "场次：已举办的场次（不含取消、不举办的场次及取消、延期、草稿活动）；"
            "人次：每场最新一次上报的合计。",
            "本地居民、外地游客：只合计分开填写的上报；都没有分开填写的记为“未填”，不是 0。",
            DAY_KINDS_NOTE,
            *_unknown_years_note(stats.unknown_holiday_years),
            SIGNUP_NOTE,
        ],
    )


def _ledger_cells(r: LedgerRow) -> list[Cell]:
    reported = r.people is not None  # unreported: every figure blank
    return [
        r.date,
        r.end_date,
        r.time,
        r.title,
        r.venue,
        r.village,
        r.organizer,
        r.category,
        r.registered,
        r.checked_in,
        r.walk_ins,
        r.people,
        r.onsite,
        r.online,
        _given(r.residents) if reported else None,
        _given(r.visitors) if reported else None,
        r.method,
        r.note,
        r.reporter,
        f"{r.reported_at:%Y-%m-%d %H:%M}" if r.reported_at else None,
        r.revision,
        r.photos,
        r.occurrence_id,
    ]


def _sum(values: list[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def ledger_table(ledger: LedgerOut) -> Table:
    rows = ledger.rows
    totals: list[Cell] = ["合计", None, f"{ledger.sessions}场次", *[None] * 5]
    totals += [_sum([r.registered for r in rows]), _sum([r.checked_in for r in rows])]
    totals += [_sum([r.walk_ins for r in rows]), ledger.people]
    totals += [_sum([r.onsite for r in rows]) or 0, _sum([r.online for r in rows]) or 0]
    totals += [_given(_sum([r.residents for r in rows])), _given(_sum([r.visitors for r in rows]))]
    totals += [None] * 5 + [sum(r.photos for r in rows), None]
    return Table(
        title=f"台账 {ledger.period.key}",
        headers=LEDGER_HEADERS,
        rows=[_ledger_cells(r) for r in rows],
        totals=totals,
        notes=[
            f"活动台账：{ledger.period.label}；上报人次为空表示尚未上报。",
            "结束日期：跨多天举办的场次（如全天多日的节会、展览）的最后一天，当天结束的为空。",
            "本地居民、外地游客：上报时未分开填写的记为“未填”，不是 0。",
            "上报时间：最新一次上报（计入统计的版本）的时间，为本地时间。",
            "报名人数：已确认的报名（不含候补、已取消的报名和现场加入），统计方式为报名；"
            "签到人数：入口扫码或输入签到码签到的人数，含现场加入人数；"
            "上报人次：最新一版上报的人次，统计方式见“统计方式”列。",
            "没有开放报名的场次，报名人数、签到人数和现场加入人数为空。",
        ],
    )
