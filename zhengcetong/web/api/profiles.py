"""JSON API of enterprise profiles (企业画像).

- ``GET/PUT /api/v1/profiles/me``: the signed-in enterprise account's own enterprise;
- ``GET/PUT /api/v1/profiles/{credit_code}``: any enterprise, for staff (reviewers and admins).

Callers sign in through the login form (session cookie). A PUT carries the session's CSRF token in the
``X-CSRF-Token`` header; every GET of these routes returns it in the same header. The body of a PUT is the
whole profile document (fields it leaves out are removed); the response is the stored document with
``provenance`` (where each field came from and when) and ``version``.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from zhengcetong.library import User, users
from zhengcetong.match import profiles
from zhengcetong.match.enterprise import normalise_credit_code
from zhengcetong.match.errors import Problem
from zhengcetong.web.api.calc import read_json
from zhengcetong.web.auth import actor_of, optional_user, read_session
from zhengcetong.web.deps import DbSession

router = APIRouter(prefix="/api/v1/profiles", tags=["profiles"])
MAX_BODY_BYTES = 256 * 1024
CSRF_HEADER = "X-CSRF-Token"

DOCUMENT_EXAMPLE = {
    "name": "青禾示例电子有限公司",
    "credit_code": "91330100799655058B",
    "region": "青禾高新区",
    "industries": ["电子信息制造业"],
    "scale": "中型",
    "employees": 420,
    "revenue_yuan": {"2024": 460000000, "2025": 560000000},
    "recognitions": [{"name": "高新技术企业", "level": "national", "year": 2025, "first_time": True}],
    "projects": [{"kind": "技术改造", "year": 2026, "total_investment_yuan": 12000000}],
    "mu_efficiency_grade": "B",
    "contact_email": "finance@example.com",
    "facts": {"revenue_growth": {"2025": 0.21}},
}
BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "description": "企业画像文档（字段见 README“企业画像”）"},
                "example": DOCUMENT_EXAMPLE,
            }
        },
    }
}
COMMON = {
    401: {"description": "未登录"},
    403: {"description": "无权访问（企业账号只能访问本企业的画像；PUT 缺少或带错了 X-CSRF-Token）"},
}
WRITE = {
    413: {"description": "请求内容过大"},
    415: {"description": "请求不是 JSON"},
    422: {"description": "企业画像有误：problems 逐项列出字段（where）和原因（zh、en）"},
}


def _fail(status: int, message: str) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


def api_user(request: Request, db: DbSession) -> User:
    """The signed-in user, or 401 (the API answers, it does not redirect to the login page)."""
    user = optional_user(request, db)
    if user is None:
        raise _fail(401, "请先登录（/staff/login）")
    return user


ApiUser = Annotated[User, Depends(api_user)]


def _staff(user: User) -> User:
    if user.role not in users.STAFF_ROLES:
        raise _fail(403, "只有审核人员可以查看或修改其他企业的画像")
    return user


def check_csrf_header(request: Request) -> None:
    expected = read_session(request).get("csrf")
    given = request.headers.get(CSRF_HEADER, "")
    # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, so a 500)
    if not expected or not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise _fail(403, f"缺少或带错了 {CSRF_HEADER} 请求头（CSRF 校验失败）：请用 GET 取得该请求头的值")


async def _document(request: Request) -> Any:
    """The request body as JSON, through the API's one bounded reader (413, 415 or 400 otherwise)."""
    return await read_json(request, max_bytes=MAX_BODY_BYTES)


def _problems(problems: list[Problem]) -> JSONResponse:
    lines = [f"{p.where}：{p.zh}" for p in problems]
    return JSONResponse(
        {
            "detail": "企业画像有误：" + "；".join(lines),
            "problems": [{"where": p.where, "zh": p.zh, "en": p.en} for p in problems],
        },
        status_code=422,
    )


def _response(request: Request, enterprise, status: int = 200) -> JSONResponse:
    response = JSONResponse(profiles.to_dict(enterprise), status_code=status)
    response.headers[CSRF_HEADER] = read_session(request).get("csrf", "")
    response.headers["Cache-Control"] = "no-store"
    return response


def _write(request: Request, db, *, document: Any, credit_code: str, source: str, actor: str):
    """Store a PUT body as the whole profile of ``credit_code`` (the body may omit the code, not change it)."""
    if isinstance(document, dict):
        given = document.get("credit_code")
        if given not in (None, "") and normalise_credit_code(given) != credit_code:
            return None, _problems(
                [
                    Problem(
                        "$.credit_code", "统一社会信用代码与地址中的不一致，不能修改", "credit_code differs"
                    )
                ]
            )
        document = {**document, "credit_code": credit_code}
    try:
        enterprise, created, _ = profiles.upsert(
            db_session=db, document=document, source=source, actor=actor, replace=True
        )
    except profiles.EnterpriseProfileError as exc:
        db.rollback()
        return None, _problems(exc.problems)
    return (enterprise, created), None


def own_enterprise(db, user: User):
    if user.role != "enterprise":
        raise _fail(403, "只有企业账号有“本企业”的画像；审核人员请用 /api/v1/profiles/{统一社会信用代码}")
    enterprise = profiles.for_user(db_session=db, user=user)
    if enterprise is None:
        raise _fail(
            404, "该账号尚未绑定企业，请联系工作人员（zct users add … --enterprise 统一社会信用代码）"
        )
    return enterprise


@router.get(
    "/me",
    summary="本企业的画像（企业账号）",
    responses={**COMMON, 404: {"description": "该账号尚未绑定企业"}},
)
def my_profile(request: Request, db: DbSession, user: ApiUser) -> Response:
    return _response(request, own_enterprise(db, user))


@router.put(
    "/me",
    summary="修改本企业的画像（企业账号；整份替换，来源记为“企业填报”）",
    openapi_extra=BODY,
    responses={**COMMON, 404: {"description": "该账号尚未绑定企业"}, **WRITE},
)
async def put_my_profile(request: Request, db: DbSession, user: ApiUser) -> Response:
    enterprise = own_enterprise(db, user)
    check_csrf_header(request)
    document = await _document(request)
    done, failed = _write(
        request,
        db,
        document=document,
        credit_code=enterprise.credit_code,
        source="enterprise",
        actor=actor_of(user),
    )
    return failed or _response(request, done[0])


@router.get(
    "/{credit_code}",
    summary="某一企业的画像（审核人员）",
    responses={**COMMON, 404: {"description": "没有该企业"}},
)
def profile(credit_code: str, request: Request, db: DbSession, user: ApiUser) -> Response:
    _staff(user)
    return _response(request, profiles.get(db_session=db, credit_code=credit_code))


@router.put(
    "/{credit_code}",
    summary="新增或修改某一企业的画像（审核人员；整份替换，来源记为“工作人员”）",
    openapi_extra=BODY,
    responses={
        **COMMON,
        **WRITE,
        201: {"description": "新增了该企业"},
        422: {"description": "企业画像或地址中的统一社会信用代码有误：problems 逐项列出"},
    },
)
async def put_profile(credit_code: str, request: Request, db: DbSession, user: ApiUser) -> Response:
    _staff(user)
    check_csrf_header(request)
    code = normalise_credit_code(credit_code)
    document = await _document(request)
    done, failed = _write(
        request, db, document=document, credit_code=code, source="staff", actor=actor_of(user)
    )
    if failed:
        return failed
    enterprise, created = done
    return _response(request, enterprise, status=201 if created else 200)
