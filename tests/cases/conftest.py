"""Run the rule cases in tests/cases/rules/*.yaml: each case is one pytest item.

A case file holds named rules and the cases that exercise them, in the manner of openfisca's YAML tests::

    rules:
      zjtx-award: {item_id: …, name: …, reference: {…}, condition: {…}, formula: …}
      voucher: [{… version 1 …}, {… version 2 …}]        # a list is a history of dated versions
    tests:
      - name: 首次认定为国家级“小巨人”的企业获50万元
        date: 2026-05-01
        rule: zjtx-award                                   # or an inline rule
        input: {recognitions: [{name: …, level: national, year: 2025, first_time: true}]}
        output:
          eligible: eligible                               # eligible | possibly | ineligible
          amount: 500000                                   # yuan; null when unknown or not eligible
          missing: []                                      # compared as a set
          reasons: [首次获得]                                # each must appear in some reason
          steps: []                                        # each must appear in some step
          version: 2                                       # the dated version that applied

A failing case prints the outcome in full: reasons, steps and missing facts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from zhengcetong.match.errors import MatchError
from zhengcetong.match.profile import check_profile
from zhengcetong.match.rules import Rule, RuleHistory, load_rules
from zhengcetong.match.text import to_decimal

CASES_DIR = Path(__file__).resolve().parent / "rules"
CASE_KEYS = {"name", "date", "period", "rule", "input", "output", "note"}
OUTPUT_KEYS = {"eligible", "amount", "missing", "reasons", "steps", "version"}


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix in (".yaml", ".yml") and file_path.parent == CASES_DIR:
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


class CaseFailure(Exception):
    """A case whose outcome differs from its expected output."""


def _plain(data):
    """YAML data with dates as ISO strings and integer keys (years) as strings."""
    if isinstance(data, dict):
        return {str(k) if isinstance(k, int | date) else k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if isinstance(data, date):
        return data.isoformat()
    return data


def _load_rule(spec) -> Rule | RuleHistory:
    if isinstance(spec, list):
        return RuleHistory.from_list(spec)
    (loaded,) = load_rules(spec)
    return loaded


class RuleCaseFile(pytest.File):
    def collect(self):
        text = self.path.read_text(encoding="utf-8")
        try:
            data = _plain(yaml.safe_load(text))
        except yaml.YAMLError as exc:
            raise self.CollectError(f"{self.path.name}: not valid YAML:\n{exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
            raise self.CollectError(
                f"{self.path.name}: a case file is a mapping with 'tests' (a list) and optional 'rules'"
            )
        lines = _case_lines(text)
        rules = {}
        for rule_id, spec in (data.get("rules") or {}).items():
            try:
                rules[rule_id] = _load_rule(spec)
            except MatchError as exc:
                raise self.CollectError(f"{self.path.name}: rule {rule_id!r}:\n{exc}") from exc
        for i, case in enumerate(data["tests"]):
            name = case.get("name") if isinstance(case, dict) else None
            item = RuleCase.from_parent(self, name=name or f"case {i + 1}", case=case, rules=rules)
            item.line = lines[i] if i < len(lines) else 0
            yield item


def _case_lines(text: str) -> list[int]:
    """The line (0-based) of each case under 'tests', for failure reports."""
    root = yaml.compose(text)
    for key, value in getattr(root, "value", []):
        if key.value == "tests" and isinstance(value, yaml.SequenceNode):
            return [node.start_mark.line for node in value.value]
    return []


class RuleCase(pytest.Item):
    def __init__(self, *, case, rules, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.rules = rules
        self.line = 0
        self.outcome = None

    def runtest(self):
        case = self.case
        if not isinstance(case, dict):
            raise CaseFailure("a case is a mapping of name, date, rule, input, output")
        unknown = set(case) - CASE_KEYS
        if unknown:
            raise CaseFailure(f"unknown keys {sorted(unknown)}; a case has {sorted(CASE_KEYS)}")
        on = date.fromisoformat(str(case.get("date") or case.get("period")))
        ref = case.get("rule")
        if isinstance(ref, str):
            if ref not in self.rules:
                raise CaseFailure(f"unknown rule {ref!r}; this file defines {sorted(self.rules)}")
            rule = self.rules[ref]
        else:
            rule = _load_rule(ref)
        profile = case.get("input") or {}
        problems = check_profile(profile)
        if problems:
            raise CaseFailure("the input profile has problems:\n" + "\n".join(f"  - {p}" for p in problems))
        outcome = rule.evaluate(profile, on)
        quiet = rule.evaluate(profile, on, explain=False)
        self.outcome = outcome
        expected = case.get("output") or {}
        unknown = set(expected) - OUTPUT_KEYS
        if unknown:
            raise CaseFailure(f"unknown output keys {sorted(unknown)}; use {sorted(OUTPUT_KEYS)}")
        errors = []
        if (quiet.eligible, quiet.amount, quiet.missing) != (
            outcome.eligible,
            outcome.amount,
            outcome.missing,
        ):
            errors.append("evaluating without explanation gave another answer")
        if "eligible" in expected and outcome.eligible != expected["eligible"]:
            errors.append(f"eligible: expected {expected['eligible']!r}, got {outcome.eligible!r}")
        if "amount" in expected:
            want = None if expected["amount"] is None else to_decimal(expected["amount"])
            if want != outcome.amount:
                errors.append(f"amount: expected {_show(want)}, got {_show(outcome.amount)}")
        if "missing" in expected and sorted(expected["missing"] or []) != sorted(outcome.missing):
            errors.append(
                f"missing: expected {sorted(expected['missing'] or [])}, got {sorted(outcome.missing)}"
            )
        for key, got in (("reasons", outcome.reasons), ("steps", outcome.steps)):
            for part in expected.get(key) or []:
                if not isinstance(part, str):
                    errors.append(
                        f"{key}: {part!r} is not text (quote lines with commas inside [...] in YAML)"
                    )
                elif not any(part in line for line in got):
                    errors.append(f"{key}: no line contains {part!r}")
        if "version" in expected and outcome.version != expected["version"]:
            errors.append(f"version: expected {expected['version']}, got {outcome.version}")
        if errors:
            raise CaseFailure("\n".join(errors))

    def repr_failure(self, excinfo, style=None):
        if not isinstance(excinfo.value, CaseFailure | MatchError):
            return super().repr_failure(excinfo, style=style)
        lines = [f"{self.path.name}:{self.line + 1}: {self.name}", str(excinfo.value)]
        o = self.outcome
        if o is not None:
            lines += ["", f"outcome: {o.summary()}  (version {o.version}, missing {o.missing})", "reasons:"]
            lines += [f"  {r}" for r in o.reasons] + ["steps:"] + [f"  {s}" for s in o.steps]
        return "\n".join(lines)

    def reportinfo(self):
        return self.path, self.line, f"case: {self.name}"


def _show(amount: Decimal | None) -> str:
    return "null" if amount is None else f"{amount:,}"
