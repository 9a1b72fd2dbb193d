"""item explains

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 23:55:00

``policy_item.explains``: for an item read from a 政策解读 answer, the article of the policy the
answer explains ("第三条"), where the answer names one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("policy_item", sa.Column("explains", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # a plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), as in 0016: a batch rebuild of policy_item
    # fails on a database that holds items
    op.drop_column("policy_item", "explains")
