"""The published API description, and the health check load balancers use."""

from __future__ import annotations

from typing import Any

from tests.conftest import Client


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
