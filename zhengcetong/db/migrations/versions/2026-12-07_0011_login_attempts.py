"""login attempts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:30:00

``login_attempt``: login attempts counted before the password is checked, per source address and per
account+address (see zhengcetong.library.users.authenticate). The lock used to be a count of
``user.login_failed`` audit events read before the check and written after it, which parallel guesses
raced past.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "address", "username", name=op.f("pk_login_attempt")),
    )
    op.create_index(op.f("ix_login_attempt_window_start"), "login_attempt", ["window_start"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_login_attempt_window_start"), table_name="login_attempt")
    op.drop_table("login_attempt")
