"""Stored policy items as rules: the benefit an enterprise would get (试算), and checks of what reviewers type.

A policy item in the library holds its rule as JSON (``conditions``, ``formula``) with a version that every
edit raises. :func:`rule_for_item` turns an item (or one of its earlier revisions) into a checked
:class:`~zhengcetong.match.rules.Rule` whose validity is the document's period in force and whose reference
is the clause it was extracted from; :func:`calculate` evaluates it for a profile on a date.

``match`` imports the library, never the reverse: the library's ``items.edit_item`` receives
:func:`rule_problems` from its callers to refuse rules that do not compile.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from sqlalchemy.orm import Session

from zhengcetong import clock, jsonsafe
from zhengcetong.errors import Conflict, InputError, NotFound
from zhengcetong.library import STATUS_NAMES, PolicyItem, in_force_period
from zhengcetong.library import items as policy_items
from zhengcetong.match import conditions as cond
from zhengcetong.match import formulas as fm
from zhengcetong.match.errors import MatchError, Problem
from zhengcetong.match.profile import check_profile, fact_label
from zhengcetong.match.rules import Outcome, Rule
from zhengcetong.match.text import json_ready, quantity, yuan

STATUS_WARNINGS = {
    "draft": "该事项尚未审核发布（待审核草稿），结果仅供内部试算",
    "withdrawn": "该事项已撤回，不再对外提供",
}
FIELD_WORDS = {"conditions": "条件", "formula": "公式"}


# --- errors ----------------------------------------------------------------------------------------


def _where(problem: Problem) -> str:
    """A problem's location without the leading ``$.`` ("$.persons[0].age" → "persons[0].age")."""
    where = problem.where
    return where[2:] if where.startswith("$.") else ("" if where == "$" else where)


class ProfileError(InputError):
    """A profile that is not valid JSON/YAML or fails :func:`check_profile`; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem], *, source: str | None = "profile"):
        self.problems = list(problems)
        self.lines = [f"{_where(p)}：{p.zh}" if _where(p) else p.zh for p in self.problems]
        super().__init__("企业画像有误：" + "；".join(self.lines), source=source)


class ItemRuleError(Conflict):
    """A stored item whose conditions or formula do not compile: staff must correct it before calculating."""

    def __init__(self, item: PolicyItem, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            f"政策事项 {item.key}（{item.name}）的规则有误，暂不能试算，请审核人员在审核后台修正："
            + "；".join(self.problems)
        )


# --- checking what reviewers type ------------------------------------------------------------------


def rule_problems(field: str, value: Any) -> list[str]:
    """The problems of one rule field ("conditions" or "formula") in Chinese, empty when it compiles.

    Editing an item checks its rules with this (through ``RULES``).

    Examples:
        >>> rule_problems("conditions", {"fact": "revenu.2025", "op": ">", "value": 1})
        ['条件 fact：未知的事实名称“revenu”，是否应为 “revenue”？']
        >>> rule_problems("formula", None), rule_problems("conditions", True)
        ([], [])
        >>> rule_problems("conditions", {})
        ['条件不能为空：没有可由机器判断的条件时请填 true']
    """
    word = FIELD_WORDS.get(field, field)
    if field == "conditions" and value in ({}, None):
        return ["条件不能为空：没有可由机器判断的条件时请填 true"]
    if field == "formula" and value is None:
        return []
    found = cond.check_condition(value) if field == "conditions" else fm.check_formula(value)
    return [f"{word} {_where(p)}：{p.zh}" if _where(p) else f"{word}：{p.zh}" for p in found]


# --- profiles ------------------------------------------------------------------------------------


class RuleLanguage:
    """The rule language as the library's item editing needs it (``items.edit_item(rules=RULES)``)."""

    @staticmethod
    def problems(field: str, value: Any) -> list[str]:
        """The problems of one rule field in Chinese (see :func:`rule_problems`)."""
        return rule_problems(field, value)

    @staticmethod
    def implied_formula(fields: Any, current: Any) -> dict | None:
        """The formula the amount fields imply (see ``zhengcetong.match.amounts.implied_formula``)."""
        from zhengcetong.match.amounts import implied_formula

        return implied_formula(fields, current)


