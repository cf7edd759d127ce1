"""A Chinese-calendar series where staff read it: the event page's nights table and the
planner offer each night's changes, as for an RRULE series; `bolin-events events show` says
the rule in words."""

from __future__ import annotations

from bolin_events.cli.events import repeat_words
from bolin_events.models import Role
from bolin_events.schemas.events import EventOut
from tests.api.helpers import create_event
from tests.conftest import Client
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.scheduling_lunar.test_lunar_series_api import MID_AUTUMN


async def test_event_page_offers_changes_to_each_lunar_night(client: Client,
                                                             reference: None) -> None:
    headers = await log_in(client, "planner", Role.scheduler)
    series = await create_event(client, headers, MID_AUTUMN)

    page = await client.get(f"/staff/events/{series['id']}")

    assert page.status_code == 200
    assert_good_page(page.text)
    for day in ("20270915", "20281003", "20290922"):
        assert f'href="/staff/occurrences/{series["id"]}-{day}T193000"' in page.text
    night = await client.get(f"/staff/occurrences/{series['id']}-20281003T193000")
    assert night.status_code == 200
    assert f'action="/staff/occurrences/{series["id"]}-20281003T193000/skip"' in night.text


async def test_planner_links_a_lunar_night_to_its_own_page(client: Client,
                                                           reference: None) -> None:
    headers = await log_in(client, "planner", Role.scheduler)
    series = await create_event(client, headers, MID_AUTUMN)

    page = await client.get("/staff/planner", params={"month": "2027-09"})

    assert page.status_code == 200
    assert f'href="/staff/occurrences/{series["id"]}-20270915T193000"' in page.text


def test_events_show_says_the_rule_in_words() -> None:
    lunar = EventOut.model_construct(rrule=None, calendar_rule="LUNAR;MONTH=8;DAY=15;COUNT=3")
    weekly = EventOut.model_construct(rrule="FREQ=WEEKLY;COUNT=3", calendar_rule=None)
    single = EventOut.model_construct(rrule=None, calendar_rule=None)

    assert repeat_words(lunar) == "  重复 每年农历八月十五，共 3 次（LUNAR;MONTH=8;DAY=15;COUNT=3）"
    assert repeat_words(weekly) == "  重复 FREQ=WEEKLY;COUNT=3"
    assert repeat_words(single) == ""
