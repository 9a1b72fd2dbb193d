"""The fact vocabulary as choices for staff, who replace a claim (``claims.q…``) by a typed condition.

A choice is a fact path of the vocabulary (``industries``, ``revenue.last_year``, ``entity_type``) or a
field of the elements of a list fact, written ``LIST[].FIELD`` (``recognitions[].name``: "some
recognition whose name …"). :func:`condition_of` turns a choice, an operator and the value typed into a
form into a condition of the rules language, which ``library.items.type_claim`` then checks and stores.
"""

from __future__ import annotations

import json
import re
from typing import Any

from zhengcetong import jsonsafe
from zhengcetong.errors import InputError
from zhengcetong.match.profile import FACTS, YEAR_ALIASES, FactSpec

UNTYPED = ("claims.", "answers.")  # facts only the applicant can settle
OPERATORS = {
    "==": "等于",
    "!=": "不等于",
    ">": "大于",
    ">=": "不低于",
    "<": "小于",
    "<=": "不高于",
    "in": "为以下之一",
    "not_in": "不属于以下任一",
    "contains": "包含（列表含有该项，或文字含有该词）",
    "contains_any": "包含以下任一",
}
LIST_OPERATORS = ("in", "not_in", "contains_any")
_SEPARATORS = re.compile(r"[、，,；;]")


def fact_choices() -> list[tuple[str, str]]:
    """(choice, Chinese label) for every typed fact a condition can read, in the vocabulary's order.

    Examples:
        >>> choices = dict(fact_choices())
        >>> choices["revenue.last_year"], choices["recognitions[].name"], choices["complies_with"]
        ('营业收入（上一年度）', '企业获得的认定中至少有一项：名称', '符合其规定的文件或政策')
        >>> "recognitions" in choices or "claims" in choices
        False
    """
    out: list[tuple[str, str]] = []
    for name, spec in FACTS.items():
        if spec.derived_from is None and spec.type in ("records", "record"):
            for field, fspec in spec.field_specs.items():
                if spec.type == "records":
                    out.append((f"{name}[].{field}", f"{spec.label}中至少有一{spec.item}：{fspec.label}"))
                else:
                    out.append((f"{name}.{field}", f"{spec.label}：{fspec.label}"))
        elif spec.type == "by_year":
            words = {"last_year": "上一年度", "this_year": "本年度", "year_before_last": "前年"}
            for alias in YEAR_ALIASES:
                out.append((f"{name}.{alias}", f"{spec.label}（{words[alias]}）"))
        else:
            out.append((name, spec.label))
    return out


def _spec_of(choice: str) -> tuple[str | None, str, FactSpec]:
    """(list fact or None, the path the comparison reads, its spec) of a choice; InputError if unknown."""
    m = re.fullmatch(r"([a-z_]+)\[\]\.([a-z_]+)", choice)
    if m:
        spec = FACTS.get(m.group(1))
        if spec is not None and spec.type == "records" and m.group(2) in spec.field_specs:
            return m.group(1), m.group(2), spec.field_specs[m.group(2)]
    elif choice in dict(fact_choices()):
        head, _, rest = choice.partition(".")
        spec = FACTS[head]
        return None, choice, (spec.field_specs[rest] if spec.type == "record" else spec)
    raise InputError(f"未知的事实“{choice}”，请从列表中选择", source="fact")


def _scalar(text: str, spec: FactSpec) -> Any:
    """One value as typed: numbers and true/false for facts of those types, else the text itself."""
    text = text.strip()
    if spec.type in ("int", "number") or spec.type == "by_year":
        try:
            return jsonsafe.loads(text.replace(",", ""), source="value")
        except (json.JSONDecodeError, InputError):
            return text  # the rule check names what is wrong
    if spec.type == "bool":
        return {"true": True, "false": False, "是": True, "否": False}.get(text.lower(), text)
    return text


def condition_of(choice: str, op: str, value: str) -> dict:
    """The condition a staff form describes: ``choice`` compared by ``op`` with ``value`` (several values
    of ``in``/``contains_any`` separated by 、 or commas). Not yet checked: ``type_claim`` checks it.

    Examples:
        >>> condition_of("industries", "contains", "电子信息制造业")
        {'fact': 'industries', 'op': 'contains', 'value': '电子信息制造业'}
        >>> condition_of("revenue.last_year", ">=", "200,000,000")
        {'fact': 'revenue.last_year', 'op': '>=', 'value': 200000000}
        >>> condition_of("recognitions[].level", "in", "national、provincial")
        {'has': 'recognitions', 'where': {'fact': 'level', 'op': 'in', 'value': ['national', 'provincial']}}
        >>> condition_of("in_industrial_park", "==", "true")
        {'fact': 'in_industrial_park', 'op': '==', 'value': True}
    """
    if op not in OPERATORS:
        raise InputError(f"未知的比较方式“{op}”", source="op")
    if not value.strip():
        raise InputError("请填写要比较的值", source="value")
    many, path, spec = _spec_of(choice)
    if op in LIST_OPERATORS:
        parsed: Any = [_scalar(v, spec) for v in _SEPARATORS.split(value) if v.strip()]
    else:
        parsed = _scalar(value, spec)
    leaf = {"fact": path, "op": op, "value": parsed}
    return {"has": many, "where": leaf} if many else leaf


def claims_in(conditions: Any) -> list[dict]:
    """The claim leaves (``claims.q…``, ``answers.…``) of a condition tree, each once, in order.

    Examples:
        >>> claims_in({"all": [{"fact": "claims.q1", "op": "==", "value": True, "label": "入驻产业园区"},
        ...                    {"fact": "employees", "op": ">", "value": 1}]})
        [{'fact': 'claims.q1', 'label': '入驻产业园区', 'question': ''}]
    """
    found: dict[str, dict] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            fact = node.get("fact")
            if isinstance(fact, str) and fact.startswith(UNTYPED) and fact not in found:
                found[fact] = {
                    "fact": fact,
                    "label": str(node.get("label") or ""),
                    "question": str(node.get("question") or ""),
                }
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(conditions)
    return list(found.values())


__all__ = ["OPERATORS", "claims_in", "condition_of", "fact_choices"]
