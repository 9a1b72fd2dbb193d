"""Policy items (政策事项) in the library: stored as drafts, edited, published and withdrawn.

Extracted items arrive as drafts. A reviewer edits them and publishes them; every change is a
revision with who, when, before and after (``library.publication``: an edit of a published item sends
it back to draft). A document that expires or is repealed withdraws its published items on that date.
The review queue and its deadlines are in ``library.review``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.decimals import plain
from zhengcetong.errors import Conflict, InputError, NotFound
from zhengcetong.library import publication
from zhengcetong.library.benefits import benefit_line
from zhengcetong.library.labels import APPLICANT_NAMES, BENEFIT_NAMES, ITEM_CATEGORIES, PER_NAMES
from zhengcetong.library.models import Document, PolicyItem, PolicyItemRevision
from zhengcetong.library.publication import PublicationStatus
from zhengcetong.library.validity import validity_of

EDITABLE = (
    "name",
    "category",
    "condition",
    "conditions",
    "formula",
    "benefit_kind",
    "applicant",
    "amount_max_yuan",
    "rate",
    "per",
    "cap_yuan",
    "months_max",
    "departments",
    "time_limit_days",
)
DECIMALS = ("amount_max_yuan", "rate", "cap_yuan")
FORMULA_FIELDS = ("amount_max_yuan", "rate", "per", "cap_yuan", "months_max")  # what formula_for reads
FIELD_NAMES = {
    "name": "事项名称",
    "category": "类别",
    "condition": "申报条件",
    "conditions": "机器可判断的条件",
    "formula": "计算公式",
    "benefit_kind": "待遇类型",
    "applicant": "申请对象",
    "amount_max_yuan": "金额上限",
    "rate": "比例",
    "per": "计发周期",
    "cap_yuan": "封顶金额",
    "months_max": "月数上限",
    "departments": "责任单位",
    "time_limit_days": "办理时限",
    "status": "状态",
}
RULE_FIELDS = ("conditions", "formula")  # the machine-evaluable rule (see zhengcetong/match/LANGUAGE.md)


class RuleLanguage(Protocol):
    """What editing an item needs from the rule language, which lives in ``zhengcetong.match`` (it imports
    the library, not the reverse): the caller passes ``zhengcetong.match.service.RULES``."""

    def problems(self, field: str, value: Any) -> list[str]:
        """The problems of one rule field ("conditions" or "formula") in Chinese, empty when it compiles."""
        ...

    def implied_formula(self, fields: Any, current: Any) -> dict | None:
        """The formula the amount fields imply, on ``current``'s base fact and ceiling form."""
        ...


class RuleInputError(InputError):
    """Conditions or a formula that do not compile; ``problems`` lists every one, in Chinese."""

    def __init__(self, problems: list[str], *, source: str | None = None):
        self.problems = list(problems)
        super().__init__("规则有误：" + "；".join(self.problems), source=source)


def _snapshot(item: PolicyItem) -> dict:
    """The editable values of an item, JSON-ready; numbers in their plain form (2000000.00 and 2000000 agree)."""
    out = {}
    for name in (*EDITABLE, "status"):
        value = getattr(item, name)
        out[name] = plain(value) if isinstance(value, Decimal) else value
    return out


def _implied_formula(item: PolicyItem, rules: RuleLanguage) -> dict | None:
    """The formula the item's amount fields imply (rate, cap, maximum, per, months), on the same base fact
    and as a ceiling when the current formula is one."""
    from types import SimpleNamespace

    fields = SimpleNamespace(
        **{name: getattr(item, name) for name in FORMULA_FIELDS}, conditions=item.conditions
    )
    return rules.implied_formula(fields, item.formula)


