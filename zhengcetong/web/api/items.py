"""JSON API: /api/v1/items (the twins of the policy item pages)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response

from zhengcetong import clock
from zhengcetong.library import ItemPagination, ItemRead
from zhengcetong.search import TopicName
from zhengcetong.web.api.responses import DETAIL, LIST
from zhengcetong.web.caching import etag_or_none
from zhengcetong.web.deps import DbSession
from zhengcetong.web.pages.items import item_filters
from zhengcetong.web.paging import Offset
from zhengcetong.web.queries import item_detail, items_page

router = APIRouter(prefix="/api/v1", tags=["items"])


@router.get(
    "/items", response_model=ItemPagination, summary="已发布的政策事项（文件现行有效）", responses=LIST
)
def list_items(
    request: Request,
    response: Response,
    db: DbSession,
    topic: TopicName | None = Query(None, description="主题（见 /api/v1/topics）"),
    category: str | None = Query(None, max_length=10, description="奖补、减免、权益、资质"),
    benefit_kind: str | None = Query(None, max_length=30),
    department: str | None = Query(None, max_length=100, description="责任部门"),
    amount: str | None = Query(None, max_length=20, description="金额区间，如“10万–50万元”"),
    doc: str | None = Query(None, max_length=80, description="文件编号（uid）"),
    limit: int = Query(20, ge=1, le=200),
    offset: Offset = 0,
):
    page = items_page(
        db,
        on=clock.today(),
        filters=item_filters(category, benefit_kind, amount, doc),
        department=department or None,
        topic=topic,
        limit=limit,
        offset=offset,
    )
    return etag_or_none(request, response, page.model_dump_json()) or page


@router.get(
    "/items/{key}",
    response_model=ItemRead,
    summary="一项政策事项：条件、待遇、办理部门、时限、原文出处",
    responses=DETAIL,
)
def get_item(key: str, request: Request, response: Response, db: DbSession):
    item = item_detail(db, key, clock.today())
    response.headers["Link"] = f'</items/{quote(key, safe="")}>; rel="alternate"; type="text/html"'
    return etag_or_none(request, response, item.model_dump_json()) or item
