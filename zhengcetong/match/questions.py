"""The questions a match leaves open (待补充的信息), asked once each and the most money first.

A match answers "possibly" (可能符合) for an item when a fact its conditions need is unknown. One fact
is often missing for many items (``revenue.2025``, the enterprise's ``recognitions``), so the portal asks
per fact, not per item: :func:`questions_of` gathers the missing facts of every possibly item, weighs each
by the money of the items it leaves open (their estimated amount, else their headline amount), and sorts
them heaviest first. :func:`apply_answers` writes answers into the enterprise's profile document, so the
match can be run again at once and the document saved as it is.

A list fact (认定、人员、标准 …) cannot be asked as one value. Its question offers the elements the items
ask for (``{"has": "recognitions", "where": …}`` whose ``where`` fixes every field it reads, such as 省级
专精特新中小企业 first recognised), to tick; a list, once given, is complete (``LANGUAGE.md``), so the
elements left unticked count as absent. A ``where`` with a threshold (a project of at least 500万元) is
not guessed: the question points to the profile form, where the real figure is entered.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from zhengcetong.match.enterprise import PROJECT_FIELDS, document_path
from zhengcetong.match.errors import FactError
from zhengcetong.match.profile import FactSpec, check_path

# kinds of question: how the answer is given
YES_NO, NUMBER, CHOICE, TEXT, ELEMENTS, PROFILE = "yesno", "number", "choice", "text", "elements", "profile"
_EXACT_OPS = ("==", "contains", "contains_any", "in")


@dataclass
class Element:
    """One element a list question offers to tick: what the items ask for, as the document stores it."""

    key: str
    text: str
    value: dict
    stake_yuan: Decimal = Decimal(0)
    item_ids: list[str] = field(default_factory=list)


@dataclass
class Question:
    """One missing fact, asked once for every item that needs it."""

    fact: str  # the location as ``missing`` names it: revenue.2025, claims.q…, recognitions
    path: str  # where the answer goes in the profile document: revenue_yuan.2025, facts.claims.q…
    label: str
    kind: str
    unit: str | None = None
    options: dict[str, str] = field(default_factory=dict)  # CHOICE: value → label
    elements: list[Element] = field(default_factory=list)  # ELEMENTS: what may be ticked
    stake_yuan: Decimal = Decimal(0)
    item_ids: list[str] = field(default_factory=list)
    item_names: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The form field's name."""
        return "q." + self.fact


def _stake(entry: dict) -> Decimal:
    """The money an item may bring: its estimate for this enterprise, else its headline amount."""
    for key in ("estimated_amount_yuan", "amount_max_yuan"):
        if entry.get(key) is not None:
            return Decimal(entry[key])
    return Decimal(0)


def _kind(fact: str) -> tuple[str, FactSpec | None]:
    if "[" in fact:  # one element's field: the element is edited in the profile form
        return PROFILE, None
    try:
        spec = check_path(fact)
    except FactError:
        return PROFILE, None
    if spec.type == "bool":
        return YES_NO, spec
    if spec.numeric:
        return NUMBER, spec
    if spec.type == "enum" and spec.enum:
        return CHOICE, spec
    if spec.type == "str":
        return TEXT, spec
    if spec.type == "records":
        return ELEMENTS, spec
    return PROFILE, spec


def _has_nodes(node: Any, fact: str) -> list[dict]:
    """The ``has`` conditions over the list ``fact`` anywhere in a condition, in order."""
    found: list[dict] = []
    if isinstance(node, dict):
        if node.get("has") == fact:
            found.append(node)
        for key, value in node.items():
            if key != "where":
                found.extend(_has_nodes(value, fact))
    elif isinstance(node, list):
        for value in node:
            found.extend(_has_nodes(value, fact))
    return found


def element_of(where: Any) -> dict | None:
    """The element a ``where`` describes when it fixes every field it reads (an ``all`` of exact tests),
    else None.

    Examples:
        >>> element_of({"all": [{"fact": "name", "op": "contains", "value": "专精特新中小企业"},
        ...                     {"fact": "level", "op": "==", "value": "provincial"},
        ...                     {"fact": "first_time", "op": "==", "value": True}]})
        {'name': '专精特新中小企业', 'level': 'provincial', 'first_time': True}
        >>> element_of({"fact": "name", "op": "contains_any", "value": ["博士后科研工作站", "博士后创新实践基地"]})
        {'name': '博士后科研工作站'}
        >>> element_of({"all": [{"fact": "kind", "op": "==", "value": "技术改造"},
        ...                     {"fact": "investment", "op": ">=", "value": 5000000}]}) is None
        True
    """
    tests = where.get("all") if isinstance(where, dict) and "all" in where else [where]
    if not isinstance(tests, list):
        return None
    element: dict = {}
    for test in tests:
        if not (
            isinstance(test, dict) and test.get("op") in _EXACT_OPS and isinstance(test.get("fact"), str)
        ):
            return None
        name, value = test["fact"], test.get("value")
        if "." in name or "[" in name:
            return None
        if test["op"] in ("contains_any", "in"):
            if not (isinstance(value, list) and value):
                return None
            value = value[0]
        if isinstance(value, str):
            value = value.strip('“”"')
        if name in element and element[name] != value:
            return None
        element[name] = value
    return element or None


_HEAD_FIELDS = ("name", "role", "kind")  # the field that names an element, shown first


