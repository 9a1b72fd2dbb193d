"""Read models of the library (what the API and the pages show)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class ClauseRead(BaseModel):
    """A clause with its children (``start``/``end`` are offsets of ``text`` in the document body)."""

    label: str
    path: str
    level: str
    text: str
    start: int
    end: int
    children: list[ClauseRead] = []


class DocumentRef(BaseModel):
    """A document as a list, a search hit, an item or an interpretation cites it, with its validity on
    ``status_on`` (``zhengcetong.library.validity``)."""

    model_config = ConfigDict(from_attributes=True)

    uid: str
    doc_number: str | None
    issuer: str | None
    title: str
    kind: str
    date: date | None
    effective_from: date | None
    effective_until: date | None
    status: str = Field(description="有效性：未生效、现行有效、已失效、已废止、已修改")
    status_on: date
    published: date | None = None  # 发布日期 when the text states it (documents published on a website)
    gazette_issue: str | None = None  # the gazette issue it was published in


class InterpretationRef(BaseModel):
    """A published interpretation as a document lists it (the document page's 政策解读 section)."""

    uid: str
    url: str
    title: str
    summary: str
    kind: str = Field(description="text（文字解读）、graphic（图解）或 qa（问答）")
    kind_name: str
    department: str
    published_on: date | None = Field(description="发布日期（北京时间）")
    clauses: list[str] = Field(default_factory=list, description="所解读的本文件条款路径，可为空")


class RelationRead(BaseModel):
    """A repeal or amendment between documents."""

    action: str
    effective_on: date | None
    quote: str
    source_uid: str
    target_uid: str | None
    target_doc_number: str | None
    target_title: str | None


class DocumentRead(DocumentRef):
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
    items: list[DocumentRef]


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
    up_to: bool = True  # amount_max_yuan is a ceiling (最高X); false when the text gives the amount (给予X)
    per_person: bool = False  # the amount is for each person (每人每月…), multiplied by the persons counted
    benefit: str = ""  # what it gives in words: 给予20万元 (fixed), 最高20万元 (ceiling), 按10%… (rate)
    applicant: str = "unit"  # who can apply: unit (企业、单位), person (个人), public (政府部门)
    applicant_name: str = "企业（单位）"  # 申请对象 in words
    departments: list[str]
    time_limit_days: int | None
    clause: str
    document: DocumentRef
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
    explains: str | None = None  # an item read from a 政策解读 answer: the article it explains ("第三条")
    non_cumulative: str | None = None  # the non-cumulation rules that govern it (不重复享受…), with clauses
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
    documents: list[DocumentRef]


class NormativeList(BaseModel):
    """现行有效规范性文件: normative documents by issuer, with their status on a date."""

    on: date
    only_valid: bool
    total: int
    groups: list[NormativeGroup]
