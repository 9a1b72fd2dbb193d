"""interpretations

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 11:14:06

Policy interpretations (政策解读): ``interpretation`` (the current text and status), its ordered links to
the documents it explains (``interpretation_document``, optionally down to clause paths) and its history
(``interpretation_revision``: who, when, before and after).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "interpretation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interpretation")),
        sa.UniqueConstraint("uid", name=op.f("uq_interpretation_uid")),
    )
    with op.batch_alter_table("interpretation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interpretation_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_interpretation_status"), ["status"], unique=False)

    op.create_table(
        "interpretation_document",
        sa.Column("interpretation_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("clauses", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_interpretation_document_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interpretation_id"],
            ["interpretation.id"],
            name=op.f("fk_interpretation_document_interpretation_id_interpretation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interpretation_id", "document_id", name=op.f("pk_interpretation_document")),
    )
    with op.batch_alter_table("interpretation_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interpretation_document_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "interpretation_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interpretation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("before", _json(), nullable=False),
        sa.Column("after", _json(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interpretation_id"],
            ["interpretation.id"],
            name=op.f("fk_interpretation_revision_interpretation_id_interpretation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interpretation_revision")),
    )
    with op.batch_alter_table("interpretation_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interpretation_revision_interpretation_id"), ["interpretation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("interpretation_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interpretation_revision_interpretation_id"))
    op.drop_table("interpretation_revision")
    with op.batch_alter_table("interpretation_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interpretation_document_document_id"))
    op.drop_table("interpretation_document")
    with op.batch_alter_table("interpretation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interpretation_status"))
        batch_op.drop_index(batch_op.f("ix_interpretation_published_at"))
    op.drop_table("interpretation")
