"""Synthetic enterprise profile documents for benchmarks and the batch-versus-one-by-one test.

Realistic enough to exercise every branch the seed items read: revenue by year (log-normal, some
missing years), recognitions named after the items' own conditions (some without ``first_time``),
projects with investments, the 亩产效益 grade, regions (some unknown), standards, industries, growth
rates and answers to the items' questions. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

from zhengcetong.match.enterprise import credit_code_check_char

REGIONS = ["东昌府区", "聊城经济技术开发区", "聊城高新技术产业开发区", "冠县", "莘县", "临清市", "青禾高新区"]
INDUSTRIES = ["电子信息制造业", "软件业", "新一代信息技术", "钢管", "有色金属", "纺织", "食品"]
LEVELS = ["national", "provincial", "municipal", "county"]
STANDARD_LEVELS = ["international", "national", "industry", "provincial", "group"]
FALLBACK_NAMES = ["高新技术企业", "专精特新中小企业", "专精特新“小巨人”企业", "省级企业技术中心", "绿色工厂"]


def vocabulary(conditions: list[Any]) -> tuple[list[str], list[str]]:
    """Recognition names (``name contains …`` values) and the questions (``answers.…``, ``claims.…`` facts)
    the conditions read."""
    names: list[str] = []
    questions: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            fact = node.get("fact")
            if fact == "name" and node.get("op") == "contains" and isinstance(node.get("value"), str):
                names.append(node["value"])
            if isinstance(fact, str) and fact.startswith(("answers.", "claims.")):
                questions.append(fact)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for c in conditions:
        walk(c)
    return list(dict.fromkeys(names)) or FALLBACK_NAMES, list(dict.fromkeys(questions))


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 numbered ``n``."""
    first = f"91371500{n:09d}"
    return first + credit_code_check_char(first)


def documents(
    count: int, *, seed: int = 7, conditions: Sequence[Any] = (), year: int = 2025
) -> Iterator[dict]:
    """``count`` enterprise profile documents; ``year`` is the last full year (revenue and recognitions)."""
    rng = random.Random(seed)
    names, questions = vocabulary(list(conditions))
    for n in range(count):
        r = rng.random
        doc: dict[str, Any] = {"name": f"合成企业{n}有限公司", "credit_code": credit_code(n)}
        if r() < 0.85:
            doc["region"] = rng.choice(REGIONS)
        if r() < 0.7:
            doc["industries"] = rng.sample(INDUSTRIES, rng.randint(1, 2))
        if r() < 0.6:
            doc["scale"] = rng.choice(["大型", "中型", "小型", "微型"])
        if r() < 0.8:
            base = rng.lognormvariate(18.0, 1.6)  # median about 6,600万元
            revenue = {}
            for y in (year - 2, year - 1, year):
                if r() < 0.9:
                    revenue[str(y)] = int(base * rng.uniform(0.7, 1.6)) // 1000 * 1000
                base *= rng.uniform(0.9, 2.2)
            doc["revenue_yuan"] = revenue
        if r() < 0.5:
            doc["recognitions"] = [
                {
                    "name": rng.choice(names),
                    "level": rng.choice(LEVELS),
                    "year": rng.randint(year - 4, year),
                    **({"first_time": r() < 0.6} if r() < 0.95 else {}),
                }
                for _ in range(rng.choice([0, 1, 1, 2, 3]))
            ]
        if r() < 0.45:
            doc["projects"] = [
                {
                    "kind": rng.choice(["技术改造", "设备更新", "绿色化改造"]),
                    "year": year + 1,
                    "total_investment_yuan": rng.randint(1, 400) * 100_000,
                    "equipment_investment_yuan": rng.randint(1, 200) * 50_000,
                }
            ]
        if r() < 0.6:
            doc["mu_efficiency_grade"] = rng.choice("AABBBCD")
        facts: dict[str, Any] = {}
        if r() < 0.4:
            facts["project"] = {
                "investment": rng.randint(1, 400) * 100_000,
                **({"equipment_cost": rng.randint(1, 300) * 37_000} if r() < 0.85 else {}),
            }
        if r() < 0.5:
            facts["revenue_growth"] = {str(year): round(rng.uniform(-0.2, 0.8), 3)}
            facts["city_avg_revenue_growth"] = {str(year): 0.062}
        if r() < 0.2:
            facts["standards"] = [
                {
                    "name": "标准",
                    "level": rng.choice(STANDARD_LEVELS),
                    "role": rng.choice(["lead", "participate"]),
                }
                for _ in range(rng.randint(0, 2))
            ]
        if r() < 0.15:
            facts["months"] = rng.randint(1, 40)
        if r() < 0.1:
            facts["insurance"] = [{"kind": "首版次软件质量保证保险", "premium": rng.randint(1, 90) * 1000}]
        if questions and r() < 0.35:
            for q in rng.sample(questions, min(len(questions), rng.randint(1, 8))):
                namespace, _, name = q.partition(".")
                facts.setdefault(namespace, {})[name] = r() < 0.5
        if r() < 0.3:
            facts["dishonest"] = r() < 0.05
        if facts:
            doc["facts"] = facts
        yield doc
