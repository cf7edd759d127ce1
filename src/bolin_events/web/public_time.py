"""The town's clock on a public page: which nights are on now, tonight or over, when a date
needs its year, and when its lunar date.

A page is made once per data version and minute (routes/public_cache.py), so a mark computed
when the page is rendered stays right for everyone who gets that copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bolin_events.calendar import Label
from bolin_events.schemas.events import OccurrenceOut
from bolin_events.web.lunar_labels import lunar_label

EVENING = time(18, 0)  # a night starting from here on is "tonight", earlier ones "today"
ON_NOW = Label("进行中", "On now")
TONIGHT = Label("今晚", "Tonight")
TODAY = Label("今天", "Today")
ENDED = Label("已结束", "Ended")


def _bounds(night: OccurrenceOut) -> tuple[datetime, datetime]:
    """The instants a night starts and ends; an all-day night runs from midnight to the
    midnight after its last day, in its own time zone."""
    if isinstance(night.start, datetime) and isinstance(night.end, datetime):
        return night.start, night.end
    tz = ZoneInfo(night.timezone)
    first = night.start if not isinstance(night.start, datetime) else night.start.date()
    last = night.end if not isinstance(night.end, datetime) else night.end.date()
    return (datetime.combine(first, time(0), tzinfo=tz),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz))


@dataclass(frozen=True)
class Clock:
    """The moment a page is made, in the town's time zone."""

    now: datetime

    @classmethod
    def at(cls, moment: datetime, tz: ZoneInfo) -> Clock:
        return cls(moment.astimezone(tz))

    @property
    def today(self) -> date:
        return self.now.date()

    def lunar(self, day: date, series: bool = False) -> Label | None:
        """The lunar date said beside ``day``: on every night of a series by the Chinese
        calendar (``series``), else only on a festival or solar term."""
        return lunar_label(day, always=series)

    def needs_year(self, day: date) -> bool:
        """A date outside the current year says its year ("2027年6月4日"), so a poster read in
        November never sends anyone to last June."""
        return day.year != self.today.year

    def can_add(self, night: OccurrenceOut) -> bool:
        """A night one may still add to a calendar: held (not cancelled or postponed), not over."""
        return night.status in ("scheduled", "moved") and _bounds(night)[1] > self.now

    def mark(self, night: OccurrenceOut) -> Label | None:
        """进行中, 今晚 / 今天 or 已结束 for a night of interest now; none for a cancelled night
        (it says 已取消) or a night on another day still to come."""
        if night.status == "cancelled":
            return None
        start, end = _bounds(night)
        if end <= self.now:
            return ENDED
        starts_today = start.astimezone(self.now.tzinfo).date() == self.today
        if night.all_day and starts_today:
            return TODAY
        if start <= self.now:
            return ON_NOW
        if starts_today:
            evening = start.astimezone(self.now.tzinfo).time() >= EVENING
            return TONIGHT if evening else TODAY
        return None
