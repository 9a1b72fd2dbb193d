"""Matching speed: N synthetic enterprises against the public items of the seed and sample gazettes.

Builds (or reuses) a SQLite library under /tmp/zct-bench/ with the two seed gazettes and the sample
gazette ingested and every item published, generates N enterprise profile documents
(``zhengcetong.match.synthetic``: revenue by year, recognitions named after the items' conditions,
projects, grades, regions, answers …) and inserts them (import time), then runs the set-based batch
(``zct match --all --jsonl``) in a child process and reports its time, pairs per second and peak memory
(``resource.getrusage`` of that process). The naive per-profile loop (``matching.match_facts`` for one
profile after another, no explanations) is timed on a sample of the same enterprises and extrapolated to
N; the ratio is batch time against that extrapolation. Figures only; this is not a test.

    .venv/bin/python bench/match.py --profiles 200000
    .venv/bin/python bench/match.py --profiles 1000000 --jsonl /dev/null
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ON = date(2026, 5, 1)
CACHE = Path("/tmp/zct-bench")


def library(url: str) -> None:
    """Migrate, ingest the seed and sample gazettes and publish every item."""
    from sqlalchemy import select

    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.ingest import flows
    from zhengcetong.library import items as policy_items
    from zhengcetong.library.models import PolicyItem
    from zhengcetong.samples import SINGLE_NOTICE, sample_path

    seeds = REPO.parent / "shared" / "seeds"
    files = [sample_path(), sample_path(SINGLE_NOTICE), *sorted(seeds.glob("*.txt"))]
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        flows.ingest(db_session=session, files=[(p.read_bytes(), p.name) for p in files], actor="bench")
        items = list(session.scalars(select(PolicyItem)))
        policy_items.publish_items(db_session=session, items=items, actor="bench")
    engine.dispose()


def import_profiles(url: str, count: int) -> float:
    """Insert ``count`` generated enterprises in batches; returns seconds."""
    from sqlalchemy import insert

    from zhengcetong import clock
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.match import matching, synthetic
    from zhengcetong.match.models import Enterprise

    engine = make_engine(url)
    with session_scope(engine) as session:
        conditions = [e.item.conditions for e in matching.public_catalog(db_session=session).items]
    started = time.perf_counter()
    now = clock.now()
    batch: list[dict] = []
    with session_scope(engine) as session:
        for doc in synthetic.documents(count, seed=2026, conditions=conditions, year=ON.year - 1):
            batch.append(
                {
                    "credit_code": doc["credit_code"],
                    "name": doc["name"],
                    "region": doc.get("region"),
                    "profile": doc,
                    "provenance": {},
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": "bench",
                }
            )
            if len(batch) == 20_000:
                session.execute(insert(Enterprise), batch)
                batch = []
        if batch:
            session.execute(insert(Enterprise), batch)
    engine.dispose()
    return time.perf_counter() - started


def run_batch(url: str, jsonl: str) -> None:
    """(Child process) the set-based run to ``jsonl``; prints its figures as JSON."""
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.match import batch

    engine = make_engine(url)
    started = time.perf_counter()
    with session_scope(engine) as session, open(jsonl, "w", encoding="utf-8") as out:
        report = batch.run_to_jsonl(db_session=session, on=ON, out=out)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "seconds": took,
                "enterprises": report.enterprises,
                "items": report.items,
                "pairs": report.pairs,
                "fallback_items": report.fallback_items,
                "fallback_pairs": report.fallback_pairs,
                "peak_bytes": peak,
            }
        )
    )


def naive(url: str, sample: int) -> tuple[float, int]:
    """Seconds for the per-profile loop over the first ``sample`` enterprises (same items, same date)."""
    from sqlalchemy import select

    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.match import matching
    from zhengcetong.match.enterprise import facts_of
    from zhengcetong.match.models import Enterprise

    engine = make_engine(url)
    with session_scope(engine) as session:
        catalog = matching.public_catalog(db_session=session)
        started = time.perf_counter()
        docs = session.scalars(select(Enterprise.profile).order_by(Enterprise.id).limit(sample)).all()
        for doc in docs:
            matching.summary(matching.match_facts(catalog=catalog, facts=facts_of(doc), on=ON, explain=False))
        took = time.perf_counter() - started
    engine.dispose()
    return took, len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profiles", type=int, default=200_000, help="how many enterprises (default 200000)")
    parser.add_argument(
        "--naive-sample", type=int, default=2000, help="profiles timed one by one (default 2000)"
    )
    parser.add_argument(
        "--jsonl", default=None, help="where the batch writes (default /tmp/zct-bench/match-N.jsonl)"
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the database even if it is cached")
    parser.add_argument("--run-batch", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_batch:
        run_batch(args.run_batch, args.jsonl)
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"match-{args.profiles}.db"
    url = f"sqlite:///{db}"
    jsonl = args.jsonl or str(CACHE / f"match-{args.profiles}.jsonl")
    if args.fresh or not db.exists():
        db.unlink(missing_ok=True)
        started = time.perf_counter()
        library(url)
        print(
            f"library: seed + sample gazettes ingested and published in {time.perf_counter() - started:.1f} s"
        )
        took = import_profiles(url, args.profiles)
        print(
            f"import: {args.profiles} enterprise profiles inserted in {took:.1f} s ({args.profiles / took:,.0f}/s)"
        )
    else:
        print(f"reusing {db} (--fresh to rebuild)")
    child = subprocess.run(
        [sys.executable, __file__, "--run-batch", url, "--jsonl", jsonl],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    seconds, pairs = figures["seconds"], figures["pairs"]
    size = f", JSONL {os.path.getsize(jsonl) / 2**20:,.0f} MB" if jsonl != "/dev/null" else ""
    print(
        f"batch: {figures['enterprises']} enterprises × {figures['items']} items = {pairs:,} pairs in "
        f"{seconds:.1f} s ({pairs / seconds:,.0f} pairs/s), peak memory {figures['peak_bytes'] / 2**30:.2f} GB{size}"
    )
    print(
        f"       items evaluated per pair: {len(figures['fallback_items'])} {figures['fallback_items']}; "
        f"pairs recomputed one by one: {figures['fallback_pairs']:,}"
    )
    took, sample = naive(url, args.naive_sample)
    estimate = took / sample * figures["enterprises"]
    print(
        f"naive per-profile loop: {sample} profiles in {took:.1f} s ({sample / took:,.0f} profiles/s); "
        f"extrapolated to {figures['enterprises']}: {estimate:.0f} s; batch is {estimate / seconds:.1f}× faster"
    )


if __name__ == "__main__":
    main()
