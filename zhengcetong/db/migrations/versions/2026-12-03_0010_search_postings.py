"""search postings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 11:00:00

SQLite only (see zhengcetong.search.backends.fts5.postings): ``search_posting``, for each frequent word the ids of
the entries that contain it and its weighted frequency in each (two blobs), and
``search_posting_delta``, the changes since they were built. The next sync builds them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "search_posting",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("ids", sa.LargeBinary(), nullable=False),
        sa.Column("freqs", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_posting")),
    )
    op.create_table(
        "search_posting_delta",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("freq", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("term", "entry_id", name=op.f("pk_search_posting_delta")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_table("search_posting_delta")
    op.drop_table("search_posting")
