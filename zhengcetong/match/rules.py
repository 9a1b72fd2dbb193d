"""Rules: a policy item's condition and benefit formula, with validity dates, a source and a version.

A change in the law adds a dated version (:class:`RuleHistory`) and never edits an old one; the version
in force on the evaluation date applies. :meth:`Rule.evaluate` answers eligible / possibly / ineligible
with the amount, the missing facts, the reasons (each citing the clause) and the calculation steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import yaml

from zhengcetong.match import conditions, formulas
from zhengcetong.match.errors import MatchError, Problem, RuleError, did_you_mean
from zhengcetong.match.profile import Facts, as_date, fact_label
from zhengcetong.match.text import json_ready, quantity

Eligibility = Literal["eligible", "possibly", "ineligible"]
_ELIGIBILITY: dict[bool | None, Eligibility] = {True: "eligible", None: "possibly", False: "ineligible"}
ELIGIBILITY_ZH = {"eligible": "符合", "possibly": "可能符合", "ineligible": "不符合"}
RULE_KEYS = (
    "item_id",
    "name",
    "version",
    "valid_from",
    "valid_until",
    "reference",
    "up_to",
    "condition",
    "formula",
    "note",
)
REFERENCE_KEYS = ("doc_number", "clause", "quote", "title", "url", "start", "end")
REFERENCE_OFFSETS = ("start", "end")  # character offsets of the quote in the document body


def _zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class Reference:
    """Where a rule comes from: document number (文号), clause path (e.g. "一、（二）") and the quoted text,
    with the quote's character offsets in the document body when known."""

    doc_number: str
    clause: str = ""
    quote: str = ""
    title: str = ""
    url: str = ""
    start: int | None = None
    end: int | None = None

    def text(self) -> str:
        """The citation in one line, e.g. "青政办发〔2026〕8号 一、（二）".

        Examples:
            >>> Reference("青政办发〔2026〕8号", "一、（二）").text()
            '青政办发〔2026〕8号 一、（二）'
        """
        return f"{self.doc_number} {self.clause}".strip()

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in REFERENCE_KEYS if getattr(self, k) not in ("", None)}


@dataclass
class Outcome:
    """The answer of one rule for one profile on one date; JSON-ready through :meth:`to_dict`."""

    item_id: str
    name: str
    version: int
    on: date
    eligible: Eligibility
    amount: Decimal | None
    up_to: bool
    missing: list[str]
    reasons: list[str]
    steps: list[str]
    reference: dict
    trace: list[conditions.TraceStep] = field(default_factory=list)

    @property
    def eligible_zh(self) -> str:
        """符合 / 可能符合 / 不符合."""
        return ELIGIBILITY_ZH[self.eligible]

    def summary(self) -> str:
        """One line for staff, e.g. "符合：最高可获 300,000 元（青政办发〔2026〕8号 二）".

        Examples:
            >>> o = Outcome("x", "示例", 1, date(2026, 5, 1), "eligible", Decimal(300000), True, [], [], [], {})
            >>> o.summary()
            '符合：最高可获 300,000 元'
        """
        text = self.eligible_zh
        if self.eligible != "ineligible" and self.amount is not None:
            text += f"：{'最高' if self.up_to else ''}可获 {quantity(self.amount, 'yuan')}"
        elif self.eligible != "ineligible" and self.missing:
            text += "：待补充 " + "、".join(fact_label(m) for m in self.missing)
        cite = " ".join(v for v in (self.reference.get("doc_number"), self.reference.get("clause")) if v)
        return f"{text}（{cite}）" if cite else text

    def to_dict(self) -> dict:
        return {
            "item_id": self.item_id,
            "name": self.name,
            "version": self.version,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "amount": None if self.amount is None else str(self.amount),
            "up_to": self.up_to,
            "missing": list(self.missing),
            "missing_labels": [fact_label(m) for m in self.missing],
            "reasons": list(self.reasons),
            "steps": list(self.steps),
            "reference": dict(self.reference),
            "trace": [s.to_dict() for s in self.trace],
        }


