"""session epoch

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 18:30:00

``app_user.session_epoch``: a counter every signed session cookie carries. Logging out raises it, so the
cookies issued before stop working on the server too (a copied cookie is not valid for its remaining hours).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("session_epoch")
