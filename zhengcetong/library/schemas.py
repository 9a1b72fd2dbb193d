"""Read models of the library (what the API and the pages show)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from zhengcetong.library.interpretation_schemas import InterpretationRef


class ClauseRead(BaseModel):
    """A clause with its children (``start``/``end`` are offsets of ``text`` in the document body)."""

    label: str
    path: str
    level: str
    text: str
    start: int
    end: int
    children: list[ClauseRead] = []


class DocumentSummary(BaseModel):
    """A document in a list, with its status on the requested date."""

    model_config = ConfigDict(from_attributes=True)

    uid: str
    doc_number: str | None
    issuer: str | None
    title: str
    kind: str
    date: date | None
    effective_from: date | None
    effective_until: date | None
    status: str
    status_on: date
    published: date | None = None  # 发布日期 when the text states it (documents published on a website)
    gazette_issue: str | None = None  # the gazette issue it was published in


class RelationRead(BaseModel):
    """A repeal or amendment between documents."""

    action: str
    effective_on: date | None
    quote: str
    source_uid: str
    target_uid: str | None
    target_doc_number: str | None
    target_title: str | None


class DocumentRead(DocumentSummary):
    """A whole document."""

    addressees: list[str]
    signature: str | None
    attached_titles: list[str]
    body: str
    tables: list[dict]
    clauses: list[ClauseRead]
    repeals: list[RelationRead]
    repealed_by: list[RelationRead]
    source_name: str
    lines: list[int]
    interpretations: list[InterpretationRef] = []  # the published 政策解读 of this document


class DocumentPagination(BaseModel):
    """A page of documents."""

    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class GazetteRead(BaseModel):
    """An ingested file."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    source_name: str
    issue: str | None
    content_sha256: str
    size_bytes: int
    ingested_at: datetime
    ingested_by: str
    documents: int  # documents stored from this file (documents already in the library are not counted)


class ItemDocument(BaseModel):
    """The document an item comes from."""

    uid: str
    doc_number: str | None
    title: str
    issuer: str | None
    date: date | None
    status: str


class ItemSummary(BaseModel):
    """A published policy item in a list."""

    key: str
    name: str
    category: str
    benefit_kind: str
    amount_max_yuan: float | None
    rate: float | None
    per: str
    cap_yuan: float | None
    months_max: int | None
    departments: list[str]
    time_limit_days: int | None
    clause: str
    document: ItemDocument
    topics: list[str] = []
    published_at: datetime | None


class ItemRead(ItemSummary):
    """One published item: what it gives, to whom, who handles it, and the exact source."""

    condition: str
    conditions: dict | bool
    formula: dict | None
    rule: dict  # the rule in words: conditions, logic, formula, facts (zhengcetong.match.service.rule_text)
    quote: str
    start: int
    end: int
    version: int
    published_by: str | None


class ItemPagination(BaseModel):
    """A page of published items."""

    total: int
    limit: int
    offset: int
    items: list[ItemSummary]


class NormativeGroup(BaseModel):
    """The normative documents of one issuer."""

    issuer: str
    documents: list[DocumentSummary]


class NormativeList(BaseModel):
    """现行有效规范性文件: normative documents by issuer, with their status on a date."""

    on: date
    only_valid: bool
    total: int
    groups: list[NormativeGroup]
