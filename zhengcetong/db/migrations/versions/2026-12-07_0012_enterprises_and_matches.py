"""enterprises and matches

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:25:58

``enterprise`` (one enterprise: its profile document and where each field came from, see
zhengcetong.match.models), ``enterprise_match`` (what each published item gives each enterprise, as last
computed) and ``app_user.enterprise_id`` (the enterprise an enterprise account acts for).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column(
            "profile",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "provenance",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_enterprise_credit_code")),
    )
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_region"), ["region"], unique=False)

    op.create_table(
        "enterprise_match",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("item_version", sa.Integer(), nullable=False),
        sa.Column("profile_version", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=12), nullable=False),
        sa.Column("estimated_amount_yuan", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column(
            "missing",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_enterprise_match_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["policy_item.id"],
            name=op.f("fk_enterprise_match_item_id_policy_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enterprise_id", "item_id", name=op.f("pk_enterprise_match")),
    )
    with op.batch_alter_table("enterprise_match", schema=None) as batch_op:
        batch_op.create_index("ix_enterprise_match_item_result", ["item_id", "result"], unique=False)

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enterprise_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_app_user_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_enterprise_id_enterprise"),
            "enterprise",
            ["enterprise_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_app_user_enterprise_id_enterprise"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_app_user_enterprise_id"))
        batch_op.drop_column("enterprise_id")

    with op.batch_alter_table("enterprise_match", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprise_match_item_result")

    op.drop_table("enterprise_match")
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_region"))

    op.drop_table("enterprise")
