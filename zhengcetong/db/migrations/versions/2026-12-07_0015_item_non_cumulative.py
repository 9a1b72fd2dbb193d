"""item non-cumulative

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 23:40:00

``policy_item.non_cumulative``: the non-cumulation rules (就高不重复, 不得同时享受…) that govern an
item, with the clause each stands in (zhengcetong.ingest.stacking).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("policy_item", sa.Column("non_cumulative", sa.Text(), nullable=True))


def downgrade() -> None:
    # a plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), as in 0016: a batch rebuild of policy_item
    # fails on a database that holds items
    op.drop_column("policy_item", "non_cumulative")
