"""Logging a test client in to the staff pages, and the CSRF token its forms need."""

from __future__ import annotations

from bolin_events.auth import SESSION_COOKIE
from bolin_events.models import Role
from bolin_events.services.accounts.tokens import create_web_session
from bolin_events.services.accounts.users import find_user
from tests.conftest import Client, make_user

CSRF_COOKIE = "bolin_csrf"


async def log_in(
    client: Client, username: str, role: Role, villages: list[str] | None = None
) -> dict[str, str]:
    """Makes the user, sets the page session cookie for them, and gives their Bearer header
    (for checking through the JSON API what the pages did)."""
    headers = await make_user(client.app, username, role, villages)
    async with client.app.state.sessionmaker() as session, session.begin():
        user = await find_user(session, username)
        token = await create_web_session(session, user)
    client.cookies.set(SESSION_COOKIE, token)
    return headers


def csrf(client: Client) -> str:
    """The token a form posts back (the cookie is set by any page GET before).

    The test settings' public address is https, so the cookie comes marked Secure, and httpx
    would not send it back to http://testserver: the test client's copy drops the flag.
    """
    for cookie in client.cookies.jar:
        if cookie.name == CSRF_COOKIE and cookie.value:
            cookie.secure = False
            return cookie.value
    raise AssertionError("GET a page first: it sets the CSRF cookie")
