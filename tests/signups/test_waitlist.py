"""Cancelling gives the place to the waitlist, in the order people joined it; the visitor's
own page says what became of the sign-up."""

from __future__ import annotations

from tests.conftest import Client, Staff
from tests.signups.helpers import figures, list_url, night_with_plan, sign_up, token_of


def own_page(token: str) -> str:
    return f"/api/v1/signups/{token}"


async def test_waitlist_cancel_3_confirmed_moves_the_first_3_waiting_up_in_order(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=5)
    made = [await sign_up(client, night, n) for n in range(9)]  # 5 confirmed, 4 waiting
    tokens = [token_of(answer) for answer in made]
    assert [a.json()["state"] for a in made] == ["confirmed"] * 5 + ["waitlisted"] * 4
    assert [a.json()["position"] for a in made[5:]] == [1, 2, 3, 4]

    for token in tokens[1:4]:
        cancelled = await client.post(f"{own_page(token)}/cancel")
        assert (cancelled.status_code, cancelled.json()["state"]) == (200, "cancelled")

    seen = [(await client.get(own_page(token))).json() for token in tokens[5:]]
    assert [(s["state"], s["position"], s["promoted_at"] is not None) for s in seen] == [
        ("confirmed", None, True), ("confirmed", None, True), ("confirmed", None, True),
        ("waitlisted", 1, False)]
    listed = (await client.get(list_url(night), headers=staff.scheduler)).json()
    assert [r["name"] for r in listed if r["state"] == "confirmed"] == [
        "游客0", "游客4", "游客5", "游客6", "游客7"]
    assert (await figures(client, night)).registered == 5


async def test_waitlist_a_party_too_big_for_the_freed_places_holds_the_line(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=2, max_party=4)
    first = await sign_up(client, night, 1)
    await sign_up(client, night, 2)
    family = await sign_up(client, night, 3, party=3)  # waits first
    single = await sign_up(client, night, 4)  # waits behind the family

    await client.post(f"{own_page(token_of(first))}/cancel")  # frees one place

    after = [(await client.get(own_page(token_of(a)))).json() for a in (family, single)]
    assert [(s["state"], s["position"]) for s in after] == [("waitlisted", 1), ("waitlisted", 2)]


async def test_waitlist_when_the_head_cancels_the_next_who_fits_moves_up(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=2, max_party=4)
    first = await sign_up(client, night, 1)
    await sign_up(client, night, 2)
    family = await sign_up(client, night, 3, party=3)
    single = await sign_up(client, night, 4)
    await client.post(f"{own_page(token_of(first))}/cancel")

    await client.post(f"{own_page(token_of(family))}/cancel")

    moved = (await client.get(own_page(token_of(single)))).json()
    assert (moved["state"], moved["promoted_at"] is not None) == ("confirmed", True)


async def test_waitlist_full_refuses_with_409(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=1, waitlist_max=1)
    await sign_up(client, night, 1)
    await sign_up(client, night, 2)

    refused = await sign_up(client, night, 3)

    assert (refused.status_code, refused.json()["message"]) == (409, "名额已满，候补也已满。")


async def test_waitlist_off_a_full_night_refuses_saying_so(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler, places=1, waitlist=False)
    await sign_up(client, night, 1)

    refused = await sign_up(client, night, 2)
    shown = (await client.get(f"/api/v1/occurrences/{night}/signups")).json()

    assert (refused.status_code, refused.json()["message"]) == (409, "名额已满。")
    assert (shown["remaining"], shown["waitlist_open"]) == (0, False)


async def test_cancel_twice_is_409_saying_it_is_already_cancelled(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    token = token_of(await sign_up(client, night))
    await client.post(f"{own_page(token)}/cancel")

    again = await client.post(f"{own_page(token)}/cancel")

    assert (again.status_code, again.json()["message"]) == (409, "这份报名已经取消过了。")


async def test_cancel_gives_the_phone_number_its_turn_back(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    token = token_of(await sign_up(client, night, 1))
    await client.post(f"{own_page(token)}/cancel")

    again = await sign_up(client, night, 1)

    assert (again.status_code, again.json()["state"]) == (201, "confirmed")


async def test_own_page_by_a_wrong_link_is_404_and_never_cached(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    made = await sign_up(client, night)

    wrong = await client.get(own_page("not-a-real-token-at-all"))
    right = await client.get(own_page(token_of(made)))

    assert (wrong.status_code, wrong.json()["message"]) == (
        404, "找不到这份报名，请检查链接是否完整。")
    assert right.headers["cache-control"] == "private, no-store"
    assert made.headers["cache-control"] == "private, no-store"
    assert right.json()["code"] == made.json()["code"]
    assert made.json()["link"].startswith("https://events.example.test/signups/")


async def test_sign_up_answer_shows_the_masked_number_never_the_whole(
        client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)

    made = await sign_up(client, night, name="  王 小明 ", phone="+86 139 1234 5678")
    listed = await client.get(list_url(night), headers=staff.scheduler)

    assert (made.json()["name"], made.json()["phone_masked"]) == ("王 小明", "139****5678")
    for answer in (made, listed):
        assert "13912345678" not in answer.text and "1234 5678" not in answer.text


async def test_cancel_after_check_in_is_refused(client: Client, staff: Staff) -> None:
    _, night = await night_with_plan(client, staff.scheduler)
    made = await sign_up(client, night)
    checked = await client.post(f"/api/v1/occurrences/{night}/check-ins", headers=staff.admin,
                                json={"code": made.json()["code"], "key": "door-key-1"})
    assert checked.status_code == 200, checked.text

    refused = await client.post(f"{own_page(token_of(made))}/cancel")

    assert (refused.status_code, refused.json()["message"]) == (409, "已签到，不能再取消。")
    assert (await figures(client, night)).checked_in == 1
