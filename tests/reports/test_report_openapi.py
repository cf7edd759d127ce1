"""The reports in the published API description."""

from __future__ import annotations

from tests.conftest import Client


async def test_openapi_describes_every_report_operation(client: Client) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]

    reports = {
        f"{method.upper()} {path}": op
        for path, ops in paths.items()
        if path.startswith("/api/v1/reports/")
        for method, op in ops.items()
    }

    assert set(reports) >= {
        "GET /api/v1/reports/stats",
        "GET /api/v1/reports/stats/file",
        "GET /api/v1/reports/ledger",
        "GET /api/v1/reports/ledger/file",
        "GET /api/v1/reports/annual-return",
        "GET /api/v1/reports/annual-return/file",
        "GET /api/v1/reports/annual-items",
        "PUT /api/v1/reports/annual-items/{year}",
        "GET /api/v1/reports/review",
        "GET /api/v1/reports/charts",
        "GET /api/v1/reports/charts/{kind}",
    }
    assert all(op["summary"] and op["description"] for op in reports.values())
    annual = reports["GET /api/v1/reports/annual-return"]["description"]
    assert "| `exhibition` | 举办展览（个） | exhibitions (distinct events) | 参观人次 |" in annual
    assert "| `training` | 举办训练班（班次） | courses (one per event) | 培训人次 |" in annual
    assert "| `none` | 另报 (beside the return) | sessions held, per counting group | 人次 |" in (
        annual
    )
    assert "演出" not in annual and "流动舞台车" not in annual
