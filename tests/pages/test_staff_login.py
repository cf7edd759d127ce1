"""Staff log-in and log-out: the session cookie, wrong passwords, the shared lock, CSRF."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from bolin_events.app import close_database, create_app, open_database
from bolin_events.auth import SESSION_COOKIE
from bolin_events.models import ApiToken, Role, utcnow
from bolin_events.settings import Settings
from tests.conftest import PASSWORD, Client, make_user
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import location, post_form


async def _log_in_form(
    client: Client, username: str, password: str, **extra: str
) -> httpx.Response:
    return await post_form(
        client, "/staff/login", {"username": username, "password": password, **extra}
    )


@pytest.fixture
async def scheduler(client: Client, reference: None) -> None:
    await make_user(client.app, "scheduler", Role.scheduler)


async def test_login_page_has_the_labelled_form(client: Client, reference: None) -> None:
    response = await client.get("/staff/login")

    assert response.status_code == 200
    tree = assert_good_page(response.text)
    labels = [label.text for label in tree.iter("label")]
    assert labels == ["用户名", "密码"]
    assert [b.text for b in tree.iter("button") if b.get("type") == "submit"] == ["登录"]


async def test_login_page_in_english(client: Client, reference: None) -> None:
    response = await client.get("/staff/login?lang=en")

    tree = assert_good_page(response.text)
    assert [label.text for label in tree.iter("label")] == ["Username", "Password"]
    assert "Log in" in response.text


async def test_login_sets_a_httponly_samesite_secure_cookie(
    client: Client, scheduler: None
) -> None:
    response = await _log_in_form(client, "scheduler", PASSWORD)

    assert location(response) == "/staff"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "=")
    )
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "secure", "path=/"} <= flags
    client.cookies.set(SESSION_COOKIE, response.cookies[SESSION_COOKIE])
    dashboard = await client.get("/staff")
    assert dashboard.status_code == 200
    assert "退出 (scheduler)" in dashboard.text


async def test_each_login_gets_a_new_token(client: Client, scheduler: None) -> None:
    first = (await _log_in_form(client, "scheduler", PASSWORD)).cookies[SESSION_COOKIE]
    second = (await _log_in_form(client, "scheduler", PASSWORD)).cookies[SESSION_COOKIE]

    assert first != second


async def test_wrong_password_shows_the_form_again_with_a_message(
    client: Client, scheduler: None
) -> None:
    response = await _log_in_form(client, "scheduler", "not the password")

    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert 'value="scheduler"' in response.text  # the name is kept, the password is not
    assert SESSION_COOKIE not in response.cookies
    assert_good_page(response.text)


async def test_empty_fields_ask_for_both(client: Client, scheduler: None) -> None:
    response = await post_form(client, "/staff/login", {})

    assert response.status_code == 422
    assert "请填写用户名和密码" in response.text


async def test_sixth_wrong_password_is_refused_with_429(client: Client, scheduler: None) -> None:
    for _ in range(5):
        assert (await _log_in_form(client, "scheduler", "wrong password")).status_code == 401

    locked = await _log_in_form(client, "scheduler", PASSWORD)  # even the right one, for now

    assert locked.status_code == 429
    assert "请在" in locked.text and "之后" in locked.text and "再试" in locked.text
    assert SESSION_COOKIE not in locked.cookies
    assert_good_page(locked.text)


async def test_the_json_token_endpoint_shares_the_limit(client: Client, scheduler: None) -> None:
    for _ in range(5):
        wrong = await client.post(
            "/api/v1/auth/token", json={"username": "scheduler", "password": "wrong password"}
        )
        assert wrong.status_code == 401

    locked = await client.post(
        "/api/v1/auth/token", json={"username": "scheduler", "password": PASSWORD}
    )

    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "too_many_requests"
    assert "再试" in body["message"] and "Try again after" in body["message_en"]
    page = await _log_in_form(client, "scheduler", PASSWORD)
    assert page.status_code == 429


async def test_a_success_clears_the_names_failures(client: Client, scheduler: None) -> None:
    for _ in range(4):
        await _log_in_form(client, "scheduler", "wrong password")
    assert location(await _log_in_form(client, "scheduler", PASSWORD)) == "/staff"

    for _ in range(4):  # four more are allowed again: the count started over
        assert (await _log_in_form(client, "scheduler", "wrong password")).status_code == 401

    assert location(await _log_in_form(client, "scheduler", PASSWORD)) == "/staff"


async def test_failures_from_one_address_lock_every_name(client: Client, scheduler: None) -> None:
    for n in range(5):
        await _log_in_form(client, f"guess{n}", "wrong password")

    response = await _log_in_form(client, "scheduler", PASSWORD)

    assert response.status_code == 429
    assert "再试" in response.text
    assert SESSION_COOKIE not in response.cookies


@pytest.fixture
async def other_process(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second app instance on the same database, as another worker behind a load balancer."""
    app = create_app(settings)
    await open_database(app)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
            yield other
    finally:
        await close_database(app)


