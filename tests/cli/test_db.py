from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from bolin_events import migrate
from tests.cli.conftest import Cli, column, seed_report, table_names

MODEL_TABLES = {table.name for table in SQLModel.metadata.sorted_tables}


def test_db_upgrade_downgrade_upgrade_round_trip(cli: Cli) -> None:
    head = migrate.head(cli.settings)

    fresh = cli("db", "current")
    up = cli("db", "upgrade")
    at_head = cli("db", "current")
    tables_at_head = table_names(cli.url)
    down = cli("db", "downgrade", "base")
    at_base = cli("db", "current")
    tables_at_base = table_names(cli.url)
    up_again = cli("db", "upgrade")
    seeded = cli("seed", "--no-demo")

    assert fresh.output == f"current: base (empty)\nhead:    {head}\n"
    assert up.output == f"已升级 / upgraded: {head}\n"
    assert at_head.output == f"current: {head}\nhead:    {head}\n"
    assert tables_at_head == MODEL_TABLES | {"alembic_version"}
    assert down.output == "已回退 / downgraded: base\n"
    assert at_base.output == f"current: base (empty)\nhead:    {head}\n"
    assert tables_at_base <= {"alembic_version"}
    assert up_again.output == f"已升级 / upgraded: {head}\n"
    assert table_names(cli.url) == tables_at_head
    assert seed_report(seeded.output)["villages"] == (5, 0)
    assert len(column(cli.url, "SELECT slug FROM village")) == 5


def test_db_current_on_missing_data_dir_reports_base(sqlite_cli: Cli) -> None:
    result = sqlite_cli("db", "current")

    assert result.exit_code == 0
    assert result.output.startswith("current: base (empty)\n")
    assert not (sqlite_cli.data_dir / "bolin.db").exists()  # reading made no database


def test_migrations_head_matches_models(cli: Cli) -> None:
    assert cli("db", "upgrade").exit_code == 0

    differences = schema_differences(cli.url)

    assert differences == []


def schema_differences(url: str) -> list[Any]:
    """What `alembic revision --autogenerate` would write for this database (nothing, we hope)."""

    async def run() -> list[Any]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: compare_metadata(
                        MigrationContext.configure(sync, opts={"compare_type": True}),
                        SQLModel.metadata,
                    )
                )
        finally:
            await engine.dispose()

    return asyncio.run(run())
