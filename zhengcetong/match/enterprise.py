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
from collections.abc import Callable
from dataclasses import replace
from datetime import date
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
    A person's 公民身份号码 is normalised the same way (a lower-case x becomes X).

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
    # what a project is and involves: the same names as the facts
    **{
        name: name
        for name in (
            "new_land",
            "listed_in",
            "land_type",
            "changes_land_ownership",
            "changes_land_use",
            "changes_structure",
            "low_risk",
            "commitment",
        )
    },
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
KNOWN = ("kind", *FIELDS, *CONTACT, EXTRA)
ENTERPRISE_KIND, PERSON_KIND = "enterprise", "person"


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
    kind = document.get("kind", ENTERPRISE_KIND)
    if kind == PERSON_KIND:
        return check_person(document)
    problems: list[Problem] = []
    if kind != ENTERPRISE_KIND:
        problems.append(
            Problem(
                "$.kind", f"画像类型“{kind}”无效，应为 enterprise（企业）或 person（个人）", "invalid kind"
            )
        )
    problems.extend(_check_document(document, REQUIRED, LABELS, KNOWN, _check_enterprise_field))
    return problems


def _check_enterprise_field(key: str, value: Any, where: str, problems: list[Problem]) -> None:
    if key == "credit_code" and value not in (None, ""):
        reason = credit_code_problem(value)
        if reason:
            problems.append(Problem(where, f"统一社会信用代码{reason}", f"invalid credit code: {value!r}"))
    elif key in FIELDS:
        _check_value(FIELDS[key][1], value, where, problems)
        if key == "name" and isinstance(value, str) and len(value) > 200:
            problems.append(Problem(where, "企业名称过长（最多 200 字）", "name longer than 200 characters"))


def _check_document(
    document: dict,
    required: tuple[str, ...],
    labels: dict[str, str],
    known: tuple[str, ...],
    check_field: Callable[[str, Any, str, list[Problem]], None],
) -> list[Problem]:
    """The checks every kind of profile document shares (required fields, unknown names, the e-mail,
    ``facts``); ``check_field`` checks the kind's own fields."""
    problems: list[Problem] = []
    for name in required:
        if document.get(name) in (None, ""):
            problems.append(Problem(f"$.{name}", f"缺少{labels[name]}", f"{name} is required"))
    for key, value in document.items():
        where = f"$.{key}"
        if key not in known:
            zh, en = did_you_mean(key, known)
            problems.append(Problem(where, f"未知的字段“{key}”{zh}", f"unknown field {key!r}{en}"))
        elif key == "contact_email":
            if value is not None and not (
                isinstance(value, str) and len(value) <= 254 and EMAIL_RE.fullmatch(value)
            ):
                problems.append(Problem(where, f"联系邮箱格式不正确：{value!r}", f"invalid e-mail {value!r}"))
        elif key == EXTRA:
            if value is not None:
                problems.extend(_check_extra(value))
        else:
            check_field(key, value, where, problems)
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
    if document.get("kind") == PERSON_KIND:
        return person_facts(document)
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


# --- person profiles (人才、博士后、求职者 …) ---------------------------------------------------------------
#
# A person is one JSON object too, with "kind": "person": name, 公民身份号码 (``id_number``), region and the
# person's own attributes under the names of the ``persons`` element fields of the vocabulary (role, degree,
# birth_date, disabled, talent_level …). Rules are written over ``persons`` (an enterprise's people), so a
# person is judged as the one element of that list: "has persons where role == 博士后" holds for a postdoc.

ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECK = "10X98765432"
PERSON_FIELDS: dict[str, FactSpec] = {
    name: spec for name, spec in FACTS["persons"].field_specs.items() if name != "name"
}
PERSON_REQUIRED = ("name", "id_number")
PERSON_KNOWN = ("kind", "name", "id_number", "region", *CONTACT, EXTRA, *PERSON_FIELDS)
PERSON_LABELS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "region": "所在县（市、区）",
    **{name: spec.label for name, spec in PERSON_FIELDS.items()},
    "contact_email": "联系邮箱",
    "facts": "其他事实",
}


