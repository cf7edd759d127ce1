"""The proof of issue 17's tally: three entrances fed at once, every batch sent twice (some
three times at once), sum exactly; closing files that sum as the night's report."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from sqlmodel import col, func, select

from bolin_events.models import TallyBatch, TallyEntrance
from tests.conftest import Client, Staff
from tests.tally.helpers import batch, batches_url, entrance, held_night, tally_url

IN_FLIGHT = 12  # requests at once: a crowd, within the test app's connection pool


async def test_three_entrances_with_retried_batches_sum_exactly(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    phones = {"东门": staff.admin, "南门": staff.scheduler, "西门": staff.reporter}
    gates = {name: await entrance(client, headers, night, name)
             for name, headers in phones.items()}
    rng = random.Random(17)
    sent: dict[str, list[dict[str, Any]]] = {
        name: [batch(rng.choice([1, 1, 1, 2, 5])) for _ in range(40)] for name in gates}
    copies = [(name, body) for name, bodies in sent.items() for n, body in enumerate(bodies)
              for _ in range(3 if n % 5 == 0 else 2)]
    rng.shuffle(copies)
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def send(name: str, body: dict[str, Any]) -> int:
        async with gate:
            answer = await client.post(batches_url(night, gates[name]), json=body,
                                       headers=phones[name])
            return answer.status_code

    statuses = await asyncio.gather(*(send(name, body) for name, body in copies))
    figures = (await client.get(tally_url(night), headers=staff.reporter)).json()

    expected = {name: sum(b["delta"] for b in bodies) for name, bodies in sent.items()}
    assert statuses.count(201) == 120  # each batch counted once …
    assert statuses.count(200) == len(copies) - 120  # … and every copy answered, not counted
    assert {e["name"]: e["count"] for e in figures["entrances"]} == expected
    assert figures["total"] == sum(expected.values())
    assert await stored_sums(client) == {gates[name]: n for name, n in expected.items()}

    closed = await client.post(tally_url(night, "/close"), json={}, headers=staff.reporter)
    ledger = (await client.get(f"/api/v1/occurrences/{night}/reports",
                               headers=staff.scheduler)).json()

    assert closed.status_code == 201, closed.text
    assert ledger["current"]["total"] == figures["total"]
    assert ledger["current"]["method"] == "clicker"
    assert ledger["current"]["note"] == "入口计数：" + "，".join(
        f"{name} {expected[name]}" for name in ("东门", "南门", "西门"))


async def stored_sums(client: Client) -> dict[int, int]:
    """Each entrance's batches added up in the database, beside its running count: they agree."""
    async with client.app.state.sessionmaker() as session:
        sums = dict((await session.exec(
            select(TallyBatch.entrance_id, func.sum(TallyBatch.delta))
            .group_by(col(TallyBatch.entrance_id)))).all())
        counts = dict((await session.exec(select(TallyEntrance.id, TallyEntrance.count))).all())
    assert sums == counts
    return {int(k): int(v) for k, v in sums.items()}


async def test_a_minus_at_one_gate_from_two_phones_at_once_never_goes_below_zero(
    client: Client, staff: Staff
) -> None:
    night = await held_night(client, staff.scheduler)
    gate = await entrance(client, staff.admin, night, "东门")
    await client.post(batches_url(night, gate), json=batch(3), headers=staff.admin)

    answers = await asyncio.gather(*(
        client.post(batches_url(night, gate), json=batch(-1), headers=headers)
        for headers in (staff.admin, staff.scheduler, staff.reporter, staff.admin, staff.reporter)
    ))
    figures = (await client.get(tally_url(night), headers=staff.admin)).json()

    assert sorted(a.status_code for a in answers) == [201, 201, 201, 422, 422]
    assert figures["entrances"][0]["count"] == 0
    assert figures["total"] == 0
