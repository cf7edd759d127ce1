"""reference data carries updated_at, so the data version sees every edit of it

Villages, venues, categories and organizers get ``updated_at`` (programmes had it); the
models move it with every UPDATE. Existing rows take the moment of the upgrade.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("village", "venue", "category", "organizer")


def upgrade() -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    for table in TABLES:
        op.add_column(table, sa.Column("updated_at", sa.DateTime(), nullable=True))
        op.execute(sa.text(f'UPDATE "{table}" SET updated_at = :now').bindparams(now=now))
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("updated_at", existing_type=sa.DateTime(), nullable=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("updated_at")