def _check_values(values: dict) -> None:
    """Refuse edited values the item cannot hold (an InputError naming the field)."""

    def fail(name: str, expected: str) -> None:
        raise InputError(f"{FIELD_NAMES[name]}{expected}，实际为“{values[name]}”", source=name)

    if "name" in values and not (isinstance(values["name"], str) and values["name"].strip()):
        raise InputError(f"{FIELD_NAMES['name']}不能为空", source="name")
    if "condition" in values and not isinstance(values["condition"], str | None):
        fail("condition", "应为文字")
    for name, allowed in (
        ("category", ITEM_CATEGORIES),
        ("benefit_kind", BENEFIT_NAMES),
        ("applicant", APPLICANT_NAMES),
        ("per", PER_NAMES),
    ):
        if name in values and values[name] not in allowed:
            fail(name, "应为" + "、".join(allowed))
    if values.get("rate") is not None and values["rate"] > 1:
        fail("rate", "应在 0 到 1 之间（如 0.1 表示 10%）")
    for name in ("months_max", "time_limit_days"):
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            fail(name, "应为非负整数")
    if "departments" in values and not (
        isinstance(values["departments"], list)
        and all(isinstance(d, str) and d.strip() for d in values["departments"])
    ):
        fail("departments", "应为部门名称的列表")


def _event_data(
    workflow: publication.Workflow, action: str, items: Sequence[Any], revisions: Sequence[Any]
) -> dict:
    """An item edit names the fields changed; a publication names the items; a withdrawal counts them."""
    if action == "edit":
        revision = revisions[-1]
        return {"changed": [n for n in EDITABLE if revision.before[n] != revision.after[n]]}
    if action == "publish":
        return {"count": len(items), "keys": [i.key for i in items]}
    return {"count": len(items)}


WORKFLOW = publication.Workflow(
    name="item",
    noun="政策事项",
    target_type="policy_item",
    revision=PolicyItemRevision,
    fields=(*EDITABLE, "status"),
    snapshot=_snapshot,
    ident=lambda item: item.key,
    edit_returns_to_draft=True,  # a changed item is reviewed again before it is public
    republish=False,  # a withdrawn item stays withdrawn: its document lapsed
    event_data=_event_data,
)


def changed_fields(revision: PolicyItemRevision) -> list[str]:
    """The fields a revision changed, in the order of EDITABLE (then status); none for the first."""
    return WORKFLOW.changed_fields(revision)


def store_items(*, db_session: Session, document: Document, extracted: list, actor: str) -> list[PolicyItem]:
    """Store a document's extracted items as drafts (keys it already has are skipped; a key another
    document holds is a Conflict, never a silent loss)."""
    keys = [e.key for e in extracted]
    known = (
        dict(
            db_session.execute(
                select(PolicyItem.key, PolicyItem.document_id).where(PolicyItem.key.in_(keys))
            ).all()
        )
        if keys
        else {}
    )
    stored = []
    for position, e in enumerate(extracted):
        if e.key in known:
            if known[e.key] != document.id:
                raise Conflict(f"《{document.title}》条款 {e.clause} 的事项编号 {e.key} 已属于另一篇文件")
            continue
        item = PolicyItem(
            key=e.key,
            document=document,
            position=position,
            clause_path=e.clause,
            status=PublicationStatus.DRAFT.value,
            version=1,
            name=e.name,
            category=e.category,
            condition=e.condition,
            conditions=e.conditions,
            formula=e.formula,
            benefit_kind=e.benefit_kind,
            applicant=getattr(e, "applicant", "unit"),
            amount_max_yuan=e.amount_max_yuan,
            rate=e.rate,
            per=e.per,
            cap_yuan=e.cap_yuan,
            months_max=e.months_max,
            departments=e.departments,
            time_limit_days=e.time_limit_days,
            explains=e.explains,
            non_cumulative=e.non_cumulative,
            quote=e.quote,
            start=e.start,
            end=e.end,
        )
        publication.first_revision(WORKFLOW, item, actor=actor, action="extract")
        db_session.add(item)
        stored.append(item)
    return stored


def get_item(*, db_session: Session, item_id: str | int) -> PolicyItem:
    """An item by numeric id or stable key (a key may be all digits, so both are tried)."""
    text = str(item_id).strip()
    numeric = text.isascii() and text.isdigit() and int(text) < 2**31  # the id column is a 32-bit integer
    item = db_session.get(PolicyItem, int(text)) if numeric else None
    if item is None:
        item = db_session.scalar(select(PolicyItem).where(PolicyItem.key == text))
    if item is None:
        raise NotFound(f"没有找到政策事项 {item_id}，请检查编号是否正确")
    return item


