"""Property tests: Kleene laws, missing facts, monotonicity, and formulas that never go negative."""

from __future__ import annotations

import copy
import json
import re
from datetime import date

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from zhengcetong.match.conditions import evaluate, referenced_facts, to_text
from zhengcetong.match.formulas import compute
from zhengcetong.match.formulas import referenced_facts as formula_facts
from zhengcetong.match.profile import generic

ON = date(2026, 5, 1)
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run: a failure here is a bug, never bad luck
    suppress_health_check=[HealthCheck.too_slow],
)

# --- profiles: a complete one, and a partial copy with facts removed -------------------------------

person = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["博士后", "博士", "高校毕业生"]),
        "birth_date": st.dates(date(1980, 1, 1), date(2004, 12, 31)).map(date.isoformat),
        "months": st.integers(0, 40),
    }
)
complete_profile = st.fixed_dictionaries(
    {
        "region": st.sampled_from(["东湖区", "西岭县", "青禾高新区"]),
        "employees": st.integers(0, 60),
        "revenue": st.fixed_dictionaries({"2024": st.integers(0, 300), "2025": st.integers(0, 300)}),
        "industries": st.lists(
            st.sampled_from(["软件业", "钢管", "电子信息制造业"]), unique=True, max_size=3
        ),
        "dishonest": st.booleans(),
        "mu_chan_grade": st.sampled_from(["A", "B", "C", "D"]),
        "persons": st.lists(person, max_size=3),
    }
)


@st.composite
def complete_and_partial(draw):
    full = draw(complete_profile)
    partial = copy.deepcopy(full)
    for key in list(partial):
        if draw(st.booleans()) and draw(st.booleans()):
            del partial[key]
    if "revenue" in partial and draw(st.booleans()):
        partial["revenue"].pop(draw(st.sampled_from(["2024", "2025"])))
    for p in partial.get("persons", []):
        for key in list(p):
            if draw(st.integers(0, 3)) == 0:
                del p[key]
    return full, partial


# --- conditions ------------------------------------------------------------------------------------

ORDER = ["==", "!=", ">", ">=", "<", "<="]
person_leaf = st.one_of(
    st.builds(lambda v: {"fact": "role", "op": "==", "value": v}, st.sampled_from(["博士后", "博士"])),
    st.builds(
        lambda op, v: {"fact": "age", "op": op, "value": v}, st.sampled_from(ORDER), st.integers(20, 45)
    ),
    st.builds(
        lambda op, v: {"fact": "months", "op": op, "value": v}, st.sampled_from(ORDER), st.integers(0, 40)
    ),
)
person_condition = st.recursive(
    person_leaf,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=4,
)
leaf = st.one_of(
    st.builds(
        lambda op, v: {"fact": "region", "op": op, "value": v},
        st.sampled_from(["==", "!="]),
        st.sampled_from(["东湖区", "西岭县"]),
    ),
    st.builds(
        lambda v: {"fact": "region", "op": "in", "value": v},
        st.lists(st.sampled_from(["东湖区", "西岭县", "青禾高新区"]), min_size=1, unique=True),
    ),
    st.builds(
        lambda op, v: {"fact": "employees", "op": op, "value": v}, st.sampled_from(ORDER), st.integers(0, 60)
    ),
    st.builds(
        lambda op, v, y: {"fact": f"revenue.{y}", "op": op, "value": v},
        st.sampled_from(ORDER),
        st.integers(0, 300),
        st.sampled_from(["last_year", "year_before_last", "2025"]),
    ),
    st.builds(
        lambda v: {"fact": "industries", "op": "contains", "value": v}, st.sampled_from(["软件业", "钢管"])
    ),
    st.builds(
        lambda v: {"fact": "industries", "op": "contains_any", "value": v},
        st.lists(st.sampled_from(["软件业", "钢管", "电子信息制造业"]), min_size=1, unique=True),
    ),
    st.builds(lambda v: {"fact": "dishonest", "op": "==", "value": v}, st.booleans()),
    st.builds(lambda v: {"fact": "mu_chan_grade", "op": "exists", "value": v}, st.booleans()),
    st.builds(lambda w: {"has": "persons", "where": w}, person_condition),
    st.builds(
        lambda w, op, n: {"count": "persons", "where": w, "op": op, "value": n},
        person_condition,
        st.sampled_from(ORDER),
        st.integers(0, 3),
    ),
    st.builds(
        lambda op, v: {"fact": "persons[role=博士后].count", "op": op, "value": v},
        st.sampled_from(ORDER),
        st.integers(0, 3),
    ),
    st.booleans(),
)
condition = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=4)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, max_size=4)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=8,
)


def k_not(v):
    return None if v is None else not v


def k_and(values):
    return False if False in values else None if None in values else True


def k_or(values):
    return True if True in values else None if None in values else False


@SETTINGS
@given(condition, complete_and_partial())
def test_not_is_kleene_negation(c, profiles):
    _, p = profiles
    r, n = evaluate(c, p, ON), evaluate({"not": c}, p, ON)
    assert n.value is k_not(r.value)
    assert n.missing == r.missing
    nn = evaluate({"not": {"not": c}}, p, ON)
    assert (nn.value, nn.missing) == (r.value, r.missing)


