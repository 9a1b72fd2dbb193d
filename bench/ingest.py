"""Extraction and ingestion speed on the seed gazettes (and the project's sample).

Prints, for each file: size, the time to extract (parse only, median of several runs after a warm-up)
and the throughput in KB/s, then the same for ingesting into a fresh SQLite database, and the
start-up cost of the CLI (`zct --help`). Figures only; this is not a test.

    .venv/bin/python bench/ingest.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zhengcetong.ingest.parse import parse_bytes  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"


def files() -> list[Path]:
    found = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    sample = REPO / "zhengcetong" / "samples" / "qinghe_2026_03.txt"
    if sample.exists():
        found.append(sample)
    return found


def timed(fn, runs: int) -> float:
    fn()  # warm-up (regex compilation, OpenCC tables)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def ingest_once(data: bytes, name: str) -> None:
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.library import service

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        parsed = parse_bytes(data, name)
        with session_scope(engine) as session:
            service.ingest_gazette(
                db_session=session, parsed=parsed, content=data, source_name=name, actor="bench"
            )
        engine.dispose()


def main() -> None:
    paths = files()
    if not paths:
        print("no input: ../shared/seeds is absent and the sample gazette is missing")
        return
    print(f"{'file':32} {'KB':>7} {'extract ms':>11} {'KB/s':>9} {'ingest ms':>10} {'KB/s':>9}")
    for path in paths:
        data = path.read_bytes()
        kb = len(data) / 1024
        extract = timed(lambda data=data, path=path: parse_bytes(data, path.name), runs=7)
        try:
            ingest = timed(lambda data=data, path=path: ingest_once(data, path.name), runs=3)
            ingest_cols = f"{ingest * 1000:10.1f} {kb / ingest:9.0f}"
        except ImportError as exc:  # the library layer is not there yet
            ingest_cols = f"{'n/a':>10} ({exc.name})"
        print(f"{path.name:32} {kb:7.1f} {extract * 1000:11.1f} {kb / extract:9.0f} {ingest_cols}")
    zct = REPO / ".venv" / "bin" / "zct"
    if zct.exists():
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([str(zct), "--help"], capture_output=True, check=False)
            runs.append(time.perf_counter() - t0)
        print(f"zct --help: median {statistics.median(runs) * 1000:.0f} ms over 5 runs (target < 500 ms)")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=False)
    print(f"bare python start-up for comparison: {(time.perf_counter() - t0) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