def id_number_problem(code: Any) -> str | None:
    """Why ``code`` is not a valid 18-digit 公民身份号码 (GB 11643-1999), in Chinese, or None when it is.

    Examples:
        >>> id_number_problem("11010519491231002X") is None
        True
        >>> id_number_problem("110105194912310021")
        '校验码错误：第 18 位应为“X”，实际为“1”'
        >>> id_number_problem("110105194913310028")
        '第 7–14 位应为有效的出生日期'
    """
    if not isinstance(code, str):
        return "应为 18 位的文本"
    if len(code) != 18:
        return f"应为 18 位，实际为 {len(code)} 位"
    if not (code[:17].isdigit() and (code[17].isdigit() or code[17] == "X")):
        return "前 17 位应为数字，第 18 位为数字或 X"
    try:
        date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return "第 7–14 位应为有效的出生日期"
    expected = ID_NUMBER_CHECK[
        sum(int(c) * w for c, w in zip(code[:17], ID_NUMBER_WEIGHTS, strict=True)) % 11
    ]
    if code[17] != expected:
        return f"校验码错误：第 18 位应为“{expected}”，实际为“{code[17]}”"
    return None


def is_person(document: Any) -> bool:
    """Whether a profile document is a person's (``"kind": "person"``)."""
    return isinstance(document, dict) and document.get("kind") == PERSON_KIND


def check_person(document: dict) -> list[Problem]:
    """Every problem of a person's profile document.

    Examples:
        >>> [p.where for p in check_person({"kind": "person", "name": "李四", "id_number": "11010519491231002X",
        ...                                 "role": "博士后", "disabled": "是", "salary": 1})]
        ['$.disabled', '$.salary']
    """
    return _check_document(document, PERSON_REQUIRED, PERSON_LABELS, PERSON_KNOWN, _check_person_field)


def _check_person_field(key: str, value: Any, where: str, problems: list[Problem]) -> None:
    if key == "id_number" and value not in (None, ""):
        reason = id_number_problem(normalise_credit_code(value))  # spaces and case, as for credit codes
        if reason:
            problems.append(Problem(where, f"公民身份号码{reason}", f"invalid id number: {value!r}"))
    elif key == "name":
        if not isinstance(value, str) or len(value) > 200:
            problems.append(Problem(where, "姓名应为文本（最多 200 字）", "name must be text"))
    elif key == "region":
        _check_value(FACTS["region"], value, where, problems)
    elif key in PERSON_FIELDS:
        _check_value(PERSON_FIELDS[key], value, where, problems)


def person_facts(document: dict) -> dict:
    """The facts of a person's (checked) profile: the person is the one element of ``persons``.

    Examples:
        >>> person_facts({"kind": "person", "name": "李四", "id_number": "11010519491231002X",
        ...               "region": "东昌府区", "role": "博士后", "facts": {"months": 12}})
        {'applicant': 'person', 'name': '李四', 'region': '东昌府区', 'persons': [{'name': '李四', 'role': '博士后'}], 'months': 12}
    """
    person = {"name": document.get("name")}
    person.update({k: v for k, v in document.items() if k in PERSON_FIELDS})
    facts: dict[str, Any] = {"applicant": PERSON_KIND, "name": document.get("name")}
    if "region" in document:
        facts["region"] = document["region"]
    facts["persons"] = [person]
    extra = document.get(EXTRA)
    if isinstance(extra, dict):
        facts.update({k: v for k, v in extra.items() if k != "persons"})
    return facts


def document_path(fact_location: str, kind: str = ENTERPRISE_KIND) -> str:
    """Where a fact (as named in ``missing``) is written in the document, for forms and messages; in a
    person's document the person's own fields are at the top.

    Examples:
        >>> document_path("revenue.2025"), document_path("projects[0].equipment_cost"), document_path("rd_expense.2025")
        ('revenue_yuan.2025', 'projects[0].equipment_investment_yuan', 'facts.rd_expense.2025')
        >>> document_path("persons[0].full_time", PERSON_KIND), document_path("months", PERSON_KIND)
        ('full_time', 'facts.months')
    """
    if kind == PERSON_KIND:
        own = re.fullmatch(r"persons\[0\]\.(\w+)", fact_location)
        if own and own.group(1) in PERSON_FIELDS:
            return own.group(1)
        return fact_location if fact_location == "region" else f"facts.{fact_location}"
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
    "ENTERPRISE_KIND",
    "LEVELS",
    "PERSON_KIND",
    "SCALES",
    "check_enterprise",
    "credit_code_problem",
    "document_path",
    "facts_of",
    "normalise",
    "normalise_credit_code",
    "check_person",
    "id_number_problem",
    "is_person",
    "person_facts",
]
