"""Item extraction quality: precision, recall and F1 on the seeds, the own dev set and the held-out set.

An item counts when its amount, rate and condition subject match a labelled item (zhengcetong/ingest/quality.py).
The held-out set (tests/cases/measures/own_heldout.yaml) was written before tuning and is not used to tune.

    .venv/bin/python bench/extract_quality.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zhengcetong.ingest.parse import parse_bytes  # noqa: E402
from zhengcetong.ingest.quality import score_cases, score_gazettes  # noqa: E402

CASES = REPO / "tests" / "cases" / "measures"
SEEDS = REPO.parent / "shared" / "seeds"


def main() -> None:
    rows = []
    if SEEDS.is_dir():
        gold = yaml.safe_load((CASES / "seeds.yaml").read_text(encoding="utf-8"))["items"]
        docs = []
        t0 = time.perf_counter()
        size = 0
        for path in sorted(SEEDS.glob("*.txt")):
            data = path.read_bytes()
            size += len(data)
            docs.extend(parse_bytes(data, path.name).documents)
        rows.append(("seeds", score_gazettes(gold, docs)))
        elapsed = time.perf_counter() - t0
    else:
        print("seeds absent: ../shared/seeds")
        elapsed = size = 0
    for name in ("own_dev", "own_heldout"):
        cases = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))["cases"]
        rows.append((name, score_cases(cases)))
    print(f"{'set':12} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for name, s in rows:
        print(
            f"{name:12} {s.gold:5} {s.predicted:5} {s.matched:5} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
        )
    if size:
        print(
            f"parse + extract of both seed issues: {elapsed * 1000:.0f} ms ({size / 1024 / elapsed:.0f} KB/s)"
        )


if __name__ == "__main__":
    main()
