"""item applicant

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 23:40:00

``policy_item.applicant``: who can apply for an item, ``unit`` (企业、单位), ``person`` (个人) or
``public`` (政府部门: governments, departments, 街道, 乡镇, 村, 社区). Extraction sets it
(``zhengcetong.ingest.applicants``) and records it in the item's extract revision; items stored before
this revision are read again from their stored condition and name here, with the same rule.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("policy_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant", sa.String(length=10), nullable=False, server_default="unit")
        )
    from zhengcetong.ingest.applicants import UNIT, applicant_of

    bind = op.get_bind()
    item = sa.table(
        "policy_item",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("condition", sa.Text),
        sa.column("applicant", sa.String),
    )
    for row in bind.execute(sa.select(item.c.id, item.c.name, item.c.condition)).all():
        kind = applicant_of(row.condition or "", row.name or "")
        if kind != UNIT:
            bind.execute(sa.update(item).where(item.c.id == row.id).values(applicant=kind))


def downgrade() -> None:
    with op.batch_alter_table("policy_item", schema=None) as batch_op:
        batch_op.drop_column("applicant")
