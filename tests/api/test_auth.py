"""Who may do what: tokens, logins, roles (401 without a valid token, 403 with the wrong role)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from bolin_events.models import ApiToken, User
from tests.api.helpers import EVENTS, GALA, problem
from tests.conftest import PASSWORD, Client, Staff

LOGIN = "/api/v1/auth/token"
NEW_VENUE = {"name_zh": "沙河村文化广场", "village": "shahe"}
NEW_USER = {"username": "amei", "password": "a long enough password", "role": "reporter",
            "villages": ["shahe"]}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return await client.post(LOGIN, json={"username": username, "password": password,
                                          "name": "laptop"})


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", EVENTS, GALA),
        ("PATCH", f"{EVENTS}/1", {"title_zh": "x"}),
        ("DELETE", f"{EVENTS}/1", None),
        ("POST", f"{EVENTS}/1/publish", {}),
        ("POST", "/api/v1/occurrences/1-20270501T193000/skip", None),
        ("POST", "/api/v1/venues", NEW_VENUE),
        ("PATCH", "/api/v1/villages/huagai", {"name_en": "Huagai"}),
        ("POST", "/api/v1/users", NEW_USER),
        ("GET", "/api/v1/users", None),
        ("GET", "/api/v1/me", None),
    ],
)
async def test_write_without_a_token_is_401(client: Client, reference: None, method: str,
                                            url: str, body: dict[str, Any] | None) -> None:
    response = await client.request(method, url, json=body)

    assert response.status_code == 401
    assert problem(response)["message_en"] == (
        "Log in first: send the header Authorization: Bearer <token>.")


@pytest.mark.parametrize("header", ["Bearer bolin_not-a-real-token", "Bearer ", "Basic YTpi",
                                    "bolin_no-scheme"])
async def test_a_bad_token_is_401_even_on_public_reads(client: Client, reference: None,
                                                       header: str) -> None:
    response = await client.get("/api/v1/villages", headers={"Authorization": header})

    assert response.status_code == 401
    assert problem(response)["message_en"] == (
        "The token is not valid, was revoked, or its account is disabled.")


async def test_public_reads_need_no_login(client: Client, reference: None) -> None:
    response = await client.get("/api/v1/villages")

    assert response.status_code == 200
    assert [v["slug"] for v in response.json()["items"]] == [
        "dongsheng", "fuxing", "huagai", "shahe", "xingnong"]


async def test_reporter_creating_an_event_is_403_and_nothing_stored(client: Client,
                                                                     staff: Staff) -> None:
    response = await client.post(EVENTS, json=GALA, headers=staff.reporter)

    assert response.status_code == 403
    body = problem(response)
    assert (body["message"], body["message_en"]) == (
        "角色「信息员」无权编排活动（管理员或排期人员）。",
        "The role 'reporter' may not do this (programme:write).")
    assert body["details"] == [{"role": "reporter", "needs": ["admin", "scheduler"]}]
    listed = await client.get(EVENTS, params={"status": "draft"}, headers=staff.scheduler)
    assert listed.json()["total"] == 0


async def test_reporter_creating_a_venue_is_403(client: Client, staff: Staff) -> None:
    response = await client.post("/api/v1/venues", json=NEW_VENUE, headers=staff.reporter)

    assert response.status_code == 403
    assert (await client.get("/api/v1/venues")).json()["total"] == 4  # the culture station too


async def test_admin_may_schedule(client: Client, staff: Staff) -> None:
    response = await client.post(EVENTS, json=GALA, headers=staff.admin)

    assert response.status_code == 201
    listed = await client.get(EVENTS, params={"status": "draft"}, headers=staff.scheduler)
    assert [e["title_zh"] for e in listed.json()["items"]] == [GALA["title_zh"]]


async def test_scheduler_managing_users_is_403(client: Client, staff: Staff) -> None:
    added = await client.post("/api/v1/users", json=NEW_USER, headers=staff.scheduler)
    listed = await client.get("/api/v1/users", headers=staff.scheduler)
    disabled = await client.post("/api/v1/users/reporter/disable", headers=staff.scheduler)

    assert [r.status_code for r in (added, listed, disabled)] == [403, 403, 403]
    assert problem(added)["message"] == "角色「排期人员」无权管理账号（仅管理员）。"
    users = await client.get("/api/v1/users", headers=staff.admin)
    assert [(u["username"], u["is_active"]) for u in users.json()] == [
        ("admin", True), ("reporter", True), ("scheduler", True)]


async def test_admin_adds_a_reporter_who_logs_in(client: Client, staff: Staff) -> None:
    added = await client.post("/api/v1/users", json=NEW_USER, headers=staff.admin)

    token = await login(client, "amei", NEW_USER["password"])
    me = await client.get("/api/v1/me", headers=bearer(token.json()["token"]))

    assert added.status_code == 201
    assert (added.json()["username"], added.json()["role"], added.json()["villages"]) == (
        "amei", "reporter", ["shahe"])
    assert "password" not in added.text
    assert me.json() == added.json()


async def test_passwords_and_tokens_are_stored_hashed(client: Client, staff: Staff) -> None:
    await client.post("/api/v1/users", json=NEW_USER, headers=staff.admin)
    token = (await login(client, "amei", NEW_USER["password"])).json()

    async with client.app.state.sessionmaker() as session:
        user = (await session.exec(select(User).where(User.username == "amei"))).one()
        stored = await session.get(ApiToken, token["id"])

    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert NEW_USER["password"] not in user.password_hash
    assert stored is not None and (stored.prefix, len(stored.token_hash)) == (
        token["token"][:12], 64)
    assert token["token"] not in stored.token_hash


async def test_login_gives_a_token_shown_once(client: Client, staff: Staff) -> None:
    response = await login(client, "scheduler")

    assert response.status_code == 201
    token = response.json()
    assert (token["name"], token["prefix"], token["token"][:6]) == (
        "laptop", token["token"][:12], "bolin_")
    created = await client.post(EVENTS, json=GALA, headers=bearer(token["token"]))
    assert created.status_code == 201


@pytest.mark.parametrize("name", ["web-session", "Web-Session "])
async def test_the_page_log_in_token_name_is_reserved(client: Client, staff: Staff,
                                                      name: str) -> None:
    """Such a token would also open the staff pages as a log-in cookie."""
    response = await client.post(LOGIN, json={"username": "scheduler", "password": PASSWORD,
                                              "name": name})

    assert response.status_code == 422
    assert "web-session" in problem(response)["message_en"]


@pytest.mark.parametrize(("username", "password"), [
    ("scheduler", "wrong password"), ("nobody", PASSWORD), ("a\u0000b", PASSWORD),
    ("", ""), ("x" * 64, PASSWORD)])
async def test_login_wrong_name_or_password_is_401(client: Client, staff: Staff, username: str,
                                                   password: str) -> None:
    response = await login(client, username, password)

    assert response.status_code == 401
    assert problem(response)["message_en"] == (
        "Wrong username or password, or the account is disabled.")


async def test_disabled_user_cannot_log_in_and_loses_their_tokens(client: Client,
                                                                 staff: Staff) -> None:
    disabled = await client.post("/api/v1/users/scheduler/disable", headers=staff.admin)

    relogin = await login(client, "scheduler")
    old_token = await client.post(EVENTS, json=GALA, headers=staff.scheduler)

    assert disabled.json()["is_active"] is False
    assert relogin.status_code == 401
    assert old_token.status_code == 401


async def test_disable_unknown_user_is_404(client: Client, staff: Staff) -> None:
    response = await client.post("/api/v1/users/ghost%00/disable", headers=staff.admin)

    assert response.status_code == 404
    assert problem(response)["message_en"] == "No user 'ghost\\x00' exists."


async def test_revoked_token_is_refused(client: Client, staff: Staff) -> None:
    token = (await login(client, "scheduler")).json()

    revoked = await client.delete(f"/api/v1/tokens/{token['id']}",
                                  headers=bearer(token["token"]))
    after = await client.get("/api/v1/me", headers=bearer(token["token"]))
    other = await client.get("/api/v1/me", headers=staff.scheduler)

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert other.json()["username"] == "scheduler"


async def test_revoking_someone_elses_token_is_403_for_a_scheduler(client: Client,
                                                                    staff: Staff) -> None:
    token = (await login(client, "reporter")).json()

    refused = await client.delete(f"/api/v1/tokens/{token['id']}", headers=staff.scheduler)
    still = await client.get("/api/v1/me", headers=bearer(token["token"]))
    by_admin = await client.delete(f"/api/v1/tokens/{token['id']}", headers=staff.admin)
    gone = await client.get("/api/v1/me", headers=bearer(token["token"]))

    assert refused.status_code == 403
    assert problem(refused)["message_en"] == "You may revoke only your own tokens."
    assert still.json()["username"] == "reporter"
    assert (by_admin.status_code, gone.status_code) == (204, 401)


@pytest.mark.parametrize("token_id", [987654, 99999999999, 10**30])
async def test_revoking_an_unknown_token_is_404(client: Client, staff: Staff,
                                                token_id: int) -> None:
    response = await client.delete(f"/api/v1/tokens/{token_id}", headers=staff.admin)

    assert response.status_code == 404
    assert problem(response)["message_en"] == f"No token {token_id} exists."


async def test_me_shows_a_reporters_villages(client: Client, staff: Staff) -> None:
    response = await client.get("/api/v1/me", headers=staff.reporter)

    assert {k: response.json()[k] for k in ("username", "role", "villages", "is_active")} == {
        "username": "reporter", "role": "reporter", "villages": ["dongsheng"], "is_active": True}


async def test_add_user_with_a_taken_name_is_409(client: Client, staff: Staff) -> None:
    response = await client.post("/api/v1/users", json={**NEW_USER, "username": "reporter"},
                                 headers=staff.admin)

    assert response.status_code == 409
    assert problem(response)["message_en"] == "The username 'reporter' is taken."


async def test_add_user_with_an_unknown_village_is_404(client: Client, staff: Staff) -> None:
    response = await client.post("/api/v1/users", json={**NEW_USER, "villages": ["bolin"]},
                                 headers=staff.admin)

    assert response.status_code == 404
    users = await client.get("/api/v1/users", headers=staff.admin)
    assert "amei" not in [u["username"] for u in users.json()]
