"""constraints named by convention; event.status and occurrence.state hold only their states

On a database made before the convention, PostgreSQL named the primary, unique and foreign
keys of 0001–0003 itself (``event_pkey``, ``event_uid_key``, ``event_category_id_fkey``); they
take the names the models' naming convention gives (``pk_event``, ``uq_event_uid``,
``fk_event_category_id_category``), so later migrations can name what they change. SQLite
needs nothing: a constraint's name there matters only when batch mode copies the table.

``event.status`` and ``occurrence.state`` get CHECK constraints listing their states. SQLite
adds a CHECK by copying the table (Alembic's batch mode); foreign keys are off while
migrations run (alembic/env.py), so the copy cascades nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out here: migrations never import application code (models.base has the same).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TABLES = (
    "village", "venue", "category", "organizer", "programme", "user_account", "user_village",
    "api_token", "event", "occurrence", "idempotency_key", "attendance_report", "report_photo",
    "login_failure",
)
UNIQUE = (  # (table, column) of columns declared unique
    ("village", "name_zh"), ("category", "name_zh"), ("organizer", "name_zh"),
    ("event", "uid"), ("report_photo", "storage_key"),
)
FOREIGN = (  # (table, column, referred table)
    ("venue", "village_id", "village"),
    ("programme", "parent_id", "programme"),
    ("user_village", "user_id", "user_account"),
    ("user_village", "village_id", "village"),
    ("api_token", "user_id", "user_account"),
    ("event", "category_id", "category"),
    ("event", "venue_id", "venue"),
    ("event", "organizer_id", "organizer"),
    ("event", "programme_id", "programme"),
    ("occurrence", "event_id", "event"),
    ("occurrence", "venue_id", "venue"),
    ("idempotency_key", "user_id", "user_account"),
    ("attendance_report", "occurrence_id", "occurrence"),
    ("attendance_report", "reported_by", "user_account"),
    ("report_photo", "occurrence_id", "occurrence"),
    ("report_photo", "report_id", "attendance_report"),
    ("report_photo", "uploaded_by", "user_account"),
)
RENAMES = (  # (table, name PostgreSQL gave, name by convention)
    *((t, f"{t}_pkey", f"pk_{t}") for t in TABLES),
    *((t, f"{t}_{c}_key", f"uq_{t}_{c}") for t, c in UNIQUE),
    *((t, f"{t}_{c}_fkey", f"fk_{t}_{c}_{r}") for t, c, r in FOREIGN),
)
CHECKS = (  # (table, constraint name, column, states)
    ("event", "ck_event_status", "status", ("draft", "published", "cancelled", "postponed")),
    ("occurrence", "ck_occurrence_state", "state", ("scheduled", "moved", "cancelled", "skipped")),
)


def _rename(pairs: Sequence[tuple[str, str, str]]) -> None:
    """Renames those still named the old way: a database made after the convention was set
    has its names from the start (Alembic applies the target metadata's convention)."""
    existing = set(
        op.get_bind()
        .execute(sa.text("SELECT conname FROM pg_constraint WHERE connamespace = "
                         "current_schema()::regnamespace"))
        .scalars()
    )
    for table, old, new in pairs:
        if old in existing:
            op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{old}" TO "{new}"')


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rename(RENAMES)
    for table, name, column, states in CHECKS:
        listed = ", ".join(f"'{state}'" for state in states)
        with op.batch_alter_table(table, naming_convention=NAMING_CONVENTION) as batch_op:
            batch_op.create_check_constraint(op.f(name), f"{column} IN ({listed})")


def downgrade() -> None:
    for table, name, _, _ in CHECKS:
        with op.batch_alter_table(table, naming_convention=NAMING_CONVENTION) as batch_op:
            batch_op.drop_constraint(op.f(name), type_="check")
    if op.get_bind().dialect.name == "postgresql":
        _rename([(table, new, old) for table, old, new in RENAMES])
