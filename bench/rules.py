"""Rule evaluation speed: 10 000 rules against one enterprise profile.

Builds 10 000 rules from the YAML cases in tests/cases/rules (thresholds and amounts varied so that
answers differ), then prints, for one profile: the time to compile them, and evaluations per second
with explanations (trace, reasons, steps) and without (bulk matching). Figures only; this is not a test.

    .venv/bin/python bench/rules.py
"""

from __future__ import annotations

import copy
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zhengcetong.match.conditions import _plain  # noqa: E402
from zhengcetong.match.profile import Facts  # noqa: E402
from zhengcetong.match.rules import Rule  # noqa: E402

N = 10_000
ON = date(2026, 5, 1)
PROFILE = {
    "name": "青禾示例电子有限公司",
    "region": "青禾高新区",
    "founded": "2017-03-01",
    "employees": 420,
    "industries": ["电子信息制造业", "新一代信息技术", "软件业"],
    "revenue": {"2024": 460000000, "2025": 560000000},
    "revenue_growth": {"2025": 0.217},
    "city_avg_revenue_growth": {"2025": 0.062},
    "mu_chan_grade": "B",
    "dishonest": False,
    "recognitions": [
        {"name": "专精特新“小巨人”企业", "level": "national", "year": 2025, "first_time": True},
        {"name": "软件工程技术中心", "level": "provincial", "year": 2025, "first_time": True},
        {"name": "科技型中小企业", "level": "provincial", "year": 2024},
    ],
    "projects": [
        {"kind": "技术改造", "investment": 12000000, "equipment_cost": 7000000, "year": 2026},
        {"kind": "设备更新", "investment": 3000000, "equipment_cost": 2600000, "year": 2026},
    ],
    "insurance": [
        {"kind": "首版次软件质量保证保险", "premium": 420000, "insured_amount": 16000000, "year": 2025}
    ],
    "persons": [
        {"role": "博士后", "degree": "博士", "birth_date": "1993-02-11", "months": 14, "full_time": True},
        {
            "role": "研发人员",
            "degree": "博士",
            "birth_date": "1988-10-02",
            "full_time": True,
            "hired": "2026-03-15",
            "months": 2,
        },
        {"role": "高校毕业生", "degree": "本科", "birth_date": "2003-06-30"},
    ],
    "standards": [{"level": "industry", "role": "lead", "year": 2025}],
}


def templates() -> list[dict]:
    """Every rule defined in the case files (a history contributes each of its versions)."""
    found = []
    for path in sorted((REPO / "tests" / "cases" / "rules").glob("*.yaml")):
        data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
        for spec in (data.get("rules") or {}).values():
            found.extend(spec if isinstance(spec, list) else [spec])
    return found


def vary(node, k: int):
    """A copy of a rule's JSON with every number above 1 scaled by a factor depending on ``k``."""
    if isinstance(node, dict):
        return {key: (v if key in ("year_offset", "version") else vary(v, k)) for key, v in node.items()}
    if isinstance(node, list):
        return [vary(v, k) for v in node]
    if isinstance(node, int | float) and not isinstance(node, bool) and node > 1:
        return type(node)(node * (0.5 + (k % 11) / 10))
    return node


def build() -> list[Rule]:
    base = templates()
    rules = []
    for k in range(N):
        data = copy.deepcopy(vary(base[k % len(base)], k // len(base)))
        data["item_id"] = f"{data['item_id']}-{k}"
        rules.append(Rule.from_dict(data))
    return rules


def run(rules: list[Rule], explain: bool) -> tuple[float, dict]:
    facts = Facts(PROFILE, ON)  # one profile on one date: resolved paths are shared by all rules
    counts: dict[str, int] = {}
    t0 = time.perf_counter()
    for rule in rules:
        outcome = rule.evaluate(facts, ON, explain=explain)
        counts[outcome.eligible] = counts.get(outcome.eligible, 0) + 1
    return time.perf_counter() - t0, counts


def main() -> None:
    t0 = time.perf_counter()
    rules = build()
    compiled = time.perf_counter() - t0
    print(f"{len(rules)} rules from {len(templates())} templates, compiled in {compiled:.2f} s")
    for explain in (False, True):
        run(rules, explain)  # warm-up
        times = []
        for _ in range(5):
            seconds, counts = run(rules, explain)
            times.append(seconds)
        best = statistics.median(times)
        label = "with explanations   " if explain else "without explanations"
        print(
            f"{label}: {best * 1000:7.1f} ms for {len(rules)} rules = {len(rules) / best:10,.0f} evaluations/s  {counts}"
        )


if __name__ == "__main__":
    main()
