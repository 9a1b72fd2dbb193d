"""Rules as code: profiles (企业画像), conditions, benefit formulas and dated rules. See LANGUAGE.md.

The public API::

    from zhengcetong.match import Rule, RuleHistory, evaluate, compute, to_text

``match`` knows no particular policy: rules are data (JSON in the database, YAML in tests).
"""

from zhengcetong.match.conditions import (
    Result,
    TraceStep,
    check_condition,
    compile_condition,
    evaluate,
    referenced_facts,
    to_text,
)
from zhengcetong.match.errors import ConditionError, FactError, FormulaError, MatchError, Problem, RuleError
from zhengcetong.match.formulas import Computation, check_formula, compile_formula, compute
from zhengcetong.match.profile import FACTS, Facts, check_profile, fact_label, validate_profile
from zhengcetong.match.rules import Outcome, Reference, Rule, RuleHistory, load_rules, rules_from_yaml

__all__ = [
    "FACTS",
    "Computation",
    "ConditionError",
    "FactError",
    "Facts",
    "FormulaError",
    "MatchError",
    "Outcome",
    "Problem",
    "Reference",
    "Result",
    "Rule",
    "RuleError",
    "RuleHistory",
    "TraceStep",
    "check_condition",
    "check_formula",
    "check_profile",
    "compile_condition",
    "compile_formula",
    "compute",
    "evaluate",
    "fact_label",
    "load_rules",
    "referenced_facts",
    "rules_from_yaml",
    "to_text",
    "validate_profile",
]
