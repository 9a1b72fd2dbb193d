"""The HTTP protocol ``zct serve`` runs: uvicorn's httptools protocol with read deadlines.

uvicorn times out idle keep-alive connections but not a request that is still arriving: a client that
sends its headers (or its body) a byte at a time holds a connection for as long as it likes, and a few
hundred such clients exhaust the process's sockets. Here every request must arrive whole in time:
its request line and headers within ``ZCT_HEADER_TIMEOUT`` seconds of the connection opening (or of
its first byte on a kept-alive connection), its body within ``ZCT_BODY_TIMEOUT`` seconds after that.
A late request line or late headers get ``408 Request Timeout``; a late body closes the connection
(the application sees the client disconnect).
"""

from __future__ import annotations

from asyncio import TimerHandle

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

TIMEOUT_RESPONSE = "请求发送超时，连接已关闭。".encode()
TIMEOUT_HEAD = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\n"
    b"content-length: " + str(len(TIMEOUT_RESPONSE)).encode() + b"\r\n\r\n"
)


class DeadlineHttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol whose requests must arrive within the configured deadlines."""

    def __init__(self, *args, **kwargs) -> None:
        from zhengcetong.config import get_settings

        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.header_timeout = settings.header_timeout
        self.body_timeout = settings.body_timeout
        self.read_deadline: TimerHandle | None = None

    def _arm(self, seconds: float, handler) -> None:
        self._disarm()
        self.read_deadline = self.loop.call_later(seconds, handler)

    def _disarm(self) -> None:
        if self.read_deadline is not None:
            self.read_deadline.cancel()
            self.read_deadline = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._disarm()  # what follows is idle keep-alive, which uvicorn times out itself
        super().on_response_complete()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(self.header_timeout, self._head_too_slow)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self.body_timeout, self._body_too_slow)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def _head_too_slow(self) -> None:
        self.read_deadline = None
        if not self.transport.is_closing():
            self.logger.warning(
                "Request headers not received in %ss; closing %s", self.header_timeout, self.client
            )
            self.transport.write(TIMEOUT_HEAD + TIMEOUT_RESPONSE)
            self.transport.close()

    def _body_too_slow(self) -> None:
        self.read_deadline = None
        if not self.transport.is_closing():
            self.logger.warning(
                "Request body not received in %ss; closing %s", self.body_timeout, self.client
            )
            self.transport.close()
