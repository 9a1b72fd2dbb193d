"""policy items and users

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 02:35:39.455164
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "policy_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("clause_path", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column(
            "conditions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "formula",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("benefit_kind", sa.String(length=30), nullable=False),
        sa.Column("amount_max_yuan", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("rate", sa.Numeric(precision=10, scale=6), nullable=True),
        sa.Column("per", sa.String(length=10), nullable=False),
        sa.Column("cap_yuan", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("months_max", sa.Integer(), nullable=True),
        sa.Column(
            "departments",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("time_limit_days", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_policy_item_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_item")),
        sa.UniqueConstraint("key", name=op.f("uq_policy_item_key")),
    )
    with op.batch_alter_table("policy_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_item_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_policy_item_status"), ["status"], unique=False)

    op.create_table(
        "policy_item_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column(
            "before",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "after",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["policy_item.id"],
            name=op.f("fk_policy_item_revision_item_id_policy_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_item_revision")),
    )
    with op.batch_alter_table("policy_item_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_item_revision_item_id"), ["item_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("policy_item_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_item_revision_item_id"))

    op.drop_table("policy_item_revision")
    with op.batch_alter_table("policy_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_item_status"))
        batch_op.drop_index(batch_op.f("ix_policy_item_document_id"))

    op.drop_table("policy_item")
    op.drop_table("app_user")
