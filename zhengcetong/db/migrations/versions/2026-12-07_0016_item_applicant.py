"""item applicant

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 23:40:00

``policy_item.applicant``: who can apply for an item, ``unit`` (企业、单位), ``person`` (个人) or
``public`` (政府部门: governments, departments, 街道, 乡镇, 村, 社区). Extraction sets it
(``zhengcetong.ingest.applicants``) and records it in the item's extract revision; items stored before
this revision are read again from their stored condition and name here, with a frozen copy of that rule
(a migration does not import the extractor, which will change).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


UNIT, PERSON, PUBLIC = "unit", "person", "public"
PUBLIC_BODY_RE = re.compile(
    r"人民政府|政府|管委会|管理委员会|街道办事处|街道|乡镇|乡（镇）|村委会|居委会|村（社区）|行政村|社区"
    r"|部门|县（市、区）|县市区|区县|各县|各区|主管部门|机关"
)
PUBLIC_WORKS_RE = re.compile(
    r"口袋公园|城市公园|公园|广场|绿道|公共厕所|公厕|市政道路|农村公路|示范村|美丽乡村|和美乡村|村庄|公共设施"
)
UNIT_RE = re.compile(
    r"企业|公司|单位|机构|组织|中心|基地|园区|平台|工厂|车间|团队|合作社|个体工商户|服务商|供应商|孵化器"
    r"|学校|医院|工作室|工作站|经营者|业主|主体"
)
PERSON_RE = re.compile(
    r"(?:人员|人才|博士后|博士|硕士|毕业生|残疾人|创业者|劳动者|职工|农户|农民|居民|个人|学生|退役军人|老年人"
    r"|家庭|青年)$"
)


def applicant_of(condition: str, name: str = "") -> str:
    """Who can apply (frozen copy of zhengcetong.ingest.applicants.applicant_of at this revision)."""
    text = re.sub(r"（[^（）]{0,20}）|\([^()]{0,20}\)", "", condition or name)  # "入站（基地）"
    head = _beneficiary(text)
    if PUBLIC_BODY_RE.search(head) and not UNIT_RE.search(head):
        return PUBLIC
    if PERSON_RE.search(head) and not UNIT_RE.search(text):  # "专精特新企业新引进的全职博士": the enterprise
        return PERSON
    if UNIT_RE.search(text):
        return UNIT
    if PUBLIC_WORKS_RE.search(text) and not PERSON_RE.search(text):
        return PUBLIC
    return UNIT


def _beneficiary(text: str) -> str:
    """The last comma segment of a condition after its last 的 (where Chinese puts the beneficiary); a
    segment that says who pays or how ("由所在县（市、区）", "按…") is not one."""
    parts = [p for p in re.split(r"[，,；;]", text.strip("，,。 ")) if p and not p.startswith(("由", "按"))]
    last = parts[-1] if parts else text
    last = re.sub(r"^(?:对于|对)", "", last)
    return last.rsplit("的", 1)[-1] if "的" in last else last


def upgrade() -> None:
    with op.batch_alter_table("policy_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("applicant", sa.String(length=10), nullable=False, server_default="unit")
        )
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
    # a plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): rebuilding policy_item in batch mode fails on a
    # database that holds items (SQLite: "database table is locked")
    op.drop_column("policy_item", "applicant")
