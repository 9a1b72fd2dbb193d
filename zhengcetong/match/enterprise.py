"""The enterprise profile document (企业画像): the JSON object one enterprise is, as imported, edited in the
portal and sent to the API, and how it becomes the facts rules are judged on.

One enterprise is one JSON object::

    {
      "name": "青禾示例电子有限公司",
      "credit_code": "91330100799655058B",
      "region": "青禾高新区",
      "industries": ["电子信息制造业"],
      "scale": "中型",
      "employees": 420,
      "revenue_yuan": {"2024": 460000000, "2025": 560000000},
      "recognitions": [{"name": "高新技术企业", "level": "national", "year": 2025, "first_time": true}],
      "projects": [{"kind": "技术改造", "year": 2026, "total_investment_yuan": 12000000,
                    "equipment_investment_yuan": 7000000}],
      "mu_efficiency_grade": "B",
      "contact_email": "finance@example.com",
      "facts": {"revenue_growth": {"2025": 0.21}, "standards": [{"name": "…", "level": "national",
                "role": "lead", "year": 2025}]}
    }

``name`` and ``credit_code`` are required; every other field may be absent (unknown). ``facts`` holds
further facts of the vocabulary (``zhengcetong/match/LANGUAGE.md``: ``founded``, ``revenue_growth``,
``rd_expense``, ``tax_paid``, ``standards``, ``persons``, ``dishonest``, ``answers.*`` …) under their fact
names. :func:`facts_of` turns a document into those facts: the document's names are the ones people
read and integrators send (``revenue_yuan``), the facts' names are the ones rules are written in
(``revenue``), and this module is the one place that maps one onto the other.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from zhengcetong.match.errors import Problem, did_you_mean
from zhengcetong.match.profile import (
    FACTS,
    LEVELS,
    PROJECT,
    RECOGNITION,
    FactSpec,
    _check_value,
    check_profile,
)

# --- 统一社会信用代码 (GB 32100-2015) -----------------------------------------------------------------

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CHAR_VALUES = {c: i for i, c in enumerate(CREDIT_CODE_CHARS)}


def credit_code_check_char(first17: str) -> str:
    """The check character (the 18th) of a 统一社会信用代码, per GB 32100-2015.

    Examples:
        >>> credit_code_check_char("91330100799655058")
        'B'
    """
    total = sum(_CHAR_VALUES[c] * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: Any) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码 (in Chinese), or None when it is.

    Examples:
        >>> credit_code_problem("91330100799655058B") is None
        True
        >>> credit_code_problem("91330100799655058C")
        '校验码错误：第 18 位应为“B”，实际为“C”'
        >>> credit_code_problem("9133010079965505")
        '应为 18 位，实际为 16 位'
    """
    if not isinstance(code, str):
        return "应为 18 位的文本"
    if len(code) != 18:
        return f"应为 18 位，实际为 {len(code)} 位"
    bad = [c for c in code if c not in CREDIT_CODE_CHARS]
    if bad:
        return f"含有不允许的字符“{bad[0]}”（只能是数字和除 I、O、S、V、Z 以外的大写字母）"
    if not code[2:8].isdigit():
        return "第 3–8 位应为登记管理机关行政区划码（数字）"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"校验码错误：第 18 位应为“{expected}”，实际为“{code[17]}”"
    return None


def normalise_credit_code(code: Any) -> Any:
    """Upper case, spaces removed (as typed or pasted); anything else is left for the check to refuse.

    Examples:
        >>> normalise_credit_code(" 91330100 799655058b ")
        '91330100799655058B'
    """
    return re.sub(r"[\s\u3000]+", "", code).upper() if isinstance(code, str) else code


# --- the document's fields --------------------------------------------------------------------------

SCALES = FACTS["scale"].enum
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# element fields of ``projects`` in the document → the fact's element fields
PROJECT_FIELDS = {
    "name": "name",
    "kind": "kind",
    "year": "year",
    "total_investment_yuan": "investment",
    "equipment_investment_yuan": "equipment_cost",
    "construction_cost_yuan": "construction_cost",
    "eligible_cost_yuan": "eligible_cost",
    "completed": "completed",
}
DOCUMENT_PROJECT = {name: PROJECT[fact] for name, fact in PROJECT_FIELDS.items()}

# document field → (fact name, spec used to check the document's value)
FIELDS: dict[str, tuple[str, FactSpec]] = {
    "name": ("name", FACTS["name"]),
    "credit_code": ("credit_code", FACTS["credit_code"]),
    "region": ("region", FACTS["region"]),
    "industries": ("industries", FACTS["industries"]),
    "scale": ("scale", FACTS["scale"]),
    "employees": ("employees", FACTS["employees"]),
    "revenue_yuan": ("revenue", FACTS["revenue"]),
    "recognitions": ("recognitions", replace(FACTS["recognitions"], fields=RECOGNITION)),
    "projects": ("projects", replace(FACTS["projects"], fields=DOCUMENT_PROJECT)),
    "mu_efficiency_grade": ("mu_chan_grade", FACTS["mu_chan_grade"]),
}
FIELD_FACTS = frozenset(fact for fact, _ in FIELDS.values())  # facts with a field of their own
CONTACT = ("contact_email",)
EXTRA = "facts"
REQUIRED = ("name", "credit_code")
LABELS = {
    **{name: spec.label for name, (_, spec) in FIELDS.items()},
    "contact_email": "联系邮箱",
    "facts": "其他事实",
}
KNOWN = (*FIELDS, *CONTACT, EXTRA)


