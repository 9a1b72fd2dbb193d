"""Enterprise profiles in the database: upsert by credit code, provenance, version, audit, linking."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from zhengcetong.errors import InputError, NotFound
from zhengcetong.library import users
from zhengcetong.library.models import AuditEvent
from zhengcetong.match import profiles

CODE = "91330100799655058B"
OTHER = "91350100M000100Y43"


def doc(**fields):
    return {"name": "青禾示例电子有限公司", "credit_code": CODE, **fields}


def test_create_then_update_records_provenance_version_and_audit(db_session):
    enterprise, created, changed = profiles.upsert(
        db_session=db_session,
        document=doc(region="青禾高新区", employees=420, credit_code=" 9133 0100 7996 5505 8b"),
        source="staff",
        actor="cli",
    )
    assert created and enterprise.version == 1 and enterprise.credit_code == CODE
    assert changed == ["credit_code", "employees", "name", "region"]
    assert enterprise.name == "青禾示例电子有限公司" and enterprise.region == "青禾高新区"
    assert enterprise.provenance["employees"]["source"] == "staff"
    assert enterprise.provenance["employees"]["by"] == "cli"
    staff_at = enterprise.provenance["name"]["at"]

    same, created, changed = profiles.upsert(
        db_session=db_session, document=doc(employees=420), source="enterprise", actor="user:acme"
    )
    assert same is enterprise and not created and changed == [] and enterprise.version == 1

    _, _, changed = profiles.upsert(
        db_session=db_session,
        document=doc(employees=450, revenue_yuan={"2025": 560000000}),
        source="enterprise",
        actor="user:acme",
    )
    assert changed == ["employees", "revenue_yuan"] and enterprise.version == 2
    assert enterprise.profile["region"] == "青禾高新区"  # an import-style upsert keeps what it does not name
    assert enterprise.provenance["employees"]["source"] == "enterprise"
    assert enterprise.provenance["name"]["at"] == staff_at  # unchanged fields keep their provenance

    _, _, changed = profiles.upsert(
        db_session=db_session,
        document=doc(employees=450),
        source="enterprise",
        actor="user:acme",
        replace=True,
    )
    assert changed == ["region", "revenue_yuan"] and "region" not in enterprise.provenance
    assert enterprise.region is None and enterprise.version == 3

    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.target_type == "enterprise").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["enterprise.create", "enterprise.update", "enterprise.update"]
    assert events[1].data["fields"] == ["employees", "revenue_yuan"] and events[1].actor == "user:acme"


def test_every_problem_is_listed_in_chinese_and_nothing_is_written(db_session):
    with pytest.raises(profiles.EnterpriseProfileError) as caught:
        profiles.upsert(
            db_session=db_session,
            document={
                "credit_code": "91330100799655058C",
                "scale": "巨型",
                "employes": 3,
                "region": "区" * 101,
            },
            source="staff",
            actor="cli",
        )
    wheres = [p.where for p in caught.value.problems]
    assert wheres == ["$.name", "$.credit_code", "$.scale", "$.employes", "$.region"]
    assert "校验码" in str(caught.value) and "employees" in str(caught.value)
    assert profiles.list_enterprises(db_session=db_session) == ([], 0)
    with pytest.raises(InputError):
        profiles.upsert(db_session=db_session, document=doc(), source="robot", actor="cli")


def test_get_list_and_link(db_session):
    profiles.upsert(db_session=db_session, document=doc(region="青禾高新区"), source="staff", actor="cli")
    profiles.upsert(
        db_session=db_session, document={"name": "乙公司", "credit_code": OTHER}, source="exchange", actor="x"
    )
    assert profiles.get(db_session=db_session, credit_code=CODE.lower()).name == "青禾示例电子有限公司"
    with pytest.raises(NotFound):
        profiles.get(db_session=db_session, credit_code="91440300708461136T")
    found, total = profiles.list_enterprises(db_session=db_session, region="青禾高新区")
    assert total == 1 and found[0].credit_code == CODE
    assert profiles.list_enterprises(db_session=db_session, q="乙")[1] == 1

    account = users.create_user(
        db_session=db_session, username="acme", password="correct horse battery", role="enterprise", actor="t"
    )
    assert profiles.for_user(db_session=db_session, user=account) is None
    profiles.link_user(db_session=db_session, user=account, credit_code=OTHER, actor="t")
    assert profiles.for_user(db_session=db_session, user=account).name == "乙公司"
    staff = users.create_user(
        db_session=db_session, username="wang", password="correct horse battery", role="reviewer", actor="t"
    )
    with pytest.raises(InputError):
        profiles.link_user(db_session=db_session, user=staff, credit_code=OTHER, actor="t")
    data = profiles.to_dict(profiles.get(db_session=db_session, credit_code=OTHER))
    assert data["document"] == {"name": "乙公司", "credit_code": OTHER} and data["version"] == 1
    assert data["provenance"]["name"]["source"] == "exchange"
