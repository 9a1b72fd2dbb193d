"""Rules as code: profiles (企业画像), conditions, benefit formulas and dated rules. See LANGUAGE.md.

The public API::

    from zhengcetong.match import Rule, RuleHistory, evaluate, compute, to_text

``match`` knows no particular policy: rules are data (JSON in the database, YAML in tests).

The names are loaded on first use (PEP 562), as the library's are: ``zct extract`` uses
``match.amounts`` and pays neither for conditions, formulas and rules nor for YAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhengcetong.faces import lazy_face

# Public name → (module under zhengcetong.match, its name there).
_EXPORTS: dict[str, tuple[str, str | None]] = {
    "Result": ("conditions", "Result"),
    "TraceStep": ("conditions", "TraceStep"),
    "check_condition": ("conditions", "check_condition"),
    "compile_condition": ("conditions", "compile_condition"),
    "evaluate": ("conditions", "evaluate"),
    "referenced_facts": ("conditions", "referenced_facts"),
    "to_text": ("conditions", "to_text"),
    "ConditionError": ("errors", "ConditionError"),
    "FactError": ("errors", "FactError"),
    "FormulaError": ("errors", "FormulaError"),
    "MatchError": ("errors", "MatchError"),
    "Problem": ("errors", "Problem"),
    "RuleError": ("errors", "RuleError"),
    "Computation": ("formulas", "Computation"),
    "check_formula": ("formulas", "check_formula"),
    "compile_formula": ("formulas", "compile_formula"),
    "compute": ("formulas", "compute"),
    "FACTS": ("profile", "FACTS"),
    "Facts": ("profile", "Facts"),
    "check_profile": ("profile", "check_profile"),
    "fact_label": ("profile", "fact_label"),
    "validate_profile": ("profile", "validate_profile"),
    "Outcome": ("rules", "Outcome"),
    "Reference": ("rules", "Reference"),
    "Rule": ("rules", "Rule"),
    "RuleHistory": ("rules", "RuleHistory"),
    "load_rules": ("rules", "load_rules"),
    "rules_from_yaml": ("rules", "rules_from_yaml"),
}


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

__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, __all__)

if TYPE_CHECKING:
    from zhengcetong.match.conditions import (
        Result,
        TraceStep,
        check_condition,
        compile_condition,
        evaluate,
        referenced_facts,
        to_text,
    )
    from zhengcetong.match.errors import (
        ConditionError,
        FactError,
        FormulaError,
        MatchError,
        Problem,
        RuleError,
    )
    from zhengcetong.match.formulas import Computation, check_formula, compile_formula, compute
    from zhengcetong.match.profile import FACTS, Facts, check_profile, fact_label, validate_profile
    from zhengcetong.match.rules import Outcome, Reference, Rule, RuleHistory, load_rules, rules_from_yaml
