"""Synthetic enterprise profile documents for benchmarks and the batch-versus-one-by-one test.

Realistic enough to exercise every branch the seed items read: revenue by year (log-normal, some
missing years), recognitions named after the items' own conditions (some without ``first_time``),
projects with investments and what they involve, the 亩产效益 grade, regions (some unknown), standards,
industries, growth rates, the kind of body and what it does, the documents it complies with, premises,
exhibitions, persons (role, degree, disability, talent level …), insurance, capital, trade, the
statistics' size class and answers to the items' questions. Text values are taken from the items' own
conditions (``field_values``) where they name any, so that conditions hold for some profiles and not
for others. Every fact is absent for some profiles (unknown). Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
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


def field_values(conditions: list[Any]) -> dict[tuple[str, str], list[Any]]:
    """The literal values the conditions compare each fact with, keyed by the list the fact is read in
    (``""`` for the profile itself, ``"persons"`` inside ``{"has": "persons", …}``) and the fact's name.

    Examples:
        >>> field_values([{"has": "persons", "where": {"fact": "role", "op": "in", "value": ["甲", "乙"]}},
        ...               {"fact": "complies_with", "op": "contains", "value": "某细则"}])
        {('persons', 'role'): ['甲', '乙'], ('', 'complies_with'): ['某细则']}
    """
    found: dict[tuple[str, str], list[Any]] = {}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            fact, value = node.get("fact"), node.get("value")
            if isinstance(fact, str) and node.get("op") in ("==", "contains", "in", "contains_any"):
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, str):
                        found.setdefault((where, fact), [])
                        if v not in found[where, fact]:
                            found[where, fact].append(v)
            inner = node["has"] if isinstance(node.get("has"), str) else where
            for key, v in node.items():
                walk(v, inner if key == "where" else where)
        elif isinstance(node, list):
            for v in node:
                walk(v, where)

    for c in conditions:
        walk(c, "")
    return found


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
    seen = field_values(list(conditions))

    def pick(where: str, fact: str, fallback: list[str]) -> str:
        """A value the items read for this fact, or one of ``fallback`` (some of the time either way)."""
        options = seen.get((where, fact), [])
        return rng.choice(options if options and rng.random() < 0.8 else fallback)

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
            project: dict[str, Any] = {
                "kind": pick("projects", "kind", ["技术改造", "设备更新", "绿色化改造"]),
                "year": year + 1,
                "total_investment_yuan": rng.randint(1, 400) * 100_000,
                "equipment_investment_yuan": rng.randint(1, 200) * 50_000,
            }
            if r() < 0.5:  # what it is and involves
                for name in PROJECT_TRAITS:
                    if r() < 0.7:
                        project[name] = r() < 0.5
                if r() < 0.6:
                    project["listed_in"] = pick("projects", "listed_in", ["省重点项目"])
                if r() < 0.3:
                    project["land_type"] = pick("projects", "land_type", ["农用地", "存量建设用地"])
            doc["projects"] = [project]
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
        if r() < 0.2:
            facts["insurance"] = [
                {
                    "kind": pick("insurance", "kind", ["首版次软件质量保证保险", "短期出口信用保险"]),
                    "premium": rng.randint(1, 90) * 1000,
                    **({"product": pick("insurance", "product", ["首版次软件"])} if r() < 0.8 else {}),
                }
                for _ in range(rng.choice([0, 1, 1, 2]))
            ]
        facts.update(_body(rng, pick, seen, year))
        facts.update(_holdings(rng, pick, year))
        if r() < 0.35:
            facts["persons"] = [_person(rng, pick, year) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        if questions and r() < 0.35:
            for q in rng.sample(questions, min(len(questions), rng.randint(1, 8))):
                namespace, _, name = q.partition(".")
                facts.setdefault(namespace, {})[name] = r() < 0.5
        if r() < 0.3:
            facts["dishonest"] = r() < 0.05
        if facts:
            doc["facts"] = facts
        yield doc


PROJECT_TRAITS = (
    "new_land",
    "changes_land_ownership",
    "changes_land_use",
    "changes_structure",
    "low_risk",
    "commitment",
)
ROLES = ["博士后", "出站博士后", "高校毕业生", "高级管理人员", "就业困难人员", "子女", "技术人员"]
SECTORS = ["工业", "服务业", "批发业", "零售业", "住宿业", "餐饮业"]
Pick = Callable[[str, str, list[str]], str]


def _body(
    rng: random.Random, pick: Pick, seen: dict[tuple[str, str], list[Any]], year: int
) -> dict[str, Any]:
    """What kind of body it is, what it does, what it complies with and what it is counted as."""
    r = rng.random
    facts: dict[str, Any] = {}
    if r() < 0.5:
        facts["entity_type"] = rng.choice(["企业"] * 6 + ["事业单位", "社会组织", "个体工商户", "园区"])
    if r() < 0.4:
        options = seen.get(("", "activities"), []) + ["软件开发", "批发零售"]
        facts["activities"] = rng.sample(options, rng.randint(0, min(2, len(options))))
    if r() < 0.4:
        options = seen.get(("", "complies_with"), []) + ["某管理办法"]
        facts["complies_with"] = rng.sample(options, rng.randint(0, min(2, len(options))))
    if r() < 0.3:
        facts["env_performance_grade"] = rng.choice(["A", "B", "C", "D", "引领性"])
    if r() < 0.4:
        facts["above_scale"] = rng.sample(SECTORS, rng.choice([0, 1, 1, 2]))
    for name, share in (("in_industrial_park", 0.4), ("newly_introduced", 0.3), ("legal_person", 0.5)):
        if r() < share:
            facts[name] = r() < 0.5
    if r() < 0.3:
        facts["premises"] = [
            {
                "use": pick("premises", "use", ["办公", "生产经营", "仓储"]),
                "tenure": rng.choice(["leased", "owned"]),
                **({"self_use": r() < 0.8} if r() < 0.9 else {}),
                "area": rng.randint(50, 5000),
            }
            for _ in range(rng.choice([0, 1, 2]))
        ]
    if r() < 0.3:
        facts["exhibitions"] = [
            {
                "name": "展会",
                "year": year,
                **({"international": r() < 0.5} if r() < 0.9 else {}),
                **({"key": r() < 0.5} if r() < 0.9 else {}),
                "cost": rng.randint(1, 50) * 10_000,
            }
            for _ in range(rng.choice([0, 1, 2]))
        ]
    return facts


def _holdings(rng: random.Random, pick: Pick, year: int) -> dict[str, Any]:
    """Capital, trade, R&D spending and taxes (some years missing)."""
    r = rng.random
    facts: dict[str, Any] = {}
    if r() < 0.4:
        facts["paid_in_capital"] = rng.choice([1, 3, 5, 8]) * 10 ** rng.choice([6, 7, 8])
    if r() < 0.3:
        facts["registered_capital"] = rng.choice([1, 5, 10]) * 10 ** rng.choice([6, 7, 8])
    for name, scale, share in (
        ("import_export_usd", 10**8, 0.3),
        ("rd_expense", 10**7, 0.4),
        ("tax_paid", 10**7, 0.3),
    ):
        if r() < share:
            facts[name] = {
                str(y): int(scale * rng.uniform(0.05, 3)) // 1000 * 1000
                for y in (year - 1, year)
                if r() < 0.9
            }
    return facts


def _person(rng: random.Random, pick: Pick, year: int) -> dict[str, Any]:
    """One person of the enterprise, each field present most of the time."""
    r = rng.random
    person: dict[str, Any] = {"name": "某"}
    makers: dict[str, Callable[[], Any]] = {
        "role": lambda: pick("persons", "role", ROLES),
        "degree": lambda: rng.choice(["博士", "硕士", "本科"]),
        "birth_date": lambda: (
            f"{rng.randint(year - 60, year - 20)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        ),
        "months": lambda: rng.randint(1, 40),
        "full_time": lambda: r() < 0.7,
        "founder": lambda: r() < 0.3,
        "contract_years": lambda: rng.randint(0, 5),
        "disabled": lambda: r() < 0.3,
        "talent_level": lambda: rng.choice(LEVELS),
        "talent_program": lambda: pick("persons", "talent_program", ["某人才计划"]),
        "assessment": lambda: rng.choice(["优秀", "合格"]),
        "certificate": lambda: pick("persons", "certificate", ["职业资格证书"]),
        "settled": lambda: r() < 0.5,
        "new_hire": lambda: r() < 0.5,
        "social_insurance": lambda: r() < 0.7,
    }
    for name, make in makers.items():
        if r() < 0.75:
            person[name] = make()
    return person
