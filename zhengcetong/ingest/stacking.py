"""Non-cumulation rules (不可叠加): "同一企业同一事项符合多项扶持政策的，按照从高不重复的原则执行",
"可选择适用最优惠政策，但不能累计执行", "与本市其他同类政策不得同时享受".

A rule governs the items of the clause it stands in (and that clause's sub-clauses); a rule in a
clause without items of its own (a 附则, a closing paragraph) governs every item of the document.
:func:`attach_rules` records on each governed item the rule's words and the clause that states it,
so matching and risk control can tell that two benefits exclude each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhengcetong.library import ParsedDocument

_RULE = re.compile(
    r"就高不重复|从高不重复|不重复享受|不得重复享受|不重复支持|不重复奖励|不重复补贴|不重复给予"
    r"|不得同时享受|不同时享受|不能同时享受|不得重复申报|不能累计执行|不累计执行|不予叠加|不叠加|不可叠加"
    r"|按就高原则|按照就高原则|就高执行|从高执行|择优享受|择一享受|只能选择其中一项|可选择适用最优惠政策"
)
_STOPS = "。；;！!？?\n"


_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]{1,5}条|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,3}[.．、])\s*"
)


@dataclass(frozen=True)
class StackingRule:
    """One non-cumulation sentence and where it stands."""

    text: str
    clause: str  # the clause path ("" for the document's opening text)
    start: int  # offsets in the document body
    end: int


def find_rules(doc: ParsedDocument) -> list[StackingRule]:
    """Every non-cumulation sentence of a document, with the clause that holds it."""
    clauses = list(doc.all_clauses())  # a clause's span is its own text: its children follow it
    rules: list[StackingRule] = []
    body = doc.body
    for m in _RULE.finditer(body):
        a = max(body.rfind(stop, 0, m.start()) for stop in _STOPS) + 1
        ends = [i for i in (body.find(stop, m.end()) for stop in _STOPS) if i >= 0]
        b = min(ends) + 1 if ends else len(body)
        if rules and rules[-1].start == a:
            continue  # two cue words in one sentence: one rule
        clause = next((c for c in clauses if c.start <= a < c.end), None)
        text = _NUMBERING.sub("", body[a:b].strip())
        rules.append(StackingRule(text, clause.path if clause else "", a, b))
    return rules


def attach_rules(doc: ParsedDocument, items: list) -> None:
    """Record on each item (``non_cumulative``) the rules that govern it.

    A rule governs the items under its own clause; a rule in a clause that grants nothing (a 附则,
    a closing sub-clause) governs the items under its parent clause, the whole document at the top.
    """
    rules = find_rules(doc)
    if not rules or not items:
        return
    granting = {item.clause for item in items}
    for item in items:
        chosen = [r for r in rules if _within(item.clause, _scope(r, granting))]
        if chosen:
            item.non_cumulative = "；".join(f"{r.text}（{r.clause or '正文'}）" for r in chosen)


def _scope(rule: StackingRule, granting: set[str]) -> str:
    if any(_within(path, rule.clause) for path in granting):
        return rule.clause
    return rule.clause.rsplit("/", 1)[0] if "/" in rule.clause else ""


def _within(path: str, ancestor: str) -> bool:
    """Whether clause ``path`` is ``ancestor`` or lies under it ("" holds everything)."""
    return not ancestor or path == ancestor or path.startswith(ancestor + "/")