RULES = RuleLanguage()


def parse_profile(text: str, *, source: str = "profile") -> dict:
    """A checked profile from JSON or YAML text; ProfileError naming each wrong field otherwise.

    Examples:
        >>> parse_profile('{"employees": 420}')
        {'employees': 420}
        >>> parse_profile("founded: 2017-03-01\\nrevenue: {2025: 560000000}")
        {'founded': '2017-03-01', 'revenue': {'2025': 560000000}}
        >>> parse_profile('{"reveune": {"2025": 1}}')
        Traceback (most recent call last):
        ...
        zhengcetong.match.service.ProfileError: profile: 企业画像有误：reveune：未知的事实名称“reveune”，是否应为 “revenue”？
    """
    if not text.strip():
        raise ProfileError(
            [Problem("$", "企业画像为空，请提供 JSON 或 YAML 对象", "the profile is empty")], source=source
        )
    yaml_file = PurePath(source).suffix.lower() in (".yaml", ".yml")
    try:
        data = jsonsafe.loads(text, source=source)
    except InputError as exc:
        raise ProfileError(
            [Problem("$", exc.detail, "beyond the JSON reader's limits")], source=source
        ) from exc
    except json.JSONDecodeError as exc:
        if not yaml_file and text.lstrip().startswith(("{", "[")):
            raise ProfileError(
                [
                    Problem(
                        "$",
                        f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                        "invalid JSON",
                    )
                ],
                source=source,
            ) from exc
        import yaml

        try:
            data = json_ready(jsonsafe.load_yaml(text, source=source))
        except InputError as exc2:
            raise ProfileError(
                [Problem("$", exc2.detail, "beyond the YAML reader's limits")], source=source
            ) from exc2
        except yaml.YAMLError as exc2:
            mark = getattr(exc2, "problem_mark", None)
            where = f"（第 {mark.line + 1} 行）" if mark is not None else ""
            raise ProfileError(
                [Problem("$", f"不是有效的 JSON 或 YAML{where}", "invalid JSON or YAML")], source=source
            ) from exc2
    return validate(data, source=source)


def validate(profile: Any, *, source: str = "profile") -> dict:
    """``profile`` when it passes :func:`check_profile`; ProfileError naming each field and the suggestion."""
    problems = check_profile(profile)
    if problems:
        raise ProfileError(problems, source=source)
    return profile


# --- rules in words ------------------------------------------------------------------------------


def _short(value, unit) -> str:
    return quantity(value, unit, short=True)


def _words(f: fm.F, nested: bool = False) -> str:
    """A compiled formula in words."""
    if isinstance(f, fm.Const):
        text = _short(f.value, f.unit)
        return f"{f.label} {text}" if f.label else text
    if isinstance(f, fm.Fact):
        return f.label or fact_label(f.path.text)
    if isinstance(f, fm.UpTo):
        return f"最高 {_words(f.arg, nested)}"
    if isinstance(f, fm.Round):
        quantum, how = fm.ROUND_TO[f.to][1], fm.ROUNDING[f.mode][1]
        return f"{_words(f.arg, nested)}（按{quantum}{how}）"
    if isinstance(f, fm.Arith):
        if f.op in ("min", "max"):
            consts = [a for a in f.args if isinstance(a, fm.Const)]
            others = [a for a in f.args if not isinstance(a, fm.Const)]
            if len(f.args) == 2 and len(consts) == 1 and others:
                bound = "不超过" if f.op == "min" else "不低于"
                return f"{_words(others[0], nested)}（{bound} {_words(consts[0], True)}）"
            word = "较小值" if f.op == "min" else "较大值"
            return f"取 {'、'.join(_words(a, True) for a in f.args)} 中的{word}"
        text = f" {fm.SYMBOLS[f.op]} ".join(_words(a, True) for a in f.args)
        return f"（{text}）" if nested and f.op in ("+", "-") else text
    if isinstance(f, fm.Rate):
        text = f"{_words(f.base, True)} × {_words(f.rate, True)}"
        return text + (f"（不超过 {_words(f.cap, True)}）" if f.cap is not None else "")
    if isinstance(f, fm.Count):
        return (
            f"{f.label or '符合条件的' + f.spec.label}人数" if f.spec.item == "人" else f.spec.label + "数量"
        )
    if isinstance(f, fm.Per):
        word = fm.PER_WORDS.get(f.times.unit or "", "每次")
        text = f"{word} {_words(f.per, True)} × {_words(f.times, True)}"
        return text + (f"（最多 {_words(f.max_times, True)}）" if f.max_times is not None else "")
    if isinstance(f, fm.Cases):
        parts = [f"{when.phrase(1)}的，{_words(then, True)}" for when, then in f.cases]
        parts.append(f"其他情形，{_words(f.otherwise, True)}" if f.otherwise is not None else "其他情形为 0")
        return "；".join(parts)
    if isinstance(f, fm.Grade):
        enum = f.spec.enum or {}
        parts = [f"{enum.get(k, k)} {_words(v, True)}" for k, v in f.table.items()]
        if f.otherwise is not None:
            parts.append(f"其他 {_words(f.otherwise, True)}")
        return f"按{f.spec.label}：" + "、".join(parts)
    if isinstance(f, fm.Sum):
        which = f"中{f.where.phrase(1)}的" if f.where is not None else "中"
        return f"{f.spec.label}{which}每{f.spec.item}按 {_words(f.of, True)} 计，合计"
    return json.dumps(f.to_json(), ensure_ascii=False, default=str)


