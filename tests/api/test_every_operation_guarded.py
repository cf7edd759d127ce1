"""Every API operation, asked by every kind of caller: who gets in, who gets 401 or 403.

The table below names, for each operation the OpenAPI description lists, who may call it.
An operation missing from the table fails the suite, so a new endpoint cannot ship without
someone deciding who may use it; a guard that lets the wrong caller in fails it too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import update

from bolin_events.models import ApiToken, Role, User, utcnow
from tests.conftest import Client, make_user

ANYONE, STAFF, PLANNERS, ADMIN = "anyone", "staff", "planners", "admin"
MAY = {
    STAFF: {"reporter", "scheduler", "admin"},
    PLANNERS: {"scheduler", "admin"},
    ADMIN: {"admin"},
}
CALLERS = ["anonymous", "reporter", "scheduler", "admin", "revoked token", "disabled user"]

WHO: dict[str, str] = {
    "GET /healthz": ANYONE,
    "GET /readyz": ANYONE,
    "GET /api/v1/events": ANYONE,
    "POST /api/v1/events": PLANNERS,
    "GET /api/v1/events/{event_id}": ANYONE,
    "PATCH /api/v1/events/{event_id}": PLANNERS,
    "DELETE /api/v1/events/{event_id}": PLANNERS,
    "POST /api/v1/events/{event_id}/{action}": PLANNERS,
    "GET /api/v1/occurrences": ANYONE,
    "GET /api/v1/occurrences/{occurrence_id}": ANYONE,
    "POST /api/v1/occurrences/{occurrence_id}/cancel": PLANNERS,
    "POST /api/v1/occurrences/{occurrence_id}/move": PLANNERS,
    "POST /api/v1/occurrences/{occurrence_id}/restore": PLANNERS,
    "POST /api/v1/occurrences/{occurrence_id}/skip": PLANNERS,
    "GET /api/v1/users": ADMIN,
    "GET /api/v1/audit": ADMIN,
    "POST /api/v1/users": ADMIN,
    "POST /api/v1/users/{username}/disable": ADMIN,
    "POST /api/v1/auth/token": ANYONE,
    "GET /api/v1/me": STAFF,
    "DELETE /api/v1/tokens/{token_id}": STAFF,
    **{f"GET /api/v1/{kind}": ANYONE for kind in (
        "villages", "venues", "counting-groups", "categories", "organizers", "programmes")},
    **{f"GET /api/v1/{kind}/{{slug}}": ANYONE for kind in (
        "villages", "venues", "counting-groups", "categories", "organizers", "programmes")},
    **{f"POST /api/v1/{kind}": PLANNERS for kind in (
        "villages", "venues", "counting-groups", "categories", "organizers", "programmes")},
    **{f"PATCH /api/v1/{kind}/{{slug}}": PLANNERS for kind in (
        "villages", "venues", "counting-groups", "categories", "organizers", "programmes")},
    "POST /api/v1/import/sheet": PLANNERS,
    "GET /api/v1/import/template.xlsx": ANYONE,
    "GET /api/v1/occurrences/{occurrence_id}/reports": STAFF,
    "POST /api/v1/occurrences/{occurrence_id}/reports": STAFF,
    "GET /api/v1/reports/pending": STAFF,
    "POST /api/v1/occurrences/{occurrence_id}/photos": STAFF,
    "GET /api/v1/photos/{photo_id}": STAFF,
    "GET /api/v1/occurrences/{occurrence_id}/check-ins": STAFF,
    "POST /api/v1/occurrences/{occurrence_id}/check-ins": STAFF,
    **{f"{method} /api/v1/{owner}/signup-plan": PLANNERS for method in ("GET", "PUT", "DELETE")
       for owner in ("events/{event_id}", "occurrences/{occurrence_id}")},
    "GET /api/v1/occurrences/{occurrence_id}/signups": ANYONE,
    "POST /api/v1/occurrences/{occurrence_id}/signups": ANYONE,
    "GET /api/v1/signups/{token}": ANYONE,
    "POST /api/v1/signups/{token}/cancel": ANYONE,
    "GET /api/v1/occurrences/{occurrence_id}/registrations": PLANNERS,
    "POST /api/v1/occurrences/{occurrence_id}/registrations": STAFF,
    "PATCH /api/v1/occurrences/{occurrence_id}/registrations/{registration_id}": PLANNERS,
    "GET /api/v1/occurrences/{occurrence_id}/tally": STAFF,
    "POST /api/v1/occurrences/{occurrence_id}/tally/entrances": STAFF,
    "POST /api/v1/occurrences/{occurrence_id}/tally/entrances/{entrance_id}/batches": STAFF,
    "POST /api/v1/occurrences/{occurrence_id}/tally/close": STAFF,
    "GET /api/v1/reports/annual-return": PLANNERS,
    "GET /api/v1/reports/baselines": PLANNERS,
    "PUT /api/v1/reports/baselines/{year}/{group}": PLANNERS,
    "DELETE /api/v1/reports/baselines/{year}/{group}": PLANNERS,
    "GET /api/v1/reports/annual-return/file": PLANNERS,
    "GET /api/v1/reports/annual-items": PLANNERS,
    "PUT /api/v1/reports/annual-items/{year}": PLANNERS,
    "GET /api/v1/reports/charts": PLANNERS,
    "GET /api/v1/reports/charts/{kind}": PLANNERS,
    "GET /api/v1/reports/ledger": PLANNERS,
    "GET /api/v1/reports/ledger/file": PLANNERS,
    "GET /api/v1/reports/review": PLANNERS,
    "GET /api/v1/reports/stats": PLANNERS,
    "GET /api/v1/reports/stats/file": PLANNERS,
    "GET /api/v1/years": PLANNERS,
    "POST /api/v1/years/{year}/close": ADMIN,
    "POST /api/v1/years/{year}/reopen": ADMIN,
    "GET /api/v1/holidays": ANYONE,
    "PUT /api/v1/holidays/{year}": ADMIN,
    "DELETE /api/v1/holidays/{year}": ADMIN,
    "GET /api/v1/feeds": ANYONE,
    "GET /api/v1/events/{event_id}/picture": ANYONE,
    "PUT /api/v1/events/{event_id}/picture": PLANNERS,
    "DELETE /api/v1/events/{event_id}/picture": PLANNERS,
    "GET /api/v1/categories/{slug}/picture": ANYONE,
    "PUT /api/v1/categories/{slug}/picture": PLANNERS,
    "DELETE /api/v1/categories/{slug}/picture": PLANNERS,
    "GET /api/v1/programmes/{slug}/picture": ANYONE,
    "PUT /api/v1/programmes/{slug}/picture": PLANNERS,
    "DELETE /api/v1/programmes/{slug}/picture": PLANNERS,
    "GET /qr.svg": ANYONE,
    "GET /qr.png": ANYONE,
}
# Stand-ins for path parameters: names that exist where that matters, else nothing at all.
PATH_VALUES = {"event_id": "999999", "occurrence_id": "999999-20270101T190000",
               "slug": "dongsheng", "token_id": "999999", "username": "nobody",
               "photo_id": "999999", "action": "publish", "kind": "trend",
               "year": "2025", "group": "culture", "token": "no-such-sign-up-link",
               "registration_id": "999999", "entrance_id": "999999"}


def api_operations(schema: dict[str, Any]) -> list[str]:
    return sorted(f"{method.upper()} {path}" for path, ops in schema["paths"].items()
                  for method in ops if method in ("get", "post", "patch", "put", "delete")
                  and not path.startswith("/staff") and not _is_page(path))


def _is_page(path: str) -> bool:
    return path in ("/", "/calendar", "/events", "/subscribe") or path.startswith(
        ("/events/", "/programmes/"))


@pytest.fixture
async def callers(client: Client, reference: None) -> dict[str, dict[str, str]]:
    app = client.app
    made = {
        "anonymous": {},
        "reporter": await make_user(app, "reporter", Role.reporter, ["dongsheng"]),
        "scheduler": await make_user(app, "scheduler", Role.scheduler),
        "admin": await make_user(app, "admin", Role.admin),
        "revoked token": await make_user(app, "revoked", Role.admin),
        "disabled user": await make_user(app, "disabled", Role.admin),
    }
    async with app.state.sessionmaker() as session, session.begin():
        revoked = (await session.exec(  # type: ignore[call-overload]
            update(ApiToken).where(ApiToken.user_id == User.id, User.username == "revoked")
            .values(revoked_at=utcnow())))
        assert revoked.rowcount == 1
        await session.exec(update(User).where(User.username == "disabled")  # type: ignore[call-overload]
                           .values(is_active=False))
    return made


async def test_every_operation_is_in_the_table(client: Client) -> None:
    listed = api_operations((await client.get("/schema/openapi.json")).json())

    assert [op for op in listed if op not in WHO] == []  # decide who may call it: add it above
    assert [op for op in WHO if op not in listed] == []


async def test_every_caller_gets_in_or_is_refused_as_the_table_says(
        client: Client, callers: dict[str, dict[str, str]]) -> None:
    wrong = []
    for operation, who in WHO.items():
        method, template = operation.split(" ")
        path = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], template)
        for caller in CALLERS:
            body = {} if method in ("POST", "PATCH", "PUT") else None
            answer = await client.request(method, path, headers=callers[caller], json=body)
            if caller in ("revoked token", "disabled user"):
                expected = "401"
            elif who == ANYONE or caller in MAY[who]:
                expected = "in"
            else:
                expected = "401" if caller == "anonymous" else "403"
            got = answer.status_code
            seen = "in" if got not in (401, 403) and got < 500 else str(got)
            if seen != expected:
                wrong.append(f"{operation} as {caller}: {got} (expected {expected})")

    assert wrong == []
