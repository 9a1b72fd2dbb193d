"""The condition language: JSON trees, validation, Chinese rendering and three-valued evaluation.

A condition is plain JSON (see LANGUAGE.md)::

    {"all": [C, ...]}   {"any": [C, ...]}   {"not": C}   true
    {"fact": "revenue.last_year", "op": ">=", "value": 200000000, "label": "上一年度营业收入不低于2亿元"}
    {"has": "recognitions", "where": C}
    {"count": "persons", "where": C, "op": ">=", "value": 2}

:func:`compile_condition` checks a tree and turns it into nodes that evaluate fast; :func:`evaluate`
answers True, False or None (unknown) with the facts whose absence made it unknown and a trace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from zhengcetong import jsonsafe
from zhengcetong.errors import InputError
from zhengcetong.match.errors import ConditionError, FactError, Problem, did_you_mean
from zhengcetong.match.profile import (
    FACTS,
    MISSING,
    CountRange,
    FactPath,
    Facts,
    FactSpec,
    as_date,
    check_path,
    describe,
    fact_label,
    locations,
    parse_path,
    resolve,
)
from zhengcetong.match.text import json_ready, to_decimal, union, year_word

OPS = ("==", "!=", ">", ">=", "<", "<=", "in", "not_in", "contains", "contains_any", "exists")
ORDER_OPS = (">", ">=", "<", "<=")
LIST_VALUE_OPS = ("in", "not_in", "contains_any")
OP_TYPOS = {
    "=": "==",
    "≥": ">=",
    "≤": "<=",
    "=>": ">=",
    "=<": "<=",
    "<>": "!=",
    "≠": "!=",
    "not in": "not_in",
    "notin": "not_in",
    "has": "contains",
    "includes": "contains",
}
COMMON_KEYS = ("label", "source", "note")
NODE_KEYS = {
    "all": ("all",),
    "any": ("any",),
    "not": ("not",),
    "fact": ("fact", "op", "value", "year_offset", "question"),
    "has": ("has", "where"),
    "count": ("count", "where", "op", "value"),
}
OP_WORDS = {"==": "为", "!=": "不为", ">": "高于", ">=": "不低于", "<": "低于", "<=": "不超过"}
TIME_WORDS = {"==": "为", "!=": "不为", ">": "晚于", ">=": "不早于", "<": "早于", "<=": "不晚于"}
COUNT_WORDS = {"==": "为", "!=": "不为", ">": "多于", ">=": "不少于", "<": "少于", "<=": "不超过"}
NEGATED = {"==": "!=", "!=": "==", ">": "<=", ">=": "<", "<": ">=", "<=": ">", "in": "not_in", "not_in": "in"}

Value = bool | None


# --- results ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class TraceStep:
    """One condition of the tree as evaluated: met (True), not met (False) or unknown (None).

    ``at`` is the position in the tree ("" for the root, "1.0" for the first part of the second part),
    ``text`` the label or the generated Chinese wording, ``detail`` what the profile said
    (“实际为2.3亿元”, “缺少：2025年度营业收入”), ``source`` the clause it cites.
    """

    at: str
    depth: int
    kind: str
    text: str
    value: Value
    detail: str = ""
    missing: list[str] = field(default_factory=list)
    source: dict | None = None

    @property
    def status(self) -> str:
        """ "met", "not_met" or "unknown"."""
        return "met" if self.value is True else "not_met" if self.value is False else "unknown"

    @property
    def status_zh(self) -> str:
        """满足 / 不满足 / 待确认."""
        return {"met": "满足", "not_met": "不满足", "unknown": "待确认"}[self.status]

    def to_dict(self) -> dict:
        """A JSON-ready copy."""
        return {
            "at": self.at,
            "depth": self.depth,
            "kind": self.kind,
            "text": self.text,
            "value": self.value,
            "status": self.status,
            "detail": self.detail,
            "missing": list(self.missing),
            "source": self.source,
        }


@dataclass(slots=True)
class Result:
    """The answer of a condition: ``value`` True, False or None (unknown), ``missing`` the facts whose
    absence makes it unknown (empty unless ``value`` is None), and the ``trace`` explaining it."""

    value: Value
    missing: list[str]
    trace: list[TraceStep]

    @property
    def status(self) -> str:
        return "met" if self.value is True else "not_met" if self.value is False else "unknown"


# --- evaluation scopes -----------------------------------------------------------------------------


class _Scope:
    """Where fact paths are read: the profile (through the shared cache) or one list element."""

    __slots__ = ("facts", "element", "at")

    def __init__(self, facts: Facts, element: dict | None = None, at: str = ""):
        self.facts = facts
        self.element = element
        self.at = at

    @property
    def on(self) -> date:
        return self.facts.on

    def get(self, path: FactPath) -> tuple[Any, tuple[str, ...]]:
        if self.element is None:
            return self.facts.get(path)
        return resolve(path, self.element, self.facts.on, self.at)


# --- nodes -----------------------------------------------------------------------------------------


class Node:
    """A compiled condition. ``data`` is the JSON it came from; ``title`` the text shown in a trace."""

    __slots__ = ("data", "label", "source", "kind", "memo")
    data: Any
    label: str | None
    source: dict | None  # the clause the condition cites
    kind: str
    memo: dict[int, str]  # phrase() by nesting level

    @property
    def title(self) -> str:
        """The text shown for this node in a trace: its label, else the generated wording."""
        return self.label or self.phrase(0)

    def phrase(self, nested: int = 0) -> str:
        """:meth:`text`, computed once per node and nesting level (explanations reuse it)."""
        try:
            memo = self.memo
        except AttributeError:
            memo = self.memo = {}
        if nested not in memo:
            memo[nested] = self.text(nested)
        return memo[nested]

    def ev(self, scope: _Scope, trace: list | None, depth: int, at: str) -> tuple[Value, list[str]]:
        raise NotImplementedError

    def text(self, nested: int = 0) -> str:
        """The condition in Chinese: ``nested`` 0 standalone, 1 an item of a list, 2 inside parentheses."""
        raise NotImplementedError

    def refs(self, on: date | None, prefix: str) -> set[str]:
        raise NotImplementedError

    def to_json(self) -> Any:
        """The condition as JSON data (what was compiled)."""
        return self.data

    def _step(self, trace, at, depth, value, missing, detail="") -> None:
        trace.append(TraceStep(at, depth, self.kind, self.title, value, detail, missing, self.source))


class Const(Node):
    __slots__ = ("value",)

    def __init__(self, data, value: bool):
        self.data, self.value, self.kind = data, value, "const"
        self.label, self.source = None, None

    def ev(self, scope, trace, depth, at):
        if trace is not None:
            self._step(trace, at, depth, self.value, [])
        return self.value, []

    def text(self, nested=False):
        return "无条件" if self.value else "不适用"

    def refs(self, on, prefix):
        return set()


class Junction(Node):
    """``all`` (Kleene and) or ``any`` (Kleene or)."""

    __slots__ = ("items", "is_all")

    def __init__(self, data, kind, items, label, source):
        self.data, self.kind, self.items, self.label, self.source = data, kind, items, label, source
        self.is_all = kind == "all"

    @property
    def title(self) -> str:
        return self.label or ("同时满足以下全部条件" if self.is_all else "满足以下条件之一")

    def ev(self, scope, trace, depth, at):
        decisive = not self.is_all  # any: True decides; all: False decides
        if trace is None:
            unknown: list[list[str]] = []
            for item in self.items:
                v, m = item.ev(scope, None, depth + 1, at)
                if v is decisive:
                    return decisive, []
                if v is None:
                    unknown.append(m)
            return (None, union(unknown)) if unknown else (not decisive, [])
        slot = len(trace)
        trace.append(None)
        results = [
            item.ev(scope, trace, depth + 1, f"{at}.{i}" if at else str(i))
            for i, item in enumerate(self.items)
        ]
        if any(v is decisive for v, _ in results):
            value, missing = decisive, []
        elif any(v is None for v, _ in results):
            value, missing = None, union([m for v, m in results if v is None])
        else:
            value, missing = not decisive, []
        met = sum(1 for v, _ in results if v is True)
        detail = f"{len(results)} 项中满足 {met} 项"
        trace[slot] = TraceStep(at, depth, self.kind, self.title, value, detail, missing, self.source)
        return value, missing

    def text(self, nested=False):
        if self.label:
            return self.label
        if not self.items:
            return "无条件" if self.is_all else "不适用"
        if len(self.items) == 1:
            return self.items[0].text(nested)
        parts = [item.text(2 if nested else 1) for item in self.items]
        if nested:
            return "（" + ("，且" if self.is_all else "，或").join(parts) + "）"
        return ("同时满足：" if self.is_all else "满足其一：") + "；".join(parts)

    def refs(self, on, prefix):
        return set().union(*(item.refs(on, prefix) for item in self.items)) if self.items else set()


class Not(Node):
    __slots__ = ("item",)

    def __init__(self, data, item, label, source):
        self.data, self.kind, self.item, self.label, self.source = data, "not", item, label, source

    def ev(self, scope, trace, depth, at):
        if trace is None:
            v, m = self.item.ev(scope, None, depth + 1, at)
            return (None if v is None else not v), m
        slot = len(trace)
        trace.append(None)
        v, m = self.item.ev(scope, trace, depth + 1, f"{at}.0" if at else "0")
        value = None if v is None else not v
        trace[slot] = TraceStep(at, depth, self.kind, self.title, value, "", m, self.source)
        return value, m

    def text(self, nested=False):
        if self.label:
            return self.label
        if isinstance(self.item, Leaf) and not self.item.label:
            return self.item.text(nested, negate=True)
        inner = self.item.text(2)
        return f"并非{inner}" if nested else f"不属于以下情形：{inner}"

    def refs(self, on, prefix):
        return self.item.refs(on, prefix)


def _norm_for(spec: FactSpec):
    """How profile values of this spec are normalised before comparing."""
    if spec.numeric or spec.unit in ("yuan", "ratio"):
        return "number"
    if spec.type == "date":
        return "date"
    return "any" if spec.type == "any" else "raw"


def _norm(value, how: str, at: str):
    if how == "number":
        d = to_decimal(value)
        if d is None:
            raise FactError(Problem(at, f"应为数值，实际为 {value!r}", f"expected a number, got {value!r}"))
        return d
    if how == "date":
        day = as_date(value)
        if day is None:
            raise FactError(Problem(at, f"应为日期，实际为 {value!r}", f"expected a date, got {value!r}"))
        return day
    if how == "any":
        d = to_decimal(value)
        return d if d is not None else value
    return value


def _compare(op: str, actual, target) -> bool:
    if op == "==":
        return actual == target
    if op == "!=":
        return actual != target
    if op == "in":
        return actual in target
    if op == "not_in":
        return actual not in target
    if op == "contains":  # an element of a list, or a part of a text
        return isinstance(actual, list | tuple | str) and target in actual
    if op == "contains_any":
        return isinstance(actual, list | tuple | str) and any(t in actual for t in target)
    try:
        if op == ">":
            return actual > target
        if op == ">=":
            return actual >= target
        if op == "<":
            return actual < target
        return actual <= target
    except TypeError as exc:
        raise FactError(
            Problem("$", f"无法比较 {actual!r} 与 {target!r}", f"cannot compare {actual!r} with {target!r}")
        ) from exc


def _range_holds(op: str, lo: int, hi: int, target) -> Value:
    """Whether ``count op target`` holds for every count in lo..hi (True), none (False), or some (None)."""
    if op in ORDER_OPS:  # monotone: the two ends decide
        ends = {_compare(op, Decimal(lo), target), _compare(op, Decimal(hi), target)}
    else:
        ends = {_compare(op, Decimal(k), target) for k in range(lo, hi + 1)}
    return ends.pop() if len(ends) == 1 else None


class FactRef:
    """A value that is another fact (``{"fact": "city_avg_revenue_growth.last_year"}``)."""

    __slots__ = ("path", "spec")

    def __init__(self, path: FactPath, spec: FactSpec):
        self.path, self.spec = path, spec


class YearRef:
    """A value that is a year relative to the evaluation date (``{"year_offset": -1}``)."""

    __slots__ = ("offset",)

    def __init__(self, offset: int):
        self.offset = offset


class Leaf(Node):
    """``{"fact": path, "op": op, "value": v}``."""

    __slots__ = ("path", "op", "value", "spec", "how", "subject")

    def __init__(self, data, path, op, value, spec, label, source):
        self.data, self.kind, self.label, self.source = data, "fact", label, source
        self.path, self.op, self.value, self.spec = path, op, value, spec
        self.how = _norm_for(spec)
        self.subject = spec.label or path.text

    def _target(self, scope: _Scope):
        v = self.value
        if isinstance(v, FactRef):
            got, miss = scope.get(v.path)
            if miss:
                return MISSING, miss
            return _norm(got, _norm_for(v.spec), v.path.text), ()
        if isinstance(v, YearRef):
            return Decimal(scope.on.year + v.offset), ()
        return v, ()

    def ev(self, scope, trace, depth, at):
        actual, miss = scope.get(self.path)
        if self.op == "exists":
            value = (actual is not MISSING) is self.value
            if trace is not None:
                self._step(trace, at, depth, value, [], "已提供" if actual is not MISSING else "未提供")
            return value, []
        target, tmiss = self._target(scope)
        if isinstance(actual, CountRange) and not tmiss:
            value = _range_holds(self.op, actual.lo, actual.hi, target)
            missing = list(miss) if value is None else []
            if trace is not None:
                word = "人" if self.spec.unit == "person" else "项"
                detail = f"确定符合的有 {actual.lo} {word}，另有 {actual.hi - actual.lo} {word}待确认"
                self._step(trace, at, depth, value, missing, detail)
            return value, missing
        if miss or tmiss:
            missing = list(dict.fromkeys((*miss, *tmiss)))
            if trace is not None:
                self._step(
                    trace, at, depth, None, missing, "缺少：" + "、".join(fact_label(m) for m in missing)
                )
            return None, missing
        if isinstance(actual, list) and self.op in ("contains", "contains_any"):
            got = actual if self.how == "raw" else [_norm(a, self.how, self.path.text) for a in actual]
        else:
            got = _norm(actual, self.how, self.path.text)
        value = _compare(self.op, got, target)
        if trace is not None:
            self._step(trace, at, depth, value, [], f"实际为{describe(actual, self.spec)}")
        return value, []

    def text(self, nested=False, negate=False):
        if self.label and not negate:
            return self.label
        op = self.op
        spec = self.spec
        value = self.value
        if op == "exists":
            present = bool(value) is not negate
            return f"已提供{self.subject}" if present else f"未提供{self.subject}"
        if spec.type == "bool" and op in ("==", "!=") and isinstance(value, bool):
            truth = (value if op == "==" else not value) is not negate
            word = spec.yes if truth else spec.no
            return word or f"{self.subject}为{'是' if truth else '否'}"
        shown = self._shown(value)
        if negate:
            if spec.type == "str" and op in ("contains", "contains_any"):
                return f"{self.subject}不含有" + "或".join(
                    f"“{v}”" for v in (value if isinstance(value, tuple) else [value])
                )
            if op == "contains":
                return f"{self.subject}不包含{shown}"
            if op == "contains_any":
                return f"{self.subject}不包含{shown}中的任何一项"
            op = NEGATED[op]
        if op in OP_WORDS:
            timely = spec.type == "date" or spec.unit == "year"
            return f"{self.subject}{(TIME_WORDS if timely else OP_WORDS)[op]}{shown}"
        if op == "in":
            return f"{self.subject}为{shown}"
        if op == "not_in":
            return f"{self.subject}不属于{shown}"
        if self.spec.type == "str" and op in ("contains", "contains_any"):  # a part of a text
            quoted = "或".join(f"“{v}”" for v in (value if isinstance(value, tuple) else [value]))
            return f"{self.subject}含有{quoted}"
        if op == "contains":
            return f"{self.subject}包含{shown}"
        return f"{self.subject}包含{shown}中的任一项"

    def _shown(self, value) -> str:
        if isinstance(value, FactRef):
            return value.spec.label or value.path.text
        if isinstance(value, YearRef):
            return year_word(value.offset)
        if isinstance(value, list | tuple):
            words = [self._shown(v) for v in value]
            if self.op == "in" and len(words) > 1:
                return "、".join(words[:-1]) + "或" + words[-1]
            return "、".join(words)
        return describe(value, self.spec)

    def refs(self, on, prefix):
        found = locations(self.path, on, prefix)
        if isinstance(self.value, FactRef):
            found |= locations(self.value.path, on, prefix)
        return found


class Quantified(Node):
    """``{"has": list, "where": C}`` (some element satisfies C) and
    ``{"count": list, "where": C, "op": op, "value": n}`` (how many elements satisfy C)."""

    __slots__ = ("path", "where", "op", "n", "spec")

    def __init__(self, data, kind, path, where, op, n, spec, label, source):
        self.data, self.kind, self.path, self.where, self.op, self.n = data, kind, path, where, op, n
        self.spec, self.label, self.source = spec, label, source

    def ev(self, scope, trace, depth, at):
        elements, miss = scope.get(self.path)
        if miss:
            if trace is not None:
                self._step(
                    trace, at, depth, None, list(miss), "缺少：" + "、".join(fact_label(m) for m in miss)
                )
            return None, list(miss)
        if not isinstance(elements, list):
            raise FactError(Problem(self.path.text, "应为列表", f"{self.path.text} should be a list"))
        base = f"{scope.at}.{self.path.text}" if scope.at else self.path.text
        met: list[int] = []
        unknown: list[list[str]] = []
        for i, el in enumerate(elements):
            if self.where is None:
                met.append(i)
                continue
            v, m = self.where.ev(_Scope(scope.facts, el, f"{base}[{i}]"), None, depth + 1, at)
            if v is True:
                met.append(i)
                if self.kind == "has":
                    break
            elif v is None:
                unknown.append(m)
        if self.kind == "has":
            lo_ok, hi_ok = bool(met), bool(met) or bool(unknown)
            value = True if lo_ok else None if hi_ok else False
        else:
            value = _range_holds(self.op, len(met), len(met) + len(unknown), self.n)
        missing = union(unknown) if value is None else []
        if trace is not None:
            where = "、".join(f"第{i + 1}{self.spec.item}" for i in met[:5])
            detail = f"共 {len(elements)} {self.spec.item}" + (f"，{where}符合" if met else "，无符合项")
            if unknown:
                detail += f"，{len(unknown)} {self.spec.item}待确认"
            self._step(trace, at, depth, value, missing, detail)
        return value, missing

    def text(self, nested=False):
        if self.label:
            return self.label
        item = self.spec.item
        noun = self.spec.label
        inner = self.where.text(2) if self.where is not None else ""
        inline = nested is not False and nested >= 2  # inside parentheses: no colon
        if (
            (not inline or self.kind == "count")
            and isinstance(self.where, Junction)
            and inner.startswith("（")
        ):
            inner = inner[1:-1]
        if self.kind == "has":
            if self.where is None:
                return f"至少有一{item}{noun}"
            return f"{noun}中至少有一{item}{_paren(inner)}" if inline else f"{noun}中至少有一{item}：{inner}"
        amount = f"{COUNT_WORDS[self.op]}{self.n.normalize():f}{item}"
        if self.where is None:
            return f"{noun}数量{amount}"
        return f"{inner}的{noun}{amount}"

    def refs(self, on, prefix):
        here = f"{prefix}.{self.path.text}" if prefix else self.path.text
        found = {here}
        if self.where is not None:
            found |= self.where.refs(on, f"{here}[]")
        return found


def _paren(text: str) -> str:
    return text if text.startswith("（") else f"（{text}）"


# --- compiling (validation) ------------------------------------------------------------------------


class _Compiler:
    def __init__(self):
        self.problems: list[Problem] = []

    def fail(self, where: str, zh: str, en: str) -> Node:
        self.problems.append(Problem(where, zh, en))
        return Const(True, True)

    def node(self, data, where: str, scope: dict[str, FactSpec], source: dict | None) -> Node:
        if isinstance(data, bool):
            return Const(data, data)
        if not isinstance(data, dict):
            return self.fail(
                where,
                f"条件应为 JSON 对象或 true/false，实际为 {type(data).__name__}",
                f"a condition is a JSON object or true/false, not {type(data).__name__}",
            )
        kinds = [k for k in NODE_KEYS if k in data]
        if len(kinds) != 1:
            keys = ", ".join(NODE_KEYS)
            if not kinds:
                unknown = [k for k in data if k not in COMMON_KEYS]
                zh, en = did_you_mean(unknown[0], NODE_KEYS) if unknown else ("", "")
                return self.fail(
                    where,
                    f"条件应含以下键之一：{keys}{zh}",
                    f"a condition needs exactly one of {keys}{en}",
                )
            return self.fail(where, f"条件只能含 {kinds} 中的一个", f"a condition has only one of {kinds}")
        kind = kinds[0]
        allowed = NODE_KEYS[kind] + COMMON_KEYS
        for key in data:
            if key not in allowed:
                zh, en = did_you_mean(key, allowed)
                self.fail(
                    f"{where}.{key}",
                    f"“{kind}”条件不认识键“{key}”{zh}",
                    f"unknown key {key!r} in a {kind!r} condition{en}",
                )
        label = data.get("label")
        if label is not None and not isinstance(label, str):
            self.fail(f"{where}.label", "label 应为文本", "label must be text")
            label = None
        own = data.get("source")
        if own is not None and not isinstance(own, dict):
            self.fail(
                f"{where}.source", 'source 应为对象，如 {"clause": "一、（二）"}', "source must be an object"
            )
            own = None
        src = own or source
        if kind in ("all", "any"):
            items = data[kind]
            if not isinstance(items, list):
                return self.fail(
                    f"{where}.{kind}", f"“{kind}”的值应为条件列表", f"{kind!r} takes a list of conditions"
                )
            nodes = [self.node(c, f"{where}.{kind}[{i}]", scope, src) for i, c in enumerate(items)]
            return Junction(data, kind, nodes, label, src)
        if kind == "not":
            return Not(data, self.node(data["not"], f"{where}.not", scope, src), label, src)
        if kind == "fact":
            return self.leaf(data, where, scope, label, src)
        return self.quantified(data, kind, where, scope, label, src)

    def _op(self, data, where) -> str | None:
        op = data.get("op")
        if op in OPS:
            return op
        if op is None:
            self.fail(f"{where}.op", "缺少比较符 op", "missing op")
            return None
        hint = OP_TYPOS.get(str(op).strip())
        zh, en = (f"，是否应为 “{hint}”？", f" — did you mean {hint!r}?") if hint else did_you_mean(op, OPS)
        self.fail(
            f"{where}.op", f"未知的比较符“{op}”{zh}（可用：{' '.join(OPS)}）", f"unknown operator {op!r}{en}"
        )
        return None

    def _path(self, text, where, scope) -> tuple[FactPath, FactSpec] | None:
        try:
            path = parse_path(text)
            return path, check_path(path, scope, where)
        except FactError as exc:
            self.problems.extend(
                Problem(where if p.where in ("$", text) else p.where, p.zh, p.en) for p in exc.problems
            )
            return None

    def _literal(self, value, spec: FactSpec, where: str):
        """A rule value converted like profile values of ``spec`` (numbers to Decimal, dates to date)."""
        how = _norm_for(spec)
        if isinstance(value, dict):
            self.fail(
                where,
                "值应为文本、数值、true/false 或列表",
                "a value is text, a number, true/false or a list",
            )
            return value
        if how == "number":
            d = to_decimal(value)
            if d is None:
                self.fail(
                    where,
                    f"{spec.label}应与数值比较，而不是 {value!r}",
                    f"{spec.label} compares with numbers, not {value!r}",
                )
            return d
        if how == "date":
            day = as_date(value)
            if day is None:
                self.fail(
                    where,
                    f"应为日期（如 2024-01-01），而不是 {value!r}",
                    f"expected a date such as 2024-01-01, not {value!r}",
                )
            return day
        if how == "any":
            d = to_decimal(value)
            return d if d is not None else value
        if spec.type == "bool" and not isinstance(value, bool):
            self.fail(
                where,
                f"{spec.label}应与 true/false 比较，而不是 {value!r}",
                f"{spec.label} compares with true/false, not {value!r}",
            )
        if spec.enum is not None:
            if value not in spec.enum:
                codes = {v: k for k, v in spec.enum.items()}
                if value in codes:
                    zh, en = f"，是否应为 “{codes[value]}”（{value}）？", f" — did you mean {codes[value]!r}?"
                else:
                    zh, en = did_you_mean(value, spec.enum)
                allowed = "、".join(f"{k}（{v}）" for k, v in spec.enum.items())
                self.fail(
                    where,
                    f"{spec.label}只能取 {allowed}，不能取“{value}”{zh}",
                    f"{value!r} is not one of {', '.join(spec.enum)}{en}",
                )
        elif spec.type in ("str", "str_list") and not isinstance(value, str):
            self.fail(
                where,
                f"{spec.label}应与文本比较，而不是 {value!r}",
                f"{spec.label} compares with text, not {value!r}",
            )
        return value

    def leaf(self, data, where, scope, label, src) -> Node:
        if "question" in data and not (isinstance(data["question"], str) and data["question"].strip()):
            self.fail(
                f"{where}.question", "question 应为非空文本（向申请人提的问题）", "question must be text"
            )
        found = self._path(data["fact"], f"{where}.fact", scope)
        op = self._op(data, where)
        if found is None or op is None:
            return Const(True, True)
        path, spec = found
        offset = data.get("year_offset")
        if offset is not None:
            if isinstance(offset, bool) or not isinstance(offset, int):
                return self.fail(
                    f"{where}.year_offset",
                    "year_offset 应为整数，如 -1",
                    "year_offset is an integer such as -1",
                )
            if spec.type != "by_year":
                return self.fail(
                    f"{where}.year_offset",
                    f"只有按年度取值的事实（如 revenue）才能用 year_offset，“{path.text}”不是",
                    f"year_offset applies to by-year facts such as revenue, not {path.text!r}",
                )
            path = path.with_year(offset)
            spec = check_path(path, scope, where)
        raw = data.get("value")
        vwhere = f"{where}.value"
        if op == "exists":
            if "value" in data and not isinstance(raw, bool):
                return self.fail(vwhere, "exists 的值应为 true 或 false", "exists takes true or false")
            return Leaf(data, path, op, True if raw is None else raw, spec, label, src)
        if "value" not in data:
            return self.fail(vwhere, f"比较符“{op}”需要 value", f"operator {op!r} needs a value")
        if spec.type in ("records", "by_year", "record"):
            zh = {
                "records": "是列表，请用 has 或 count 条件，或在路径后加 .count",
                "by_year": f"是按年度的数值，请写 {path.text}.2025 或 {path.text}.last_year",
                "record": f"是对象，请写其字段，如 {path.text}.investment",
            }[spec.type]
            en = {
                "records": "a list: use has/count or .count",
                "by_year": "by year: add .2025 or .last_year",
                "record": "an object: name one of its fields",
            }[spec.type]
            return self.fail(f"{where}.fact", f"“{path.text}”{zh}", f"{path.text!r} is {en}")
        is_list_fact = spec.type == "str_list"
        if is_list_fact and op not in ("contains", "contains_any"):
            return self.fail(
                f"{where}.op",
                f"“{path.text}”是列表，应使用 contains（包含）或 contains_any（包含其一）",
                f"{path.text!r} is a list: use contains or contains_any",
            )
        if op in ("contains", "contains_any") and not is_list_fact and spec.type not in ("any", "str"):
            return self.fail(
                f"{where}.op",
                f"contains 只用于列表或文本事实（如 industries、name），“{path.text}”不是；单个值请用 == 或 in",
                f"contains needs a list or text fact such as industries or name; use == or in for {path.text!r}",
            )
        if op in ORDER_OPS and _norm_for(spec) not in ("number", "date", "any"):
            return self.fail(
                f"{where}.op",
                f"“{path.text}”（{spec.label}）不是数值或日期，不能用“{op}”",
                f"{path.text!r} is neither a number nor a date: {op!r} does not apply",
            )
        if isinstance(raw, dict):
            if set(raw) == {"year_offset"} and isinstance(raw["year_offset"], int):
                return Leaf(data, path, op, YearRef(raw["year_offset"]), spec, label, src)
            if "fact" in raw and set(raw) <= {"fact", "year_offset"}:
                ref = self._path(raw["fact"], f"{vwhere}.fact", scope)
                if ref is None:
                    return Const(True, True)
                rpath, rspec = ref
                if isinstance(raw.get("year_offset"), int):
                    rpath = rpath.with_year(raw["year_offset"])
                    rspec = check_path(rpath, scope, vwhere)
                return Leaf(data, path, op, FactRef(rpath, rspec), spec, label, src)
            return self.fail(
                vwhere,
                '对象形式的值只能是 {"fact": 路径} 或 {"year_offset": 整数}',
                'an object value is {"fact": path} or {"year_offset": n}',
            )
        if op in LIST_VALUE_OPS:
            if not isinstance(raw, list) or not raw:
                return self.fail(
                    vwhere, f"比较符“{op}”的值应为非空列表", f"operator {op!r} takes a non-empty list"
                )
            value = tuple(self._literal(v, spec, f"{vwhere}[{i}]") for i, v in enumerate(raw))
            return Leaf(data, path, op, value, spec, label, src)
        if isinstance(raw, list):
            return self.fail(
                vwhere,
                f"比较符“{op}”的值不能是列表；多个取值请用 in",
                f"operator {op!r} takes one value; use in for a list",
            )
        return Leaf(data, path, op, self._literal(raw, spec, vwhere), spec, label, src)

    def quantified(self, data, kind, where, scope, label, src) -> Node:
        found = self._path(data[kind], f"{where}.{kind}", scope)
        if found is None:
            return Const(True, True)
        path, spec = found
        if spec.type != "records" or len(path.segs) != 1:
            return self.fail(
                f"{where}.{kind}",
                f"“{kind}”后应为对象列表事实（如 recognitions、persons），筛选条件写在 where 中，而不是“{path.text}”",
                f"{kind!r} takes a list fact such as recognitions, with filters in where, not {path.text!r}",
            )
        where_node = None
        if "where" in data:
            where_node = self.node(data["where"], f"{where}.where", spec.field_specs, src)
        if kind == "has":
            return Quantified(data, kind, path, where_node, None, None, spec, label, src)
        op = self._op(data, where)
        if op is None:
            return Const(True, True)
        n = data.get("value")
        if op not in OP_WORDS or isinstance(n, bool) or not isinstance(n, int) or n < 0:
            return self.fail(
                f"{where}.value",
                "count 条件应写作 op（== != > >= < <=）加非负整数 value",
                "a count condition takes op (== != > >= < <=) and a non-negative integer value",
            )
        return Quantified(data, kind, path, where_node, op, Decimal(n), spec, label, src)


def compile_checked(data: Any, scope: dict[str, FactSpec] | None = None) -> tuple[Node, list[Problem]]:
    """The compiled condition and its problems, in one pass (the node is unusable when there are problems)."""
    c = _Compiler()
    node = c.node(data, "$", scope or FACTS, None)
    return node, c.problems


def check_condition(data: Any) -> list[Problem]:
    """Every problem of a condition tree (empty when it is valid)."""
    return compile_checked(data)[1]


def compile_condition(data: Any, *, scope: dict[str, FactSpec] | None = None) -> Node:
    """A checked, compiled condition; ConditionError listing every problem otherwise.

    Examples:
        >>> compile_condition({"fact": "revenue.last_year", "op": ">=", "value": 200000000}).text()
        '上一年度营业收入不低于2亿元'
    """
    if isinstance(data, Node):
        return data
    node, problems = compile_checked(data, scope)
    if problems:
        raise ConditionError(problems)
    return node


def from_json(text: str) -> Node:
    """A compiled condition from JSON text (read within :mod:`zhengcetong.jsonsafe`'s limits)."""
    try:
        data = jsonsafe.loads(text, source="条件")
    except json.JSONDecodeError as exc:
        raise ConditionError(
            Problem(f"line {exc.lineno}", f"JSON 无法解析：{exc.msg}", f"invalid JSON: {exc.msg}")
        ) from exc
    except InputError as exc:
        raise ConditionError(Problem("$", exc.detail, "JSON beyond the reader's limits")) from exc
    return compile_condition(data)


def from_yaml(text: str) -> Node:
    """A compiled condition from YAML text (dates in values may be written unquoted)."""
    try:
        data = jsonsafe.load_yaml(text, source="条件")
    except yaml.YAMLError as exc:
        raise ConditionError(Problem("$", f"YAML 无法解析：{exc}", f"invalid YAML: {exc}")) from exc
    except InputError as exc:
        raise ConditionError(Problem("$", exc.detail, "YAML beyond the reader's limits")) from exc
    return compile_condition(json_ready(data))


def to_text(condition) -> str:
    """The condition as one Simplified-Chinese sentence for staff.

    Examples:
        >>> to_text({"all": [
        ...     {"fact": "revenue.last_year", "op": ">=", "value": 200000000},
        ...     {"any": [{"fact": "region", "op": "==", "value": "青禾高新区"},
        ...              {"fact": "industries", "op": "contains", "value": "软件业"}]}]})
        '同时满足：上一年度营业收入不低于2亿元；（所在县（市、区）为青禾高新区，或所属行业包含软件业）'
    """
    return compile_condition(condition).text()


def evaluate(condition, profile: dict | Facts, on: date, *, trace: bool = True) -> Result:
    """Evaluate a condition against a profile on a date, in three-valued (Kleene) logic.

    ``condition`` is JSON data or a compiled node; ``profile`` a dict or a shared :class:`Facts`.
    With ``trace=False`` the evaluation stops early and returns no trace (for bulk matching);
    the value and the missing facts are the same.

    Examples:
        >>> c = {"all": [{"fact": "revenue.last_year", "op": ">=", "value": 100000000},
        ...              {"fact": "region", "op": "==", "value": "青禾高新区"}]}
        >>> r = evaluate(c, {"region": "青禾高新区"}, date(2026, 5, 1))
        >>> r.value, r.missing
        (None, ['revenue.2025'])
        >>> evaluate(c, {"region": "东湖区"}, date(2026, 5, 1)).value
        False
    """
    node = compile_condition(condition)
    facts = profile if isinstance(profile, Facts) else Facts(profile, on)
    steps: list[TraceStep] | None = [] if trace else None
    value, missing = node.ev(_Scope(facts), steps, 0, "")
    return Result(value, list(missing), steps or [])


def referenced_facts(condition, on: date | None = None) -> set[str]:
    """The generic locations a condition reads (list indices as ``[]``; relative years resolved on ``on``).

    Every entry of ``evaluate(...).missing``, with indices dropped (:func:`profile.generic`), is in here.

    Examples:
        >>> sorted(referenced_facts({"has": "persons", "where": {"fact": "age", "op": "<=", "value": 35}}))
        ['persons', 'persons[].age', 'persons[].birth_date']
    """
    return compile_condition(condition).refs(on, "")


__all__ = [
    "OPS",
    "compile_checked",
    "Node",
    "Result",
    "TraceStep",
    "check_condition",
    "compile_condition",
    "evaluate",
    "from_json",
    "from_yaml",
    "referenced_facts",
    "to_text",
]
