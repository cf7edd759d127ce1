"""sign-ups for a night, and the live tally at the gates

``signup_plan`` opens a night (or every night of an event) to sign-ups; ``registration`` holds
one row per sign-up or walk-in, its personal fields emptied after the plan's retention.
``tally``, ``tally_entrance`` and ``tally_batch`` hold the clicker counts of each entrance;
closing a tally files the night's attendance report (``tally.report_id``).

Going down drops the five tables, with every sign-up and count in them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _state(table: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"state IN ({listed})", name=op.f(f"ck_{table}_state"))


def upgrade() -> None:
    op.create_table(
        "signup_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=True),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("waitlist", sa.Boolean(), nullable=False),
        sa.Column("waitlist_max", sa.Integer(), nullable=True),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("max_party", sa.Integer(), nullable=False),
        sa.Column("ask_phone", sa.Boolean(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=True),
        sa.Column("per_phone", sa.Integer(), nullable=False),
        sa.Column("per_address", sa.Integer(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_signup_plan_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"], ["occurrence.id"],
            name=op.f("fk_signup_plan_occurrence_id_occurrence"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["user_account.id"],
            name=op.f("fk_signup_plan_updated_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signup_plan")),
        sa.UniqueConstraint("occurrence_id", name=op.f("uq_signup_plan_occurrence_id")),
    )
    op.create_index(op.f("ix_signup_plan_event_id"), "signup_plan", ["event_id"])
    op.create_index(
        "uq_signup_plan_event_wide", "signup_plan", ["event_id"], unique=True,
        sqlite_where=sa.text("occurrence_id IS NULL"),
        postgresql_where=sa.text("occurrence_id IS NULL"),
    )
    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("party", sa.Integer(), nullable=False),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column("no_show", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("phone_masked", sa.String(length=16), nullable=True),
        sa.Column("answers", sa.Text(), nullable=True),
        sa.Column("address_hash", sa.String(length=64), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("checked_in_people", sa.Integer(), nullable=True),
        sa.Column("checked_in_by", sa.Integer(), nullable=True),
        sa.Column("checked_in_door", sa.String(length=40), nullable=True),
        sa.Column("check_in_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("promoted_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["occurrence_id"], ["occurrence.id"],
            name=op.f("fk_registration_occurrence_id_occurrence"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["checked_in_by"], ["user_account.id"],
            name=op.f("fk_registration_checked_in_by_user_account"),
        ),
        _state("registration", ("confirmed", "waitlisted", "cancelled")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("code", name=op.f("uq_registration_code")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_registration_token_hash")),
    )
    op.create_index(
        "ix_registration_night_state", "registration", ["occurrence_id", "state", "id"])
    op.create_index(
        "ix_registration_night_phone", "registration", ["occurrence_id", "phone_hash"])
    op.create_index(
        "ix_registration_night_address", "registration", ["occurrence_id", "address_hash"])
    op.create_table(
        "tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("split", sa.Boolean(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["occurrence_id"], ["occurrence.id"],
            name=op.f("fk_tally_occurrence_id_occurrence"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["user_account.id"], name=op.f("fk_tally_opened_by_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["user_account.id"], name=op.f("fk_tally_closed_by_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["attendance_report.id"],
            name=op.f("fk_tally_report_id_attendance_report"),
        ),
        _state("tally", ("open", "closed")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally")),
        sa.UniqueConstraint("occurrence_id", name=op.f("uq_tally_occurrence_id")),
    )
    op.create_table(
        "tally_entrance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tally_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tally_id"], ["tally.id"], name=op.f("fk_tally_entrance_tally_id_tally"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"],
            name=op.f("fk_tally_entrance_created_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_entrance")),
        sa.UniqueConstraint("tally_id", "name", name="uq_tally_entrance_tally_name"),
    )
    op.create_index(op.f("ix_tally_entrance_tally_id"), "tally_entrance", ["tally_id"])
    op.create_table(
        "tally_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entrance_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("sent_by", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entrance_id"], ["tally_entrance.id"],
            name=op.f("fk_tally_batch_entrance_id_tally_entrance"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by"], ["user_account.id"], name=op.f("fk_tally_batch_sent_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tally_batch")),
        sa.UniqueConstraint("entrance_id", "key", name="uq_tally_batch_entrance_key"),
    )
    op.create_index(op.f("ix_tally_batch_entrance_id"), "tally_batch", ["entrance_id"])


def downgrade() -> None:
    op.drop_table("tally_batch")
    op.drop_table("tally_entrance")
    op.drop_table("tally")
    op.drop_table("registration")
    op.drop_index("uq_signup_plan_event_wide", table_name="signup_plan")
    op.drop_table("signup_plan")
