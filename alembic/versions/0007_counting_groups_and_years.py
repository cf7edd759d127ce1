"""counting groups, highlights and courses; baselines, hand-kept items and closed years

The year review sums only what belongs together (issue 14): ``counting_group`` holds each
group's unit, people word and sentence, and every category joins one. Existing categories
join the default groups (made here only for an installation that has categories; a new one
gets them from the seed) by what they counted before — culture-return kinds in 文化活动,
法治宣传, 体育运动 and 夜市 in groups of their own — and ``category.counting`` keeps only the
station return's items (performances are 组织文艺活动; legal, sports and markets are not
items of the return: ``none``).

Rows the seed made, still as it made them, take the seed's names and marks of now (Chinese
quotation marks, one name for the culture station, the programmes the review names).

Programmes can be named in the review (``highlight``, the station's role, the kind they carry);
an event can be one training course (1 班次) with its enrolled and completed trainees; venues
need not be in a village. Years get hand-entered baselines, hand-kept return items, and a
close (sign-off) that freezes their figures.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 14:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (migrations never import application code); seed/reference.yaml lists the same.
GROUPS = [
    {"slug": "culture", "name_zh": "文化活动", "name_en": "Cultural activities", "position": 1,
     "unit": "场次", "people_unit": "人", "round_count": False, "digits": 1, "separate": False,
     "template": "开展{kinds}等文化活动{count}，惠及群众{people}"},
    {"slug": "tourism", "name_zh": "旅游与夜间经济", "name_en": "Tourism and night economy",
     "position": 2, "unit": "场次", "people_unit": "人次", "round_count": False, "digits": None,
     "separate": False, "template": "举办{kinds}等旅游与夜间经济活动{count}，吸引群众{people}"},
    {"slug": "sports", "name_zh": "体育运动", "name_en": "Sports", "position": 3, "unit": "场次",
     "people_unit": "人次", "round_count": False, "digits": None, "separate": False,
     "template": ""},
    {"slug": "legal", "name_zh": "法治宣传", "name_en": "Legal awareness", "position": 4,
     "unit": "场次", "people_unit": "人次", "round_count": True, "digits": 1, "separate": True,
     "template": "通过现场咨询、发放宣传资料等形式开展法治宣传{count}，受教育人数达{people}"},
]
OLD_COUNTING = {  # category.counting before → (its group, its return item now)
    "activity": ("culture", "activity"),
    "performance": ("culture", "activity"),
    "exhibition": ("culture", "exhibition"),
    "training": ("culture", "training"),
    "lecture": ("culture", "lecture"),
    "legal": ("legal", "none"),
    "sports": ("sports", "none"),
    "market": ("tourism", "none"),
}


def upgrade() -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    group = op.create_table(
        "counting_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("people_unit", sa.String(length=8), nullable=False),
        sa.Column("template", sa.String(length=500), nullable=False),
        sa.Column("round_count", sa.Boolean(), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=True),
        sa.Column("separate", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counting_group")),
        sa.UniqueConstraint("name_zh", name=op.f("uq_counting_group_name_zh")),
    )
    op.create_index(op.f("ix_counting_group_slug"), "counting_group", ["slug"], unique=True)
    has_categories = op.get_bind().execute(sa.text("SELECT 1 FROM category LIMIT 1")).first()
    if has_categories:  # an installation in use: its categories join the default groups
        op.bulk_insert(group, [{**g, "updated_at": now} for g in GROUPS])

    with op.batch_alter_table("category") as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.create_index(op.f("ix_category_group_id"), ["group_id"])
        batch_op.create_foreign_key(
            op.f("fk_category_group_id_counting_group"), "counting_group", ["group_id"], ["id"]
        )
    for old, (group_slug, counting) in OLD_COUNTING.items():
        op.execute(
            sa.text(
                "UPDATE category SET counting = :counting, updated_at = :now, group_id = "
                "(SELECT id FROM counting_group WHERE slug = :group) WHERE counting = :old"
            ).bindparams(counting=counting, group=group_slug, old=old, now=now)
        )

    with op.batch_alter_table("programme") as batch_op:
        batch_op.add_column(sa.Column("kind_zh", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("highlight", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("station_role", sa.String(length=8), nullable=True))
    with op.batch_alter_table("programme") as batch_op:
        batch_op.alter_column("highlight", server_default=None)
    if has_categories:
        _seeded_rows_as_the_seed_has_them_now(now)

    with op.batch_alter_table("event") as batch_op:
        batch_op.add_column(
            sa.Column("course", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("enrolled", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("completed", sa.Integer(), nullable=True))
    with op.batch_alter_table("event") as batch_op:
        batch_op.alter_column("course", server_default=None)

    with op.batch_alter_table("venue") as batch_op:
        batch_op.alter_column("village_id", existing_type=sa.Integer(), nullable=True)

    op.create_table(
        "year_baseline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["counting_group.id"],
            name=op.f("fk_year_baseline_group_id_counting_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_year_baseline")),
        sa.UniqueConstraint("year", "group_id", name="uq_year_baseline_year_group"),
    )
    op.create_index(op.f("ix_year_baseline_year"), "year_baseline", ["year"])
    op.create_table(
        "annual_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_item")),
        sa.UniqueConstraint("year", "item", name="uq_annual_item_year_item"),
    )
    op.create_index(op.f("ix_annual_item_year"), "annual_item", ["year"])
    op.create_table(
        "year_close",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["user_account.id"], name=op.f("fk_year_close_changed_by_user_account")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_year_close")),
    )


# Rows the seed made before, by slug, still as it made them: they take what the seed says now
# (a name staff changed is left alone). New rows (categories, the culture station's own venue,
# 嘉悦农场) come from `bolin-events seed`, which adds what is missing.
RENAMED = [  # (table, slug, old name_zh, new name_zh)
    ("category", "performance", "文艺演出", "文艺表演"),
    ("category", "training", "培训", "文化培训"),
    ("organizer", "culture-station", "柏林镇综合文化服务中心", "柏林镇综合文化站"),
    ("venue", "qingqing-park", '清溪沟"清青乐园"', "清溪沟“清青乐园”"),
    ("programme", "cunwan", '送文化下乡之"村晚"', "送文化下乡之“村晚”"),
    ("programme", "yunling-cuihu-cup", '"云岭翠湖"杯篮球赛', "“云岭翠湖”杯邻里篮球赛"),
]
PROGRAMMES = [  # (slug, kind_zh, highlight, station_role)
    ("cunwan", "送文化下乡之“村晚”演出", False, None),
    ("heritage", "非遗展览", False, None),
    ("ginkgo-night-market", "东胜银杏夜市", False, None),
    ("yunling-cuihu-cup", None, True, "主办"),
    ("farming-festival", None, True, "协助"),
]


def _seeded_rows_as_the_seed_has_them_now(now: datetime) -> None:
    for table, slug, old, new in RENAMED:
        op.execute(sa.text(
            f'UPDATE "{table}" SET name_zh = :new, updated_at = :now '
            "WHERE slug = :slug AND name_zh = :old"
        ).bindparams(new=new, now=now, slug=slug, old=old))
    op.execute(sa.text(
        "UPDATE category SET counting = 'none', updated_at = :now, group_id = "
        "(SELECT id FROM counting_group WHERE slug = 'tourism') "
        "WHERE slug = 'farming' AND name_zh = '农耕体验'"
    ).bindparams(now=now))
    for slug, kind, highlight, role in PROGRAMMES:
        op.execute(sa.text(
            "UPDATE programme SET kind_zh = :kind, highlight = :highlight, "
            "station_role = :role, updated_at = :now WHERE slug = :slug"
        ).bindparams(kind=kind, highlight=highlight, role=role, now=now, slug=slug))


def downgrade() -> None:
    op.drop_table("year_close")
    op.drop_index(op.f("ix_annual_item_year"), table_name="annual_item")
    op.drop_table("annual_item")
    op.drop_index(op.f("ix_year_baseline_year"), table_name="year_baseline")
    op.drop_table("year_baseline")
    # Before 0007 every venue is in a village: one without, unused, goes; one in use stops
    # the downgrade until it is given a village.
    used = op.get_bind().execute(sa.text(
        "SELECT slug FROM venue WHERE village_id IS NULL AND (id IN (SELECT venue_id FROM event"
        " WHERE venue_id IS NOT NULL) OR id IN (SELECT venue_id FROM occurrence WHERE venue_id"
        " IS NOT NULL))")).scalars().all()
    if used:
        raise RuntimeError(
            "venues in no village are in use; give them a village before downgrading: "
            + ", ".join(used))
    op.execute(sa.text("DELETE FROM venue WHERE village_id IS NULL"))
    with op.batch_alter_table("venue") as batch_op:
        batch_op.alter_column("village_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("completed")
        batch_op.drop_column("enrolled")
        batch_op.drop_column("course")
    with op.batch_alter_table("programme") as batch_op:
        batch_op.drop_column("station_role")
        batch_op.drop_column("highlight")
        batch_op.drop_column("kind_zh")
    for old, (group_slug, counting) in OLD_COUNTING.items():
        if old in ("activity", "exhibition", "training", "lecture"):
            continue
        op.execute(
            sa.text(
                "UPDATE category SET counting = :old WHERE counting = :counting AND group_id = "
                "(SELECT id FROM counting_group WHERE slug = :group)"
            ).bindparams(counting=counting, group=group_slug, old=old)
        )
    with op.batch_alter_table("category") as batch_op:
        batch_op.drop_constraint(op.f("fk_category_group_id_counting_group"), type_="foreignkey")
        batch_op.drop_index(op.f("ix_category_group_id"))
        batch_op.drop_column("group_id")
    op.drop_index(op.f("ix_counting_group_slug"), table_name="counting_group")
    op.drop_table("counting_group")
