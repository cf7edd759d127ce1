"""Admin user management pages: list, create, change role and villages, disable, reset."""

from __future__ import annotations

import pytest

from bolin_events.auth import SESSION_COOKIE
from bolin_events.models import Role
from bolin_events.services.accounts.tokens import create_web_session
from bolin_events.services.accounts.users import find_user
from tests.conftest import PASSWORD, Client, make_user
from tests.html_check import assert_good_page
from tests.pages.login import log_in
from tests.pages.staff_helpers import location, post_form

NEW_PASSWORD = "a brand new secret"


@pytest.fixture
async def admin(client: Client, reference: None) -> dict[str, str]:
    return await log_in(client, "boss", Role.admin)


async def _me(client: Client, username: str, password: str) -> dict[str, object] | None:
    """Who the JSON API says this user is, logging in with this password (None if refused)."""
    token = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    if token.status_code != 201:
        return None
    me = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token.json()['token']}"}
    )
    body: dict[str, object] = me.json()
    return body


async def test_users_page_lists_accounts(client: Client, admin: dict[str, str]) -> None:
    await make_user(client.app, "liu", Role.reporter, ["dongsheng", "huagai"])

    response = await client.get("/staff/users")

    assert response.status_code == 200
    assert_good_page(response.text)
    assert '<a href="/staff/users/liu">liu</a>' in response.text
    assert "dongsheng, huagai" in response.text


async def test_admin_creates_a_reporter_with_a_village(
    client: Client, admin: dict[str, str]
) -> None:
    response = await post_form(client, "/staff/users", {
        "username": "wang", "password": PASSWORD, "role": "reporter",
        "display_name": "王五", "villages": ["shahe"],
    })

    assert location(response) == "/staff/users?done=user_created"
    assert "账号已创建" in (await client.get(location(response))).text
    me = await _me(client, "wang", PASSWORD)
    assert me is not None
    assert (me["role"], me["villages"], me["display_name"]) == ("reporter", ["shahe"], "王五")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "x", "password": PASSWORD, "role": "scheduler"}, "用户名"),
        ({"username": "short", "password": "short", "role": "scheduler"}, "至少 10 个字符"),
        ({"username": "nobody", "password": PASSWORD, "role": "emperor"}, "角色"),
        ({"username": "novillage", "password": PASSWORD, "role": "reporter"}, "至少要选一个村"),
        ({"username": "lost", "password": PASSWORD, "role": "reporter",
          "villages": ["atlantis"]}, "找不到村"),
        ({}, "用户名"),
    ],
)
async def test_bad_new_user_is_a_4xx_page_and_nothing_is_made(
    client: Client, admin: dict[str, str], fields: dict[str, str], message: str
) -> None:
    before = (await client.get("/api/v1/users", headers=admin)).json()

    response = await post_form(client, "/staff/users", fields)

    assert response.status_code in (422, 404)
    assert message in response.text
    assert_good_page(response.text)
    assert (await client.get("/api/v1/users", headers=admin)).json() == before


async def test_taken_username_is_409_with_input_kept(client: Client, admin: dict[str, str]) -> None:
    response = await post_form(client, "/staff/users", {
        "username": "boss", "password": PASSWORD, "role": "scheduler", "display_name": "老板二号",
    })

    assert response.status_code == 409
    assert "已存在" in response.text
    assert 'value="老板二号"' in response.text


async def test_admin_changes_role_and_villages(client: Client, admin: dict[str, str]) -> None:
    await make_user(client.app, "liu", Role.reporter, ["dongsheng"])
    page = await client.get("/staff/users/liu")
    assert_good_page(page.text)

    response = await post_form(
        client, "/staff/users/liu", {"role": "reporter", "villages": ["huagai", "fuxing"]}
    )

    assert location(response) == "/staff/users/liu?done=user_saved"
    me = await _me(client, "liu", PASSWORD)
    assert me is not None and me["villages"] == ["fuxing", "huagai"]
    await post_form(client, "/staff/users/liu", {"role": "scheduler"})
    me = await _me(client, "liu", PASSWORD)
    assert me is not None and (me["role"], me["villages"]) == ("scheduler", [])


async def test_disabling_ends_the_users_log_ins(client: Client, admin: dict[str, str]) -> None:
    await make_user(client.app, "liu", Role.scheduler)
    boss_cookie = client.cookies[SESSION_COOKIE]
    liu_cookie = await session_token(client, "liu")

    response = await post_form(client, "/staff/users/liu/active", {"active": "no"})

    assert location(response) == "/staff/users/liu?done=user_disabled"
    assert "已停用" in (await client.get("/staff/users/liu")).text
    client.cookies.set(SESSION_COOKIE, liu_cookie)
    assert (await client.get("/staff")).status_code == 303  # back to the log-in page
    assert await _me(client, "liu", PASSWORD) is None
    client.cookies.set(SESSION_COOKIE, boss_cookie)
    await post_form(client, "/staff/users/liu/active", {"active": "yes"})
    assert await _me(client, "liu", PASSWORD) is not None


async def session_token(client: Client, username: str) -> str:
    """What logging in on the page would put in the cookie for this user."""
    async with client.app.state.sessionmaker() as session, session.begin():
        return await create_web_session(
            session, await find_user(session, username)
        )


async def test_admin_may_not_disable_or_demote_themselves(
    client: Client, admin: dict[str, str]
) -> None:
    disable = await post_form(client, "/staff/users/boss/active", {"active": "no"})
    demote = await post_form(client, "/staff/users/boss", {"role": "scheduler"})

    assert disable.status_code == 422 and "不能停用自己的账号" in disable.text
    assert demote.status_code == 422 and "管理员角色" in demote.text
    assert (await client.get("/staff/users")).status_code == 200  # still an active admin


async def test_reset_password(client: Client, admin: dict[str, str]) -> None:
    await make_user(client.app, "liu", Role.scheduler)

    short = await post_form(client, "/staff/users/liu/password", {"password": "short"})
    assert short.status_code == 422 and "至少 10 个字符" in short.text
    assert await _me(client, "liu", PASSWORD) is not None

    response = await post_form(client, "/staff/users/liu/password", {"password": NEW_PASSWORD})

    assert location(response) == "/staff/users/liu?done=password"
    assert await _me(client, "liu", PASSWORD) is None
    assert await _me(client, "liu", NEW_PASSWORD) is not None


async def test_unknown_user_is_a_404_page(client: Client, admin: dict[str, str]) -> None:
    for response in (
        await client.get("/staff/users/nobody"),
        await post_form(client, "/staff/users/nobody", {"role": "scheduler"}),
        await post_form(client, "/staff/users/no%00body/active", {"active": "no"}),
    ):
        assert response.status_code == 404
        assert "找不到用户" in response.text