@SETTINGS
@given(st.lists(condition, max_size=4), complete_and_partial())
def test_all_and_any_follow_kleene_tables(parts, profiles):
    _, p = profiles
    results = [evaluate(c, p, ON) for c in parts]
    values = [r.value for r in results]
    unknown_missing = list(dict.fromkeys(m for r in results if r.value is None for m in r.missing))
    a, o = evaluate({"all": parts}, p, ON), evaluate({"any": parts}, p, ON)
    assert a.value is k_and(values)
    assert o.value is k_or(values)
    assert a.missing == (unknown_missing if a.value is None else [])
    assert o.missing == (unknown_missing if o.value is None else [])
    # De Morgan
    assert (
        evaluate({"not": {"all": parts}}, p, ON).value
        is evaluate({"any": [{"not": c} for c in parts]}, p, ON).value
    )


@SETTINGS
@given(condition, complete_and_partial())
def test_missing_is_empty_exactly_when_known_and_within_the_referenced_facts(c, profiles):
    _, p = profiles
    r = evaluate(c, p, ON)
    assert (r.value is None) == bool(r.missing)
    refs = referenced_facts(c, ON)
    assert {generic(m) for m in r.missing} <= refs
    fast = evaluate(c, p, ON, trace=False)
    assert (fast.value, fast.missing) == (r.value, r.missing)
    assert r.trace[0].value is r.value and r.trace[0].missing == r.missing


@SETTINGS
@given(condition, complete_and_partial())
def test_known_answers_never_change_when_facts_are_added(c, profiles):
    assume('"exists"' not in json.dumps(c))  # exists asks about the profile itself, so it may change
    full, partial = profiles
    known = evaluate(c, full, ON)
    assert known.value is not None and known.missing == []
    r = evaluate(c, partial, ON)
    if r.value is not None:
        assert r.value is known.value


_LOC = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?$")


def fill(partial: dict, full: dict, location: str) -> None:
    """Copy one missing location (as ``evaluate`` names it) from the complete profile."""
    name, index, key = _LOC.match(location).groups()
    if index is not None:
        partial[name][int(index)][key] = full[name][int(index)][key]
    elif key is not None and name in partial:
        partial[name][key] = full[name][key]
    else:
        partial[name] = copy.deepcopy(full[name])


@SETTINGS
@given(condition, complete_and_partial())
def test_supplying_the_missing_facts_settles_the_answer(c, profiles):
    assume('"exists"' not in json.dumps(c))
    full, partial = profiles
    r = evaluate(c, partial, ON)
    for location in r.missing:
        fill(partial, full, location)
    settled = evaluate(c, partial, ON)
    assert settled.value is evaluate(c, full, ON).value


@SETTINGS
@given(condition)
def test_text_and_json_round_trip(c):
    assert isinstance(to_text(c), str) and to_text(c)
    again = json.loads(json.dumps(c, ensure_ascii=False))
    assert to_text(again) == to_text(c)


# --- formulas --------------------------------------------------------------------------------------

amount_leaf = st.one_of(
    st.integers(0, 10**7),
    st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.just({"fact": "employees"}),
    st.just({"fact": "revenue.last_year"}),
    st.just({"fact": "persons[role=博士后].count"}),
)
formula = st.recursive(
    amount_leaf,
    lambda inner: st.one_of(
        st.builds(
            lambda op, xs: {"op": op, "args": xs},
            st.sampled_from(["+", "-", "*", "min", "max"]),
            st.lists(inner, min_size=2, max_size=3),
        ),
        st.builds(lambda x, d: {"op": "/", "args": [x, d]}, inner, st.integers(1, 12)),
        st.builds(
            lambda r, b, c: {"rate": r, "base": b, "cap": c}, st.sampled_from([0.05, 0.1, 0.8]), inner, inner
        ),
        st.builds(
            lambda p, t, m: {"per_month": p, "months": t, "max_months": m}, inner, inner, st.integers(0, 36)
        ),
        st.builds(lambda x, to: {"round": x, "to": to}, inner, st.sampled_from(["fen", "yuan", "wan"])),
        st.builds(lambda c, a, b: {"cases": [{"when": c, "then": a}], "else": b}, leaf, inner, inner),
        st.builds(lambda t: {"grade": "mu_chan_grade", "table": {"A": t, "C": 0}, "else": 1}, inner),
        st.builds(
            lambda w, of: {"sum": "persons", "where": w, "of": of},
            person_condition,
            st.one_of(st.integers(0, 5000), st.just({"per_month": 2000, "months": {"fact": "months"}})),
        ),
    ),
    max_leaves=6,
)


@SETTINGS
@given(formula, complete_and_partial())
def test_formulas_never_go_negative_and_report_only_referenced_facts(f, profiles):
    full, partial = profiles
    c = compute(f, partial, ON)
    assert c.amount is None or c.amount >= 0
    assert (c.amount is None) == bool(c.missing)
    assert {generic(m) for m in c.missing} <= formula_facts(f, ON)
    quiet = compute(f, partial, ON, explain=False)
    assert (quiet.amount, quiet.missing) == (c.amount, c.missing)
    whole = compute(f, full, ON)
    assert whole.amount is not None and whole.amount >= 0
    if c.amount is not None and '"exists"' not in json.dumps(f):  # exists asks about the profile itself
        assert c.amount == whole.amount
