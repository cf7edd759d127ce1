"""Charts as SVG, drawn by pygal: the monthly 人次 trend beside the year before, and the split
by category or by village. Labels are Chinese, so the style names a font with the glyphs on
each common system (Windows, macOS, Android, Linux) before the generic sans-serif. pygal is
imported when a chart is first drawn, not at start-up."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bolin_events.schemas.reports import StatsOut
from bolin_events.services.stats.queries import GroupBy

CJK_FONTS = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", SimHei, sans-serif'
)
COLOURS = ("#c0392b", "#95a5a6", "#2e86c1", "#d68910", "#28b463", "#8e44ad", "#17a589")
NO_DATA = "暂无数据"


class ChartKind(StrEnum):
    trend = "trend"
    categories = "categories"
    villages = "villages"


CHART_TITLES = {
    ChartKind.trend: "每月人次（与上年同期对比）",
    ChartKind.categories: "各类别人次",
    ChartKind.villages: "各村人次",
}
CHART_GROUPING = {
    ChartKind.trend: GroupBy.month,
    ChartKind.categories: GroupBy.category,
    ChartKind.villages: GroupBy.village,
}


def _options(title: str, inline: bool) -> dict[str, Any]:
    """pygal's defaults load a tooltip script from the internet: charts here are plain SVG."""
    from pygal.style import Style

    style = Style(
        font_family=CJK_FONTS,
        background="white",
        plot_background="white",
        colors=COLOURS,
        title_font_size=18,
        legend_font_size=13,
        label_font_size=12,
        major_label_font_size=12,
    )
    return {
        "title": title,
        "style": style,
        "js": [],
        "disable_xml_declaration": inline,
        "no_data_text": NO_DATA,
        "width": 800,
        "height": 420,
        "legend_at_bottom": True,
        "print_values": False,
    }


def _without_scripts(root: Any) -> Any:
    """pygal always adds a script with its tooltip settings; a chart pasted into a page
    must not run code (and a strict Content-Security-Policy would refuse it)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _render(chart: Any) -> bytes:
    chart.add_xml_filter(_without_scripts)
    svg: bytes = chart.render()
    return svg


def month_label(key: str, one_year: bool) -> str:
    """ "6月" in a chart of one year; "2025年6月" when the months span years."""
    return f"{int(key[5:])}月" if one_year else f"{key[:4]}年{int(key[5:])}月"


def trend_svg(stats: StatsOut, *, inline: bool = False) -> bytes:
    """Bars of this period's 人次 each month, last year's beside them."""
    import pygal

    one_year = stats.period.first.year == stats.period.last.year
    title = f"{stats.period.label}{CHART_TITLES[ChartKind.trend]}"
    chart = pygal.Bar(**_options(title, inline), y_title="人次")
    chart.x_labels = [month_label(r.key, one_year) for r in stats.rows]
    chart.add(stats.period.label, [r.people for r in stats.rows])
    chart.add(stats.compared_with.label, [r.people_last_year for r in stats.rows])
    return _render(chart)


def split_svg(stats: StatsOut, kind: ChartKind, *, inline: bool = False) -> bytes:
    """A pie of 人次 by category, or bars by village, for the period."""
    import pygal

    title = f"{stats.period.label}{CHART_TITLES[kind]}"
    rows = [r for r in stats.rows if r.people > 0]
    if kind == ChartKind.categories:
        options = {**_options(title, inline), "print_values": True}
        chart = pygal.Pie(**options, inner_radius=0.4, formatter=lambda n: f"{n:,}")
        for row in rows:
            chart.add(row.name_zh, row.people)
        return _render(chart)
    rows.reverse()  # pygal draws horizontal bars bottom up: the busiest village goes on top
    chart = pygal.HorizontalBar(**_options(title, inline), show_legend=False, x_title="人次")
    chart.x_labels = [r.name_zh for r in rows]
    chart.add("人次", [r.people for r in rows])
    return _render(chart)


def chart_svg(stats: StatsOut, kind: ChartKind, *, inline: bool = False) -> bytes:
    if kind == ChartKind.trend:
        return trend_svg(stats, inline=inline)
    return split_svg(stats, kind, inline=inline)
