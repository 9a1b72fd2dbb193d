"""The FastAPI application: one HTTP shell for the portal pages and the JSON API."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from zhengcetong.config import Settings, get_settings
from zhengcetong.errors import Conflict, NotFound, PermissionDenied, ZctError
from zhengcetong.web.caching import STATIC, CachedStaticFiles, static_url
from zhengcetong.web.guards import RejectNulMiddleware
from zhengcetong.web.security import SecurityHeadersMiddleware
from zhengcetong.web.templating import templates

# Every router of the app, in the order routes are matched and listed in the OpenAPI document; each
# module exposes ``router``.
ROUTERS = (
    "api.documents",
    "api.items",
    "api.search",
    "api.overview",
    "api.calc",
    "api.match",
    "pages.home",
    "pages.search",
    "pages.documents",
    "pages.items",
    "pages.staff",
    "pages.staff_lists",
    "pages.staff_users",
    "api.interpretations",
    "pages.interpretations",
    "pages.staff_interpretations",
    "api.profiles",
    "pages.enterprise",
    "pages.enterprise_matches",
    "api.notify",
    "pages.notify",
)
DESCRIPTION = (
    "政策通的 JSON 接口：政策文件（要素、条款树、有效性）、政策事项（条件、待遇、出处）、全文检索、"
    '规范性文件清单、主题和试算。每个网页都有对应的接口（网页响应头 `Link: rel="alternate"`）；'
    "列表用 `limit`/`offset` 分页，编号稳定，响应带 `ETag`（可用 `If-None-Match` 条件请求）。"
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: the environment's)."""
    from zhengcetong import notify, search
    from zhengcetong.db.engine import get_engine, make_sessionmaker
    from zhengcetong.match import hooks as match_hooks

    search.install()  # every write through the app keeps the search index in step
    match_hooks.install()  # ... and the stored matches of enterprises
    notify.install()  # ... and tells enterprises of items published or changed (inbox and outbox)
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_warm_up,
        title="政策通 zhengcetong",
        description=DESCRIPTION,
        version="0.1.0",
        docs_url=None,  # served by _add_service_routes from local assets: no CDN, works offline
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.secret = settings.session_secret()
    app.state.sessionmaker = make_sessionmaker(get_engine(settings.effective_database_url))
    app.add_middleware(RejectNulMiddleware)  # inside the headers middleware: its 400s get them too
    app.add_middleware(SecurityHeadersMiddleware, production=settings.env == "production")
    app.mount("/static", CachedStaticFiles(directory=STATIC), name="static")
    app.mount("/static-docs", CachedStaticFiles(directory=_swagger_assets()), name="static-docs")
    _include_routers(app)
    _add_service_routes(app)
    _add_error_handlers(app)
    return app


def _include_routers(app: FastAPI) -> None:
    """Include every router of ROUTERS."""
    from importlib import import_module

    for name in ROUTERS:
        app.include_router(import_module(f"zhengcetong.web.{name}").router)


def _add_service_routes(app: FastAPI) -> None:
    """The API docs page, the favicon and the health check (outside the OpenAPI document)."""

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="政策通 接口文档",
            swagger_js_url="/static-docs/swagger-ui-bundle.js",
            swagger_css_url="/static-docs/swagger-ui.css",
            swagger_favicon_url=static_url("favicon.svg"),
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse(static_url("favicon.svg"), status_code=301)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict:
        return {"status": "ok"}


def _error(request: Request, status: int, message: str):
    """An error as JSON under /api/, as the error page elsewhere."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


# The project's error types and the status each answers with (the first that matches wins).
ERROR_STATUS = ((NotFound, 404), (PermissionDenied, 403), (Conflict, 409), (ZctError, 400))


def _add_error_handlers(app: FastAPI) -> None:
    """Errors become their status, in Chinese; a page that needs a login redirects to it."""
    from zhengcetong.web.auth import LoginRequired

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired):
        from urllib.parse import quote

        return RedirectResponse(f"/staff/login?next={quote(request.url.path)}", status_code=303)

    for kind, status in ERROR_STATUS:
        app.add_exception_handler(kind, _answer_with(status))

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        return _error(request, 400, "；".join(_parameter_message(e) for e in exc.errors()))

    @app.exception_handler(404)
    def no_route(request: Request, exc) -> HTMLResponse | JSONResponse:
        return _error(request, 404, "页面不存在")


def _answer_with(status: int):
    """An exception handler answering ``status`` with the error's own message."""

    def handler(request: Request, exc: Exception):
        return _error(request, status, str(exc))

    return handler


@asynccontextmanager
async def _warm_up(app: FastAPI):
    """Before the first request: build the search analyzer (about a second of dictionary loading) and
    load the search columns (seconds at a million entries), then freeze what was loaded.

    ``gc.freeze`` moves every object alive at that point out of the collector's reach: they live as
    long as the process, and a full collection that walks them all took up to 70 ms of a search.
    """
    import gc

    import anyio

    def load() -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from zhengcetong.search import warm

        try:
            with app.state.sessionmaker() as session:
                warm(db_session=session)
        except SQLAlchemyError:  # not migrated yet: the first search will build them
            pass
        gc.collect()
        gc.freeze()

    await anyio.to_thread.run_sync(load)
    settings = app.state.settings
    if settings.notify_interval > 0 and settings.smtp_host:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_deliver_outbox, app)
            yield
            tasks.cancel_scope.cancel()
    else:
        yield


async def _deliver_outbox(app: FastAPI) -> None:
    """Every ``ZCT_NOTIFY_INTERVAL`` seconds, send the outbox's due emails (as ``zct notify run``), in a
    worker thread; a failed run is logged and the next one tries again. Runs only with an SMTP server."""
    import logging

    import anyio

    from zhengcetong.notify import outbox, sender_for

    settings = app.state.settings
    sender = sender_for(settings)
    log = logging.getLogger("zhengcetong.notify")
    while True:
        try:
            report = await anyio.to_thread.run_sync(
                lambda: outbox.run(sessions=app.state.sessionmaker, sender=sender, settings=settings)
            )
            if report.deliveries:
                log.info("outbox: %d sent, %d to retry", report.count("sent"), report.count("pending"))
        except Exception:  # the database or the code: logged, and tried again at the next interval
            log.exception("outbox run failed")
        await anyio.sleep(settings.notify_interval)


def _swagger_assets() -> str:
    """The folder of Swagger UI's files, shipped by the fastapi-offline package (nothing from a CDN)."""
    import fastapi_offline

    return str(Path(fastapi_offline.__file__).resolve().parent / "static")


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
