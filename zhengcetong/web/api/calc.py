"""JSON API: POST /api/v1/items/{item_ref}/calculate — 试算, the benefit a profile would get from one item.

Anonymous callers (and enterprise accounts) may calculate only what the public sees: published items of
documents in force. Reviewers and admins, logged in to the staff console, may calculate drafts too.
Nothing is written.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zhengcetong import jsonsafe
from zhengcetong.clock import IsoDate
from zhengcetong.errors import InputError
from zhengcetong.library import users
from zhengcetong.match import service
from zhengcetong.web.api.responses import ErrorDetail, ProblemsDetail
from zhengcetong.web.auth import OptionalUser
from zhengcetong.web.deps import DbSession

router = APIRouter(prefix="/api/v1", tags=["calculate"])
MAX_BODY_BYTES = 64 * 1024


class CalculateRequest(BaseModel):
    """What to calculate: an enterprise profile (LANGUAGE.md) and the evaluation date (default today)."""

    model_config = ConfigDict(extra="forbid")

    profile: dict[str, Any] = Field(
        description="企业画像（字段见 zhengcetong/match/LANGUAGE.md），如 "
        '{"project": {"equipment_cost": 3500000}, "revenue": {"2025": 120000000}}'
    )
    on: IsoDate | None = Field(None, description="评估日期 YYYY-MM-DD，默认今天")


def _fail(status: int, message: str) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


def _pydantic_message(error: dict) -> str:
    """One Chinese line for one pydantic error.

    Examples:
        >>> _pydantic_message({"loc": ("on",), "type": "date_from_datetime_parsing"})
        '字段 on 的值无效，应为 YYYY-MM-DD 格式的日期'
        >>> _pydantic_message({"loc": ("profile",), "type": "missing"})
        '缺少字段 profile'
    """
    where = ".".join(str(x) for x in error.get("loc", ())) or "请求"
    kind = error.get("type", "")
    if kind == "missing":
        return f"缺少字段 {where}"
    if kind == "extra_forbidden":
        return f"不认识的字段 {where}（只接受 profile 和 on）"
    if where == "on":
        return "字段 on 的值无效，应为 YYYY-MM-DD 格式的日期"
    if where == "profile":
        return "字段 profile 应为 JSON 对象（企业画像）"
    return f"字段 {where} 的值无效"


async def calculate_request(request: Request) -> CalculateRequest:
    """The request body, read up to MAX_BODY_BYTES and validated (413, 415 or 422 otherwise)."""
    return await read_json_body(request, CalculateRequest)


async def read_json_body(request: Request, model: type[BaseModel]):
    """A JSON body read up to MAX_BODY_BYTES and validated as ``model`` (413, 415 or 422 otherwise)."""
    data = await read_json(request)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _fail(422, "；".join(_pydantic_message(e) for e in exc.errors())) from exc


async def read_json(request: Request, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """A JSON body read up to ``max_bytes`` through the bounded reader (``zhengcetong.jsonsafe``): 415
    unless it is JSON, 413 when too large, 400 when invalid, too deep, or holding a huge number, NaN or NUL."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise _fail(415, "请以 JSON 提交（Content-Type: application/json）")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _fail(413, f"请求内容超过 {max_bytes} 字节的上限")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise _fail(413, f"请求内容超过 {max_bytes} 字节的上限")
    try:
        data = jsonsafe.loads(bytes(body), source="请求内容", max_bytes=max_bytes)
    except json.JSONDecodeError as exc:
        raise _fail(400, "请求内容不是有效的 JSON") from exc
    except InputError as exc:  # too deep, a huge number, NaN, a NUL character
        raise _fail(400, f"请求内容有误：{exc.detail}") from exc
    return data


Body = Annotated[CalculateRequest, Depends(calculate_request)]

# What an operation that reads a JSON body through read_json / read_json_body may answer besides 200.
JSON_BODY_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorDetail,
        "description": "请求内容不是有效的 JSON，嵌套过深、数值过大，含 NaN 或空字符",
    },
    413: {"model": ErrorDetail, "description": "请求内容过大"},
    415: {"model": ErrorDetail, "description": "请求内容不是 JSON（Content-Type 应为 application/json）"},
    422: {"model": ProblemsDetail, "description": "请求或企业画像有误（problems 列出每个字段）"},
}


@router.post(
    "/items/{item_ref}/calculate",
    summary="试算：企业按某一政策事项可获得的待遇（结论、金额、理由、计算过程、出处）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CalculateRequest.model_json_schema()}},
        }
    },
    responses={
        **JSON_BODY_RESPONSES,
        404: {
            "model": ErrorDetail,
            "description": "没有该事项，或匿名访问时该事项尚未发布、所属文件不在有效期内",
        },
        409: {
            "model": ProblemsDetail,
            "description": "该事项的规则有误，需审核人员修正（problems 列出每处）",
        },
    },
)
def calculate(item_ref: str, body: Body, db: DbSession, user: OptionalUser):
    staff = user is not None and user.role in users.STAFF_ROLES
    try:
        result = service.calculate(
            db_session=db, item_ref=item_ref, profile=body.profile, on=body.on, public=not staff
        )
    except service.ProfileError as exc:
        return JSONResponse(
            {
                "detail": str(exc.detail),
                "problems": [{"where": p.where, "zh": p.zh, "en": p.en} for p in exc.problems],
            },
            status_code=422,
        )
    except service.ItemRuleError as exc:
        return JSONResponse({"detail": str(exc), "problems": exc.problems}, status_code=409)
    data = result.to_dict()
    db.rollback()  # a calculation writes nothing
    return JSONResponse(data)
