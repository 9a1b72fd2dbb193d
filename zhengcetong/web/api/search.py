"""JSON API: GET /api/v1/search (the twin of the search page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from zhengcetong.search import SearchPage, SearchRequest
from zhengcetong.web.api.responses import LIST
from zhengcetong.web.caching import etag_or_none
from zhengcetong.web.deps import DbSession
from zhengcetong.web.pages.search import run_search

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get(
    "/search",
    response_model=SearchPage,
    summary="全文检索文件、条款、政策事项和政策解读（BM25 排序，含高亮片段和分面统计）",
    responses=LIST,
)
def search(request: Request, response: Response, db: DbSession, params: Annotated[SearchRequest, Query()]):
    """检索语法：词语之间为“且”；`"…"` 为精确短语；`A OR B` 为“或”；`-词` 排除；文号会被单独识别（`exact`）。
    分面（`facets`）统计全部命中结果；`snippet` 中 `hit=true` 的片段是命中的词。"""
    page = run_search(request, db, params)
    return etag_or_none(request, response, page.model_dump_json(exclude={"took_ms"})) or page
