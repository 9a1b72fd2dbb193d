"""JSON API: /api/v1/documents (the twins of the document pages)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from zhengcetong.clock import IsoDate
from zhengcetong.library import DocumentPagination, DocumentRead
from zhengcetong.search import TopicName
from zhengcetong.web.api.responses import DETAIL, LIST
from zhengcetong.web.caching import etag_or_none
from zhengcetong.web.deps import DbSession
from zhengcetong.web.paging import Offset
from zhengcetong.web.queries import document_detail, document_page

router = APIRouter(prefix="/api/v1", tags=["documents"])


@router.get(
    "/documents", response_model=DocumentPagination, summary="文件列表（含某日有效性）", responses=LIST
)
def list_documents(
    request: Request,
    response: Response,
    db: DbSession,
    valid_on: IsoDate | None = Query(None, description="按该日期计算有效性（YYYY-MM-DD），默认今天"),
    only_valid: bool = Query(False, description="只返回该日期现行有效的文件"),
    kind: str | None = Query(None),
    issuer: str | None = Query(None),
    topic: TopicName | None = Query(None, description="主题（见 /api/v1/topics）"),
    q: str | None = Query(None, max_length=100, description="标题或文号包含的文字"),
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
):
    page = document_page(
        db,
        valid_on=valid_on,
        only_valid=only_valid,
        kind=kind,
        issuer=issuer,
        q=q,
        limit=limit,
        offset=offset,
        topic=topic,
    )
    return etag_or_none(request, response, page.model_dump_json()) or page


@router.get(
    "/documents/{uid}",
    response_model=DocumentRead,
    summary="一篇文件（要素、条款树、表格、废止关系）",
    responses=DETAIL,
)
def get_document(
    uid: str,
    request: Request,
    response: Response,
    db: DbSession,
    valid_on: IsoDate | None = Query(None, description="按该日期计算有效性（YYYY-MM-DD），默认今天"),
):
    doc = document_detail(db, uid, valid_on)
    return etag_or_none(request, response, doc.model_dump_json()) or doc
