"""Whole-process time of ``zct`` commands: read-only ones on the demo library, and ``zct extract``.

Builds the demo library (the sample gazette, ``zct demo --no-serve``) in a temporary data folder, then
prints, for each command, the median of 5 whole-process runs (after one warm-up run, which may build
caches; the runs of several checkouts alternate): wall-clock time, and the CPU time the process used (user + system, which a busy machine
inflates less than the wall clock), with the query time the command itself reports. The commands are
``zct --help``, ``zct search query`` (words and a 文号), ``zct docs list`` and ``zct extract`` of the
larger seed gazette (about 150 KB; the sample gazette when the seeds are absent). Figures only; this is
not a test. Targets: a read-only command under 0.4 s, ``zct extract`` of a 150 KB issue under 0.3 s.

Python's bytecode caches are written and used, as in an installed copy (PYTHONDONTWRITEBYTECODE is
ignored here). ``--src DIR`` (repeatable) times other checkouts of the project side by side, each run
as ``python -m zhengcetong.cli`` from that folder with its own ``.venv`` when it has one (its own
dependencies), e.g. the commit before a change:

    git worktree add /tmp/before HEAD~3 && (cd /tmp/before && make venv)
    .venv/bin/python bench/cli.py --src /tmp/before --src .

    .venv/bin/python bench/cli.py [--runs 5] [--src DIR ...]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ZCT = Path(sys.executable).with_name("zct")
SEED = REPO.parent / "shared" / "seeds" / "000_f1ae18fef47921e0.txt"
SAMPLE = REPO / "zhengcetong" / "samples" / "qinghe_2026_03.txt"


def commands() -> list[list[str]]:
    gazette = SEED if SEED.exists() else SAMPLE
    return [
        ["--help"],
        ["search", "query", "高新技术企业"],
        ["search", "query", "专精特新"],
        ["search", "query", "青政办发〔2026〕8号"],
        ["docs", "list"],
        ["extract", str(gazette)],
    ]


def _run(prefix: list[str], cwd: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*prefix, *args], capture_output=True, text=True, env=env, cwd=cwd, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _measure(
    shells: list[tuple[str, list[str], Path]], args: list[str], env: dict[str, str], runs: int
) -> list[str]:
    """One line of figures per shell; their runs alternate, so a machine that slows down or speeds up
    meanwhile (other jobs) weighs on each alike."""
    for _, prefix, cwd in shells:
        _run(prefix, cwd, args, env)  # warm-up: the OS file cache, bytecode, any cache the command builds
    walls: list[list[float]] = [[] for _ in shells]
    cpus: list[list[float]] = [[] for _ in shells]
    outputs: list[list[str]] = [[] for _ in shells]
    for _ in range(runs):
        for i, (_, prefix, cwd) in enumerate(shells):
            wall, cpu, out = _run(prefix, cwd, args, env)
            walls[i].append(wall)
            cpus[i].append(cpu)
            outputs[i].append(out)
    lines = []
    for i in range(len(shells)):
        reported = [float(m.group(1)) for o in outputs[i] if (m := re.search(r"([\d.]+) 毫秒", o))]
        took = f"; reports {statistics.median(reported):.0f} ms" if reported else ""
        lines.append(
            f"{statistics.median(walls[i]) * 1000:5.0f} ms wall, {statistics.median(cpus[i]) * 1000:5.0f} ms CPU{took}"
        )
    return lines


def _python(source: Path) -> Path:
    """The checkout's own interpreter (``.venv/bin/python``), else this one."""
    own = source / ".venv" / "bin" / "python"
    return own if own.exists() else Path(sys.executable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--src", action="append", type=Path, help="another checkout to time (repeatable)")
    options = parser.parse_args()
    sources = [s.resolve() for s in options.src or []]
    with tempfile.TemporaryDirectory(prefix="zct-bench-cli-") as folder:
        env = {**os.environ, "ZCT_DATA_DIR": folder}
        env.pop("ZCT_DATABASE_URL", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode is cached after the first run
        subprocess.run([str(ZCT), "demo", "--no-serve"], capture_output=True, env=env, check=True)
        shells = [(f"{s}", [str(_python(s)), "-m", "zhengcetong.cli"], s) for s in sources] or [
            ("zct", [str(ZCT)], REPO)
        ]
        for args in commands():
            shown = " ".join(a if "/" not in a else Path(a).name for a in args)
            for (label, _, _), figures in zip(shells, _measure(shells, args, env, options.runs), strict=True):
                print(f"zct {shown}: {figures}" + (f"  [{label}]" if sources else ""), flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=False)
    print(f"bare python start-up for comparison: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
