"""the Chinese calendar: lunar and solar-term rules, and public holidays entered by hand

``event.calendar_rule`` holds a rule of the Chinese calendar (every year on a lunar date or a
solar term, or lunar days ending in given digits), never beside an ``rrule``. ``holiday_year``
and ``holiday_day`` hold a year's public holidays and 调休 working days typed in by an admin
before the holiday package covers that year.

Going down drops the holiday tables and the column: events with a Chinese-calendar rule keep
their stored nights but lose the rule.

Revision ID: 0012
Revises: 0011
Create Date: 2027-01-15 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event") as batch_op:
        batch_op.add_column(sa.Column("calendar_rule", sa.String(length=200), nullable=True))
    op.create_table(
        "holiday_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["user_account.id"],
            name=op.f("fk_holiday_year_entered_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_holiday_year")),
    )
    op.create_table(
        "holiday_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name_zh", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=True),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f("ck_holiday_day_kind")),
        sa.ForeignKeyConstraint(
            ["year"], ["holiday_year.year"], name=op.f("fk_holiday_day_year_holiday_year"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holiday_day")),
    )
    op.create_index(op.f("ix_holiday_day_year"), "holiday_day", ["year"])


def downgrade() -> None:
    op.drop_table("holiday_day")
    op.drop_table("holiday_year")
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("calendar_rule")
