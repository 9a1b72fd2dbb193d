"""Read models of policy interpretations (政策解读): what the pages and their JSON twins show.

Only published interpretations are ever turned into these models for the public.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from zhengcetong.library.schemas import DocumentRef


class ExplainedDocument(DocumentRef):
    """A document an interpretation explains: the document reference and the clauses explained."""

    clauses: list[str] = Field(default_factory=list, description="所解读的条款路径（如 一/（一）），可为空")


class InterpretationSummary(BaseModel):
    """A published interpretation in a list."""

    uid: str
    url: str
    title: str
    summary: str
    kind: str = Field(description="text（文字解读）、graphic（图解）或 qa（问答）")
    kind_name: str
    department: str
    version: int
    published_on: date | None = Field(description="发布日期（北京时间）")
    published_at: datetime | None
    updated_at: datetime
    updated_on: date = Field(description="最近修改日期（北京时间）")
    documents: list[ExplainedDocument]


class InterpretationRead(InterpretationSummary):
    """One published interpretation with its text (plain text: blank lines separate paragraphs)."""

    body: str


class InterpretationPagination(BaseModel):
    """A page of published interpretations, newest first."""

    total: int
    limit: int
    offset: int
    document: ExplainedDocument | None = Field(None, description="按文件筛选时，该文件")
    items: list[InterpretationSummary]
