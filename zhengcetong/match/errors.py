"""Errors of the rule language: each names where the problem is, in Chinese and in English, and what to do."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from zhengcetong.errors import ZctError


@dataclass(frozen=True)
class Problem:
    """One problem found while reading a condition, formula, rule or profile."""

    where: str  # a JSON-path-like location, e.g. "$.all[1].op"
    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.where}: {self.zh} / {self.en}"


class MatchError(ZctError):
    """A condition, formula, rule or profile that cannot be used; lists every problem found."""

    kind_zh = "规则数据有误"
    kind_en = "invalid rule data"

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.kind_zh} / {self.kind_en}:\n{lines}")


class ConditionError(MatchError):
    """A condition tree that does not follow LANGUAGE.md."""

    kind_zh = "条件格式有误"
    kind_en = "invalid condition"


class FormulaError(MatchError):
    """A benefit formula that does not follow LANGUAGE.md, or that cannot be computed (division by zero)."""

    kind_zh = "金额公式有误"
    kind_en = "invalid formula"


class FactError(MatchError):
    """An unknown fact name, a malformed fact path, or a profile value of the wrong type."""

    kind_zh = "企业画像事实有误"
    kind_en = "invalid fact"


class RuleError(MatchError):
    """A rule (or a list of dated rule versions) that cannot be used."""

    kind_zh = "政策规则有误"
    kind_en = "invalid rule"


def suggest(word: str, choices) -> str | None:
    """The closest of ``choices`` to ``word`` (a likely typo), or None.

    Examples:
        >>> suggest("revenu", ["revenue", "region"])
        'revenue'
        >>> suggest("zzz", ["revenue"]) is None
        True
    """
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, choices) -> tuple[str, str]:
    """Chinese and English hint texts ("，是否应为 …？", " — did you mean …?"), empty when nothing is close."""
    best = suggest(word, choices)
    if best is None:
        return "", ""
    return f"，是否应为 “{best}”？", f" — did you mean {best!r}?"
