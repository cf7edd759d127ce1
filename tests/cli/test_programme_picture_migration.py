"""Migration 0010 (a programme's picture) goes up, down and up again on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from tests.cli.conftest import Cli, column, run_sql
from tests.cli.test_db import schema_differences


def add_picture(cli: Cli, key: str, **owner: str) -> None:
    """A picture row as the app writes one; ``owner`` maps e.g. category_id to a slug."""
    names = [*owner, "key", "width", "height", "widths", "created_at"]
    values = [*(f"(SELECT id FROM {name.removesuffix('_id')} WHERE slug = '{slug}')"
                for name, slug in owner.items()),
              f"'{key}'", "500", "500", "'480,500'", "CURRENT_TIMESTAMP"]
    run_sql(cli.url, f"INSERT INTO picture ({', '.join(names)}) VALUES ({', '.join(values)})")


def picture_id(cli: Cli, key: str) -> int:
    return int(str(column(cli.url, f"SELECT id FROM picture WHERE key = '{key}'")[0]))


def test_programme_pictures_come_with_0010_and_go_with_its_downgrade(cli: Cli) -> None:
    assert cli("seed", "--no-demo").exit_code == 0  # at head
    add_picture(cli, "lanterns", category_id="market")
    add_picture(cli, "stage", programme_id="haixiaji")
    stage = picture_id(cli, "stage")
    with pytest.raises(IntegrityError) as two_owners:
        add_picture(cli, "both", category_id="culture", programme_id="cunwan")

    down = cli("db", "downgrade", "0009")
    keys_down = column(cli.url, "SELECT key FROM picture")
    with pytest.raises(IntegrityError) as no_owner:
        add_picture(cli, "nobody")
    up = cli("db", "upgrade")
    add_picture(cli, "poster", programme_id="cunwan")

    assert "ck_picture_one_owner" in str(two_owners.value)
    assert down.exit_code == 0, down.output
    assert keys_down == ["lanterns"]  # the programme's picture went, the category's stayed
    assert "ck_picture_one_owner" in str(no_owner.value)
    assert up.exit_code == 0, up.output
    assert column(cli.url, "SELECT key FROM picture ORDER BY id") == ["lanterns", "poster"]
    # ids never come back, on SQLite too: the one the downgrade deleted is not given again
    assert picture_id(cli, "poster") > stage
    assert schema_differences(cli.url) == []
