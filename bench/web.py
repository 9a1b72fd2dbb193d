"""Web throughput: requests per second and latency of the item page and the search page.

    .venv/bin/python bench/web.py [--seconds 10] [--connections 50] [--workers 2]

It builds (once, cached under /tmp/zct-bench/) a SQLite library of the project's sample gazette and,
when ../shared/seeds is present, both seed gazettes, with every policy item published; starts
``zct serve`` in production mode with ``--workers`` processes on a free loopback port; then, for each
target, keeps ``--connections`` keep-alive connections busy for ``--seconds`` and reports requests per
second, p50/p90/p99 latency and every error (non-2xx, connection, timeout). Targets: one item page
(rotating over all published items), the search page (rotating over realistic queries), its JSON twin,
and a document page. The load generator is wrk (Debian's package) when installed, otherwise a small
asyncio client of this file; it says which. Client and server share this machine's cores: compare
figures of one run, not across machines.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SEEDS = REPO.parent / "shared" / "seeds"
CACHE = Path(tempfile.gettempdir()) / "zct-bench"
QUERIES = [
    "奖励",
    "补贴",
    "人才",
    "专精特新",
    "技术改造",
    "博士后 生活补贴",
    '"首次认定"',
    "高企",
    "残疾人 就业",
    "创新券",
    "税费 减免",
    "贷款 贴息",
    "企业 研发",
    "防汛",
    "行政许可",
    "数字化转型 OR 智能化改造",
]


def build_library() -> str:
    """The benchmark database (built once): samples + seeds, every item published."""
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.ingest.measures import extract_items
    from zhengcetong.ingest.parse import parse_bytes
    from zhengcetong.library import items as policy_items
    from zhengcetong.library import service
    from zhengcetong.samples import SINGLE_NOTICE, sample_path
    from zhengcetong.search import install

    install()
    files = [sample_path(), sample_path(SINGLE_NOTICE), *sorted(SEEDS.glob("*.txt"))]
    key = "-".join(f"{p.name}:{p.stat().st_size}" for p in files)
    path = CACHE / f"web-{hashlib.sha256(key.encode()).hexdigest()[:10]}.db"
    if path.exists():
        return f"sqlite:///{path}"
    CACHE.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}.tmp"
    Path(f"{path}.tmp").unlink(missing_ok=True)
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        for p in files:
            data = p.read_bytes()
            parsed = parse_bytes(data, p.name)
            service.ingest_gazette(
                db_session=session,
                parsed=parsed,
                content=data,
                source_name=p.name,
                actor="bench",
                items=[extract_items(d) for d in parsed.documents],
            )
    with session_scope(engine) as session:
        policy_items.publish_items(
            db_session=session, items=policy_items.list_items(db_session=session), actor="bench"
        )
    engine.dispose()
    os.replace(f"{path}.tmp", path)
    return f"sqlite:///{path}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "ZCT_DATABASE_URL": url,
        "ZCT_ENV": "production",
        "ZCT_SECRET_KEY": "bench-" + os.urandom(8).hex(),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "zhengcetong.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def published_items(base: str) -> list[str]:
    keys, offset = [], 0
    while True:
        page = json.load(urllib.request.urlopen(f"{base}/api/v1/items?limit=200&offset={offset}"))
        keys += [i["key"] for i in page["items"]]
        offset += 200
        if offset >= page["total"]:
            return keys


# --- load generators ------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "seconds": %%f, "p50": %%f, "p90": %%f, "p99": %%f, "status": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
"""


def run_wrk(base: str, paths: list[str], connections: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    data = json.loads(out.strip().splitlines()[-1])
    errors = {k: data[k] for k in ("status", "connect", "read", "write", "timeout") if data[k]}
    return {
        "rps": data["requests"] / data["seconds"],
        "requests": data["requests"],
        "p50": data["p50"],
        "p90": data["p90"],
        "p99": data["p99"],
        "errors": errors,
    }


async def _client(
    host: str, port: int, paths: list[str], deadline: float, latencies: list, errors: dict
) -> None:
    reader = writer = None
    i = random.randrange(len(paths))
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 1
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
            if status >= 400:
                errors["status"] = errors.get("status", 0) + 1
        except (OSError, asyncio.IncompleteReadError, StopIteration, ValueError):
            errors["connect"] = errors.get("connect", 0) + 1
            writer = None
    if writer is not None:
        writer.close()


def run_python(base: str, paths: list[str], connections: int, seconds: int) -> dict:
    parsed = urllib.parse.urlsplit(base)
    latencies: list[float] = []
    errors: dict = {}

    async def main() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                _client(parsed.hostname, parsed.port, paths, deadline, latencies, errors)
                for _ in range(connections)
            )
        )

    started = time.perf_counter()
    asyncio.run(main())
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "requests": len(latencies),
        "p50": q[49],
        "p90": q[89],
        "p99": q[98],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()
    client = args.client if args.client != "auto" else ("wrk" if shutil.which("wrk") else "python")
    load = run_wrk if client == "wrk" else run_python

    t0 = time.perf_counter()
    url = build_library()
    print(f"library: {url} ({time.perf_counter() - t0:.1f} s to build or open)")
    process, base = start_server(url, args.workers)
    try:
        items = published_items(base)
        documents = [
            d["uid"] for d in json.load(urllib.request.urlopen(base + "/api/v1/documents?limit=200"))["items"]
        ]
        targets = {
            "item page": [f"/items/{k}" for k in items],
            "search page": [f"/search?q={urllib.parse.quote(q)}" for q in QUERIES],
            "search API": [f"/api/v1/search?q={urllib.parse.quote(q)}" for q in QUERIES],
            "document page": [f"/documents/{urllib.parse.quote(u)}" for u in documents],
        }
        for paths in targets.values():  # warm up every worker's caches (analyzer, templates)
            load(base, paths, 8, 2)
        print(
            f"server: zct serve --workers {args.workers} (ZCT_ENV=production); client: {client}, "
            f"{args.connections} connections, {args.seconds} s per target; {len(items)} published items, "
            f"{len(QUERIES)} queries"
        )
        print(f"{'target':14} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'requests':>9}  errors")
        for name, paths in targets.items():
            r = load(base, paths, args.connections, args.seconds)
            print(
                f"{name:14} {r['rps']:8.0f} {r['p50']:8.1f} {r['p90']:8.1f} {r['p99']:8.1f} {r['requests']:9}  "
                f"{r['errors'] or 'none'}"
            )
    finally:
        process.terminate()
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