def list_items(
    *,
    db_session: Session,
    doc_number: str | None = None,
    document_uid: str | None = None,
    status: str | None = None,
    public_on: date | None = None,
) -> list[PolicyItem]:
    """Items in document order. ``public_on`` keeps only what the public may see on that date:
    published items of documents in force.
    """
    query = (
        select(PolicyItem)
        .join(Document)
        .order_by(Document.gazette_id, Document.position, PolicyItem.position)
    )
    if doc_number:
        query = query.where(Document.doc_number == doc_number)
    if document_uid:
        query = query.where(Document.uid == document_uid)
    if status:
        query = query.where(PolicyItem.status == status)
    items = list(db_session.scalars(query))
    if public_on is not None:
        items = [i for i in items if is_public(db_session=db_session, item=i, on=public_on)]
    return items


def is_public(*, db_session: Session, item: PolicyItem, on: date) -> bool:
    """Whether the public may see (and calculate) the item on ``on``: published, its document in force
    (现行有效 or 已修改; not yet in force, expired or repealed keep it off the portal). The SQL twin is
    ``catalog.public_item_clause``."""
    if item.status != PublicationStatus.PUBLISHED.value:
        return False
    return validity_of(db_session=db_session, document=item.document, on=on).in_force


def effective_status(*, db_session: Session, item: PolicyItem, on: date) -> str:
    """The item's status on a date: a published item of an expired or repealed document is withdrawn."""
    if item.status != PublicationStatus.PUBLISHED.value:
        return item.status
    if validity_of(db_session=db_session, document=item.document, on=on).lapsed:
        return PublicationStatus.WITHDRAWN.value
    return item.status


