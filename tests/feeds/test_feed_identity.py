"""What makes a calendar file valid and its events recognisable: a component even when empty,
UIDs no other installation gives, titles on one line."""

from __future__ import annotations

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy import update
from sqlmodel import col

from bolin_events.errors import field_zh
from bolin_events.models import Event
from bolin_events.settings import Settings, uid_domain_for
from tests.conftest import Client, Staff
from tests.feeds.helpers import BEFORE_DEMO, feed, lines, pin_clock, summary, vevents

READING = {"title_zh": "周六读书会", "category": "reading", "venue": "culture-station",
           "start": "2027-05-01T09:30", "end": "2027-05-01T11:00", "status": "published"}


@pytest.fixture(autouse=True)
def before_season(client: Client) -> None:
    pin_clock(client, BEFORE_DEMO)


async def create(client: Client, staff: Staff, **changes: str) -> dict[str, object]:
    response = await client.post("/api/v1/events", json={**READING, **changes},
                                 headers=staff.scheduler)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_feed_without_events_still_holds_its_timezone(client: Client,
                                                            reference: None) -> None:
    body = await feed(client, "/feeds/categories/reading.ics")

    assert "BEGIN:VEVENT" not in lines(body)
    assert lines(body).count("TZID:Asia/Shanghai") == 1
    calendar = icalendar.Calendar.from_ical(body)
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]
    assert IcsCalendarStream.calendar_from_ics(body.decode()).timezones[0].tz_id == \
        "Asia/Shanghai"


@pytest.mark.parametrize(("public_url", "domain"), [
    ("https://Huodong.Bolin.example:8443/", "huodong.bolin.example"),
    ("http://1.2.3.4", "1.2.3.4"),  # a public address is unique too
])
def test_uid_domain_is_the_public_addresses_host(public_url: str, domain: str) -> None:
    assert uid_domain_for(public_url) == domain
    assert Settings(public_url=public_url).resolved_uid_domain == domain
    assert Settings(public_url=public_url, uid_domain="bolin.example").resolved_uid_domain \
        == "bolin.example"


@pytest.mark.parametrize("public_url", ["http://127.0.0.1:8000", "http://localhost:8000",
                                        "http://192.168.1.20", "http://[::1]:8000"])
def test_uid_domain_of_a_private_address_is_never_that_address(public_url: str) -> None:
    domain = uid_domain_for(public_url)

    assert domain and domain not in public_url
    assert domain != "bolin-events"  # the old default, the same in every installation


async def test_new_events_take_the_domain_and_old_ones_keep_their_uids(
        client: Client, staff: Staff) -> None:
    before = await create(client, staff)
    settings = client.app.state.settings
    settings.uid_domain, settings.public_url = None, "https://huodong.bolin.example"

    after = await create(client, staff, start="2027-05-08T09:30", end="2027-05-08T11:00")
    renamed = await client.patch(f"/api/v1/events/{before['id']}", json={"title_zh": "读书会"},
                                 headers=staff.scheduler)
    assert renamed.status_code == 200, renamed.text
    body = await feed(client, "/feeds/all.ics")

    assert before["uid"] == f"event-{before['id']}@events.example.test"
    assert renamed.json()["uid"] == before["uid"]
    assert after["uid"] == f"event-{after['id']}@huodong.bolin.example"
    assert sorted(line for block in vevents(body) for line in block if line.startswith("UID")) \
        == sorted([f"UID:{before['uid']}", f"UID:{after['uid']}"])


async def test_line_breaks_in_titles_become_spaces(client: Client, staff: Staff) -> None:
    created = await create(client, staff, title_zh="周六\r\n读书会", title_en="Saturday\n\nreading")
    renamed = await client.patch(f"/api/v1/events/{created['id']}",
                                 json={"title_en": "Saturday\u2028book club "},
                                 headers=staff.scheduler)

    assert created["title_zh"] == "周六 读书会"
    assert created["title_en"] == "Saturday reading"
    assert renamed.json()["title_en"] == "Saturday book club"
    (block,) = vevents(await feed(client, f"/feeds/events/{created['id']}.ics"))
    assert summary(block) == "SUMMARY:周六 读书会 / Saturday book club"


async def test_title_of_nothing_but_line_breaks_is_refused_naming_it(client: Client,
                                                                     staff: Staff) -> None:
    response = await client.post("/api/v1/events", json={**READING, "title_zh": "\r\n\n"},
                                 headers=staff.scheduler)

    assert response.status_code == 422
    assert f"——{field_zh('title_zh')}：" in response.json()["message"]
    assert "不能为空" in response.json()["message"]


async def test_title_stored_with_a_line_break_is_sent_on_one_line(client: Client,
                                                                  staff: Staff) -> None:
    created = await create(client, staff)
    async with client.app.state.sessionmaker() as session, session.begin():
        await session.exec(update(Event).where(col(Event.id) == created["id"]).values(
            title_zh="周六\n读书会", title_en="Saturday\r\nreading"))

    (block,) = vevents(await feed(client, f"/feeds/events/{created['id']}.ics"))

    assert summary(block) == "SUMMARY:周六 读书会 / Saturday reading"
