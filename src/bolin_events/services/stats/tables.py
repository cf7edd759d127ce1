"""The statistics and the ledger as tables, for CSV and XLSX files."""

from __future__ import annotations

from bolin_events.schemas.reports import LedgerOut, StatsOut, StatsRow
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
]
LEDGER_HEADERS = [
    "日期",
    "时间",
    "活动",
    "场地",
    "所属村",
    "主办单位",
    "类别",
    "人次",
    "计数方式",
    "上报人",
    "版本",
    "照片数",
    "场次编号",
]


def _stats_cells(row: StatsRow) -> list[Cell]:
    return [
        row.name_zh,
        row.sessions,
        row.events,
        row.people,
        row.residents,
        row.visitors,
        row.onsite,
        row.online,
        row.volunteers,
        row.unreported,
        row.sessions_last_year,
        row.people_last_year,
        row.people_change or "—",
    ]


def stats_table(stats: StatsOut) -> Table:
    rows = stats.rows or [stats.total]
    return Table(
        title=f"统计 {stats.period.key}",
        headers=[GROUP_ZH[stats.group_by], *STATS_HEADERS],
        rows=[_stats_cells(r) for r in rows],
        totals=_stats_cells(stats.total) if stats.rows else None,
        notes=[
            f"统计期：{stats.period.label}（{stats.period.first} 至 {stats.period.last}），"
            f"同比对照：{stats.compared_with.label}。",
            "场次：已举办的场次（不含取消、停办的场次及取消、延期、草稿活动）；"
            "人次：每场最新一次上报的合计。",
        ],
    )


def ledger_table(ledger: LedgerOut) -> Table:
    rows: list[list[Cell]] = [
        [
            r.date,
            r.time,
            r.title,
            r.venue,
            r.village,
            r.organizer,
            r.category,
            r.people,
            r.method,
            r.reporter,
            r.revision,
            r.photos,
            r.occurrence_id,
        ]
        for r in ledger.rows
    ]
    totals: list[Cell] = ["合计", f"{ledger.sessions}场次", *[None] * 5, ledger.people]
    totals += [None, None, None, sum(r.photos for r in ledger.rows), None]
    return Table(
        title=f"台账 {ledger.period.key}",
        headers=LEDGER_HEADERS,
        rows=rows,
        totals=totals,
        notes=[f"活动台账：{ledger.period.label}；人次为空表示尚未上报。"],
    )