async def test_the_lock_holds_across_app_processes(
    client: Client, scheduler: None, other_process: httpx.AsyncClient
) -> None:
    for _ in range(5):
        wrong = await other_process.post(
            "/api/v1/auth/token", json={"username": "scheduler", "password": "wrong password"}
        )
        assert wrong.status_code == 401

    response = await _log_in_form(client, "scheduler", PASSWORD)

    assert response.status_code == 429
    assert "再试" in response.text
    assert SESSION_COOKIE not in response.cookies


async def test_logout_revokes_the_session(client: Client, reference: None) -> None:
    await log_in(client, "scheduler", Role.scheduler)
    old = client.cookies[SESSION_COOKIE]
    assert (await client.get("/staff")).status_code == 200

    response = await post_form(client, "/staff/logout")

    assert location(response) == "/"
    assert any(
        c.startswith(SESSION_COOKIE + "=") and "max-age=0" in c.lower()
        for c in response.headers.get_list("set-cookie")
    )
    client.cookies.set(SESSION_COOKIE, old)  # a copy of the old cookie opens nothing any more
    again = await client.get("/staff")
    assert again.status_code == 303
    assert again.headers["location"].startswith("/staff/login")


async def test_an_idle_session_ends_even_when_its_token_is_sent_as_a_header(
    client: Client, reference: None
) -> None:
    await log_in(client, "scheduler", Role.scheduler)
    raw = client.cookies[SESSION_COOKIE]
    idle = timedelta(hours=client.app.state.settings.session_idle_hours + 1)
    async with client.app.state.sessionmaker() as session, session.begin():
        token = (await session.exec(select(ApiToken).where(ApiToken.name == "web-session"))).one()
        token.created_at = token.last_used_at = utcnow() - idle
        session.add(token)

    page = await client.get("/staff")
    api = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert page.status_code == 303
    assert page.headers["location"].startswith("/staff/login")
    assert api.status_code == 401
    assert api.json()["message_en"] == (
        "The token is not valid, was revoked, or its account is disabled.")


async def test_a_logged_in_visitor_keeps_the_workspace_link_on_a_missing_page(
    client: Client, reference: None
) -> None:
    await log_in(client, "scheduler", Role.scheduler)

    missing = await client.get("/staff/no-such-page")

    assert missing.status_code == 404
    assert_good_page(missing.text)
    assert '<a href="/staff">工作台</a>' in missing.text


async def test_anonymous_staff_page_redirects_to_login(client: Client, reference: None) -> None:
    response = await client.get("/staff/events?status=draft")

    assert response.status_code == 303
    assert location(response) == "/staff/login?next=%2Fstaff%2Fevents%3Fstatus%3Ddraft"


async def test_a_form_sent_while_logged_out_leads_to_log_in_then_the_dashboard(
    client: Client, reference: None
) -> None:
    """No way back to a POST-only address: after logging in, the dashboard, not a 405."""
    response = await post_form(client, "/staff/events/new", {"title_zh": "村晚"})

    assert location(response) == "/staff/login?next=%2Fstaff"


async def test_login_goes_back_to_the_page_asked_for(client: Client, scheduler: None) -> None:
    page = await client.get("/staff/login?next=/staff/events%3Fstatus%3Ddraft")
    assert 'name="next" value="/staff/events?status=draft"' in page.text

    response = await _log_in_form(client, "scheduler", PASSWORD, next="/staff/events?status=draft")

    assert location(response) == "/staff/events?status=draft"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/staff", "//evil.example/staff", "/staffevil", "/\\evil.example",
     "/public", "javascript:alert(1)", "/staff/logout", "/staff@evil.example",
     "/\\evil.example/staff", "/staff/\\evil.example"],
)
async def test_login_never_redirects_off_the_staff_pages(
    client: Client, scheduler: None, target: str
) -> None:
    response = await _log_in_form(client, "scheduler", PASSWORD, next=target)

    assert location(response) == "/staff"


async def test_logged_in_user_skips_the_login_page(client: Client, reference: None) -> None:
    await log_in(client, "scheduler", Role.scheduler)

    response = await client.get("/staff/login")

    assert location(response) == "/staff"


async def test_post_without_csrf_token_is_403(client: Client, scheduler: None) -> None:
    await client.get("/staff/login")

    response = await client.post(
        "/staff/login", data={"username": "scheduler", "password": PASSWORD}
    )

    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


@pytest.mark.parametrize("path", ["/staff/events", "/staff/events/new", "/staff/users"])
async def test_reporter_may_not_open_editor_or_users(
    client: Client, reference: None, path: str
) -> None:
    await log_in(client, "reporter", Role.reporter, ["dongsheng"])

    response = await client.get(path)

    assert response.status_code == 403
    assert "无权" in response.text
    assert_good_page(response.text)


async def test_scheduler_may_not_manage_users(client: Client, reference: None) -> None:
    await log_in(client, "scheduler", Role.scheduler)

    response = await client.get("/staff/users")

    assert response.status_code == 403
    assert "角色「排期人员」无权管理账号（仅管理员）。" in response.text
