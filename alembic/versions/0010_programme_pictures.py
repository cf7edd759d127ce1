"""pictures: a programme may have one too

A programme's page shows a picture of its own (its events keep theirs, or their category's
default): ``picture.programme_id``, unique like ``event_id`` and ``category_id``, and the check
that a picture has exactly one owner now counts three columns. SQLite changes a check by
copying the table (batch mode); foreign keys are off while migrations run (alembic/env.py), so
the copy cascades nothing, and the copy keeps AUTOINCREMENT and the highest id ever given, so
ids never come back (see models.pictures).

Going down deletes the programmes' pictures (the old check has no room for them); their files
stay until ``bolin-events photos sweep`` finds them unused.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-18 10:00:00.000000
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0010"
down_revision: str | None = "0009"
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
CHECK = "ck_picture_one_owner"
TWO_OWNERS = "(event_id IS NULL) <> (category_id IS NULL)"
THREE_OWNERS = (  # the same text as models.pictures.ONE_OWNER
    "CASE WHEN event_id IS NULL THEN 0 ELSE 1 END + "
    "CASE WHEN category_id IS NULL THEN 0 ELSE 1 END + "
    "CASE WHEN programme_id IS NULL THEN 0 ELSE 1 END = 1"
)


def _batch() -> AbstractContextManager[BatchOperations]:
    return op.batch_alter_table(
        "picture", naming_convention=NAMING_CONVENTION,
        table_kwargs={"sqlite_autoincrement": True},
    )


def _last_id() -> int | None:
    """SQLite's highest id ever given (a copied table starts again from its highest row)."""
    if op.get_bind().dialect.name != "sqlite":
        return None
    return op.get_bind().execute(
        sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'picture'")).scalar()


def _restore_last_id(last: int | None) -> None:
    if last is None:
        return
    op.get_bind().execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'picture'"))
    op.get_bind().execute(
        sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('picture', "
                "MAX(:last, COALESCE((SELECT MAX(id) FROM picture), 0)))"),
        {"last": last})


def upgrade() -> None:
    last = _last_id()
    with _batch() as batch_op:
        batch_op.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_picture_programme_id_programme"), "programme", ["programme_id"], ["id"],
            ondelete="CASCADE")
        batch_op.create_unique_constraint(op.f("uq_picture_programme_id"), ["programme_id"])
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint(op.f(CHECK), THREE_OWNERS)
    _restore_last_id(last)


def downgrade() -> None:
    op.execute("DELETE FROM picture WHERE programme_id IS NOT NULL")
    last = _last_id()
    with _batch() as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.drop_constraint(op.f("uq_picture_programme_id"), type_="unique")
        batch_op.drop_constraint(op.f("fk_picture_programme_id_programme"), type_="foreignkey")
        batch_op.drop_column("programme_id")
        batch_op.create_check_constraint(op.f(CHECK), TWO_OWNERS)
    _restore_last_id(last)
