"""The home page and the display preference (large text, 适老化)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from zhengcetong import clock
from zhengcetong.web.deps import DbSession
from zhengcetong.web.queries import home as home_data
from zhengcetong.web.templating import TEXT_COOKIE, templates

router = APIRouter(include_in_schema=False)


def alternate(response, api_url: str):
    """Point a page at its JSON twin (Link: rel="alternate")."""
    response.headers["Link"] = f'<{api_url}>; rel="alternate"; type="application/json"'
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: DbSession):
    """首页: search, topics, the latest policies in force and the latest items."""
    data = home_data(db, clock.today())
    response = templates.TemplateResponse(
        request,
        "home.html",
        {
            "data": data,
            "examples": data["suggestions"],
            "hide_quick_search": True,
            "api_url": "/api/v1/overview",
        },
    )
    return alternate(response, "/api/v1/overview")


@router.get("/prefs/text")
def text_size(
    size: str = Query("normal", pattern="^(normal|large)$"), next: str = Query("/", max_length=2000)
):
    """Switch between standard and large text, then go back (only to a page of this site)."""
    target = next if next.startswith("/") and not next.startswith("//") and "\\" not in next else "/"
    response = RedirectResponse(target, status_code=303)
    if size == "large":
        response.set_cookie(TEXT_COOKIE, "large", max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    else:
        response.delete_cookie(TEXT_COOKIE)
    return response
