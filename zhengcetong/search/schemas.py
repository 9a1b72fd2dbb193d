"""What a search takes and returns (the portal's result page and ``GET /api/v1/search`` share them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from zhengcetong.clock import IsoDate
from zhengcetong.library import DocumentRef
from zhengcetong.search.topics import TopicName

MAX_OFFSET = 10_000  # deeper pages are for narrower filters, not for paging
KINDS = ("document", "clause", "item", "interpretation")
KIND_NAMES = {"document": "文件", "clause": "条款", "item": "政策事项", "interpretation": "政策解读"}
AMOUNT_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("10万元以下", None, 100_000),
    ("10万–50万元", 100_000, 500_000),
    ("50万–100万元", 500_000, 1_000_000),
    ("100万–500万元", 1_000_000, 5_000_000),
    ("500万元及以上", 5_000_000, None),
)


class SearchRequest(BaseModel):
    """A search: the query and the filters (all optional but the query)."""

    q: str = Field(
        "", max_length=200, description='检索词：词语之间为“且”，"…" 为精确短语，OR 为“或”，-词 为排除'
    )
    kind: list[Literal["document", "clause", "item", "interpretation"]] = Field(default_factory=list)
    issuer: str | None = Field(None, max_length=200)
    year: int | None = Field(None, ge=1949, le=2100)
    doc_kind: str | None = Field(None, max_length=20)
    topic: TopicName | None = None
    department: str | None = Field(None, max_length=100)
    benefit_kind: str | None = Field(None, max_length=30)
    category: str | None = Field(None, max_length=10)
    amount: str | None = Field(None, max_length=20, description="金额区间，见 facets.amount 的取值")
    valid_on: IsoDate | None = Field(None, description="只要该日期现行有效的文件（及其条款、事项）")
    sort: Literal["relevance", "date"] = "relevance"
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Segment(BaseModel):
    """A piece of a snippet; ``hit`` pieces are what the query matched."""

    text: str
    hit: bool = False


class SearchHit(BaseModel):
    """One result."""

    id: int
    kind: str
    ref: str
    url: str
    title: str
    title_marked: list[Segment]  # the title with the query's words marked
    snippet: list[Segment]
    score: float
    clause: str | None = None
    document: DocumentRef | None = None
    topics: list[str] = []
    category: str | None = None
    benefit_kind: str | None = None
    amount_max_yuan: Decimal | None = None
    benefit: str | None = (
        None  # an item's benefit in words: 给予20万元 (fixed), 最高20万元 (ceiling), 按10% (rate)
    )
    departments: list[str] = []


class FacetValue(BaseModel):
    """One value of a facet with its count among the hits."""

    value: str
    label: str
    count: int


class SearchPage(BaseModel):
    """A page of results with facets; ``engine`` says which index answered."""

    q: str
    total: int
    limit: int
    offset: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    exact: DocumentRef | None = None  # the document whose 文号 the query named
    ignored: list[str] = []  # words with nothing to look for (stop words)
    engine: str
    took_ms: float