def element_text(fact: str, element: dict) -> str:
    """An element as people name it: its name, then its other fields in brackets.

    Examples:
        >>> element_text("recognitions", {"name": "专精特新中小企业", "level": "provincial", "first_time": True})
        '专精特新中小企业（省级，首次获得）'
        >>> element_text("persons", {"role": "博士后", "founder": True})
        '博士后（自主创业）'
    """
    try:
        fields = check_path(fact).field_specs
    except FactError:
        fields = {}
    head = next((f for f in _HEAD_FIELDS if f in element), None)
    rest = []
    for name, value in element.items():
        if name == head:
            continue
        spec = fields.get(name)
        if spec is None:
            rest.append(f"{name}：{value}")
        elif spec.type == "bool":
            rest.append((spec.yes or spec.label) if value else (spec.no or f"非{spec.label}"))
        elif spec.enum:
            rest.append(spec.enum.get(value, str(value)))
        else:
            rest.append(f"{spec.label}：{value}")
    text = str(element[head]) if head else ""
    if rest:
        text += f"（{'，'.join(rest)}）" if text else "，".join(rest)
    return text


def _document_element(fact: str, element: dict) -> dict:
    """An element with the fact's field names turned into the document's (projects only differ)."""
    if fact != "projects":
        return dict(element)
    back = {f: d for d, f in PROJECT_FIELDS.items()}
    return {back.get(k, k): v for k, v in element.items()}


def questions_of(possibly: list[dict], conditions: dict[str, Any]) -> list[Question]:
    """The missing facts of the ``possibly`` entries of a match (``MatchResult.possibly``), one question
    each, the one that settles the most money first (then the most items, then the label).

    ``conditions`` maps an entry's ``item_id`` to its item's condition, for the elements of list facts.
    """
    questions: dict[str, Question] = {}
    for entry in possibly:
        stake = _stake(entry)
        for missing in entry.get("missing", []):
            fact = missing["fact"]
            question = questions.get(fact)
            if question is None:
                kind, spec = _kind(fact)
                question = questions[fact] = Question(
                    fact=fact,
                    path=missing.get("path") or document_path(fact),
                    label=missing.get("label") or fact,
                    kind=kind,
                    unit=spec.unit if spec else None,
                    options=dict(spec.enum or {}) if kind == CHOICE and spec else {},
                )
            if entry["item_id"] in question.item_ids:
                continue
            question.stake_yuan += stake
            question.item_ids.append(entry["item_id"])
            question.item_names.append(entry["name"])
            if question.kind == ELEMENTS:
                _add_elements(question, entry, conditions.get(entry["item_id"]), stake)
    for question in questions.values():
        if question.kind == ELEMENTS and not question.elements:
            question.kind = PROFILE
        question.elements.sort(key=lambda e: (-e.stake_yuan, e.text))
    return sorted(questions.values(), key=lambda q: (-q.stake_yuan, -len(q.item_ids), q.label))


def _add_elements(question: Question, entry: dict, condition: Any, stake: Decimal) -> None:
    for node in _has_nodes(condition, question.fact):
        element = element_of(node.get("where"))
        if element is None:
            continue
        value = _document_element(question.fact, element)
        key = json.dumps(value, ensure_ascii=False, sort_keys=True)
        found = next((e for e in question.elements if e.key == key), None)
        if found is None:
            text = element_text(question.fact, element)
            found = Element(key=key, text=text, value=value)
            question.elements.append(found)
        if entry["item_id"] not in found.item_ids:
            found.stake_yuan += stake
            found.item_ids.append(entry["item_id"])


class AnswerError(ValueError):
    """An answer that cannot be written at its place in the document."""


def _set(document: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    here = document
    for part in parts[:-1]:
        nxt = here.get(part)
        if nxt is None:
            nxt = here[part] = {}
        if not isinstance(nxt, dict):
            raise AnswerError(f"画像中的“{part}”不是对象，不能写入“{path}”")
        here = nxt
    here[parts[-1]] = value


def _get(document: dict, path: str) -> Any:
    here: Any = document
    for part in path.split("."):
        if not isinstance(here, dict):
            return None
        here = here.get(part)
    return here


def apply_answers(document: dict, answers: dict[str, Any], questions: list[Question]) -> dict:
    """A copy of ``document`` with the answers written where their facts live.

    ``answers`` maps a question's ``fact`` to its value: the typed value for a scalar, the list of ticked
    element keys for a list (an empty list: none of them). Unknown facts are ignored; a list answer adds
    the ticked elements to the list (which, once present, is complete).
    """
    out = copy.deepcopy(document)
    by_fact = {q.fact: q for q in questions}
    for fact, value in answers.items():
        question = by_fact.get(fact)
        if question is None or question.kind == PROFILE:
            continue
        if question.kind != ELEMENTS:
            _set(out, question.path, value)
            continue
        current = _get(out, question.path)
        listed = list(current) if isinstance(current, list) else []
        for element in question.elements:
            if element.key in value and element.value not in listed:
                listed.append(dict(element.value))
        _set(out, question.path, listed)
    return out


__all__ = [
    "CHOICE",
    "ELEMENTS",
    "NUMBER",
    "PROFILE",
    "TEXT",
    "YES_NO",
    "AnswerError",
    "Element",
    "Question",
    "apply_answers",
    "element_of",
    "questions_of",
]
