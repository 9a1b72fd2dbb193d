"""Matching (政策匹配): every public policy item an enterprise may get, from its profile document.

:func:`match_profile` evaluates each public item's stored rule (:func:`service.rule_for_item`, the same
evaluation ``zct calc`` uses) for one enterprise profile document (``match/enterprise.py``), adds the
region rule (:func:`item_region`, :func:`region_condition`) and keeps one tier per tier group
(:func:`tier_groups`). The set-based run over every stored enterprise lives in ``match/batch.py`` and
gives the same answers (a test compares them); stored results (``EnterpriseMatch``) are refreshed by
:func:`refresh_for_items` and :func:`refresh_for_enterprises`, which the session hooks of
``match/hooks.py`` call when items or profiles change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.library import PolicyItem, benefit_line
from zhengcetong.library import items as policy_items
from zhengcetong.match.enterprise import (
    ENTERPRISE_KIND,
    PERSON_KIND,
    check_enterprise,
    document_path,
    facts_of,
    normalise,
)
from zhengcetong.match.models import Enterprise, EnterpriseMatch
from zhengcetong.match.profile import Facts, fact_label
from zhengcetong.match.rules import Outcome, Rule
from zhengcetong.match.service import ItemRuleError, ProfileError, question_labels, rule_for_item

REGION_FACT = "region"

# --- region -----------------------------------------------------------------------------------------

_HAN = r"[\u4e00-\u9fff]"
# a county-level unit: …县 / …区 / …旗, directly followed by its government, a zone's 管委会, or a department
_COUNTY = re.compile(
    rf"(?P<unit>{_HAN}{{1,20}}?(?:自治县|县|区|旗))"
    rf"(?=人民政府|管委会|管理委员会|党工委|工委|{_HAN}{{0,14}}(?:局|委员会|委|办公室|办|中心|厅|处)$)"
)
_ZONE = re.compile(
    rf"(?P<unit>{_HAN}{{2,30}}?(?:开发区|园区|新区|示范区|试验区|保税区))(?:管委会|管理委员会)"
)
_CITY_PREFIX = re.compile(rf"^{_HAN}{{1,10}}?[市州盟](?={_HAN}{{2,}})")


def region_name(text: str | None) -> str | None:
    """A region's name without the city (and province) in front, for comparing: "聊城市东昌府区" → "东昌府区".

    Examples:
        >>> region_name("聊城市东昌府区"), region_name("东昌府区"), region_name(" 青禾高新区 "), region_name("")
        ('东昌府区', '东昌府区', '青禾高新区', None)
    """
    if not isinstance(text, str) or not text.strip():
        return None
    name = re.sub(r"\s+", "", text)
    name = re.sub(rf"^{_HAN}{{1,8}}?省", "", name)
    stripped = _CITY_PREFIX.sub("", name)
    return stripped if stripped.endswith(("县", "区", "旗")) else name


def item_region(issuer: str | None) -> str | None:
    """The county-level region an item applies to, from its document's issuer; None when it applies to all.

    A document of a 县 / 区 government or department, or of a development zone's 管委会, applies only in that
    county; a document of a city (including the city's 办公室 and bureaux) or higher applies everywhere. A
    county-level city (县级市) cannot be told from a prefecture city by its name, so it counts as a city.

    Examples:
        >>> item_region("聊城市人民政府办公室"), item_region("聊城市财政局"), item_region("山东省人民政府")
        (None, None, None)
        >>> item_region("东昌府区人民政府办公室"), item_region("聊城市东昌府区财政局"), item_region("冠县人民政府")
        ('东昌府区', '东昌府区', '冠县')
        >>> item_region("聊城经济技术开发区管委会"), item_region("青禾高新区管理委员会")
        ('聊城经济技术开发区', '青禾高新区')
        >>> item_region("聊城市住房和城乡建设局"), item_region(None)
        (None, None)
    """
    if not issuer:
        return None
    text = re.sub(r"\s+", "", issuer)
    for pattern in (_ZONE, _COUNTY):
        found = pattern.search(text)
        if found:
            return region_name(found.group("unit"))
    return None


def region_condition(item_region_name: str | None) -> dict | None:
    """The region rule of an item as a condition of the rule language (None: applies everywhere).

    The enterprise's ``region`` must be that county; an enterprise without ``region`` is unknown there.

    Examples:
        >>> region_condition("东昌府区")["value"], region_condition(None)
        ('东昌府区', None)
    """
    if item_region_name is None:
        return None
    return {
        "fact": REGION_FACT,
        "op": "==",
        "value": item_region_name,
        "label": f"企业注册在{item_region_name}",
    }


def region_holds(item_region_name: str | None, enterprise_region: Any) -> bool | None:
    """Whether an enterprise in ``enterprise_region`` may get an item of ``item_region_name`` (None: unknown).

    Examples:
        >>> region_holds(None, None), region_holds("东昌府区", "聊城市东昌府区"), region_holds("东昌府区", "冠县")
        (True, True, False)
        >>> region_holds("东昌府区", None) is None
        True
    """
    if item_region_name is None:
        return True
    name = region_name(enterprise_region)
    if name is None:
        return None
    return name == item_region_name


# --- tiers ------------------------------------------------------------------------------------------


def _tier_shape(node: Any) -> Any:
    """A condition with its numeric thresholds, labels, sources and question ids blanked: items of one
    clause with the same shape are tiers of one benefit (首次突破1亿元 / 5000万元)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ("label", "source", "note"):
                continue
            if key == "fact" and isinstance(value, str) and value.startswith("answers."):
                out[key] = "answers.?"
            elif key == "value" and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                out[key] = "#"
            else:
                out[key] = _tier_shape(value)
        return out
    if isinstance(node, list):
        return [_tier_shape(v) for v in node]
    return node


def _has_threshold(node: Any) -> bool:
    if isinstance(node, dict):
        value = node.get("value")
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and "fact" in node:
            return True
        return any(_has_threshold(v) for k, v in node.items() if k not in ("label", "source"))
    if isinstance(node, list):
        return any(_has_threshold(v) for v in node)
    return False


def tier_groups(items: list[PolicyItem]) -> dict[int, int]:
    """Item id → the id of its tier group's first item, for items that are tiers of one benefit.

    Tiers: items of one document and clause whose conditions are the same but for numeric thresholds (an
    enterprise whose revenue jumped from 4亿 to 12亿 meets both 首次突破5亿元 and 首次突破10亿元 of
    聊政办发〔2023〕7号 附件1/三/（二）, but gets the higher one). Items that differ in anything else (a
    recognition's name or level, a comparison's direction) are separate benefits; tiers told apart by a
    typed condition (≥2亿 / <2亿, the 亩产效益 grade) are exclusive by themselves.
    """
    groups: dict[tuple, list[int]] = {}
    for item in items:
        if not _has_threshold(item.conditions):
            continue
        shape = repr(_tier_shape(item.conditions))
        groups.setdefault((item.document_id, item.clause_path, shape), []).append(item.id)
    return {i: ids[0] for ids in groups.values() if len(ids) > 1 for i in ids}


# --- the public items as rules ----------------------------------------------------------------------


PUBLIC_APPLICANT = "public"  # PolicyItem.applicant of items only public bodies apply for
APPLICANT_FACT = "applicant"  # "person" in a person's facts (``enterprise.person_facts``)
# The facts a person has. An item that reads any other fact (营业收入, 认定, 项目 …) is for enterprises and
# other units only: a person gets "ineligible" for it, whatever else the person's profile says.
PERSON_FACT_ROOTS = frozenset(
    {"name", "region", "persons", "answers", "claims", "months", "years", "dishonest"}
)
_ROOT = re.compile(r"[A-Za-z_]+")


def for_units_only(rule: Rule, on: date | None = None) -> bool:
    """Whether a rule reads a fact only an enterprise (unit) has, so that no person may get it.

    Examples:
        >>> ref = {"doc_number": "青政发〔2026〕1号"}
        >>> r = Rule.from_dict({"item_id": "x", "name": "x", "reference": ref, "formula": 3000,
        ...     "condition": {"has": "persons", "where": {"fact": "role", "op": "==", "value": "博士后"}}})
        >>> for_units_only(r)
        False
        >>> for_units_only(Rule.from_dict({"item_id": "y", "name": "y", "reference": ref, "formula": 1,
        ...     "condition": {"fact": "revenue.2025", "op": ">=", "value": 1}}))
        True
    """
    refs = set(rule.condition.refs(on, ""))
    if rule.formula is not None:
        refs |= set(rule.formula.refs(on, ""))
    roots = {m.group(0) for ref in refs if (m := _ROOT.match(ref))}
    return bool(roots - PERSON_FACT_ROOTS)


@dataclass
class MatchItem:
    """One public item, compiled once per run: its rule, region and tier group."""

    item: PolicyItem
    rule: Rule
    region: str | None
    group: int | None
    questions: dict[str, str]
    for_units_only: bool = False

    @property
    def amount_max(self) -> Decimal | None:
        return self.item.headline_yuan


@dataclass
class Catalog:
    """The public items of a run, with the items whose rules do not compile (left out, reported)."""

    items: list[MatchItem]
    broken: list[str] = field(default_factory=list)


def public_catalog(*, db_session: Session, item_ids: Iterable[int] | None = None) -> Catalog:
    """The items the public may see today, compiled for matching; with ``item_ids``, only those that are
    public and the other tiers of their tier groups."""
    today = clock.today()
    found = policy_items.list_items(db_session=db_session, public_on=today)
    groups = tier_groups(found)
    wanted = None
    if item_ids is not None:  # with their tier mates: the best tier depends on all of them
        wanted = set(item_ids)
        mates = {groups[i] for i in wanted if i in groups}
        wanted |= {i for i, g in groups.items() if g in mates}
    items, broken = [], []
    for item in found:
        if wanted is not None and item.id not in wanted:
            continue
        if item.applicant == PUBLIC_APPLICANT:  # a government's or department's own funds: not offered
            continue
        try:
            rule = rule_for_item(db_session=db_session, item=item)
        except ItemRuleError as exc:
            broken.append(str(exc))
            continue
        region = item_region(item.document.issuer)
        items.append(
            MatchItem(
                item,
                rule,
                region,
                groups.get(item.id),
                question_labels(item.conditions),
                for_units_only(rule, today),
            )
        )
    return Catalog(items, broken)


# --- one profile ------------------------------------------------------------------------------------


def parse_document(data: Any, *, source: str = "profile") -> dict:
    """A checked enterprise profile document; ProfileError naming each wrong field otherwise."""
    problems = check_enterprise(data)
    if problems:
        raise ProfileError(problems, source=source)
    return normalise(data)


def evaluate_pair(entry: MatchItem, facts: dict | Facts, on: date, *, explain: bool) -> Outcome:
    """The item's outcome for one enterprise's (or person's) facts, with the region rule applied."""
    profile = facts.profile if isinstance(facts, Facts) else facts
    if entry.for_units_only and profile.get(APPLICANT_FACT) == PERSON_KIND:
        outcome = entry.rule.evaluate({}, on, explain=False)
        outcome.eligible, outcome.amount, outcome.missing = "ineligible", None, []
        outcome.reasons = ["不适用：本政策面向企业（单位），个人不能申请"] if explain else []
        outcome.steps = []
        return outcome
    outcome = entry.rule.evaluate(facts, on, explain=explain)
    if entry.region is None or outcome.eligible == "ineligible":
        return outcome
    holds = region_holds(entry.region, profile.get(REGION_FACT))
    if holds is True:
        if explain:
            outcome.reasons.append(f"满足：企业注册在{entry.region}（区县政策）")
        return outcome
    if holds is False:
        outcome.eligible = "ineligible"
        outcome.amount, outcome.missing = None, []
        if explain:
            outcome.reasons.insert(0, f"不满足：本政策仅适用于注册在{entry.region}的企业")
        return outcome
    outcome.eligible = "possibly"
    outcome.missing = [REGION_FACT, *(m for m in outcome.missing if m != REGION_FACT)]
    if explain:
        outcome.reasons.insert(
            0, f"待确认：本政策仅适用于注册在{entry.region}的企业（缺少：所在县（市、区））"
        )
    return outcome


def sort_key(amount: Decimal | None, amount_max: Decimal | None, position: int) -> tuple:
    """Known estimated amounts first, largest first; then by the item's maximum; then catalog order."""
    return (
        amount is None,
        -(amount or 0),
        amount_max is None,
        -(amount_max or 0),
        position,
    )


def pick_tiers(rows: list[tuple[int, MatchItem, Outcome]]) -> tuple[list, list[tuple[str, str]]]:
    """Keep the best eligible item of each tier group; the others are superseded: (kept, [(item, by)])."""
    best: dict[int, tuple[int, MatchItem, Outcome]] = {}
    for row in rows:
        _, entry, outcome = row
        if entry.group is None or outcome.eligible != "eligible":
            continue
        held = best.get(entry.group)
        if held is None or sort_key(outcome.amount, entry.amount_max, row[0]) < sort_key(
            held[2].amount, held[1].amount_max, held[0]
        ):
            best[entry.group] = row
    kept, superseded = [], []
    for row in rows:
        _, entry, outcome = row
        if entry.group is not None and outcome.eligible == "eligible" and best[entry.group] is not row:
            superseded.append((entry.item.key, best[entry.group][1].item.key))
        else:
            kept.append(row)
    return kept, superseded


def _yuan(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


QUESTION_NAMESPACES = ("answers", "claims")  # a profile without the namespace misses every question in it


def missing_entries(missing: list[str], questions: dict[str, str], kind: str = ENTERPRISE_KIND) -> list[dict]:
    """The facts still needed, each with its label (the question, for an answer) and its document path."""
    out: list[dict] = []
    for location in missing:
        asked = {f: q for f, q in questions.items() if f.startswith(location + ".")}
        if location in QUESTION_NAMESPACES and asked:  # the profile has none of these answers: ask each
            out.extend(
                {"fact": f, "label": f"申请人确认：{q}", "path": document_path(f, kind)}
                for f, q in asked.items()
            )
            continue
        if location in questions:
            label = f"申请人确认：{questions[location]}"
        elif location == REGION_FACT:
            label = "所在县（市、区）"
        else:
            label = fact_label(location)
        out.append({"fact": location, "label": label, "path": document_path(location, kind)})
    return out


def entry_dict(entry: MatchItem, outcome: Outcome, kind: str = ENTERPRISE_KIND) -> dict:
    """One matched item as JSON (see README 匹配)."""
    item = entry.item
    ref = outcome.reference
    data = {
        "item_id": item.key,
        "id": item.id,
        "name": item.name,
        "doc_number": ref.get("doc_number"),
        "clause": ref.get("clause"),
        "quote": ref.get("quote"),
        "condition": item.condition,
        "amount_max_yuan": _yuan(entry.amount_max),
        "benefit": benefit_line(item),  # 给予X (fixed), 最高X (ceiling), 按X% (rate), as the text says
        "estimated_amount_yuan": _yuan(outcome.amount),
        "up_to": outcome.up_to,
        "region": entry.region,
        "reasons": list(outcome.reasons),
        "steps": list(outcome.steps),
    }
    if outcome.missing:
        data["missing"] = missing_entries(outcome.missing, entry.questions, kind)
    return data


@dataclass
class MatchResult:
    """What one enterprise may get on ``on``: eligible and possibly items (sorted), and how many are not."""

    on: date
    eligible: list[dict]
    possibly: list[dict]
    ineligible_count: int
    superseded: list[dict]
    broken: list[str]

    def to_dict(self) -> dict:
        return {
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "possibly": self.possibly,
            "ineligible_count": self.ineligible_count,
            "superseded": self.superseded,
        }


def match_facts(*, catalog: Catalog, facts: dict, on: date, explain: bool = True) -> MatchResult:
    """Match one enterprise's facts against a compiled catalog."""
    shared = Facts(facts, on)
    rows = [(i, e, evaluate_pair(e, shared, on, explain=explain)) for i, e in enumerate(catalog.items)]
    rows, superseded = pick_tiers(rows)
    by_key = {e.item.key: e for e in catalog.items}
    rows.sort(key=lambda r: sort_key(r[2].amount, r[1].amount_max, r[0]))
    kind = facts.get(APPLICANT_FACT, ENTERPRISE_KIND)
    eligible = [entry_dict(e, o, kind) for _, e, o in rows if o.eligible == "eligible"]
    possibly = [entry_dict(e, o, kind) for _, e, o in rows if o.eligible == "possibly"]
    for data in eligible:
        lower = [key for key, by in superseded if by == data["item_id"]]
        if lower and explain:
            names = "、".join(by_key[k].item.name for k in lower)
            data["reasons"].append(f"同一条款的较低档次不重复享受：{names}")
    return MatchResult(
        on=on,
        eligible=eligible,
        possibly=possibly,
        ineligible_count=sum(1 for _, _, o in rows if o.eligible == "ineligible"),
        superseded=[{"item_id": key, "superseded_by": by} for key, by in superseded],
        broken=catalog.broken,
    )


def match_profile(
    *, db_session: Session, document: Any, on: date | None = None, source: str = "profile"
) -> MatchResult:
    """Every public item the enterprise of ``document`` may get on ``on`` (default today), best first.

    ``document`` is an enterprise profile document; a wrong one is a ProfileError naming each field.
    """
    document = parse_document(document, source=source)
    catalog = public_catalog(db_session=db_session)
    return match_facts(catalog=catalog, facts=facts_of(document), on=on or clock.today())


def summary(result: MatchResult | dict) -> dict:
    """The short answer of one enterprise (the batch's JSONL line without ``credit_code``)."""
    data = result.to_dict() if isinstance(result, MatchResult) else result
    return {
        "eligible": [
            {"item_id": e["item_id"], "estimated_amount_yuan": e["estimated_amount_yuan"]}
            for e in data["eligible"]
        ],
        "possibly": [
            {"item_id": e["item_id"], "missing": [m["fact"] for m in e.get("missing", [])]}
            for e in data["possibly"]
        ],
    }


# --- stored matches ---------------------------------------------------------------------------------


def _store(db_session: Session, enterprise: Enterprise, entry: MatchItem, outcome: Outcome, on: date) -> None:
    row = db_session.get(EnterpriseMatch, (enterprise.id, entry.item.id))
    if outcome.eligible == "ineligible":
        if row is not None:
            db_session.delete(row)
        return
    values = {
        "item_version": entry.item.version,
        "profile_version": enterprise.version,
        "result": outcome.eligible,
        "estimated_amount_yuan": outcome.amount,
        "missing": list(outcome.missing),
        "computed_at": clock.now(),
    }
    if row is None:
        db_session.add(EnterpriseMatch(enterprise_id=enterprise.id, item_id=entry.item.id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)


def _refresh(db_session: Session, enterprises: list[Enterprise], catalog: Catalog, on: date) -> int:
    """Recompute the pairs of ``enterprises`` × ``catalog`` (tiers picked per enterprise); returns pairs."""
    pairs = 0
    for enterprise in enterprises:
        problems = check_enterprise(enterprise.profile)
        facts = Facts(facts_of(enterprise.profile) if not problems else {}, on)
        rows = [(i, e, evaluate_pair(e, facts, on, explain=False)) for i, e in enumerate(catalog.items)]
        kept, superseded = pick_tiers(rows)
        lower = {key for key, _ in superseded}
        for _, entry, outcome in rows:
            if entry.item.key in lower:
                outcome.eligible = "ineligible"  # not stored: the better tier is
            _store(db_session, enterprise, entry, outcome, on)
            pairs += 1
    return pairs


def refresh_for_items(*, db_session: Session, item_ids: Iterable[int], on: date | None = None) -> int:
    """Recompute the stored matches of these items for every enterprise; rows of items no longer public go.

    Items of a tier group are recomputed with their whole group (the best tier depends on all of them).
    Returns the number of pairs recomputed.
    """
    ids = set(item_ids)
    if not ids:
        return 0
    on = on or clock.today()
    catalog = public_catalog(db_session=db_session, item_ids=ids)
    gone = ids - {e.item.id for e in catalog.items}
    if gone:
        db_session.execute(delete(EnterpriseMatch).where(EnterpriseMatch.item_id.in_(gone)))
    if not catalog.items:
        return 0
    enterprises = list(db_session.scalars(select(Enterprise).order_by(Enterprise.id)))
    return _refresh(db_session, enterprises, catalog, on)


def refresh_for_enterprises(
    *, db_session: Session, enterprise_ids: Iterable[int], on: date | None = None
) -> int:
    """Recompute the stored matches of these enterprises against every public item; returns pairs."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return 0
    on = on or clock.today()
    catalog = public_catalog(db_session=db_session)
    public_ids = [e.item.id for e in catalog.items]
    db_session.execute(
        delete(EnterpriseMatch).where(
            EnterpriseMatch.enterprise_id.in_(ids), EnterpriseMatch.item_id.not_in(public_ids or [-1])
        )
    )
    enterprises = list(
        db_session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)).order_by(Enterprise.id))
    )
    return _refresh(db_session, enterprises, catalog, on)


def stored_matches(*, db_session: Session, enterprise_id: int) -> list[EnterpriseMatch]:
    """The stored (eligible and possibly) matches of one enterprise."""
    return list(
        db_session.scalars(select(EnterpriseMatch).where(EnterpriseMatch.enterprise_id == enterprise_id))
    )


__all__ = [
    "Catalog",
    "MatchItem",
    "MatchResult",
    "entry_dict",
    "evaluate_pair",
    "item_region",
    "match_facts",
    "match_profile",
    "missing_entries",
    "parse_document",
    "pick_tiers",
    "public_catalog",
    "refresh_for_enterprises",
    "refresh_for_items",
    "region_condition",
    "region_holds",
    "region_name",
    "sort_key",
    "stored_matches",
    "summary",
    "tier_groups",
]