def formula_text(formula: Any) -> str:
    """A benefit formula in words, for staff.

    Examples:
        >>> formula_text({"min": [{"*": ["0.1", {"fact": "project.equipment_cost"}]}, "2000000"]})
        '10% × 申报项目的设备（含软件）购置金额（不超过 200万元）'
        >>> formula_text({"up_to": "500000"}), formula_text(None)
        ('最高 50万元', '无计算公式（非资金事项，或金额待定）')
        >>> formula_text({"per_month": 3000, "months": {"fact": "months"}, "max_months": 36})
        '每月 3,000元 × 补贴月数（最多 36个月）'
    """
    if formula is None:
        return "无计算公式（非资金事项，或金额待定）"
    return _words(fm.compile_formula(formula))


def _unlabelled(node):
    """A condition without its labels, so that its words show the logic itself; a question to the
    applicant (``answers.…``, ``claims.…``) keeps its label, which is its only wording."""
    if isinstance(node, dict):
        keep = isinstance(node.get("fact"), str) and node["fact"].startswith(QUESTION_ROOTS)
        return {k: _unlabelled(v) for k, v in node.items() if k != "label" or keep}
    if isinstance(node, list):
        return [_unlabelled(v) for v in node]
    return node


def _condition(stored: Any) -> Any:
    """The condition to evaluate: extraction stores ``{}`` for "no machine-checkable condition", which
    holds (``true``); anything else, ``false`` included, is the condition itself."""
    return True if stored is None or stored == {} else stored


def rule_text(*, conditions: Any, formula: Any, on: date | None = None) -> dict:
    """The rule in words, never raising: ``conditions`` (as applicants read it, with the policy's labels),
    ``logic`` (what the machine checks, when the labels hide it), ``formula``, the ``facts`` a profile
    needs (relative years resolved on ``on``, default today) and ``problems``.

    Examples:
        >>> t = rule_text(conditions={"fact": "revenue.last_year", "op": ">=", "value": 100000000,
        ...                           "label": "上一年度营业收入超过1亿元"}, formula={"up_to": 80000})
        >>> t["conditions"], t["logic"], t["formula"]
        ('上一年度营业收入超过1亿元', '上一年度营业收入不低于1亿元', '最高 8万元')
    """
    conditions = _condition(conditions)
    problems = rule_problems("conditions", conditions) + rule_problems("formula", formula)
    if problems:
        return {"conditions": None, "logic": None, "formula": None, "problems": problems}
    text = cond.to_text(conditions)
    logic = cond.to_text(_unlabelled(conditions))
    on = on or clock.today()
    facts = cond.referenced_facts(conditions, on)
    facts |= fm.referenced_facts(formula, on) if formula is not None else set()
    named = {f for f in facts if "[]" not in f}  # the fields of list elements are named with their list
    shown = [f for f in sorted(named) if not any(g != f and g.startswith((f + ".", f + "[")) for g in named)]
    questions = question_labels(conditions)
    return {
        "conditions": text,
        "logic": logic if logic != text else None,
        "formula": formula_text(formula),
        "facts": [
            {"fact": f, "label": f"申请人确认：{questions[f]}" if f in questions else fact_label(f)}
            for f in shown
        ],
        "problems": [],
    }


