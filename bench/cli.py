"""Whole-process start-up of read-only ``zct`` commands on the demo library.

Builds the demo library (the sample gazette, ``zct demo --no-serve``) in a temporary data folder, then
prints the median of 5 whole-process runs (after one warm-up run, which may build caches) of
``zct --help``, ``zct search query`` (a word, a 文号) and ``zct docs list``, with the query time the
command itself reports. Figures only; this is not a test. Target: under 0.4 s each.

    .venv/bin/python bench/cli.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ZCT = Path(sys.executable).with_name("zct")
COMMANDS = (
    ["--help"],
    ["search", "query", "专精特新"],
    ["search", "query", "青政办发〔2026〕8号"],
    ["docs", "list"],
)


def _run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(ZCT), *args], capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zct-bench-cli-") as folder:
        env = {**os.environ, "ZCT_DATA_DIR": folder}
        env.pop("ZCT_DATABASE_URL", None)
        subprocess.run([str(ZCT), "demo", "--no-serve"], capture_output=True, env=env, check=True)
        for args in COMMANDS:
            _run(args, env)  # warm-up: the OS file cache, and any cache the command builds
            runs, outputs = [], []
            for _ in range(options.runs):
                seconds, out = _run(args, env)
                runs.append(seconds)
                outputs.append(out)
            reported = [float(m.group(1)) for o in outputs if (m := re.search(r"([\d.]+) 毫秒", o))]
            took = f"; the command reports {statistics.median(reported):.0f} ms" if reported else ""
            print(f"zct {' '.join(args)}: median {statistics.median(runs) * 1000:.0f} ms{took}")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=False)
    print(f"bare python start-up for comparison: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
