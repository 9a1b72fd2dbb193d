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
    published: date | None
    attached_titles: list[str]
    body: str
    tables: list[dict]
    clauses: list[ClauseRead]
    repeals: list[RelationRead]
    repealed_by: list[RelationRead]
    gazette_issue: str | None
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
