"""Security headers on every response."""

from __future__ import annotations

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
}
# Swagger UI's page starts itself with an inline script; its files are served from this site.
DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
# Production is served over HTTPS only (behind the proxy): browsers must never fall back to plain HTTP.
HSTS = "max-age=31536000; includeSubDomains"
# Pages behind a login: neither the browser nor a shared cache may keep a copy (a back button after
# logout, a shared computer, a proxy).
PRIVATE_PREFIXES = ("/staff",)


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response (the API docs page gets a CSP that lets Swagger UI
    start; HSTS in production; ``Cache-Control: no-store`` on the staff console, replacing any other
    caching header). A plain ASGI middleware: it touches only the response start, never the body."""

    def __init__(self, app, *, production: bool = False):
        self.app = app
        headers = dict(HEADERS, **({"Strict-Transport-Security": HSTS} if production else {}))
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.docs_headers = [
            (k, DOCS_CSP.encode() if k == b"content-security-policy" else v) for k, v in self.headers
        ]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        extra = self.docs_headers if path == "/docs" else self.headers
        private = path.startswith(PRIVATE_PREFIXES)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if private:
                    headers = [(k, v) for k, v in headers if k.lower() not in (b"cache-control", b"etag")]
                    headers.append((b"cache-control", b"no-store"))
                present = {k.lower() for k, _ in headers}
                message["headers"] = headers + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)
