"""The responses every API operation may give besides 200, documented once for all routers.

The app answers 400 when a parameter holds a NUL (``web/guards.py``) or a value the service refuses
(``InputError``, e.g. a search query too long), 404 when a record is missing, 422 when a parameter does not
validate (FastAPI adds that one with its own schema), and 304 when ``If-None-Match`` names the ETag.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    """An error: one Chinese sentence saying what was wrong and what to do."""

    detail: str


class ProblemsDetail(BaseModel):
    """An error with every problem found (试算: the profile's fields, or the item's rule)."""

    detail: str
    problems: list[Any] = []


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "未修改：If-None-Match 与当前 ETag 相同（无响应体）"}
}
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorDetail,
        "description": "请求有误：参数中含有空字符（%00），或取值不被接受（如检索词过长）",
    }
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorDetail, "description": "没有该记录"}}

LIST = {**NOT_MODIFIED, **BAD_REQUEST}
"""A GET of a list or an overview (ETag, parameters)."""
DETAIL = {**LIST, **NOT_FOUND}
"""A GET of one record named in the path."""
