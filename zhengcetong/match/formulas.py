"""The benefit formula language: JSON trees computed with Decimal into an amount in yuan, step by step.

A formula is plain JSON (see LANGUAGE.md)::

    300000                                         a constant (yuan unless the context says otherwise)
    {"fact": "projects[kind=技术改造].equipment_cost", "label": "设备购置金额"}
    {"op": "*", "args": [F, F]}                     also + - / min max
    {"round": F, "to": "yuan"}                      also "fen", "wan"; "mode": "half_up" | "down" | "up"
    {"rate": F, "base": F, "cap": F}                min(rate × base, cap)
    {"per_month": F, "months": F, "max_months": F}  also per_person/persons/max_persons, per_year/years/
                                                    max_years, per/times/max_times (times a quantity)
    {"cases": [{"when": C, "then": F}, ...], "else": F}
    {"grade": "mu_chan_grade", "table": {"A": 0.1, "B": 0.1, "C": 0.08, "D": 0.07}}
    {"sum": "persons", "where": C, "of": F}         F is computed for each element satisfying C
    {"count": "persons", "where": C}                how many elements satisfy C (全职博士的人数)
    {"up_to": F}                                    F is a ceiling (“最高”)
    {"*": [F, F]}, {"min": [F, F]}                  short for {"op": "*", "args": [...]}

:func:`compute` returns the amount (or None when facts are missing, with their names) and the steps
in Chinese (“设备（含软件）购置金额 3,000,000 元 × 10% = 300,000 元”).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

import yaml

from zhengcetong import jsonsafe
from zhengcetong.errors import InputError
from zhengcetong.match import conditions as cond
from zhengcetong.match.errors import FactError, FormulaError, Problem, did_you_mean
from zhengcetong.match.profile import FACTS, FactPath, Facts, FactSpec, check_path, locations, parse_path
from zhengcetong.match.text import grouped, json_ready, quantity, to_decimal, union

ZERO = Decimal(0)
FEN = Decimal("0.01")
SYMBOLS = {"+": "+", "-": "−", "*": "×", "/": "÷"}
ROUNDING = {
    "half_up": (ROUND_HALF_UP, "四舍五入"),
    "down": (ROUND_DOWN, "舍去尾数"),
    "up": (ROUND_UP, "进位"),
}
ROUND_TO = {"fen": (Decimal("0.01"), "分"), "yuan": (Decimal(1), "元"), "wan": (Decimal(10000), "万元")}
PER_FORMS = {
    "per": ("times", "max_times", None),
    "per_month": ("months", "max_months", "month"),
    "per_person": ("persons", "max_persons", "person"),
    "per_year": ("years", "max_years", "years"),
}
PER_WORDS = {  # how a per-form reads, by the unit of what it multiplies by
    "month": "每月",
    "person": "每人",
    "years": "每年",
    "m2": "每平方米",
    "m3": "每立方米",
    "household": "每户",
    "tonne": "每吨",
    "kwh": "每千瓦时",
    "mu": "每亩",
}
COMMON_KEYS = ("label", "unit", "note", "source")
NODE_KEYS = {
    "const": ("const",),
    "fact": ("fact", "year_offset"),
    "op": ("op", "args"),
    "round": ("round", "to", "mode"),
    "rate": ("rate", "base", "cap"),
    "per": ("per", "times", "max_times"),
    "per_month": ("per_month", "months", "max_months"),
    "per_person": ("per_person", "persons", "max_persons"),
    "per_year": ("per_year", "years", "max_years"),
    "cases": ("cases", "else"),
    "grade": ("grade", "table", "else"),
    "sum": ("sum", "where", "of"),
    "count": ("count", "where"),
    "up_to": ("up_to",),
    "+": ("+",),
    "-": ("-",),
    "*": ("*",),
    "/": ("/",),
    "min": ("min",),
    "max": ("max",),
}
OPERATOR_KEYS = ("+", "-", "*", "/", "min", "max")  # {"*": [F, F]} is short for {"op": "*", "args": [F, F]}
UNITS = (
    "yuan",
    "ratio",
    "month",
    "person",
    "count",
    "year",
    "years",
    "age",
    "m2",
    "m3",
    "household",
    "tonne",
    "kwh",
    "mu",
)

Amount = Decimal | None


@dataclass(slots=True)
class Computation:
    """An amount in yuan (None when a fact is missing), the missing facts, and the steps in Chinese."""

    amount: Amount
    missing: list[str]
    steps: list[str] = field(default_factory=list)
    up_to: bool = False  # the amount is a ceiling (“最高”): the formula says {"up_to": …}


class F:
    """A compiled formula. ``unit`` drives how values are shown; ``data`` is the JSON it came from."""

    __slots__ = ("data", "label", "unit", "ceiling")
    data: Any
    label: str | None
    unit: str | None
    ceiling: bool  # set on the root by compile_checked: the formula says {"up_to": …}

    def calc(self, scope, steps: list[str] | None) -> tuple[Amount, list[str]]:
        raise NotImplementedError

    def show(self, value: Decimal) -> str:
        text = quantity(value, self.unit)
        return f"{self.label} {text}" if self.label else text

    def refs(self, on: date | None, prefix: str) -> set[str]:
        return set()

    def to_json(self) -> Any:
        return self.data


class Const(F):
    __slots__ = ("value",)

    def __init__(self, data, value: Decimal, unit, label):
        self.data, self.value, self.unit, self.label = data, value, unit, label

    def calc(self, scope, steps):
        return self.value, []


class Fact(F):
    __slots__ = ("path",)

    def __init__(self, data, path: FactPath, unit, label):
        self.data, self.path, self.unit, self.label = data, path, unit, label

    def calc(self, scope, steps):
        value, miss = scope.get(self.path)
        if miss:
            return None, list(miss)
        if isinstance(value, list):
            nums = [to_decimal(v) for v in value]
            if any(n is None for n in nums):
                raise FactError(
                    Problem(self.path.text, f"应为数值，实际为 {value!r}", f"expected numbers, got {value!r}")
                )
            return sum(nums, ZERO), []
        d = to_decimal(value)
        if d is None:
            raise FactError(
                Problem(self.path.text, f"应为数值，实际为 {value!r}", f"expected a number, got {value!r}")
            )
        return d, []

    def refs(self, on, prefix):
        return locations(self.path, on, prefix)


class Arith(F):
    __slots__ = ("op", "args")

    def __init__(self, data, op, args, unit, label):
        self.data, self.op, self.args, self.unit, self.label = data, op, args, unit, label

    def calc(self, scope, steps):
        values, missing = [], []
        for a in self.args:
            v, m = a.calc(scope, steps)
            values.append(v)
            missing.extend(m)
        if missing:
            return None, union([missing])
        op = self.op
        if op in ("min", "max"):
            result = min(values) if op == "min" else max(values)
            if steps is not None:
                shown = [a.show(v) for a, v in zip(self.args, values, strict=True)]
                joined = _spaced("取", "、".join(shown[:-1]) if len(shown) > 1 else shown[0])
                if len(shown) > 1:
                    joined = _spaced(joined + "与", shown[-1])
                word = "较小值" if op == "min" else "较大值"
                steps.append(f"{joined}中的{word} = {quantity(result, self.unit)}")
            return result, []
        result = values[0]
        for a, v in zip(self.args[1:], values[1:], strict=True):
            if op == "+":
                result += v
            elif op == "-":
                result -= v
            elif op == "*":
                result *= v
            else:
                if v == 0:
                    raise FormulaError(
                        Problem(
                            json.dumps(a.data, ensure_ascii=False, default=str),
                            "除数为 0，无法计算",
                            "division by zero",
                        )
                    )
                result /= v
        if steps is not None:
            expr = f" {SYMBOLS[op]} ".join(a.show(v) for a, v in zip(self.args, values, strict=True))
            steps.append(f"{expr} = {quantity(result, self.unit)}")
        return result, []

    def refs(self, on, prefix):
        return set().union(*(a.refs(on, prefix) for a in self.args))


def _spaced(head: str, tail: str) -> str:
    """Join Chinese text and a figure with a space before the digits, as in “取上限 2,000,000 元”."""
    return f"{head} {tail}" if tail[:1].isdigit() or tail[:1] == "-" else head + tail


class UpTo(F):
    """``{"up_to": F}``: the amount is a ceiling (“最高”, “不超过”); the agency decides the actual grant."""

    __slots__ = ("arg",)

    def __init__(self, data, arg, unit, label):
        self.data, self.arg, self.unit, self.label = data, arg, unit, label

    def calc(self, scope, steps):
        v, m = self.arg.calc(scope, steps)
        if v is not None and steps is not None:
            steps.append(f"最高 {quantity(v, self.unit)}")
        return v, m

    def refs(self, on, prefix):
        return self.arg.refs(on, prefix)


class Round(F):
    __slots__ = ("arg", "to", "mode")

    def __init__(self, data, arg, to, mode, unit, label):
        self.data, self.arg, self.to, self.mode, self.unit, self.label = data, arg, to, mode, unit, label

    def calc(self, scope, steps):
        v, m = self.arg.calc(scope, steps)
        if v is None:
            return None, m
        quantum, word = ROUND_TO[self.to]
        rounding, how = ROUNDING[self.mode]
        result = (v / quantum).quantize(Decimal(1), rounding=rounding) * quantum
        if steps is not None and result != v:
            steps.append(f"按{word}{how}：{quantity(v, self.unit)} → {quantity(result, self.unit)}")
        return result, []

    def refs(self, on, prefix):
        return self.arg.refs(on, prefix)


class Rate(F):
    """``min(rate × base, cap)``: the most common shape of a subsidy."""

    __slots__ = ("rate", "base", "cap")

    def __init__(self, data, rate, base, cap, unit, label):
        self.data, self.rate, self.base, self.cap, self.unit, self.label = data, rate, base, cap, unit, label

    def calc(self, scope, steps):
        r, mr = self.rate.calc(scope, steps)
        b, mb = self.base.calc(scope, steps)
        c, mc = self.cap.calc(scope, steps) if self.cap is not None else (None, [])
        missing = union([mr, mb, mc])
        if missing:
            return None, missing
        product = r * b
        if steps is not None:
            steps.append(f"{self.base.show(b)} × {self.rate.show(r)} = {quantity(product, self.unit)}")
        if self.cap is None:
            return product, []
        result = min(product, c)
        if steps is not None:
            steps.append(
                f"取上限 {quantity(c, self.unit)}与 {quantity(product, self.unit)}的较小值 = {quantity(result, self.unit)}"
            )
        return result, []

    def refs(self, on, prefix):
        found = self.rate.refs(on, prefix) | self.base.refs(on, prefix)
        return found | (self.cap.refs(on, prefix) if self.cap is not None else set())


class Per(F):
    """``per × min(times, max_times)``: per month × months, per person × persons."""

    __slots__ = ("per", "times", "max_times")

    def __init__(self, data, per, times, max_times, unit, label):
        self.data, self.per, self.times, self.max_times, self.unit, self.label = (
            data,
            per,
            times,
            max_times,
            unit,
            label,
        )

    def calc(self, scope, steps):
        p, factors, words, missing = self._parts(scope, steps)
        if missing:
            return None, missing
        result = p
        for counted, _ in factors:
            result *= counted
        if steps is not None:
            times = " × ".join(quantity(c, u) for c, u in factors)
            steps.append(f"{words} {quantity(p, self._per_unit())} × {times} = {quantity(result, self.unit)}")
        return result, []

    def _per_unit(self) -> str | None:
        return self.per._per_unit() if isinstance(self.per, Per) else self.per.unit

    def _parts(self, scope, steps) -> tuple[Amount, list[tuple[Decimal, str | None]], str, list[str]]:
        """The amount per unit, the counts it is multiplied by (outermost first: 人, then 月), the words
        (“每人每月”) and the missing facts, through nested per-forms (每人 × 每月 × 月数)."""
        if isinstance(self.per, Per):
            p, inner, inner_words, mp = self.per._parts(scope, steps)
        else:
            (p, mp), inner, inner_words = self.per.calc(scope, steps), [], ""
        t, mt = self.times.calc(scope, steps)
        x, mx = self.max_times.calc(scope, steps) if self.max_times is not None else (None, [])
        missing = union([mp, mt, mx])
        if missing:
            return None, [], "", missing
        counted = t
        if x is not None and t > x:
            counted = x
            if steps is not None:
                steps.append(f"{self.times.show(t)}，超过上限，按 {quantity(x, self.times.unit)}计")
        if steps is not None and self.times.unit == "person":
            whom = self.times.label if isinstance(self.times, Count) and self.times.label else ""
            steps.append(f"按{whom}人数 {quantity(counted, None)} 计算")
        word = PER_WORDS.get(self.times.unit or "", "每单位")
        return p, [(counted, self.times.unit), *inner], word + inner_words, []

    def refs(self, on, prefix):
        found = self.per.refs(on, prefix) | self.times.refs(on, prefix)
        return found | (self.max_times.refs(on, prefix) if self.max_times is not None else set())


class Cases(F):
    """The first case whose condition holds; unknown when a condition before it is unknown."""

    __slots__ = ("cases", "otherwise")

    def __init__(self, data, cases, otherwise, unit, label):
        self.data, self.cases, self.otherwise, self.unit, self.label = data, cases, otherwise, unit, label

    def calc(self, scope, steps):
        for when, then in self.cases:
            v, m = when.ev(scope, None, 0, "")
            if v is None:
                if steps is not None:
                    steps.append(f"无法确定是否适用“{when.phrase()}”")
                return None, m
            if v:
                if steps is not None:
                    steps.append(f"适用：{when.phrase()}")
                return self._branch(then, scope, steps)
        if self.otherwise is not None:
            if steps is not None:
                steps.append("以上情形均不适用，按其他情形计")
            return self._branch(self.otherwise, scope, steps)
        if steps is not None:
            steps.append("以上情形均不适用，金额为 0")
        return ZERO, []

    def _branch(self, then, scope, steps):
        value, missing = then.calc(scope, steps)
        if steps is not None and value is not None and isinstance(then, Const | Fact):
            steps.append(f"金额为 {then.show(value)}")
        return value, missing

    def refs(self, on, prefix):
        found = set()
        for when, then in self.cases:
            found |= when.refs(on, prefix) | then.refs(on, prefix)
        return found | (self.otherwise.refs(on, prefix) if self.otherwise is not None else set())


class Grade(F):
    """A value looked up by a graded fact: ``{"grade": "mu_chan_grade", "table": {"A": 0.1, ...}}``."""

    __slots__ = ("path", "spec", "table", "otherwise")

    def __init__(self, data, path, spec, table, otherwise, unit, label):
        self.data, self.path, self.spec, self.table, self.otherwise = data, path, spec, table, otherwise
        self.unit, self.label = unit, label

    def calc(self, scope, steps):
        grade, miss = scope.get(self.path)
        if miss:
            return None, list(miss)
        chosen = self.table.get(str(grade), self.otherwise)
        shown = self.spec.enum.get(grade, grade) if self.spec.enum else grade
        if chosen is None:
            if steps is not None:
                steps.append(f"{self.spec.label}为{shown}，不在分档表中，按 0 计")
            return ZERO, []
        value, missing = chosen.calc(scope, steps)
        if steps is not None and value is not None:
            what = self.label or {"ratio": "比例", "yuan": "金额"}.get(self.unit, "取值")
            steps.append(f"{self.spec.label}为{shown}，{what}为 {quantity(value, self.unit)}")
        return value, missing

    def show(self, value):
        return quantity(value, self.unit)

    def refs(self, on, prefix):
        found = locations(self.path, on, prefix)
        for f in [*self.table.values(), self.otherwise]:
            if f is not None:
                found |= f.refs(on, prefix)
        return found


class Sum(F):
    """The sum of ``of`` over the elements of a list that satisfy ``where``."""

    __slots__ = ("path", "spec", "where", "of")

    def __init__(self, data, path, spec, where, of, unit, label):
        self.data, self.path, self.spec, self.where, self.of = data, path, spec, where, of
        self.unit, self.label = unit, label

    def calc(self, scope, steps):
        elements, miss = scope.get(self.path)
        if miss:
            return None, list(miss)
        base = f"{scope.at}.{self.path.text}" if scope.at else self.path.text
        total, parts, missing = ZERO, [], []
        for i, el in enumerate(elements):
            inner = cond._Scope(scope.facts, el, f"{base}[{i}]")
            if self.where is not None:
                v, m = self.where.ev(inner, None, 0, "")
                if v is False:
                    continue
                if v is None:
                    missing.extend(m)
                    continue
            local: list[str] | None = [] if steps is not None else None
            value, m = self.of.calc(inner, local)
            if value is None:
                missing.extend(m)
                continue
            total += value
            parts.append(value)
            if steps is not None:
                name = el.get("name") if isinstance(el, dict) else None
                who = f"{self.spec.label}第{i + 1}{self.spec.item}" + (f"（{name}）" if name else "")
                if local:
                    steps.extend(f"{who}：{s}" for s in local)
                else:
                    steps.append(f"{who}：{self.of.show(value)}")
        if missing:
            return None, union([missing])
        if steps is not None:
            if not parts:
                steps.append(f"没有符合条件的{self.spec.label}，合计 0 元")
            elif len(parts) > 1:
                steps.append(f"合计：{' + '.join(grouped(p) for p in parts)} = {quantity(total, self.unit)}")
        return total, []

    def refs(self, on, prefix):
        here = f"{prefix}.{self.path.text}" if prefix else self.path.text
        found = {here} | self.of.refs(on, f"{here}[]")
        return found | (self.where.refs(on, f"{here}[]") if self.where is not None else set())


class Count(F):
    """How many elements of a list satisfy ``where``: the persons a per-person benefit is for."""

    __slots__ = ("path", "spec", "where")

    def __init__(self, data, path, spec, where, unit, label):
        self.data, self.path, self.spec, self.where = data, path, spec, where
        self.unit, self.label = unit, label

    def calc(self, scope, steps):
        elements, miss = scope.get(self.path)
        if miss:
            return None, list(miss)
        base = f"{scope.at}.{self.path.text}" if scope.at else self.path.text
        counted, missing = 0, []
        for i, el in enumerate(elements):
            if self.where is None:
                counted += 1
                continue
            v, m = self.where.ev(cond._Scope(scope.facts, el, f"{base}[{i}]"), None, 0, "")
            if v is None:
                missing.extend(m)
            elif v:
                counted += 1
        if missing:
            return None, union([missing])
        if steps is not None:
            whom = self.label or f"符合条件的{self.spec.label}"
            steps.append(
                f"{whom}：共 {len(elements)} {self.spec.item}，其中符合条件的 {counted} {self.spec.item}"
            )
        return Decimal(counted), []

    def show(self, value):
        return quantity(value, self.unit)

    def refs(self, on, prefix):
        here = f"{prefix}.{self.path.text}" if prefix else self.path.text
        return {here} | (self.where.refs(on, f"{here}[]") if self.where is not None else set())


# --- compiling (validation) ------------------------------------------------------------------------


class _Compiler:
    def __init__(self):
        self.problems: list[Problem] = []
        self.up_to = False

    def fail(self, where, zh, en) -> F:
        self.problems.append(Problem(where, zh, en))
        return Const(0, ZERO, None, None)

    def node(self, data, where: str, scope: dict[str, FactSpec], hint: str | None) -> F:
        if isinstance(data, bool) or data is None:
            return self.fail(where, f"金额公式不能是 {data!r}", f"a formula cannot be {data!r}")
        if isinstance(data, int | float | str | Decimal):
            d = to_decimal(data)
            if d is None:
                return self.fail(where, f"无法识别的数值“{data}”", f"not a number: {data!r}")
            return Const(data, d, hint, None)
        if not isinstance(data, dict):
            return self.fail(where, "金额公式应为数值或 JSON 对象", "a formula is a number or a JSON object")
        kinds = [k for k in NODE_KEYS if k in data]
        if len(kinds) != 1:
            keys = ", ".join(NODE_KEYS)
            unknown = [k for k in data if k not in COMMON_KEYS]
            zh, en = did_you_mean(unknown[0], NODE_KEYS) if unknown and not kinds else ("", "")
            return self.fail(
                where,
                f"金额公式应含且只含以下键之一：{keys}{zh}",
                f"a formula needs exactly one of {keys}{en}",
            )
        kind = kinds[0]
        allowed = NODE_KEYS[kind] + COMMON_KEYS
        for key in data:
            if key not in allowed:
                zh, en = did_you_mean(key, allowed)
                self.fail(
                    f"{where}.{key}",
                    f"“{kind}”公式不认识键“{key}”{zh}",
                    f"unknown key {key!r} in a {kind!r} formula{en}",
                )
        label = data.get("label")
        unit = data.get("unit")
        if unit is not None and unit not in UNITS:
            zh, en = did_you_mean(unit, UNITS)
            self.fail(
                f"{where}.unit",
                f"未知的单位“{unit}”{zh}（可用：{' '.join(UNITS)}）",
                f"unknown unit {unit!r}{en}",
            )
            unit = None
        if kind in OPERATOR_KEYS:
            return self.k_op({"op": kind, "args": data[kind]}, where, scope, unit or None, hint, label, data)
        return getattr(self, f"k_{kind}")(data, where, scope, unit or None, hint, label)

    def k_up_to(self, data, where, scope, unit, hint, label):
        self.up_to = True
        arg = self.node(data["up_to"], f"{where}.up_to", scope, hint)
        return UpTo(data, arg, unit or arg.unit or hint, label)

    def k_const(self, data, where, scope, unit, hint, label):
        d = to_decimal(data["const"])
        if d is None:
            return self.fail(
                f"{where}.const", f"无法识别的数值“{data['const']}”", f"not a number: {data['const']!r}"
            )
        return Const(data, d, unit or hint, label)

    def _fact(self, text, where, scope, year_offset=None) -> tuple[FactPath, FactSpec] | None:
        try:
            path = parse_path(text)
            spec = check_path(path, scope, where)
            if year_offset is not None:
                if (
                    spec.type != "by_year"
                    or isinstance(year_offset, bool)
                    or not isinstance(year_offset, int)
                ):
                    self.problems.append(
                        Problem(
                            where,
                            "year_offset 只能用于按年度取值的事实，且应为整数",
                            "year_offset is an integer, for by-year facts",
                        )
                    )
                    return None
                path = path.with_year(year_offset)
                spec = check_path(path, scope, where)
            return path, spec
        except FactError as exc:
            self.problems.extend(
                Problem(where if p.where in ("$", text) else p.where, p.zh, p.en) for p in exc.problems
            )
            return None

    def k_fact(self, data, where, scope, unit, hint, label):
        found = self._fact(data["fact"], f"{where}.fact", scope, data.get("year_offset"))
        if found is None:
            return Const(0, ZERO, None, None)
        path, spec = found
        if not (spec.numeric or spec.unit in ("yuan", "ratio") or spec.type == "any"):
            return self.fail(
                f"{where}.fact",
                f"“{path.text}”（{spec.label}）不是数值，不能参与计算",
                f"{path.text!r} is not a number and cannot be computed with",
            )
        return Fact(data, path, unit or spec.unit or hint, label or spec.label)

    def k_op(self, data, where, scope, unit, hint, label, original=None):
        op = data["op"]
        args_at = f"{where}.{op}" if original is not None else f"{where}.args"
        if op not in ("+", "-", "*", "/", "min", "max"):
            zh, en = did_you_mean(op, ["+", "-", "*", "/", "min", "max"])
            return self.fail(
                f"{where}.op",
                f"未知的运算“{op}”{zh}（可用：+ - * / min max）",
                f"unknown operation {op!r}{en}",
            )
        args = data.get("args")
        if not isinstance(args, list) or len(args) < (1 if op in ("min", "max") else 2):
            return self.fail(
                args_at, f"运算“{op}”需要参数列表（至少两项）", f"operation {op!r} needs a list of args"
            )
        same = op in ("+", "-", "min", "max")  # the arguments have the unit of the result
        nodes = [self.node(a, f"{args_at}[{i}]", scope, hint if same else None) for i, a in enumerate(args)]
        if op == "*":
            units = [n.unit for n in nodes if n.unit]
            if "yuan" in units:
                guess = "yuan"
                for n in nodes:  # a bare fraction times an amount is a rate: show it as a percentage
                    if n.unit is None and isinstance(n, Const) and 0 < n.value < 1:
                        n.unit = "ratio"
            elif hint == "yuan" and any(u in ("person", "month", "count", "years") for u in units):
                guess = "yuan"  # an amount per person (month, item) times a number of them
                for n in nodes:
                    if n.unit is None and isinstance(n, Const):
                        n.unit = "yuan"
            else:
                guess = units[0] if units else hint
        elif op == "/":
            guess = nodes[0].unit or hint
        else:
            guess = next((n.unit for n in nodes if n.unit), hint)
        for n in nodes:
            if n.unit is None and op in ("+", "-", "min", "max"):
                n.unit = guess
        return Arith(original if original is not None else data, op, nodes, unit or guess, label)

    def k_round(self, data, where, scope, unit, hint, label):
        to, mode = data.get("to", "yuan"), data.get("mode", "half_up")
        if to not in ROUND_TO:
            return self.fail(
                f"{where}.to", f"“to”应为 {'、'.join(ROUND_TO)} 之一", f"'to' is one of {', '.join(ROUND_TO)}"
            )
        if mode not in ROUNDING:
            return self.fail(
                f"{where}.mode",
                f"“mode”应为 {'、'.join(ROUNDING)} 之一",
                f"'mode' is one of {', '.join(ROUNDING)}",
            )
        arg = self.node(data["round"], f"{where}.round", scope, hint)
        return Round(data, arg, to, mode, unit or arg.unit or hint, label)

    def k_rate(self, data, where, scope, unit, hint, label):
        if "base" not in data:
            return self.fail(f"{where}.base", "比例公式需要 base（计算基数）", "a rate formula needs a base")
        rate = self.node(data["rate"], f"{where}.rate", scope, "ratio")
        base = self.node(data["base"], f"{where}.base", scope, "yuan")
        cap = (
            self.node(data["cap"], f"{where}.cap", scope, base.unit or "yuan")
            if data.get("cap") is not None
            else None
        )
        if rate.unit is None:
            rate.unit = "ratio"
        return Rate(data, rate, base, cap, unit or base.unit or hint, label)

    def _per(self, data, where, scope, unit, hint, label, kind):
        times_key, max_key, times_unit = PER_FORMS[kind]
        if times_key not in data:
            return self.fail(
                f"{where}.{times_key}",
                f"“{kind}”公式需要 {times_key}",
                f"a {kind!r} formula needs {times_key!r}",
            )
        per = self.node(data[kind], f"{where}.{kind}", scope, "yuan")
        times = self.node(data[times_key], f"{where}.{times_key}", scope, times_unit)
        if times.unit is None or kind != "per":
            times.unit = times_unit or times.unit
        mx = None
        if data.get(max_key) is not None:
            mx = self.node(data[max_key], f"{where}.{max_key}", scope, times.unit)
        return Per(data, per, times, mx, unit or per.unit or hint, label)

    def k_per(self, data, where, scope, unit, hint, label):
        return self._per(data, where, scope, unit, hint, label, "per")

    def k_per_month(self, data, where, scope, unit, hint, label):
        return self._per(data, where, scope, unit, hint, label, "per_month")

    def k_per_person(self, data, where, scope, unit, hint, label):
        return self._per(data, where, scope, unit, hint, label, "per_person")

    def k_per_year(self, data, where, scope, unit, hint, label):
        return self._per(data, where, scope, unit, hint, label, "per_year")

    def _condition(self, data, where, scope):
        c = cond._Compiler()
        node = c.node(data, where, scope, None)
        self.problems.extend(c.problems)
        return node

    def k_cases(self, data, where, scope, unit, hint, label):
        cases = data["cases"]
        if not isinstance(cases, list) or not cases:
            return self.fail(
                f"{where}.cases",
                'cases 应为非空列表 [{"when": 条件, "then": 公式}, …]',
                "cases is a non-empty list of {when, then}",
            )
        compiled = []
        for i, case in enumerate(cases):
            at = f"{where}.cases[{i}]"
            if (
                not isinstance(case, dict)
                or set(case) - {"when", "then", "label", "note"}
                or not {"when", "then"} <= set(case)
            ):
                self.fail(
                    at,
                    '每个情形应为 {"when": 条件, "then": 公式}',
                    "each case is {when: condition, then: formula}",
                )
                continue
            compiled.append(
                (
                    self._condition(case["when"], f"{at}.when", scope),
                    self.node(case["then"], f"{at}.then", scope, hint),
                )
            )
        otherwise = self.node(data["else"], f"{where}.else", scope, hint) if "else" in data else None
        units = [t.unit for _, t in compiled if t.unit] + (
            [otherwise.unit] if otherwise is not None and otherwise.unit else []
        )
        return Cases(data, compiled, otherwise, unit or (units[0] if units else hint), label)

    def k_grade(self, data, where, scope, unit, hint, label):
        found = self._fact(data["grade"], f"{where}.grade", scope)
        table = data.get("table")
        if found is None:
            return Const(0, ZERO, None, None)
        path, spec = found
        if not isinstance(table, dict) or not table:
            return self.fail(
                f"{where}.table",
                'table 应为“等级: 公式”对象，如 {"A": 0.1}',
                "table is an object of grade: formula",
            )
        if spec.type not in ("enum", "str", "any"):
            return self.fail(
                f"{where}.grade", f"“{path.text}”不是等级类事实", f"{path.text!r} is not a grade"
            )
        compiled = {}
        for key, value in table.items():
            if spec.enum and str(key) not in spec.enum:
                zh, en = did_you_mean(key, spec.enum)
                self.fail(
                    f"{where}.table.{key}",
                    f"{spec.label}没有等级“{key}”{zh}",
                    f"{spec.label} has no grade {key!r}{en}",
                )
            compiled[str(key)] = self.node(value, f"{where}.table.{key}", scope, unit or hint)
        otherwise = self.node(data["else"], f"{where}.else", scope, unit or hint) if "else" in data else None
        first = next(iter(compiled.values()))
        return Grade(data, path, spec, compiled, otherwise, unit or first.unit or hint, label)

    def _records(self, data, key: str, where, scope):
        """(path, spec) of the list fact a ``sum`` or ``count`` runs over, or a failed node when it is
        not one."""
        found = self._fact(data[key], f"{where}.{key}", scope)
        if found is None:
            return Const(0, ZERO, None, None)
        path, spec = found
        if spec.type != "records" or len(path.segs) != 1:
            return self.fail(
                f"{where}.{key}",
                f"{key} 后应为对象列表事实（如 persons），而不是“{path.text}”",
                f"{key} takes a list fact such as persons, not {path.text!r}",
            )
        return path, spec

    def _where(self, data, where, spec):
        """The condition on each element (``where``) of a ``sum`` or ``count``, or None."""
        return self._condition(data["where"], f"{where}.where", spec.fields) if "where" in data else None

    def k_sum(self, data, where, scope, unit, hint, label):
        records = self._records(data, "sum", where, scope)
        if not isinstance(records, tuple):
            return records
        path, spec = records
        if "of" not in data:
            return self.fail(
                f"{where}.of",
                "sum 需要 of（每个元素的金额公式）",
                "sum needs 'of', the formula for each element",
            )
        where_node = self._where(data, where, spec)
        of = self.node(data["of"], f"{where}.of", spec.fields, hint)
        return Sum(data, path, spec, where_node, of, unit or of.unit or hint, label)

    def k_count(self, data, where, scope, unit, hint, label):
        records = self._records(data, "count", where, scope)
        if not isinstance(records, tuple):
            return records
        path, spec = records
        return Count(
            data,
            path,
            spec,
            self._where(data, where, spec),
            unit or ("person" if spec.item == "人" else "count"),
            label,
        )


def compile_checked(data: Any) -> tuple[F, list[Problem]]:
    """The compiled formula and its problems, in one pass (the node is unusable when there are problems)."""
    c = _Compiler()
    node = c.node(data, "$", FACTS, "yuan")
    node.ceiling = c.up_to
    return node, c.problems


def check_formula(data: Any) -> list[Problem]:
    """Every problem of a formula (empty when it is valid)."""
    return compile_checked(data)[1]


def compile_formula(data: Any) -> F:
    """A checked, compiled formula; FormulaError listing every problem otherwise.

    Examples:
        >>> f = compile_formula({"rate": 0.1, "base": {"fact": "projects[kind=技术改造].equipment_cost"}, "cap": 2000000})
        >>> type(f).__name__, f.unit
        ('Rate', 'yuan')
    """
    if isinstance(data, F):
        return data
    node, problems = compile_checked(data)
    if problems:
        raise FormulaError(problems)
    return node


def from_yaml(text: str) -> F:
    """A compiled formula from YAML (or JSON) text."""
    try:
        data = jsonsafe.load_yaml(text, source="公式")
    except yaml.YAMLError as exc:
        raise FormulaError(Problem("$", f"YAML 无法解析：{exc}", f"invalid YAML: {exc}")) from exc
    except InputError as exc:
        raise FormulaError(Problem("$", exc.detail, "YAML beyond the reader's limits")) from exc
    return compile_formula(json_ready(data))


def compute(formula, profile: dict | Facts, on: date, *, explain: bool = True) -> Computation:
    """Compute a benefit formula for a profile on a date: amount in yuan (never negative), steps in Chinese.

    Examples:
        >>> f = {"rate": 0.1, "base": {"fact": "projects[kind=技术改造].equipment_cost"}, "cap": 2000000}
        >>> c = compute(f, {"projects": [{"kind": "技术改造", "equipment_cost": 3000000}]}, date(2026, 5, 1))
        >>> c.amount
        Decimal('300000.00')
        >>> for s in c.steps: print(s)
        项目（项目类型为技术改造）的设备（含软件）购置金额 3,000,000 元 × 10% = 300,000 元
        取上限 2,000,000 元与 300,000 元的较小值 = 300,000 元
    """
    node = compile_formula(formula)
    facts = profile if isinstance(profile, Facts) else Facts(profile, on)
    steps: list[str] | None = [] if explain else None
    value, missing = node.calc(cond._Scope(facts), steps)
    ceiling = getattr(node, "ceiling", False)
    if value is None:
        return Computation(None, list(missing), steps or [], ceiling)
    if value < 0:
        if steps is not None:
            steps.append(f"计算结果 {quantity(value, 'yuan')}为负数，按 0 元计")
        value = ZERO
    amount = value.quantize(FEN, rounding=ROUND_HALF_UP)
    if steps is not None:
        if amount != value:
            steps.append(f"按分四舍五入：{quantity(amount, 'yuan')}")
        if not steps:
            steps.append(f"金额为 {node.show(amount) if node.label else quantity(amount, 'yuan')}")
    return Computation(amount, [], steps or [], ceiling)


def referenced_facts(formula, on: date | None = None) -> set[str]:
    """The generic locations a formula reads (see :func:`conditions.referenced_facts`)."""
    return compile_formula(formula).refs(on, "")


__all__ = [
    "Computation",
    "F",
    "check_formula",
    "compile_checked",
    "compile_formula",
    "compute",
    "from_yaml",
    "referenced_facts",
]
