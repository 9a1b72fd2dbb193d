"""The FastAPI application: one HTTP shell for the portal pages and the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
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

    from zhengcetong.web.api import documents as api_documents
    from zhengcetong.web.auth import LoginRequired
    from zhengcetong.web.pages import documents as page_documents
    from zhengcetong.web.pages import staff as page_staff

    app.include_router(api_documents.router)
    app.include_router(page_documents.router)
    app.include_router(page_staff.router)

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired):
        from urllib.parse import quote

        return RedirectResponse(f"/staff/login?next={quote(request.url.path)}", status_code=303)

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

    @app.exception_handler(404)
    def no_route(request: Request, exc) -> HTMLResponse | JSONResponse:
        return _error(request, 404, "页面不存在")

    return app
