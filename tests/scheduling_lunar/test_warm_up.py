"""A process fills the lunar month tables at start, in the worker pool, so the first yearly
rule a scheduler saves reads them instead of computing them on the event loop."""

from __future__ import annotations

from litestar import Litestar

from bolin_events.housekeeping import start_housekeeping, stop_housekeeping
from bolin_events.models import utcnow
from bolin_events.services.lunar import LAST_YEAR
from bolin_events.services.scheduling import calendar_rules


async def test_starting_a_process_fills_the_lunar_tables(app: Litestar) -> None:
    calendar_rules._months.cache_clear()

    await start_housekeeping(app)
    await app.state.lunar_warm_up
    filled = calendar_rules._months.cache_info()
    await stop_housekeeping(app)

    assert filled.currsize == LAST_YEAR - (utcnow().year - 1) + 1
    assert calendar_rules.warm_up(LAST_YEAR) == 1
