"""The reports in the published API description."""

from __future__ import annotations

from tests.conftest import Client


async def test_openapi_describes_every_report_operation(client: Client) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    reports = {
        path: ops["get"] for path, ops in paths.items() if path.startswith("/api/v1/reports/")
    }

    assert set(reports) >= {
        "/api/v1/reports/stats",
        "/api/v1/reports/stats/file",
        "/api/v1/reports/ledger",
        "/api/v1/reports/ledger/file",
        "/api/v1/reports/annual-return",
        "/api/v1/reports/review",
        "/api/v1/reports/charts",
        "/api/v1/reports/charts/{kind}",
    }
    assert all(op["summary"] and op["description"] for op in reports.values())
    annual = reports["/api/v1/reports/annual-return"]["description"]
    assert "| `exhibition` | 举办展览（个） | distinct events | 参观人次 |" in annual
    assert "| `training` | 举办训练班（班次） | sessions held | 培训人次 |" in annual
