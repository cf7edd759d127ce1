"""Files and charts the reports send, shared by the JSON API and the staff reports page: the
statistics, the ledger and the annual return as CSV or XLSX, and one chart as SVG."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from litestar import Response
from litestar.params import Parameter
from sqlmodel.ext.asyncio.session import AsyncSession

from bolin_events.services.filters import Selection
from bolin_events.services.heavy import off_loop
from bolin_events.services.stats.annual import annual_return
from bolin_events.services.stats.charts import CHART_GROUPING, ChartKind, chart_svg
from bolin_events.services.stats.files import to_csv, to_xlsx
from bolin_events.services.stats.ledger import ledger
from bolin_events.services.stats.periods import Period
from bolin_events.services.stats.queries import GroupBy
from bolin_events.services.stats.return_file import return_csv, return_xlsx
from bolin_events.services.stats.summary import statistics
from bolin_events.services.stats.tables import ledger_table, stats_table
from bolin_events.services.timing import zone
from bolin_events.settings import Settings

FileFormat = Annotated[
    Literal["csv", "xlsx"], Parameter(description="csv (UTF-8 with BOM) or xlsx")
]
MEDIA = {
    "csv": "text/csv",  # Litestar adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SVG = "image/svg+xml"


def download(content: bytes, fmt: str, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
            "Cache-Control": "private, no-store",
        },
    )


async def stats_download(
    db: AsyncSession,
    settings: Settings,
    fmt: str,
    chosen: Period,
    group_by: GroupBy,
    selection: Selection | None = None,
) -> Response[bytes]:
    """The statistics table as a CSV or XLSX download (the API and the reports page)."""
    table = stats_table(await statistics(db, settings, chosen, group_by, selection=selection))
    content = await off_loop(to_csv if fmt == "csv" else to_xlsx, table)
    return download(content, fmt, f"stats-{chosen.key}-{group_by}")


async def ledger_download(
    db: AsyncSession,
    settings: Settings,
    fmt: str,
    chosen: Period,
    selection: Selection | None = None,
) -> Response[bytes]:
    """The ledger (台账) as a CSV or XLSX download (the API and the reports page)."""
    table = ledger_table(await ledger(db, settings, chosen, selection=selection))
    content = await off_loop(to_csv if fmt == "csv" else to_xlsx, table)
    return download(content, fmt, f"ledger-{chosen.key}")


async def annual_download(
    db: AsyncSession, settings: Settings, fmt: str, chosen: Period
) -> Response[bytes]:
    """The annual return laid out like the form, as XLSX or CSV (the API and the staff page)."""
    found = await annual_return(db, settings, chosen)
    today = datetime.now(zone(settings.timezone)).date()
    content = await off_loop(return_csv if fmt == "csv" else return_xlsx, found, today)
    return download(content, fmt, f"annual-return-{chosen.key}")


async def chart_response(
    db: AsyncSession, settings: Settings, kind: ChartKind, chosen: Period, *, inline: bool = False
) -> Response[bytes]:
    """One chart as SVG, kept privately for five minutes."""
    stats = await statistics(db, settings, chosen, CHART_GROUPING[kind], extras=False)
    return Response(
        await off_loop(chart_svg, stats, kind, inline=inline),
        media_type=SVG,
        headers={"Cache-Control": "private, max-age=300"},
    )
