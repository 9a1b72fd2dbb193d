"""Importing enterprise profiles: ``zct profiles import`` of a generated CSV into a fresh SQLite database.

Generates N rows (default 200 000) with valid 统一社会信用代码 (GB 32100 check characters), name,
region, scale, employees, industries and two years of revenue, then times the import twice: all rows
new, then the same file again (every row unchanged), wall-clock and CPU time (the process's own, which
other load on the machine does not inflate). Figures only; this is not a test.

    .venv/bin/python bench/profiles_import.py [N]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zhengcetong.match.enterprise import CREDIT_CODE_CHARS, credit_code_check_char  # noqa: E402

REGIONS = ["青禾高新区", "青禾经开区", "东湖区", "西山县", "南川县"]
SCALES = ["大型", "中型", "小型", "微型"]


def code(n: int) -> str:
    """The n-th generated credit code: 91 + 330100 + nine characters of n in base 31, + check."""
    body = ""
    for _ in range(9):
        n, r = divmod(n, 31)
        body = CREDIT_CODE_CHARS[r] + body
    first17 = "91330100" + body
    return first17 + credit_code_check_char(first17)


def generate(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("name,credit_code,region,scale,employees,industries,revenue_yuan.2024,revenue_yuan.2025\n")
        for i in range(rows):
            f.write(
                f"青禾示例企业{i}有限公司,{code(i)},{REGIONS[i % 5]},{SCALES[i % 4]},{10 + i % 900},"
                f"电子信息制造业、软件业,{1000000 + i * 37},{1200000 + i * 41}\n"
            )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "profiles.csv"
        generate(data, rows)
        size = data.stat().st_size
        env = {
            **os.environ,
            "ZCT_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "ZCT_DATA_DIR": tmp,
            "ZCT_MAX_UPLOAD_BYTES": str(max(size, 20 * 1024 * 1024)),
        }
        zct = [sys.executable, "-m", "zhengcetong.cli"]
        subprocess.run([*zct, "db", "upgrade"], env=env, check=True, capture_output=True)
        print(f"{rows} 行，{size / 1e6:.1f} MB")
        for label in ("全部新增", "再次导入（全部未改变）"):
            start, before = time.perf_counter(), os.times()
            done = subprocess.run(
                [*zct, "profiles", "import", str(data)], env=env, capture_output=True, text=True
            )
            elapsed, after = time.perf_counter() - start, os.times()
            cpu = (after.children_user - before.children_user) + (
                after.children_system - before.children_system
            )
            if done.returncode:
                sys.exit(done.stderr)
            print(
                f"{label}：{elapsed:.1f} s（{rows / elapsed:,.0f} 行/秒），CPU {cpu:.1f} s（机器繁忙时以此为准）"
                f"  {done.stdout.strip()}"
            )


if __name__ == "__main__":
    main()