# --- items as rules ------------------------------------------------------------------------------


def _version_values(item: PolicyItem, version: int | None) -> dict:
    """The name, conditions and formula of ``item`` at ``version`` (None: the current one)."""
    if version is None or version == item.version:
        return {"name": item.name, "conditions": item.conditions, "formula": item.formula}
    for revision in item.revisions:
        if revision.version == version and {"conditions", "formula"} <= set(revision.after):
            after = revision.after
            return {
                "name": after.get("name") or item.name,
                **{k: after[k] for k in ("conditions", "formula")},
            }
    raise NotFound(
        f"政策事项 {item.key} 没有第 {version} 版（现为第 {item.version} 版），请用 zct items show 查看修改记录"
    )


def _rule_problem(problem: Problem) -> str:
    """A problem of a rule built from an item, named like :func:`rule_problems` ("条件 all[1].fact：…")."""
    for key, word in (("condition", "条件"), ("formula", "公式")):
        prefix = f"$.{key}"
        if problem.where == prefix or problem.where.startswith((prefix + ".", prefix + "[")):
            rest = problem.where[len(prefix) :].lstrip(".")
            return f"{word} {rest}：{problem.zh}" if rest else f"{word}：{problem.zh}"
    return problem.zh


def rule_for_item(*, db_session: Session, item: PolicyItem, version: int | None = None) -> Rule:
    """The item's rule at ``version`` (default: current): valid while its document is in force, citing its clause.

    ItemRuleError when the stored conditions or formula do not compile.
    """
    values = _version_values(item, version)
    document = item.document
    conditions = _condition(values["conditions"])
    data = {
        "item_id": item.key,
        "name": values["name"],
        "version": version or item.version,
        "reference": {
            "doc_number": document.doc_number or document.title,
            "clause": item.clause_path,
            "quote": item.quote,
            "title": document.title,
            "url": f"/documents/{document.uid}",
            "start": item.start,
            "end": item.end,
        },
        "condition": conditions,
        "formula": values["formula"],
    }
    try:
        rule = Rule.from_dict(data)
    except MatchError as exc:
        raise ItemRuleError(item, [_rule_problem(p) for p in exc.problems]) from exc
    start, until = in_force_period(db_session=db_session, document=document)
    up_to = bool(rule.formula is not None and getattr(rule.formula, "ceiling", False))
    # dates from the library are set as they are: a document repealed before it took effect is never in force
    return dataclasses.replace(rule, valid_from=start, valid_until=until, up_to=up_to)


QUESTION_ROOTS = ("answers.", "claims.")  # facts only the applicant can settle, each asked as a question


def question_labels(conditions: Any) -> dict[str, str]:
    """``answers.q…`` and ``claims.q…`` facts of a condition tree with the question each asks (its
    ``question``, else its label).

    Examples:
        >>> question_labels({"all": [{"fact": "answers.q1", "op": "==", "value": True, "label": "属于鼓励类项目"},
        ...                          {"fact": "claims.q2", "op": "==", "value": True, "label": "自主知识产权",
        ...                           "question": "贵单位的产品是否具有自主知识产权？"}]})
        {'answers.q1': '属于鼓励类项目', 'claims.q2': '贵单位的产品是否具有自主知识产权？'}
    """
    found: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            fact = node.get("fact")
            asked = node.get("question") or node.get("label")
            if isinstance(fact, str) and fact.startswith(QUESTION_ROOTS) and asked:
                found.setdefault(fact, str(asked))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(conditions)
    return found


def missing_labels(missing: list[str], conditions: Any) -> list[str]:
    """The missing facts in Chinese; a missing answer is named by the question it answers."""
    questions = question_labels(conditions)
    labels = []
    for location in missing:
        if location in questions:
            labels.append(f"申请人确认：{questions[location]}")
        elif location in ("answers", "claims") and questions:
            labels.extend(f"申请人确认：{q}" for f, q in questions.items() if f.startswith(location + "."))
        else:
            labels.append(fact_label(location))
    return list(dict.fromkeys(labels))


