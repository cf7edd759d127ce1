"""BOLIN_DB_ECHO shows each SQL statement once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from bolin_events.db import make_engine
from bolin_events.settings import Settings


async def test_db_echo_logs_each_statement_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path, db_echo=True)
    engine = make_engine(settings)
    try:
        with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 42 AS answer"))
    finally:
        await engine.dispose()
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    shown = [r.getMessage() for r in caplog.records if "SELECT 42" in r.getMessage()]
    assert shown == ["SELECT 42 AS answer"]
    own_handlers = [  # SQLAlchemy's echo adds one: each line would then be printed twice
        name for name, logger in logging.root.manager.loggerDict.items()
        if name.startswith("sqlalchemy") and getattr(logger, "handlers", None)
    ]
    assert own_handlers == []
