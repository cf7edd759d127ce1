"""The published API description, and the health check load balancers use."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute

from tests.conftest import Client

API_PATHS = ("/api/", "/qr.", "/healthz", "/readyz")  # what the OpenAPI describes


async def operations(client: Client) -> dict[str, dict[str, Any]]:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    return {f"{method.upper()} {path}": op for path, ops in paths.items()
            for method, op in ops.items()}


async def test_openapi_describes_every_operation(client: Client) -> None:
    described = await operations(client)

    assert [name for name, op in described.items()
            if not (op.get("summary") or op.get("description") or "").strip()] == []


async def test_openapi_covers_the_issues_operations(client: Client) -> None:
    described = await operations(client)

    assert {
        "GET /healthz", "POST /api/v1/auth/token", "DELETE /api/v1/tokens/{token_id}",
        "GET /api/v1/events", "POST /api/v1/events", "GET /api/v1/events/{event_id}",
        "PATCH /api/v1/events/{event_id}", "DELETE /api/v1/events/{event_id}",
        "POST /api/v1/events/{event_id}/{action}", "GET /api/v1/occurrences",
        "POST /api/v1/occurrences/{occurrence_id}/skip",
        "POST /api/v1/occurrences/{occurrence_id}/move",
        "POST /api/v1/occurrences/{occurrence_id}/cancel",
        "POST /api/v1/occurrences/{occurrence_id}/restore",
        "POST /api/v1/villages", "POST /api/v1/venues", "POST /api/v1/categories",
        "POST /api/v1/organizers", "POST /api/v1/programmes", "POST /api/v1/users",
    } <= set(described)


async def test_openapi_summaries_read_as_english(client: Client) -> None:
    described = await operations(client)

    assert [described[f"POST /api/v1/{kind}"]["summary"] for kind in (
        "villages", "venues", "categories", "organizers", "programmes")] == [
        "Create a village", "Create a venue", "Create a category", "Create an organizer",
        "Create a programme"]


async def test_openapi_documents_the_event_fields(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()

    create = schema["components"]["schemas"]["EventCreate"]["properties"]
    assert "FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20270930" in create["rrule"]["description"]
    assert create["allow_overlap"]["description"] == "save even if the venue is taken"


async def test_healthz_answers_ok(client: Client) -> None:
    response = await client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_every_error_an_operation_can_answer_is_documented_in_one_shape(
        client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    described = await operations(client)
    problem = {"$ref": "#/components/schemas/Problem"}

    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {
        "status", "code", "message", "message_en", "details"}
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"][
            "securitySchemes"]["bearer"]["description"]}
    for name, op in described.items():
        errors = {code: r for code, r in op["responses"].items() if code >= "400"}
        assert {"422", "503"} <= set(errors), name
        # 400 is only for a body that cannot be read: never on a GET, which sends none
        assert ("400" in errors) == (not name.startswith("GET ")), name
        assert all(r["content"]["application/json"]["schema"] == problem
                   for r in errors.values()), name
    guarded = described["POST /api/v1/events"]
    assert guarded["security"] == [{"bearer": []}]
    assert {"401", "403", "409", "413", "415"} <= set(guarded["responses"])
    assert "security" not in described["GET /api/v1/events"]  # open to read
    assert "404" in described["GET /api/v1/events/{event_id}"]["responses"]
    assert "429" in described["POST /api/v1/auth/token"]["responses"]


async def test_an_error_body_is_the_documented_problem(client: Client) -> None:
    missing = await client.get("/api/v1/events/999999")
    refused = await client.post("/api/v1/events", json={})

    for answer in (missing, refused):
        assert set(answer.json()) == {"status", "code", "message", "message_en", "details"}
        assert answer.json()["status"] == answer.status_code


async def test_options_and_unsupported_methods_say_what_the_address_takes(
        client: Client) -> None:
    options = await client.options("/api/v1/events/1")
    trace = await client.request("TRACE", "/api/v1/events/1")
    listing = await client.options("/api/v1/events")

    assert options.status_code == 204
    assert sorted(options.headers["allow"].split(", ")) == ["DELETE", "GET", "OPTIONS", "PATCH"]
    assert trace.status_code == 405
    assert sorted(trace.headers["allow"].split(", ")) == ["DELETE", "GET", "OPTIONS", "PATCH"]
    assert sorted(listing.headers["allow"].split(", ")) == ["GET", "OPTIONS", "POST"]


def test_no_page_is_in_the_openapi(app: Litestar) -> None:
    served = {route.path for route in app.routes if isinstance(route, HTTPRoute)}
    pages = {"/", "/staff", "/staff/reports", "/events/{event_id:int}", "/search", "/embed",
             "/venues/{slug:str}", "/organizers/{slug:str}", "/atom/all.xml",
             "/media/pictures/{name:str}", "/favicon.ico", "/manifest.webmanifest",
             "/static/{name:path}"}

    documented = set(app.openapi_schema.paths or {})

    assert pages <= served  # they exist: the check below is not about nothing
    assert sorted(path for path in documented if not path.startswith(API_PATHS)) == []
    assert {"/api/v1/events", "/qr.svg", "/healthz"} <= documented
