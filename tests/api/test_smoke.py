from __future__ import annotations

from tests.conftest import Client


async def test_night_market_june_shows_skipped_moved_and_cancelled_nights(
    client: Client, seeded: None
) -> None:
    response = await client.get(
        "/api/v1/occurrences",
        params={"start": "2027-06-01", "end": "2027-07-01", "category": "market"},
    )

    assert response.status_code == 200
    nights = [(o["start"], o["status"]) for o in response.json()]
    assert nights == [
        ("2027-06-04T19:00:00+08:00", "scheduled"),
        ("2027-06-05T19:00:00+08:00", "scheduled"),
        ("2027-06-11T19:00:00+08:00", "scheduled"),
        ("2027-06-19T19:00:00+08:00", "scheduled"),
        ("2027-06-20T19:00:00+08:00", "moved"),
        ("2027-06-25T19:00:00+08:00", "scheduled"),
        ("2027-06-26T19:00:00+08:00", "cancelled"),
    ]
