"""Item extraction quality: precision, recall and F1 on the labelled set in tests/cases/items/.

An item counts when its document, clause, amount, rate and condition subject match a labelled item
(tests/cases/quality.py). The splits: the seed gazettes (../shared/seeds, skipped when absent), our own
development set (tuned on), our own held-out set (written before the extractor, never tuned on), and the
web set of real passages from other provinces, a development half (web_dev) and a test half (web_test).
The held-out sets print only figures, never an item or a passage; the web halves also print a row per
kind of passage and how many passages the parser refused (web_dev names them). Category, per and
months_max are secondary accuracies on matched items. While tuning, score only the development sets
(``--only seeds --only own_dev --only web_dev``) and look at the held-out figures at the end.

    .venv/bin/python bench/extract_quality.py
    .venv/bin/python bench/extract_quality.py --only web_dev --show web_dev   # misses and extras of a split
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.cases.quality import (  # noqa: E402
    HELDOUT,
    SPLITS,
    Score,
    condition_typing,
    load_split,
    score_by_kind,
    score_cases,
)
from zhengcetong.ingest.measures import extract_items  # noqa: E402
from zhengcetong.samples import SAMPLES_DIR  # noqa: E402

CASES = REPO / "tests" / "cases" / "items"
SEEDS = REPO.parent / "shared" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show",
        choices=[s for s in SPLITS if s not in HELDOUT],
        help="list the misses and extras of a split",
    )
    parser.add_argument("--only", choices=SPLITS, action="append", help="score only these splits")
    args = parser.parse_args()
    print(
        f"{'set':12} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}   {'category':>8} {'per':>6} {'months':>6}"
    )
    for name in args.only or SPLITS:
        if name == "seeds" and not SEEDS.is_dir():
            print(f"{name:12} skipped: {SEEDS} is absent")
            continue
        cases = load_split(CASES / f"{name}.yaml", seeds_dir=SEEDS, samples_dir=SAMPLES_DIR)
        s = score_cases(cases)
        row(name, s)
        if any(case.kind for case in cases):  # figures per kind; a held-out set names no passage
            for kind, k in score_by_kind(cases).items():
                row(f"  {kind}", k)
            refused = [case.source for case in cases if case.refused]
            named = "" if name in HELDOUT else ": " + " ".join(refused)
            print(f"  refused {len(refused)}/{len(cases)} passages{named}")
        if args.show == name:
            for label in s.missed:
                print(
                    f"  missed {label.source} {label.doc_number} {label.clause} {label.amount} {label.rate}"
                    f" {label.subject}"
                )
            for item in s.extra:
                print(
                    f"  extra  {item.doc_number} {item.clause} {item.amount_max_yuan} {item.rate}"
                    f" {item.category} {item.condition} | {item.name}"
                )
    typing()
    throughput()


def row(name: str, s: Score) -> None:
    """One line of the table: counts, the three figures and the secondary accuracies."""
    print(
        f"{name:12} {s.gold:5} {s.predicted:5} {s.matched:5} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
        f"   {s.category_accuracy:8.3f} {s.per_accuracy:6.3f} {s.months_accuracy:6.3f}"
    )


def typing() -> None:
    """条件类型化: the share of items whose conditions are fully typed (no claim left), per split; the
    untyped items of the development sets are listed, the held-out sets only counted."""
    for name in SPLITS:
        if name == "seeds" and not SEEDS.is_dir():
            print(f"条件类型化 (seeds) skipped: {SEEDS} is absent")
            continue
        cases = load_split(CASES / f"{name}.yaml", seeds_dir=SEEDS, samples_dir=SAMPLES_DIR)
        items = [item for case in cases for doc in case.documents for item in extract_items(doc)]
        t = condition_typing(items)
        listed = name not in HELDOUT
        print(
            f"条件类型化 ({name}): {t.typed}/{t.total} items fully typed = {t.share:.3f}"
            + ("; untyped:" if listed and t.untyped else "")
        )
        if not listed:
            continue
        for item, phrases in t.untyped:
            shown = "；".join(p if len(p) <= 30 else p[:29] + "…" for p in phrases)
            print(f"  {item.doc_number} {item.clause}: {shown}")


def throughput() -> None:
    """Extraction speed on the seed gazettes (or the sample gazette when the seeds are absent)."""
    from zhengcetong.ingest.parse import parse_bytes

    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [SAMPLES_DIR / "qinghe_2026_03.txt"]
    documents = [d for p in paths for d in parse_bytes(p.read_bytes(), p.name).documents]
    size = sum(len(d.body.encode("utf-8")) for d in documents)
    rounds, count = 5, 0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        count = sum(len(extract_items(d)) for d in documents)
    elapsed = (time.perf_counter() - t0) / rounds
    cpu = (time.process_time() - c0) / rounds
    mb = size / 1024 / 1024
    print(
        f"extract_items on {len(documents)} documents ({size / 1024:.0f} KB of body, {count} items):"
        f" {elapsed * 1000:.0f} ms wall ({mb / elapsed:.2f} MB/s), {cpu * 1000:.0f} ms CPU ({mb / cpu:.2f} MB/s)"
    )


if __name__ == "__main__":
    main()