@dataclass
class Calculation:
    """The outcome of one item for one profile, with the item's review status."""

    item: PolicyItem
    rule: Rule
    outcome: Outcome
    status: str  # draft | published | withdrawn, today
    conditions: Any  # the conditions evaluated (for naming the questions in missing)

    @property
    def warnings(self) -> list[str]:
        found = [STATUS_WARNINGS[self.status]] if self.status in STATUS_WARNINGS else []
        if self.rule.version != self.item.version:
            found.append(f"按第 {self.rule.version} 版规则计算（现行为第 {self.item.version} 版）")
        return found

    @property
    def missing_labels(self) -> list[str]:
        return missing_labels(self.outcome.missing, self.conditions)

    def to_dict(self) -> dict:
        """The outcome JSON (LANGUAGE.md) with the item's id, status and warnings, and the verdict in Chinese."""
        data = self.outcome.to_dict()
        data.update(
            eligible_zh=self.outcome.eligible_zh,
            summary=self.outcome.summary(),
            missing_labels=self.missing_labels,
            item={
                "id": self.item.id,
                "key": self.item.key,
                "status": self.status,
                "status_zh": STATUS_NAMES.get(self.status, self.status),
                "current_version": self.item.version,
                "document_uid": self.item.document.uid,
            },
            warnings=self.warnings,
            formula_text=formula_text(self.rule.formula) if self.rule.formula is not None else None,
        )
        data["amount_text"] = amount_text(data)
        return data


def amount_text(data: dict) -> str:
    """The amount of an outcome dict in words: "350,000 元", "最高 80,000 元", "金额待补充", "不适用".

    Examples:
        >>> amount_text({"eligible": "eligible", "amount": "80000.00", "up_to": True, "formula_text": "最高 8万元"})
        '最高 80,000 元'
        >>> amount_text({"eligible": "possibly", "amount": None, "up_to": False, "formula_text": "…"})
        '金额待补充'
    """
    if data["eligible"] == "ineligible":
        return "不适用"
    if data["amount"] is None:
        return "金额待补充" if data.get("formula_text") else "无金额（非资金事项，或文件未规定金额）"
    return ("最高 " if data["up_to"] else "") + yuan(data["amount"])


def is_public(*, db_session: Session, item: PolicyItem, on: date) -> bool:
    """Whether the public may see (and calculate) the item on ``on``: published, its document in force."""
    return policy_items.is_public(db_session=db_session, item=item, on=on)


def calculate(
    *,
    db_session: Session,
    item_ref: str | int,
    profile: Any,
    on: date | None = None,
    version: int | None = None,
    public: bool = False,
    source: str = "profile",
) -> Calculation:
    """The benefit ``profile`` would get from the item (id or key) on ``on`` (default today), step by step.

    ``public=True`` (anonymous callers) finds only items the public may see today; any other item is
    NotFound. ``version`` evaluates an earlier revision's conditions and formula. A profile that fails
    :func:`check_profile` is a ProfileError naming each field; nothing is written.
    """
    on = on or clock.today()
    item = policy_items.get_item(db_session=db_session, item_id=item_ref)
    if public and not is_public(db_session=db_session, item=item, on=clock.today()):
        # the same answer as for an item that does not exist: drafts are not revealed
        raise NotFound(f"没有找到政策事项 {item_ref}，请检查编号是否正确")
    profile = validate(profile, source=source)
    rule = rule_for_item(db_session=db_session, item=item, version=version)
    outcome = rule.evaluate(profile, on)
    values = _version_values(item, version)
    status = policy_items.effective_status(db_session=db_session, item=item, on=clock.today())
    return Calculation(item=item, rule=rule, outcome=outcome, status=status, conditions=values["conditions"])


__all__ = [
    "Calculation",
    "ItemRuleError",
    "ProfileError",
    "calculate",
    "formula_text",
    "is_public",
    "missing_labels",
    "parse_profile",
    "question_labels",
    "rule_for_item",
    "rule_problems",
    "rule_text",
    "validate",
]
