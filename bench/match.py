"""Matching speed: N synthetic enterprises against the public items of the seed and sample gazettes.

For each N (``--profiles 100000 200000 1000000``) on a fresh database (SQLite under ``--cache``, or the
PostgreSQL ``--url`` in a schema of its own, dropped afterwards):

1. the two seed gazettes and the sample gazette are ingested and every item published;
2. N enterprise profile documents are generated (``zhengcetong.match.synthetic``: revenue by year,
   recognitions named after the items' conditions, projects, grades, regions, answers …) into a JSON Lines
   file (cached, not timed);
3. import: ``zct profiles import`` of that file (``cli.profiles.run_import``: validation, bulk upsert, audit
   events, progress bar) in a child process;
4. batch: ``zct match --all --jsonl`` (``batch.run_to_jsonl`` with ``--workers`` processes) in a child
   process;
5. the naive per-profile loop (``matching.match_facts`` one profile after another, no explanations) on the
   first ``--naive-sample`` enterprises of the same database, extrapolated to N.

Each step reports wall time and CPU time of the work itself (the child's interpreter start-up, about a
second, left out) (user + system of the process and its workers: the machine is
shared, so CPU time is the steadier figure), the batch pairs per second, where its CPU time went (reading,
evaluating, writing) and peak memory (the largest resident size of the process, and of each worker). The
ratio is naive against batch in the same run. Figures only; this is not a test.

    .venv/bin/python bench/match.py --profiles 200000
    .venv/bin/python bench/match.py --profiles 100000 200000 1000000 --jsonl /dev/null
    .venv/bin/python bench/match.py --profiles 200000 --url postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ON = date(2026, 5, 1)
SEED = 2026


def _usage() -> dict:
    """CPU seconds and peak resident bytes of this process and of its (waited-for) children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "peak_bytes": me.ru_maxrss * 1024,
        "worker_peak_bytes": kids.ru_maxrss * 1024,
    }


def fresh_database(url: str | None, cache: Path, count: int) -> tuple[str, callable]:
    """An empty database for ``count`` profiles: (url, drop)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from zhengcetong.db.engine import make_engine

    if url is None or url.startswith("sqlite"):
        path = cache / f"match-{count}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", lambda: None
    schema = f"zct_bench_match_{count}"

    def run(sql: str) -> None:
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(sql))
        admin.dispose()

    run(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    run(f'CREATE SCHEMA "{schema}"')
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False), lambda: run(
        f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'
    )


def library(url: str) -> list:
    """Migrate, ingest the seed and sample gazettes and publish every item; returns the items' conditions."""
    from sqlalchemy import select

    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.ingest import flows
    from zhengcetong.library import items as policy_items
    from zhengcetong.library.models import PolicyItem
    from zhengcetong.match import matching
    from zhengcetong.samples import SINGLE_NOTICE, sample_path

    seeds = REPO.parent / "shared" / "seeds"
    files = [sample_path(), sample_path(SINGLE_NOTICE), *sorted(seeds.glob("*.txt"))]
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        flows.ingest(db_session=session, files=[(p.read_bytes(), p.name) for p in files], actor="bench")
        items = list(session.scalars(select(PolicyItem)))
        policy_items.publish_items(db_session=session, items=items, actor="bench")
    with session_scope(engine) as session:
        conditions = [e.item.conditions for e in matching.public_catalog(db_session=session).items]
    engine.dispose()
    return conditions


def profiles_file(cache: Path, count: int, conditions: list) -> Path:
    """N generated profile documents as JSON Lines (made once per N and seed, then reused)."""
    from zhengcetong.match import synthetic

    path = cache / f"profiles-{count}-{SEED}.jsonl"
    if not path.exists():
        part = path.with_suffix(".part")
        with part.open("w", encoding="utf-8") as f:
            for doc in synthetic.documents(count, seed=SEED, conditions=conditions, year=ON.year - 1):
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        part.rename(path)
    return path


