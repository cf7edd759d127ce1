"""reference data can be retired (停用)

Villages, venues, categories, organizers and programmes get ``retired_at``: a retired row
stays (past events, reports and the year review keep naming it) but is no longer offered for
new events. Every existing row is in use: the column starts empty.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-16 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("village", "venue", "category", "organizer", "programme")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("retired_at")
