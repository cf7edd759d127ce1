from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from bolin_events import migrate
from tests.cli.conftest import Cli, column, row_counts, run_sql, seed_report, table_names

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


def test_constraint_migration_keeps_every_row_both_ways(cli: Cli) -> None:
    assert cli("seed").exit_code == 0  # head, with the demo season and its reports
    counts = row_counts(cli.url)
    townless = len(column(cli.url, "SELECT slug FROM venue WHERE village_id IS NULL"))

    down = cli("db", "downgrade", "0003", "--yes")  # 0007's counting groups go with it
    after_down = row_counts(cli.url)
    up = cli("db", "upgrade")

    assert down.exit_code == 0 and up.exit_code == 0
    assert counts["occurrence"] > 0 and counts["attendance_report"] > 0
    later = {"audit_entry", "counting_group", "year_baseline", "annual_item", "year_close",
             "picture", "signup_plan", "registration", "tally", "tally_entrance", "tally_batch",
             "holiday_year", "holiday_day"}
    assert after_down == {t: n for t, n in counts.items() if t not in later} | {
        "venue": counts["venue"] - townless}  # tables of 0006 on; a venue in no village
    assert townless == 1
    assert row_counts(cli.url) == counts | {"venue": counts["venue"] - townless,
                                            "signup_plan": 0}  # 0011 went down with its rows
    # an installation from before 0007: its categories join the groups, the seed's programmes
    # take the marks the review needs
    assert column(cli.url, "SELECT slug FROM programme WHERE highlight ORDER BY slug") == [
        "farming-festival", "yunling-cuihu-cup"]
    assert column(cli.url, "SELECT g.slug FROM category c JOIN counting_group g "
                           "ON g.id = c.group_id WHERE c.slug IN ('farming', 'legal') "
                           "ORDER BY c.slug") == ["tourism", "legal"]
    assert schema_differences(cli.url) == []


@pytest.mark.parametrize(("table", "column_name"), [("event", "status"),
                                                    ("occurrence", "state")])
def test_the_database_refuses_a_state_outside_the_list(
    cli: Cli, table: str, column_name: str
) -> None:
    assert cli("seed", "--no-demo").exit_code == 0
    assert cli("seed").exit_code == 0

    with pytest.raises(IntegrityError) as refused:
        run_sql(cli.url, f"UPDATE {table} SET {column_name} = 'bogus'")

    assert f"ck_{table}_{column_name}" in str(refused.value)
    assert "bogus" not in column(cli.url, f"SELECT DISTINCT {column_name} FROM {table}")


@pytest.mark.postgres
def test_postgresql_names_made_before_the_convention_are_renamed(
    postgres_database: str, tmp_path: Path
) -> None:
    cli = Cli(tmp_path / "data", postgres_database)
    assert cli("db", "upgrade", "0003").exit_code == 0
    for table, name in [("event", "pk"), ("event", "uid"), ("occurrence", "event_id")]:
        new = {"pk": f"pk_{table}", "uid": f"uq_{table}_uid"}.get(
            name, f"fk_{table}_{name}_event")
        old = {"pk": f"{table}_pkey", "uid": f"{table}_uid_key"}.get(name, f"{table}_{name}_fkey")
        run_sql(postgres_database, f'ALTER TABLE "{table}" RENAME CONSTRAINT "{new}" TO "{old}"')

    assert cli("db", "upgrade").exit_code == 0

    names = set(column(postgres_database, "SELECT conname FROM pg_constraint"))
    assert {"pk_event", "uq_event_uid", "fk_occurrence_event_id_event"} <= names
    assert not {"event_pkey", "event_uid_key", "occurrence_event_id_fkey"} & names
    assert schema_differences(postgres_database) == []


def test_a_downgrade_that_would_drop_data_refuses_without_yes(cli: Cli) -> None:
    assert cli("seed").exit_code == 0  # the demo season with its attendance reports
    head = migrate.head(cli.settings)
    counts = row_counts(cli.url)

    refused = cli("db", "downgrade", "0001")
    after_refusal = row_counts(cli.url)
    at = cli("db", "current")
    done = cli("db", "downgrade", "0001", "--yes")

    assert refused.exit_code == 1
    assert f"attendance_report: {counts['attendance_report']} 行 / rows" in refused.output
    assert "--yes" in refused.output
    assert "login_failure" not in refused.output  # empty tables are not worth a word
    assert after_refusal == counts
    assert at.output.startswith(f"current: {head}\n")
    assert done.exit_code == 0, done.output
    assert "attendance_report" not in table_names(cli.url)
