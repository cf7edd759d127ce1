"""Alembic environment: the URL comes from bolin-events settings, the tables from its models."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import Enum, String
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import bolin_events.models  # noqa: F401  (registers the tables)
from bolin_events.models.base import UTCDateTime
from bolin_events.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def database_url() -> str:
    return str(config.attributes.get("database_url") or get_settings().resolved_database_url)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Migrations spell storage types, so they never import application code."""
    if type_ == "type" and isinstance(obj, Enum) and not obj.native_enum:
        return f"sa.String(length={obj.length})"  # its CHECK is a constraint of its own
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    if type_ == "type" and isinstance(obj, AutoString | String) and obj.length:
        return f"sa.String(length={obj.length})"
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


def do_run_migrations(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch mode copies a table and drops the old one: with foreign keys on, the drop
        # would cascade to every row that refers to it. (A no-op inside a transaction, so
        # said, and its implicit transaction ended, before the migrations' one begins.)
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_async_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        render_item=render_item,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_async_migrations())
