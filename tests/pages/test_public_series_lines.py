"""How a run of nights is said in one line: "每周" only for a series that is weekly."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bolin_events.schemas.common import Ref
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.web.public_views import group_by_day
from bolin_events.web.schedule_text import programme_view

TOWN = ZoneInfo("Asia/Shanghai")


def night(event_id: int, start: datetime, status: str = "scheduled") -> OccurrenceOut:
    return OccurrenceOut.model_construct(
        id=f"{event_id}-{start:%Y%m%dT%H%M%S}", event_id=event_id, title_zh=f"活动{event_id}",
        title_en=None, all_day=False, start=start, end=start + timedelta(hours=2),
        original_start=start, timezone="Asia/Shanghai", status=status, reason=None,
        venue=None, category=Ref(slug="culture", name_zh="文化活动"), programme=None,
        sequence=0)


def test_a_weekly_series_is_said_by_its_weekdays_with_its_next_night() -> None:
    first = datetime(2027, 6, 4, 19, 0, tzinfo=TOWN)  # a Friday
    nights = [night(1, first + timedelta(weeks=w, days=d)) for w in range(8) for d in (0, 1)]
    nights[0] = night(1, first, "cancelled")

    series, singles = programme_view(group_by_day(nights), 2027)

    assert [(s.rhythm.zh, s.count.zh) for s in series] == [
        ("每周五、六 19:00–21:00", "，共15场，下一场6月5日")]
    assert singles == []


def test_a_monthly_series_is_said_by_its_span_not_every_week() -> None:
    nights = [night(2, datetime(2027, month, 5, 9, 30, tzinfo=TOWN)) for month in (6, 7, 8)]
    nights.append(night(3, datetime(2027, 7, 1, 19, 0, tzinfo=TOWN)))

    series, singles = programme_view(group_by_day(sorted(nights, key=lambda n: n.start)), 2026)

    assert [s.rhythm.zh for s in series] == ["2027年6月5日至8月5日 09:30–11:30"]
    assert [n.title_zh for day in singles for n in day.items] == ["活动3"]
