"""JSON API: /api/v1/interpretations (the twins of the 政策解读 pages). Only published interpretations."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, Response

from zhengcetong.library import InterpretationPagination, InterpretationRead, interpretations
from zhengcetong.web.api.responses import DETAIL, LIST, NOT_FOUND
from zhengcetong.web.caching import etag_or_none
from zhengcetong.web.deps import DbSession
from zhengcetong.web.paging import Offset

router = APIRouter(prefix="/api/v1", tags=["interpretations"])


@router.get(
    "/interpretations",
    response_model=InterpretationPagination,
    summary="政策解读列表（已发布，最新在前）",
    responses={**LIST, **NOT_FOUND},  # 404: a document filter that names no document
)
def list_interpretations(
    request: Request,
    response: Response,
    db: DbSession,
    document: str | None = Query(
        None, max_length=80, description="只要解读该文件（文件编号，如 青政办发-2026-8）的"
    ),
    kind: Literal["text", "graphic", "qa"] | None = Query(
        None, description="text（文字解读）、graphic（图解）或 qa（问答）"
    ),
    limit: int = Query(20, ge=1, le=100),
    offset: Offset = 0,
):
    page = interpretations.page(
        db_session=db, document_uid=document or None, kind=kind, limit=limit, offset=offset
    )
    return etag_or_none(request, response, page.model_dump_json()) or page


@router.get(
    "/interpretations/{uid}",
    response_model=InterpretationRead,
    summary="一篇政策解读（正文、所解读的文件及其有效性）",
    responses=DETAIL,
)
def get_interpretation(uid: str, request: Request, response: Response, db: DbSession):
    data = interpretations.read(db_session=db, uid=uid)
    return etag_or_none(request, response, data.model_dump_json()) or data
