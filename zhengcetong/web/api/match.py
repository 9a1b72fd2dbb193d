"""JSON API: POST /api/v1/match — every public policy item an enterprise profile document may get.

Anonymous callers are welcome; only what the public sees (published items of documents in force) is
matched. Nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from zhengcetong.match import matching, service
from zhengcetong.web.api.calc import JSON_BODY_RESPONSES, read_json_body
from zhengcetong.web.deps import DbSession

router = APIRouter(prefix="/api/v1", tags=["match"])


class MatchRequest(BaseModel):
    """What to match: an enterprise profile document (README 匹配) and the evaluation date (default today)."""

    model_config = ConfigDict(extra="forbid")

    profile: dict[str, Any] = Field(
        description='企业画像文档，如 {"name": "…", "credit_code": "91330100799655058B", '
        '"region": "东昌府区", "revenue_yuan": {"2025": 300000000}}；个人画像加 "kind": "person"，'
        '如 {"kind": "person", "name": "…", "id_number": "11010519491231002X", "role": "博士后"}'
    )
    on: date | None = Field(None, description="评估日期 YYYY-MM-DD，默认今天")


async def match_request(request: Request) -> MatchRequest:
    """The request body, size-limited and validated like the calculation API's."""
    return await read_json_body(request, MatchRequest)


Body = Annotated[MatchRequest, Depends(match_request)]


@router.post(
    "/match",
    summary="匹配：企业可以享受的全部公开政策事项（符合、可能符合、待补充的信息），按金额排序",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": MatchRequest.model_json_schema()}},
        }
    },
    responses=JSON_BODY_RESPONSES,
)
def match(body: Body, db: DbSession):
    try:
        result = matching.match_profile(db_session=db, document=body.profile, on=body.on)
    except service.ProfileError as exc:
        return JSONResponse(
            {
                "detail": str(exc.detail),
                "problems": [{"where": p.where, "zh": p.zh, "en": p.en} for p in exc.problems],
            },
            status_code=422,
        )
    db.rollback()  # matching writes nothing
    return JSONResponse(result.to_dict())
