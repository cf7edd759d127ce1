"""pictures: one per event, and a default per category

Staff upload a picture for an event (or a category's default, for its events without one);
the store keeps resized WebP and JPEG files named by the picture's content hash, and this
table says which picture belongs to what. A new table only: nothing existing changes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "picture",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("widths", sa.String(length=100), nullable=False),
        sa.Column("alt_zh", sa.String(length=300), nullable=True),
        sa.Column("alt_en", sa.String(length=300), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(event_id IS NULL) <> (category_id IS NULL)", name=op.f("ck_picture_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_picture_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_picture_category_id_category"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["user_account.id"],
            name=op.f("fk_picture_uploaded_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_picture")),
        sa.UniqueConstraint("event_id", name=op.f("uq_picture_event_id")),
        sa.UniqueConstraint("category_id", name=op.f("uq_picture_category_id")),
        sqlite_autoincrement=True,  # ids never come back after a delete (see models.pictures)
    )
    op.create_index(op.f("ix_picture_key"), "picture", ["key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_picture_key"), table_name="picture")
    op.drop_table("picture")
