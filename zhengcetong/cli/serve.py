"""``zct serve``: uvicorn with the app factory."""

from __future__ import annotations


def run_serve(*, host: str, port: int, workers: int | None, reload: bool, announce: bool = True) -> None:
    """Start the web server against the configured database."""
    import uvicorn

    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine
    from zhengcetong.db.migrate import upgrade

    settings = get_settings()
    if announce:  # zct demo (announce=False) has checked before ingesting
        from zhengcetong.cli._common import check_port

        check_port(host, port, retry="zct serve --port {port}")
    upgrade(get_engine())
    count = workers or (settings.workers if settings.env == "production" else 1)
    if announce:
        from zhengcetong.cli._common import browser_address

        print(f"政策通已启动：{browser_address(host, port)}  （按 Ctrl+C 停止）", flush=True)
    uvicorn.run(
        "zhengcetong.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else count,
        reload=reload,
        log_level="info",
        http="zhengcetong.web.server:DeadlineHttpProtocol",  # slow clients cannot hold connections
        **proxy_options(settings),
    )


def proxy_options(settings) -> dict:
    """uvicorn's proxy options: X-Forwarded-For is believed only from ZCT_FORWARDED_ALLOW_IPS (default:
    from no one, so the client address is the peer's; uvicorn itself would trust 127.0.0.1)."""
    allowed = settings.forwarded_allow_ips.strip()
    return {"proxy_headers": bool(allowed), "forwarded_allow_ips": allowed}
