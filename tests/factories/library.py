"""factory_boy factories for the library's tables, flushed into the test's session (see ``bind_session``)."""

from __future__ import annotations

import hashlib
from datetime import date

import factory
from factory.alchemy import SQLAlchemyModelFactory

from zhengcetong.library import models

_session = None


def bind_session(session) -> None:
    """Make every factory here add to ``session`` (the db_session fixture calls this)."""
    global _session
    _session = session


def _current_session():
    if _session is None:
        raise RuntimeError("library factories need the db_session fixture")
    return _session


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = _current_session
        sqlalchemy_session_persistence = "flush"


class GazetteFactory(BaseFactory):
    class Meta:
        model = models.Gazette

    source_name = factory.Sequence(lambda n: f"gazette-{n}.txt")
    content_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.source_name.encode()).hexdigest())
    issue = "2024年第1期"
    encoding = "utf-8"
    script = "simplified"
    size_bytes = 1024
    toc = factory.LazyFunction(list)
    findings = factory.LazyFunction(list)
    ingested_by = "test"


class DocumentFactory(BaseFactory):
    class Meta:
        model = models.Document

    gazette = factory.SubFactory(GazetteFactory)
    position = factory.Sequence(int)
    doc_number = factory.Sequence(lambda n: f"模政发〔2024〕{n + 1}号")
    uid = factory.LazyAttribute(lambda o: o.doc_number.replace("〔", "-").replace("〕", "-").rstrip("号"))
    issuer = "模拟市人民政府"
    title = factory.Sequence(lambda n: f"模拟文件{n}")
    kind = "notice"
    addressees = factory.LazyFunction(list)
    date = date(2024, 1, 15)
    attached_titles = factory.LazyFunction(list)
    tables = factory.LazyFunction(list)
    body = "第一条 正文。"
    line_start = 1
    line_end = 9
    continued_from = factory.LazyFunction(list)


class ClauseFactory(BaseFactory):
    class Meta:
        model = models.Clause

    document = factory.SubFactory(DocumentFactory)
    position = factory.Sequence(int)
    depth = 0
    path = factory.Sequence(lambda n: f"第{n + 1}条")
    label = factory.LazyAttribute(lambda o: o.path.rsplit("/", 1)[-1])
    level = "article"
    text = "正文。"
    start = 0
    end = 3


class DocumentRelationFactory(BaseFactory):
    class Meta:
        model = models.DocumentRelation

    source = factory.SubFactory(DocumentFactory)
    action = "repeal"
    quote = "同时废止。"
    effective_on = date(2024, 2, 1)


class PolicyItemFactory(BaseFactory):
    """A draft policy item of a document: "最高5万元" for a 国家级 recognition, with its first revision."""

    class Meta:
        model = models.PolicyItem

    document = factory.SubFactory(DocumentFactory)
    key = factory.Sequence(lambda n: f"k{n:011d}")
    position = factory.Sequence(int)
    clause_path = "第一条"
    status = "draft"
    version = 1
    name = factory.Sequence(lambda n: f"模拟事项{n}")
    category = "奖补"
    condition = "获得国家级认定的企业"
    conditions = factory.LazyFunction(
        lambda: {"has": "recognitions", "where": {"fact": "level", "op": "==", "value": "national"}}
    )
    formula = factory.LazyFunction(lambda: {"up_to": "50000"})
    benefit_kind = "award"
    per = "once"
    departments = factory.LazyFunction(list)
    quote = "正文"
    start = 4
    end = 6
    revisions = factory.LazyAttribute(
        lambda o: [
            models.PolicyItemRevision(
                version=1,
                actor="test",
                action="extract",
                after={"name": o.name, "conditions": o.conditions, "formula": o.formula, "status": o.status},
            )
        ]
    )
