"""``zct serve`` does not let a client hold a connection by sending its request slowly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`zct serve` on an empty SQLite library with one-second read deadlines."""
    folder = tmp_path_factory.mktemp("slow")
    port = free_port()
    env = {
        **os.environ,
        "ZCT_DATABASE_URL": f"sqlite:///{folder}/site.db",
        "ZCT_DATA_DIR": str(folder),
        "ZCT_HEADER_TIMEOUT": "1",
        "ZCT_BODY_TIMEOUT": "1",
    }
    log = open(folder / "server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "zhengcetong.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # the warm-up loads the dictionary: slow on a loaded machine
        while time.monotonic() < deadline and process.poll() is None:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start:\n" + (folder / "server.log").read_text(errors="replace"))
        yield port
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def read_until_closed(sock: socket.socket, limit: float) -> bytes:
    """Everything the server sends before it closes the connection; fails if it is still open at ``limit``."""
    sock.settimeout(limit)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except TimeoutError:
        pytest.fail(f"the connection was still open after {limit} s; received {data!r}")
    return data


def test_clients_that_never_finish_their_headers_are_cut_off_with_408(server):
    sockets = []
    for _ in range(50):
        sock = socket.create_connection(("127.0.0.1", server))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\nX-Waiting: ")
        sockets.append(sock)
    silent = socket.create_connection(("127.0.0.1", server))  # connects and sends nothing at all
    started = time.monotonic()
    # a normal request is served at once meanwhile
    assert urllib.request.urlopen(f"http://127.0.0.1:{server}/healthz", timeout=2).status == 200
    for sock in sockets + [silent]:
        answer = read_until_closed(sock, limit=5)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:80]
        assert "请求发送超时".encode() in answer
        sock.close()
    assert time.monotonic() - started < 5


def test_a_trickled_request_line_does_not_keep_the_connection(server):
    sock = socket.create_connection(("127.0.0.1", server))
    started = time.monotonic()
    answer = b""
    sock.settimeout(0.25)
    for byte in b"GET /healthz HTTP/1.1\r\nHost: trickle\r\n":  # one byte every 0.25 s: about 10 s in all
        try:
            sock.sendall(bytes([byte]))
            answer += sock.recv(4096)
        except TimeoutError:
            continue
        except OSError:
            break
        if answer:
            break
    answer += read_until_closed(sock, limit=5)
    assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 4
    sock.close()


def test_a_body_that_never_arrives_closes_the_connection(server):
    sock = socket.create_connection(("127.0.0.1", server))
    sock.sendall(
        b"POST /api/v1/items/x/calculate HTTP/1.1\r\nHost: slow\r\n"
        b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"profile"'
    )
    started = time.monotonic()
    read_until_closed(sock, limit=5)
    assert time.monotonic() - started < 4
    sock.close()


def test_kept_alive_connections_serve_several_requests(server):
    sock = socket.create_connection(("127.0.0.1", server))
    sock.settimeout(5)
    for _ in range(3):
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: fast\r\n\r\n")
        answer = read_response(sock)
        assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b'{"status":"ok"}'), answer[:80]
        time.sleep(0.6)  # idle between requests: within the keep-alive time, header clock not running
    sock.close()


def read_response(sock: socket.socket) -> bytes:
    """One whole HTTP response (head and a Content-Length body), however the server splits its writes."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(
        next(
            line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
    )
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body