_STATUS_ORDER = {"not_met": 0, "unknown": 1, "met": 2}


def _reason_nodes(node: conditions.Node, at: str):
    """The parts of a condition that make good reasons, with their trace positions: the parts of an
    unlabelled ``all`` one by one, anything else (a leaf, a labelled group, an ``any``, a ``not``) whole."""
    if isinstance(node, conditions.Junction) and node.is_all and not node.label:
        for i, item in enumerate(node.items):
            yield from _reason_nodes(item, f"{at}.{i}" if at else str(i))
    elif not (isinstance(node, conditions.Const) and node.value):
        yield node, at


def _reason_text(node: conditions.Node) -> str:
    if isinstance(node, conditions.Junction) and not node.label and len(node.items) > 1:
        return "以下条件之一：" + "；".join(item.phrase(1) for item in node.items)
    return node.phrase()


@dataclass
class Rule:
    """One dated version of a policy item's rule. Build it with :meth:`from_dict` (which checks it)."""

    item_id: str
    name: str
    condition: conditions.Node
    formula: formulas.F | None
    reference: Reference
    valid_from: date | None = None
    valid_until: date | None = None
    version: int = 1
    up_to: bool = False
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict, where: str = "$") -> Rule:
        """A checked rule from JSON data; RuleError listing every problem otherwise.

        Examples:
            >>> r = Rule.from_dict({"item_id": "demo", "name": "示例", "condition": True, "formula": 1000,
            ...                     "reference": {"doc_number": "青政发〔2026〕11号", "clause": "第四条"}})
            >>> r.evaluate({}, date(2026, 5, 1)).summary()
            '符合：可获 1,000 元（青政发〔2026〕11号 第四条）'
        """
        if not isinstance(data, dict):
            raise RuleError(Problem(where, "规则应为 JSON 对象", "a rule is a JSON object"))
        problems = [*_unknown_keys(data, where), *_missing_keys(data, where)]
        checked: dict[str, Any] = {}
        for key, check in _FIELD_CHECKS:
            checked[key], found = check(data, key, f"{where}.{key}", checked)
            problems.extend(found)
        if problems:
            raise RuleError(problems)
        # No problem, so every required key was there: the condition and the reference are set.
        return cls(**checked, note=str(data.get("note", "")))

    def to_dict(self) -> dict:
        """The rule as JSON data (the inverse of :meth:`from_dict`)."""
        data: dict[str, Any] = {
            "item_id": self.item_id,
            "name": self.name,
            "version": self.version,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "reference": self.reference.to_dict(),
            "up_to": self.up_to,
            "condition": self.condition.to_json(),
            "formula": self.formula.to_json() if self.formula is not None else None,
        }
        if self.note:
            data["note"] = self.note
        return data

    def in_force(self, on: date) -> bool:
        """Whether ``on`` falls within the validity dates (both ends included)."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on <= self.valid_until
        )

    def text(self) -> str:
        """The condition in one Chinese sentence."""
        return self.condition.text()

    def evaluate(self, profile: dict | Facts, on: date, *, explain: bool = True) -> Outcome:
        """Eligible, possibly or ineligible on ``on``, with amount, missing facts, reasons and steps.

        ``explain=False`` skips the trace, reasons and steps (for bulk matching; same answer and amount).
        """
        facts = profile if isinstance(profile, Facts) else Facts(profile, on)
        ref = self.reference.to_dict()
        if not self.in_force(on):
            why = ""  # not in force: either not started yet or expired
            if self.valid_from is not None and on < self.valid_from:
                why = f"政策尚未施行：自{_zh_date(self.valid_from)}起施行，评估日为{_zh_date(on)}"
            elif self.valid_until is not None:
                why = f"政策已失效：有效期至{_zh_date(self.valid_until)}，评估日为{_zh_date(on)}"
            return Outcome(
                self.item_id, self.name, self.version, on, "ineligible", None, self.up_to, [], [why], [], ref
            )
        result = conditions.evaluate(self.condition, facts, on, trace=explain)
        eligible = _ELIGIBILITY[result.value]
        reasons = self._reasons(result.trace) if explain else []
        missing = list(result.missing)
        amount, steps, up_to = None, [], self.up_to
        if eligible != "ineligible" and self.formula is not None:
            comp = formulas.compute(self.formula, facts, on, explain=explain)
            amount, steps, up_to = comp.amount, comp.steps, self.up_to or comp.up_to
            extra = [m for m in comp.missing if m not in missing]
            missing += extra
            if explain and extra:
                reasons.append("金额待确认：缺少" + "、".join(f"{fact_label(m)}（{m}）" for m in extra))
        return Outcome(
            self.item_id,
            self.name,
            self.version,
            on,
            eligible,
            amount,
            up_to,
            missing,
            reasons,
            steps,
            ref,
            result.trace,
        )

    def _reasons(self, trace: list[conditions.TraceStep]) -> list[str]:
        by_at = {s.at: s for s in trace}
        picked = [(by_at[at], node) for node, at in _reason_nodes(self.condition, "") if at in by_at]
        picked.sort(key=lambda pair: _STATUS_ORDER[pair[0].status])
        lines = []
        for s, node in picked:
            line = f"{s.status_zh}：{_reason_text(node)}"
            if (
                s.value is True
                and isinstance(node, conditions.Junction)
                and not node.label
                and len(node.items) > 1
            ):
                met = [
                    item.phrase(1)
                    for i, item in enumerate(node.items)
                    if by_at.get(_child(s.at, i), s).value is True
                ]
                line += "（其中满足：" + "；".join(met) + "）"
            if s.missing:
                line += "（缺少：" + "、".join(f"{fact_label(m)}（{m}）" for m in s.missing) + "）"
            elif s.detail and s.kind == "fact":
                line += f"（{s.detail}）"
            clause = (s.source or {}).get("clause")
            if clause and clause != self.reference.clause:
                line += f"〔{clause}〕"
            lines.append(line)
        return lines


# --- checking a rule's JSON data (Rule.from_dict) ---------------------------------------------------
#
# Each check reads one key of the data and returns (the value for the Rule, the problems found), with the
# problems at ``at`` (the key's path, e.g. "$.reference"); ``checked`` holds the values of the keys before.


def _unknown_keys(data: dict, where: str) -> list[Problem]:
    """A problem for each key a rule does not have, with the key meant when it looks like a typo."""
    problems = []
    for key in data:
        if key not in RULE_KEYS:
            zh, en = did_you_mean(key, RULE_KEYS)
            problems.append(
                Problem(f"{where}.{key}", f"规则不认识键“{key}”{zh}", f"unknown rule key {key!r}{en}")
            )
    return problems


def _missing_keys(data: dict, where: str) -> list[Problem]:
    """A problem for each key every rule needs and this one lacks."""
    return [
        Problem(f"{where}.{key}", f"规则缺少“{key}”", f"a rule needs {key!r}")
        for key in ("item_id", "name", "condition", "reference")
        if key not in data
    ]


def _text(data: dict, key: str, at: str, checked: dict[str, Any]) -> tuple[str | None, list[Problem]]:
    """Non-empty text, stripped (None when missing: that is a missing key)."""
    value = data.get(key)
    if key in data and (not isinstance(value, str) or not value.strip()):
        return None, [Problem(at, f"“{key}”应为非空文本", f"{key!r} must be non-empty text")]
    return (value.strip() if isinstance(value, str) else None), []


def _date(data: dict, key: str, at: str, checked: dict[str, Any]) -> tuple[date | None, list[Problem]]:
    """A date, or None when not given."""
    raw = data.get(key)
    day = as_date(raw) if raw is not None else None
    if raw is not None and day is None:
        return None, [
            Problem(at, f"应为日期（如 2026-04-01），实际为 {raw!r}", f"expected a date, got {raw!r}")
        ]
    return day, []


def _end_date(data: dict, key: str, at: str, checked: dict[str, Any]) -> tuple[date | None, list[Problem]]:
    """A date, or None when not given, that is not before ``valid_from``."""
    day, problems = _date(data, key, at, checked)
    start = checked["valid_from"]
    if start and day and day < start:
        problems.append(Problem(at, "失效日期早于施行日期", "valid_until is before valid_from"))
    return day, problems


def _version(data: dict, key: str, at: str, checked: dict[str, Any]) -> tuple[int, list[Problem]]:
    """A positive integer, 1 when not given."""
    version = data.get(key, 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return version, [Problem(at, "version 应为正整数", "version must be a positive integer")]
    return version, []


def _up_to(data: dict, key: str, at: str, checked: dict[str, Any]) -> tuple[bool, list[Problem]]:
    """True or false, false when not given."""
    up_to = data.get(key, False)
    if not isinstance(up_to, bool):
        return up_to, [Problem(at, "up_to 应为 true 或 false", "up_to must be true or false")]
    return up_to, []


def _reference(
    data: dict, key: str, at: str, checked: dict[str, Any]
) -> tuple[Reference | None, list[Problem]]:
    """An object with a document number and known keys (None when missing: that is a missing key)."""
    if key not in data:
        return None, []
    ref = data[key]
    if (
        not isinstance(ref, dict)
        or not isinstance(ref.get("doc_number"), str)
        or not ref["doc_number"].strip()
    ):
        return None, [
            Problem(at, "reference 应为对象且含文号 doc_number", "reference is an object with a doc_number")
        ]
    problems = [*_unknown_reference_keys(ref, at), *_offset_problems(ref, at)]
    given: dict[str, Any] = {
        k: (v if k in REFERENCE_OFFSETS else str(v))
        for k, v in ref.items()
        if k in REFERENCE_KEYS and v is not None
    }
    return Reference(**given), problems


def _unknown_reference_keys(ref: dict, at: str) -> list[Problem]:
    """A problem for each key a reference does not have."""
    problems = []
    for key in ref:
        if key not in REFERENCE_KEYS:
            zh, en = did_you_mean(key, REFERENCE_KEYS)
            problems.append(Problem(f"{at}.{key}", f"不认识的键“{key}”{zh}", f"unknown key {key!r}{en}"))
    return problems


def _offset_problems(ref: dict, at: str) -> list[Problem]:
    """A problem for each quote offset that is given and is not a non-negative integer."""
    return [
        Problem(
            f"{at}.{key}",
            f"“{key}”应为非负整数（引文在正文中的字符位置）",
            f"{key!r} must be a non-negative integer offset",
        )
        for key in REFERENCE_OFFSETS
        if (value := ref.get(key)) is not None
        and (isinstance(value, bool) or not isinstance(value, int) or value < 0)
    ]


def _condition(
    data: dict, key: str, at: str, checked: dict[str, Any]
) -> tuple[conditions.Node | None, list[Problem]]:
    """The compiled condition (None when missing: that is a missing key)."""
    if key not in data:
        return None, []
    condition, found = conditions.compile_checked(data[key])
    return condition, _prefixed(found, at)


def _formula(
    data: dict, key: str, at: str, checked: dict[str, Any]
) -> tuple[formulas.F | None, list[Problem]]:
    """The compiled formula, or None when not given (a rule without one decides eligibility only)."""
    if data.get(key) is None:
        return None, []
    formula, found = formulas.compile_checked(data[key])
    return formula, _prefixed(found, at)


_FieldCheck = Callable[[dict, str, str, dict[str, Any]], tuple[Any, list[Problem]]]
# The checks, in the order their problems are listed; each key is a field of Rule (``note`` is any text).
_FIELD_CHECKS: tuple[tuple[str, _FieldCheck], ...] = (
    ("item_id", _text),
    ("name", _text),
    ("valid_from", _date),
    ("valid_until", _end_date),
    ("version", _version),
    ("up_to", _up_to),
    ("reference", _reference),
    ("condition", _condition),
    ("formula", _formula),
)


def _child(at: str, i: int) -> str:
    return f"{at}.{i}" if at else str(i)


def _prefixed(problems: list[Problem], prefix: str) -> list[Problem]:
    return [
        Problem(prefix + p.where[1:] if p.where.startswith("$") else f"{prefix}.{p.where}", p.zh, p.en)
        for p in problems
    ]


class RuleHistory:
    """The dated versions of one policy item's rule; the version in force on a date applies.

    Versions may not overlap in time, and a new version is added, never edited in place.
    """

    def __init__(self, versions: list[Rule] | None = None):
        self.versions: list[Rule] = []
        for rule in versions or []:
            self.add(rule)

    @classmethod
    def from_list(cls, data: list[dict]) -> RuleHistory:
        """A history from a list of rule dicts (each checked)."""
        problems: list[Problem] = []
        rules = []
        for i, item in enumerate(data):
            try:
                rules.append(Rule.from_dict(item, f"$[{i}]"))
            except MatchError as exc:
                problems.extend(exc.problems)
        if problems:
            raise RuleError(problems)
        return cls(rules)

    @property
    def item_id(self) -> str | None:
        return self.versions[0].item_id if self.versions else None

    def add(self, rule: Rule) -> None:
        """Add a dated version; RuleError when it belongs to another item or overlaps another version."""
        if self.versions and rule.item_id != self.item_id:
            raise RuleError(
                Problem(
                    "$.item_id",
                    f"版本属于另一事项“{rule.item_id}”，而不是“{self.item_id}”",
                    f"{rule.item_id!r} is another item than {self.item_id!r}",
                )
            )
        lo = rule.valid_from or date.min
        hi = rule.valid_until or date.max
        for other in self.versions:
            if other.version == rule.version:
                raise RuleError(
                    Problem(
                        "$.version", f"版本号 {rule.version} 已存在", f"version {rule.version} already exists"
                    )
                )
            if lo <= (other.valid_until or date.max) and (other.valid_from or date.min) <= hi:
                raise RuleError(
                    Problem(
                        "$.valid_from",
                        f"版本 {rule.version} 的有效期与版本 {other.version} 重叠；新版本应从旧版本失效后的日期开始，"
                        "请给旧版本加 valid_until（作为新增的版本记录），不要修改其条件",
                        f"version {rule.version} overlaps version {other.version}: start it after the old one ends",
                    )
                )
        self.versions.append(rule)
        self.versions.sort(key=lambda r: r.valid_from or date.min)

    def in_force(self, on: date) -> Rule | None:
        """The version in force on ``on``, or None."""
        for rule in self.versions:
            if rule.in_force(on):
                return rule
        return None

    def applicable(self, on: date) -> Rule:
        """The version in force, else the latest one that started before ``on``, else the first one."""
        found = self.in_force(on)
        if found is not None:
            return found
        started = [r for r in self.versions if r.valid_from is None or r.valid_from <= on]
        return started[-1] if started else self.versions[0]

    def evaluate(self, profile: dict | Facts, on: date, *, explain: bool = True) -> Outcome:
        """The outcome of the version that applies on ``on`` (ineligible with the reason if none is in force)."""
        if not self.versions:
            raise RuleError(Problem("$", "没有任何版本", "the history has no versions"))
        return self.applicable(on).evaluate(profile, on, explain=explain)


def load_rules(data: Any) -> list[Rule | RuleHistory]:
    """Rules from JSON/YAML data: one rule dict, a list of rule dicts, or ``{"versions": [...]}`` histories."""
    items = data if isinstance(data, list) else [data]
    loaded: list[Rule | RuleHistory] = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and "versions" in item:
            loaded.append(RuleHistory.from_list(item["versions"]))
        else:
            loaded.append(Rule.from_dict(item, f"$[{i}]" if isinstance(data, list) else "$"))
    return loaded


def rules_from_yaml(text: str) -> list[Rule | RuleHistory]:
    """Rules from YAML text (see :func:`load_rules`)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(Problem("$", f"YAML 无法解析：{exc}", f"invalid YAML: {exc}")) from exc
    return load_rules(json_ready(data))


__all__ = ["Eligibility", "Outcome", "Reference", "Rule", "RuleHistory", "load_rules", "rules_from_yaml"]
