"""JSON API: the home page's overview, the normative documents by issuer, and the topic list."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from zhengcetong import clock
from zhengcetong.clock import IsoDate
from zhengcetong.library import DocumentRef, ItemSummary, NormativeList
from zhengcetong.search import topic_model
from zhengcetong.web.api.responses import LIST
from zhengcetong.web.caching import etag_or_none
from zhengcetong.web.deps import DbSession
from zhengcetong.web.queries import home, normative_list, topic_counts

router = APIRouter(prefix="/api/v1", tags=["overview"])


class TopicCount(BaseModel):
    """A topic and how many documents in force it has."""

    name: str
    count: int


class Overview(BaseModel):
    """What the home page shows."""

    on: date
    overview: dict[str, int]
    topics: list[TopicCount]
    latest_documents: list[DocumentRef]
    latest_items: list[ItemSummary]
    suggestions: list[str] = Field(
        [], description="建议的检索词：库中事项的常见政策用语和一个文号，每个都能查到结果"
    )


class Topic(BaseModel):
    """A topic of the classification model with its keywords and weights."""

    name: str
    keywords: dict[str, float]
    documents_in_force: int


@router.get(
    "/overview", response_model=Overview, summary="首页：收录情况、主题、最新文件和事项", responses=LIST
)
def overview(request: Request, response: Response, db: DbSession):
    data = Overview(**home(db, clock.today()))
    return etag_or_none(request, response, data.model_dump_json()) or data


@router.get(
    "/normative", response_model=NormativeList, summary="现行有效规范性文件（按发文机关）", responses=LIST
)
def normative(
    request: Request,
    response: Response,
    db: DbSession,
    valid_on: IsoDate | None = Query(None, description="按该日期计算有效性（YYYY-MM-DD），默认今天"),
    all: bool = Query(False, description="包括已失效、已废止的文件"),
):
    data = normative_list(db, on=valid_on or clock.today(), only_valid=not all)
    return etag_or_none(request, response, data.model_dump_json()) or data


@router.get(
    "/topics",
    response_model=list[Topic],
    summary="主题分类模型（关键词及权重）与各主题现行有效文件数",
    responses=LIST,
)
def topics(request: Request, response: Response, db: DbSession):
    counts = dict(topic_counts(db, clock.today()))
    data = [
        Topic(name=t.name, keywords=dict(t.keywords), documents_in_force=counts[t.name])
        for t in topic_model().topics
    ]
    body = "[" + ",".join(t.model_dump_json() for t in data) + "]"
    return etag_or_none(request, response, body) or data