def edit_item(
    *,
    db_session: Session,
    item: PolicyItem,
    changes: dict,
    actor: str,
    note: str = "",
    rules: RuleLanguage | None = None,
) -> PolicyItem:
    """Change an item's editable fields (a new revision); a published item goes back to draft review.

    Changed conditions or formula must compile: ``rules`` (``zhengcetong.match.service.RULES``) checks them
    and a RuleInputError lists every problem; nothing is changed then. When the amount fields change and the
    formula was the one they implied, the formula follows them (``rules`` again).
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"不能修改的字段：{'、'.join(sorted(unknown))}", source="edit")
    if item.status == PublicationStatus.WITHDRAWN.value:
        raise Conflict("已撤回的政策事项不能再修改")
    rule_changes = {k: changes[k] for k in RULE_FIELDS if k in changes and changes[k] != getattr(item, k)}
    if rules is None and (rule_changes or any(k in changes for k in FORMULA_FIELDS)):
        raise TypeError(
            "edit_item needs rules to change conditions, formula or amounts (pass zhengcetong.match.service.RULES)"
        )
    if rule_changes:
        assert rules is not None
        problems = [p for name, value in rule_changes.items() for p in rules.problems(name, value)]
        if problems:
            raise RuleInputError(problems, source=f"事项 {item.key}")
    values = {}
    for name, value in changes.items():
        if name in DECIMALS and value not in (None, ""):
            try:
                value = Decimal(str(value).replace(",", "").strip())
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or value < 0:
                raise InputError(f"{FIELD_NAMES[name]}应为非负数字，实际为“{changes[name]}”", source=name)
        values[name] = None if value == "" else value
    _check_values(values)
    before = _snapshot(item)
    implied = _implied_formula(item, rules) if rules is not None else None  # what the amounts gave before
    for name, value in values.items():
        setattr(item, name, value)
    if rules is not None and item.formula == before["formula"] and item.formula == implied:
        item.formula = _implied_formula(
            item, rules
        )  # the amounts changed and the formula was theirs: it follows
    publication.record_change(
        WORKFLOW, item, db_session=db_session, actor=actor, action="edit", before=before, note=note
    )
    return item


def replace_claim(conditions: Any, claim: str, condition: Any) -> tuple[Any, int]:
    """``conditions`` with every leaf on ``claim`` (``claims.q…`` or ``answers.q…``) replaced by
    ``condition``, and how many were replaced; the leaf's label and source stay unless ``condition``
    has its own.

    Examples:
        >>> c = {"all": [{"fact": "revenue.last_year", "op": ">=", "value": 1},
        ...              {"fact": "claims.q1", "op": "==", "value": True, "label": "电子信息制造业企业"}]}
        >>> replace_claim(c, "claims.q1", {"fact": "industries", "op": "contains", "value": "电子信息制造业"})
        ({'all': [{'fact': 'revenue.last_year', 'op': '>=', 'value': 1}, {'fact': 'industries', 'op': 'contains', 'value': '电子信息制造业', 'label': '电子信息制造业企业'}]}, 1)
    """
    count = 0

    def walk(node):
        nonlocal count
        if isinstance(node, dict):
            if node.get("fact") == claim:
                count += 1
                if not isinstance(condition, dict):
                    return condition
                kept = {k: node[k] for k in ("label", "source") if k in node and k not in condition}
                return {**condition, **kept}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(conditions), count


def type_claim(
    *,
    db_session: Session,
    item: PolicyItem,
    claim: str,
    condition: Any,
    actor: str,
    rules: RuleLanguage,
    note: str = "",
) -> PolicyItem:
    """Replace a claim (``claims.q…``) in the item's conditions by a typed condition: a new revision
    through :func:`edit_item`, checked like any edit (a published item goes back to draft review)."""
    if not (isinstance(claim, str) and claim.startswith(("claims.", "answers."))):
        raise InputError(f"应为申请人确认的事项（claims.…），而不是“{claim}”", source="claim")
    conditions, count = replace_claim(item.conditions, claim, condition)
    if not count:
        raise InputError(f"事项 {item.key} 的条件中没有“{claim}”", source="claim")
    return edit_item(
        db_session=db_session,
        item=item,
        changes={"conditions": conditions},
        actor=actor,
        note=note or f"以类型化条件替换 {claim}",
        rules=rules,
    )


def publish_items(*, db_session: Session, items: list[PolicyItem], actor: str) -> int:
    """Publish the draft items among ``items`` (others are left as they are); returns how many changed."""
    drafts = [i for i in dict.fromkeys(items) if i.status == PublicationStatus.DRAFT.value]
    return len(publication.publish(WORKFLOW, drafts, db_session=db_session, actor=actor))


def withdraw_inactive(*, db_session: Session, on: date, actor: str = "system") -> int:
    """Record the withdrawal of published items whose document expired or was repealed by ``on``."""
    lapsed = [
        item
        for item in list_items(db_session=db_session, status=PublicationStatus.PUBLISHED.value)
        if effective_status(db_session=db_session, item=item, on=on) == PublicationStatus.WITHDRAWN.value
    ]
    revisions = publication.withdraw(
        WORKFLOW,
        lapsed,
        db_session=db_session,
        actor=actor,
        note=f"文件于 {on.isoformat()} 前失效或被废止",
        target_id="*",
        data={"on": on.isoformat()},
    )
    return len(revisions)


def item_dict(*, db_session: Session, item: PolicyItem, on: date | None = None) -> dict:
    """The JSON form of a stored item (CLI, API)."""
    on = on or clock.today()
    data = {
        "id": item.id,
        "key": item.key,
        "doc_number": item.document.doc_number,
        "document_uid": item.document.uid,
        "clause": item.clause_path,
        "status": item.status,
        "status_on": effective_status(db_session=db_session, item=item, on=on),
        "version": item.version,
        "quote": item.quote,
        "start": item.start,
        "end": item.end,
        "explains": item.explains,
        "non_cumulative": item.non_cumulative,
    }
    for name in EDITABLE:
        value = getattr(item, name)
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral() else float(value)
        data[name] = value
    data["benefit"] = benefit_line(item)  # 给予X / 最高X / 按X%, as the pages say it
    return data