def normalise(document: dict) -> dict:
    """The document with its credit code normalised (a copy; nothing else changes)."""
    out = dict(document)
    if "credit_code" in out:
        out["credit_code"] = normalise_credit_code(out["credit_code"])
    return out


def check_enterprise(document: Any) -> list[Problem]:
    """Every problem of an enterprise profile document, each naming its field in Chinese and English.

    Examples:
        >>> [p.where for p in check_enterprise({"name": "甲", "credit_code": "91330100799655058B",
        ...                                     "revenue": {"2025": 1}, "scale": "巨型"})]
        ['$.revenue', '$.scale']
    """
    if not isinstance(document, dict):
        return [Problem("$", "企业画像必须是 JSON 对象", "a profile must be a JSON object")]
    problems: list[Problem] = []
    for name in REQUIRED:
        if document.get(name) in (None, ""):
            problems.append(Problem(f"$.{name}", f"缺少{LABELS[name]}", f"{name} is required"))
    for key, value in document.items():
        where = f"$.{key}"
        if key not in KNOWN:
            zh, en = did_you_mean(key, KNOWN)
            problems.append(Problem(where, f"未知的字段“{key}”{zh}", f"unknown field {key!r}{en}"))
        elif key == "credit_code" and value not in (None, ""):
            reason = credit_code_problem(value)
            if reason:
                problems.append(
                    Problem(where, f"统一社会信用代码{reason}", f"invalid credit code: {value!r}")
                )
        elif key in FIELDS:
            _check_value(FIELDS[key][1], value, where, problems)
            if key == "name" and isinstance(value, str) and len(value) > 200:
                problems.append(
                    Problem(where, "企业名称过长（最多 200 字）", "name longer than 200 characters")
                )
        elif key == "contact_email" and value is not None:
            if not (isinstance(value, str) and len(value) <= 254 and EMAIL_RE.fullmatch(value)):
                problems.append(Problem(where, f"联系邮箱格式不正确：{value!r}", f"invalid e-mail {value!r}"))
        elif key == EXTRA and value is not None:
            problems.extend(_check_extra(value))
    return problems


def _check_extra(value: Any) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem("$.facts", "其他事实应为 JSON 对象（事实名称: 值）", "facts must be an object")]
    shadowed = [k for k in value if k in FIELD_FACTS]
    problems = [
        Problem(f"$.facts.{k}", f"“{k}”请写在画像的对应字段中，不要写在 facts 里", f"{k!r} has its own field")
        for k in shadowed
    ]
    rest = {k: v for k, v in value.items() if k not in shadowed} if shadowed else value
    for p in check_profile(rest):
        problems.append(Problem("$.facts" + p.where[1:], p.zh, p.en))
    return problems


def facts_of(document: dict) -> dict:
    """The facts a rule is judged on, from a (checked) enterprise profile document.

    Examples:
        >>> facts_of({"name": "甲", "credit_code": "91330100799655058B", "revenue_yuan": {"2025": 3},
        ...           "projects": [{"kind": "技术改造", "total_investment_yuan": 5}], "mu_efficiency_grade": "A",
        ...           "contact_email": "a@b.cn", "facts": {"dishonest": False}})
        {'name': '甲', 'credit_code': '91330100799655058B', 'revenue': {'2025': 3}, 'projects': [{'kind': '技术改造', 'investment': 5}], 'mu_chan_grade': 'A', 'dishonest': False}
    """
    facts: dict[str, Any] = {}
    for key, value in document.items():
        if key in FIELDS:
            fact = FIELDS[key][0]
            if key == "projects" and isinstance(value, list):
                value = [{PROJECT_FIELDS.get(k, k): v for k, v in el.items()} for el in value]
            facts[fact] = value
        elif key == EXTRA and isinstance(value, dict):
            facts.update(value)
    return facts


def document_path(fact_location: str) -> str:
    """Where a fact (as named in ``missing``) is written in the document, for forms and messages.

    Examples:
        >>> document_path("revenue.2025"), document_path("projects[0].equipment_cost"), document_path("rd_expense.2025")
        ('revenue_yuan.2025', 'projects[0].equipment_investment_yuan', 'facts.rd_expense.2025')
    """
    head = re.match(r"[A-Za-z_]+", fact_location)
    if not head:
        return fact_location
    name, rest = head.group(0), fact_location[head.end() :]
    for key, (fact, _) in FIELDS.items():
        if fact == name:
            if key == "projects":
                for doc_field, fact_field in PROJECT_FIELDS.items():
                    rest = re.sub(rf"(?<=\.){fact_field}\b", doc_field, rest)
            return key + rest
    return f"facts.{fact_location}"


__all__ = [
    "LEVELS",
    "SCALES",
    "check_enterprise",
    "credit_code_problem",
    "document_path",
    "facts_of",
    "normalise",
    "normalise_credit_code",
]