def child(args: list[str]) -> dict:
    """Run this script with ``args`` in a child process; its last stdout line is JSON figures."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env={**os.environ}
    )
    if done.returncode:
        sys.exit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - started  # with the interpreter's start-up
    figures["wall"] = figures["seconds"]
    return figures


def run_import(url: str, path: str) -> None:
    """(Child) ``zct profiles import`` of ``path`` into ``url``; prints its figures as JSON."""
    os.environ.update(ZCT_DATABASE_URL=url, ZCT_MAX_UPLOAD_BYTES=str(os.path.getsize(path) + 1))
    from zhengcetong.cli.profiles import run_import as cli_import

    before, started = _usage(), time.perf_counter()
    cli_import([path], source="staff", actor="bench", match=False)  # the batch is timed on its own
    took, after = time.perf_counter() - started, _usage()
    print(json.dumps({"seconds": took, **after, "cpu": after["cpu"] - before["cpu"]}))


def run_batch(url: str, jsonl: str, workers: int) -> None:
    """(Child) ``zct match --all --jsonl`` of ``url`` with ``workers`` processes; prints its figures as JSON."""
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.match import batch

    engine = make_engine(url)
    before, started = _usage(), time.perf_counter()
    with session_scope(engine) as session, open(jsonl, "w", encoding="utf-8") as out:
        report = batch.run_to_jsonl(db_session=session, on=ON, out=out, workers=workers)
    took, after = time.perf_counter() - started, _usage()
    figures = {
        "seconds": took,
        "enterprises": report.enterprises,
        "items": report.items,
        "pairs": report.pairs,
        "fallback_items": report.fallback_items,
        "fallback_pairs": report.fallback_pairs,
        "stages": report.cpu_seconds,
        **after,
        "cpu": after["cpu"] - before["cpu"],
    }
    print(json.dumps(figures))


def naive(url: str, sample: int) -> tuple[float, float, int]:
    """(wall, CPU) seconds of the per-profile loop over the first ``sample`` enterprises, and how many."""
    from sqlalchemy import select

    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.match import matching
    from zhengcetong.match.enterprise import facts_of
    from zhengcetong.match.models import Enterprise

    engine = make_engine(url)
    with session_scope(engine) as session:
        catalog = matching.public_catalog(db_session=session)
        started, cpu = time.perf_counter(), time.process_time()
        docs = session.scalars(select(Enterprise.profile).order_by(Enterprise.id).limit(sample)).all()
        for doc in docs:
            matching.summary(matching.match_facts(catalog=catalog, facts=facts_of(doc), on=ON, explain=False))
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return took, cpu, len(docs)


def gb(n: float) -> str:
    return f"{n / 2**30:.2f} GB"


def measure(args, count: int) -> dict:
    """Every figure for ``count`` profiles."""
    url, drop = fresh_database(args.url, args.cache, count)
    try:
        started = time.perf_counter()
        conditions = library(url)
        print(f"\n== {count:,} profiles ({url.split('?')[0].split('@')[-1]})")
        print(
            f"library: seed + sample gazettes ingested and published in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        path = profiles_file(args.cache, count, conditions)
        print(
            f"profiles: {path} ({path.stat().st_size / 2**20:,.0f} MB, {time.perf_counter() - started:.1f} s)"
        )
        imp = child(["--run-import", url, str(path)])
        print(
            f"import: {count:,} profiles in {imp['wall']:.1f} s wall ({count / imp['wall']:,.0f}/s), "
            f"CPU {imp['cpu']:.1f} s, peak {gb(imp['peak_bytes'])}"
        )
        jsonl = args.jsonl or str(args.cache / f"match-{count}.jsonl")
        bat = child(["--run-batch", url, jsonl, str(args.workers)])
        pairs = bat["pairs"]
        size = f", JSONL {os.path.getsize(jsonl) / 2**20:,.0f} MB" if jsonl != "/dev/null" else ""
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in bat["stages"].items())
        print(
            f"batch: {bat['enterprises']:,} × {bat['items']} items = {pairs:,} pairs in {bat['wall']:.1f} s wall "
            f"({pairs / bat['wall']:,.0f} pairs/s), CPU {bat['cpu']:.1f} s ({stages}), {args.workers} "
            f"worker(s); peak {gb(bat['peak_bytes'])} + {gb(bat['worker_peak_bytes'])} per worker{size}"
        )
        print(
            f"       items evaluated per pair: {len(bat['fallback_items'])} {bat['fallback_items']}; "
            f"pairs recomputed one by one: {bat['fallback_pairs']:,}"
        )
        took, cpu, sample = naive(url, args.naive_sample)
        estimate, estimate_cpu = took / sample * count, cpu / sample * count
        print(
            f"naive per-profile loop: {sample} profiles in {took:.1f} s ({sample / took:,.0f}/s); "
            f"extrapolated to {count:,}: {estimate:,.0f} s wall, {estimate_cpu:,.0f} s CPU; "
            f"batch is {estimate / bat['wall']:.0f}× faster by wall time, {estimate_cpu / bat['cpu']:.0f}× by CPU time"
        )
        return {"count": count, "import": imp, "batch": bat, "naive": (estimate, estimate_cpu)}
    finally:
        if not args.keep:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profiles", type=int, nargs="+", default=[200_000], help="how many enterprises")
    parser.add_argument("--url", default=None, help="a PostgreSQL URL (default: SQLite files under --cache)")
    parser.add_argument("--workers", type=int, default=2, help="batch worker processes (default 2)")
    parser.add_argument("--naive-sample", type=int, default=2000, help="profiles timed one by one")
    parser.add_argument(
        "--jsonl", default=None, help="where the batch writes (default --cache/match-N.jsonl)"
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/zct-bench"), help="databases and profiles")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    parser.add_argument("--run-import", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--run-batch", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_import:
        run_import(*args.run_import)
        return
    if args.run_batch:
        url, jsonl, workers = args.run_batch
        run_batch(url, jsonl, int(workers))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"{platform.node()}: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    rows = [measure(args, count) for count in args.profiles]
    print(
        "\n| profiles | import wall / CPU | batch wall / CPU | pairs/s | peak memory | × naive (wall / CPU) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        imp, bat, (nw, nc) = r["import"], r["batch"], r["naive"]
        memory = f"{gb(bat['peak_bytes'])} + {args.workers} × {gb(bat['worker_peak_bytes'])}"
        print(
            f"| {r['count']:,} | {imp['wall']:.1f} s / {imp['cpu']:.1f} s | {bat['wall']:.1f} s / {bat['cpu']:.1f} s "
            f"| {bat['pairs'] / bat['wall']:,.0f} | {memory} | {nw / bat['wall']:.0f}× / {nc / bat['cpu']:.0f}× |"
        )


if __name__ == "__main__":
    main()
