"""Two real server processes on one PostgreSQL answer the same feed, and both see changes.

This is the production shape (several uvicorn workers behind a load balancer): each process
has its own feed cache, and only the database they share can make them agree.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bolin_events.models import Role
from bolin_events.settings import Settings
from tests.feeds.helpers import TZ, event_blocks
from tests.support.db import Person, prepare, scratch_postgres
from tests.support.servers import serve

pytestmark = pytest.mark.postgres


@pytest.fixture(params=["0"])
def two_servers(
    request: pytest.FixtureRequest, postgres_url: str, tmp_path: Path
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """Two servers on one fresh database (``postgres_url`` decides skip-or-fail), with the
    same public address, as behind a load balancer; ``param`` is their recheck window."""
    public = {"BOLIN_SECRET_KEY": "feeds-test-secret-key", "BOLIN_ENVIRONMENT": "test",
              "BOLIN_PUBLIC_URL": "https://events.example.test",
              "BOLIN_UID_DOMAIN": "events.example.test",
              "BOLIN_FEED_RECHECK_SECONDS": request.param}
    with ExitStack() as stack:
        database = stack.enter_context(scratch_postgres("bolin_feeds"))
        settings = Settings(environment="test", database_url=database, data_dir=tmp_path,
                            secret_key="feeds-test-secret-key")
        token = prepare(settings, (Person("scheduler", Role.scheduler),))["scheduler"]
        a, b = (stack.enter_context(serve(tmp_path / name, database_url=database, env=public))
                for name in ("a", "b"))
        yield a.url, b.url, {"Authorization": f"Bearer {token}"}


def test_two_server_processes_on_one_postgres_agree_and_see_each_others_changes(
        two_servers: tuple[str, str, dict[str, str]]) -> None:
    a, b, headers = two_servers
    first_night = (datetime.now(TZ) + timedelta(days=7)).replace(hour=19, minute=0, second=0,
                                                                 microsecond=0)
    created = httpx.post(f"{a}/api/v1/events", headers=headers, json={
        "title_zh": "东胜村周末夜市", "category": "market", "venue": "ginkgo-night-market",
        "start": first_night.replace(tzinfo=None).isoformat(),
        "end": first_night.replace(hour=22, tzinfo=None).isoformat(),
        "rrule": "FREQ=WEEKLY;COUNT=4", "status": "published"})
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    night = f"{event_id}-{first_night.strftime('%Y%m%dT%H%M%S')}"

    from_a, from_b = httpx.get(f"{a}/feeds/all.ics"), httpx.get(f"{b}/feeds/all.ics")
    assert from_a.status_code == from_b.status_code == 200
    assert from_a.content == from_b.content
    assert from_a.headers["etag"] == from_b.headers["etag"]
    assert from_a.headers["last-modified"] == from_b.headers["last-modified"]
    assert "SEQUENCE:0" in event_blocks(from_a.content, event_id)[0]

    skipped = httpx.post(f"{b}/api/v1/occurrences/{night}/skip", headers=headers)
    assert skipped.status_code == 200, skipped.text
    seen_by_a = httpx.get(f"{a}/feeds/all.ics",
                          headers={"If-None-Match": from_a.headers["etag"]})
    assert seen_by_a.status_code == 200
    exdate = f"EXDATE;TZID=Asia/Shanghai:{first_night.strftime('%Y%m%dT%H%M%S')}"
    assert exdate in event_blocks(seen_by_a.content, event_id)[0]
    assert "SEQUENCE:1" in event_blocks(seen_by_a.content, event_id)[0]

    renamed = httpx.patch(f"{a}/api/v1/events/{event_id}", headers=headers,
                          json={"title_en": "Dongsheng weekend market"})
    assert renamed.status_code == 200, renamed.text
    final_a, final_b = httpx.get(f"{a}/feeds/all.ics"), httpx.get(f"{b}/feeds/all.ics")
    assert final_b.content == final_a.content
    assert final_b.headers["etag"] == final_a.headers["etag"] != seen_by_a.headers["etag"]
    assert "SUMMARY:东胜村周末夜市 / Dongsheng weekend market" in event_blocks(
        final_b.content, event_id)[0]
    assert httpx.get(f"{b}/feeds/all.ics", headers={
        "If-None-Match": final_a.headers["etag"]}).status_code == 304


def seen_within(url: str, wanted: str, seconds: float) -> float | None:
    """How long until ``url`` shows ``wanted`` (asked every 50 ms), or None if it never did."""
    started = time.monotonic()
    with httpx.Client() as client:
        while time.monotonic() - started < seconds:
            if wanted in client.get(url).text.replace("\r\n ", ""):
                return time.monotonic() - started
            time.sleep(0.05)
    return None


@pytest.mark.parametrize("two_servers", ["60"], indirect=True)
def test_a_write_in_one_process_ends_the_other_processes_window_within_a_second(
        two_servers: tuple[str, str, dict[str, str]]) -> None:
    """Each process answers from memory for a minute after its last check; PostgreSQL's
    NOTIFY tells the other one of a write, so it looks again at once."""
    a, b, headers = two_servers
    start = (datetime.now(TZ) + timedelta(days=3)).replace(hour=19, minute=0, second=0,
                                                           microsecond=0, tzinfo=None)
    created = httpx.post(f"{a}/api/v1/events", headers=headers, json={
        "title_zh": "华盖村纳凉晚会", "category": "performance", "venue": "qingqing-park",
        "start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat(),
        "status": "published"})
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    page, feed = f"{b}/events/{event_id}", f"{b}/feeds/all.ics"
    assert seen_within(page, "华盖村纳凉晚会", 1) is not None  # both now in B's memory
    assert seen_within(feed, "华盖村纳凉晚会", 1) is not None

    renamed = httpx.patch(f"{a}/api/v1/events/{event_id}", headers=headers,
                          json={"title_zh": "华盖村消夏晚会"})

    assert renamed.status_code == 200, renamed.text
    assert seen_within(page, "华盖村消夏晚会", 1) is not None
    assert seen_within(feed, "华盖村消夏晚会", 1) is not None
