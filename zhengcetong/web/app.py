"""The FastAPI application: one HTTP shell for the portal pages and the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from zhengcetong.config import Settings, get_settings
from zhengcetong.errors import NotFound, PermissionDenied, ZctError
from zhengcetong.web.security import SecurityHeadersMiddleware
from zhengcetong.web.templating import templates

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: the environment's)."""
    from zhengcetong.db.engine import get_engine, make_sessionmaker
    from zhengcetong.search import hooks

    hooks.install()  # every write through the app keeps the search index in step
    settings = settings or get_settings()
    app = FastAPI(
        title="政策通 zhengcetong",
        description="政策文件库的 JSON 接口：文件、条款、有效性。",
        version="0.1.0",
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sessionmaker = make_sessionmaker(get_engine(settings.effective_database_url))
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    from zhengcetong.web.api import calc as api_calc
    from zhengcetong.web.api import documents as api_documents
    from zhengcetong.web.auth import LoginRequired
    from zhengcetong.web.pages import documents as page_documents
    from zhengcetong.web.pages import staff as page_staff

    app.include_router(api_documents.router)
    app.include_router(api_calc.router)
    app.include_router(page_documents.router)
    app.include_router(page_staff.router)

    from zhengcetong.web.api import interpretations as api_interpretations
    from zhengcetong.web.pages import interpretations as page_interpretations
    from zhengcetong.web.pages import staff_interpretations as page_staff_interpretations

    app.include_router(api_interpretations.router)
    app.include_router(page_interpretations.router)
    app.include_router(page_staff_interpretations.router)

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired):
        from urllib.parse import quote

        return RedirectResponse(f"/staff/login?next={quote(request.url.path)}", status_code=303)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok"}

    def _error(request: Request, status: int, message: str):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(NotFound)
    def not_found(request: Request, exc: NotFound):
        return _error(request, 404, str(exc))

    @app.exception_handler(PermissionDenied)
    def denied(request: Request, exc: PermissionDenied):
        return _error(request, 403, str(exc))

    @app.exception_handler(ZctError)
    def user_error(request: Request, exc: ZctError):
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        return _error(request, 400, "；".join(_parameter_message(e) for e in exc.errors()))

    @app.exception_handler(404)
    def no_route(request: Request, exc) -> HTMLResponse | JSONResponse:
        return _error(request, 404, "页面不存在")

    return app


def _parameter_message(error: dict) -> str:
    """A Chinese line for one of FastAPI's validation errors (the HTML pages' 400 message).

    Examples:
        >>> _parameter_message({"loc": ("query", "offset"), "input": "-1", "type": "greater_than_equal"})
        '参数 offset 的值“-1”无效，请检查链接或筛选条件'
        >>> _parameter_message({"loc": ("query", "q"), "type": "missing"})
        '缺少参数 q'
    """
    name = str(error.get("loc", ("", "?"))[-1])
    if error.get("type") == "missing":
        return f"缺少参数 {name}"
    if error.get("type") == "string_too_long":
        return f"参数 {name} 太长，请缩短后再试"
    return f"参数 {name} 的值“{error.get('input', '')}”无效，请检查链接或筛选条件"
