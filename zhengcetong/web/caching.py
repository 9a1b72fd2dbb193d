"""HTTP caching: ETags for the JSON API, fingerprinted static assets cached for a year."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from fastapi import Request, Response
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
YEAR = 365 * 24 * 3600


def etag_or_none(request: Request, response: Response, body: str) -> Response | None:
    """Set a strong ETag for ``body``; return a 304 response when the client already has it."""
    tag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    if matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return None


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names ``tag`` (a list, weak tags and ``*`` included; RFC 9110 13.1.2).

    Examples:
        >>> matches('"a"', '"a"'), matches('W/"a", "b"', '"a"'), matches("*", '"a"'), matches('"b"', '"a"')
        (True, True, True, False)
        >>> matches(None, '"a"')
        False
    """
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(t.strip().removeprefix("W/") == tag for t in if_none_match.split(","))


@lru_cache(maxsize=64)
def static_url(name: str) -> str:
    """``/static/<name>?v=<hash>``: the URL changes when the file does, so it can be cached for a year.

    Examples:
        >>> static_url("site.css").startswith("/static/site.css?v=")
        True
    """
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


class CachedStaticFiles(StaticFiles):
    """Static files with Cache-Control: a year (immutable) for fingerprinted URLs, an hour otherwise."""

    async def get_response(self, path: str, scope):
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            versioned = b"v=" in scope.get("query_string", b"")
            response.headers["Cache-Control"] = (
                f"public, max-age={YEAR}, immutable" if versioned else "public, max-age=3600"
            )
        return response
