"""Refusing NUL characters at the edge, once for every route.

PostgreSQL stores no NUL (``\\x00``) in text, so a ``%00`` in a query string, a path or a form field that
reached a query ended in a server error there (SQLite took it). :class:`RejectNulMiddleware` answers such
a request with 400 before any route runs: ``{"detail": ...}`` under ``/api/``, the error page elsewhere.
JSON bodies are checked where they are read (:mod:`zhengcetong.jsonsafe` refuses ``\\u0000``).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

NUL_MESSAGE = "请求中含有空字符（%00），请删除后再试"
FORM_TYPES = (b"application/x-www-form-urlencoded", b"multipart/form-data")
MAX_FORM_BYTES = 2 * 1024 * 1024  # staff forms are a few kilobytes; nothing uploads files


def has_nul(raw: bytes) -> bool:
    """Whether URL-encoded ``raw`` holds a NUL, written plainly or as ``%00``.

    Examples:
        >>> has_nul(b"q=%E8%A1%A5&x=1"), has_nul(b"q=a%00b"), has_nul(b"q=%2500")
        (False, True, False)
    """
    return b"\x00" in raw or b"\x00" in unquote_to_bytes(raw)


class RejectNulMiddleware:
    """400 for a request with a NUL in its path, query string or form body (a plain ASGI middleware:
    a form body is read, checked and handed on unchanged)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        if "\x00" in scope["path"] or has_nul(path) or has_nul(scope.get("query_string", b"")):
            await self._refuse(scope, receive, send, 400, NUL_MESSAGE)
            return
        kind = dict(scope.get("headers", [])).get(b"content-type", b"").split(b";")[0].strip().lower()
        if kind not in FORM_TYPES:
            await self.app(scope, receive, send)
            return
        messages, body = [], b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if len(body) > MAX_FORM_BYTES:
                await self._refuse(scope, receive, send, 413, f"表单内容超过 {MAX_FORM_BYTES} 字节的上限")
                return
            if not message.get("more_body", False):
                break
        nul = b"\x00" in body if kind == b"multipart/form-data" else has_nul(body)
        if nul:
            await self._refuse(scope, receive, send, 400, NUL_MESSAGE)
            return

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope, receive, send, status: int, message: str) -> None:
        from fastapi import Request
        from fastapi.responses import JSONResponse

        if scope["path"].startswith("/api/"):
            response = JSONResponse({"detail": message}, status_code=status)
        else:
            from zhengcetong.web.templating import templates

            request = Request(scope, receive)
            response = templates.TemplateResponse(
                request, "error.html", {"status": status, "message": message}, status_code=status
            )
        await response(scope, receive, send)
