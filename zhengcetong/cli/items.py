"""``zct items ...`` and ``zct review queue``: staff review from the command line (``zct calc`` is in calc.py)."""

from __future__ import annotations

from zhengcetong import clock
from zhengcetong.cli._common import PLAIN, library_session, note_if_empty, print_table, stdout_json
from zhengcetong.errors import InputError


def _document_uid(doc: str | None) -> str | None:
    """The document a ``--doc`` names: its 文号 in any bracket style (〔〕 [] ［］), or its uid.

    Examples:
        >>> _document_uid("青政办发[2026]8号"), _document_uid("青政办发〔2026〕8号"), _document_uid("青政发-2026-11")
        ('青政办发-2026-8', '青政办发-2026-8', '青政发-2026-11')
    """
    if not doc or not doc.strip():
        return None
    from zhengcetong.library import doc_number_slug

    return doc_number_slug(doc.strip())


def run_list(*, doc: str | None, status: str | None, as_json: bool) -> None:
    """Print items, optionally of one document (文号 or uid) and status."""
    from zhengcetong.library import APPLICANT_NAMES, STATUS_NAMES, PublicationStatus
    from zhengcetong.library import items as policy_items

    if status and status not in {s.value for s in PublicationStatus}:
        raise InputError(f"状态“{status}”无效，应为 draft、published 或 withdrawn", source="--status")
    with library_session() as session:
        note_if_empty(session)
        items = policy_items.list_items(db_session=session, document_uid=_document_uid(doc), status=status)
        rows = [policy_items.item_dict(db_session=session, item=i) for i in items]
    if as_json:
        stdout_json({"total": len(rows), "items": rows})
        return
    print_table(
        f"政策事项：{len(rows)} 项",
        ("ID", "文号", "条款", "事项名称", "待遇", "申请对象", "状态"),
        (
            (
                r["id"],
                r["doc_number"],
                r["clause"],
                r["name"],
                r["benefit"],
                APPLICANT_NAMES.get(r["applicant"], r["applicant"]),
                STATUS_NAMES.get(r["status_on"], r["status_on"]),
            )
            for r in rows
        ),
    )


def run_publish(*, ids: list[str], doc: str | None, publish_all: bool, actor: str) -> None:
    """Publish the given items, a document's drafts, or every draft."""
    from zhengcetong.library import items as policy_items

    if not ids and not doc and not publish_all:
        raise InputError("请给出事项 ID，或 --doc 文号，或 --all", source="zct items publish")
    with library_session() as session:
        if ids:
            items = [policy_items.get_item(db_session=session, item_id=i) for i in ids]
        else:
            items = policy_items.list_items(
                db_session=session, document_uid=_document_uid(doc), status="draft"
            )
            if doc and not items:
                raise InputError(f"{doc} 没有待审核的政策事项", source="--doc")
        changed = policy_items.publish_items(db_session=session, items=items, actor=actor)
    print(f"已发布 {changed} 项政策事项（操作人 {actor}）")


def run_show(item_id: str, *, as_json: bool = False) -> None:
    """Print one item: its rule in words and its version history (``as_json``: the same as JSON)."""
    from zhengcetong.library import items as policy_items
    from zhengcetong.match import service

    with library_session() as session:
        note_if_empty(session)
        item = policy_items.get_item(db_session=session, item_id=item_id)
        data = policy_items.item_dict(db_session=session, item=item)
        data["title"] = item.document.title
        data["rule_text"] = service.rule_text(conditions=item.conditions, formula=item.formula)
        data["revisions"] = [
            {
                "version": r.version,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "action": r.action,
                "changed": policy_items.changed_fields(r),
                "note": r.note,
            }
            for r in item.revisions
        ]
    if as_json:
        stdout_json(data, pretty=True)
        return
    _print_item(data)


def _print_item(data: dict) -> None:
    from datetime import datetime

    from rich.console import Console
    from rich.text import Text

    from zhengcetong.library import ACTION_NAMES, STATUS_NAMES
    from zhengcetong.library import items as policy_items

    console = Console(highlight=False, soft_wrap=True)
    status = STATUS_NAMES.get(data["status_on"], data["status_on"])
    console.print(
        Text.assemble(
            (data["name"], "bold"),
            f"（事项 {data['id']} · {data['key']} · 第 {data['version']} 版 · {status}）",
        ),
        soft_wrap=True,
    )
    console.print(f"来源：{data['doc_number'] or data['title']} {data['clause']}《{data['title']}》", **PLAIN)
    console.print(f"  “{data['quote']}”", **PLAIN)
    if data["condition"]:
        console.print(f"申报条件（原文）：{data['condition']}", **PLAIN)
    rule = data["rule_text"]
    console.print(f"规则（第 {data['version']} 版）：", **PLAIN)
    if rule["problems"]:
        console.print(Text("  规则有误，需审核人员修正：", style="bold red"))
        for problem in rule["problems"]:
            console.print(f"    - {problem}", **PLAIN)
    else:
        console.print(f"  条件：{rule['conditions']}", **PLAIN)
        if rule["logic"]:
            console.print(f"  机器判断：{rule['logic']}", **PLAIN)
        console.print(f"  金额：{rule['formula']}", **PLAIN)
    console.print(f"修改记录（{len(data['revisions'])} 版）：", **PLAIN)
    for r in data["revisions"]:
        changed = "、".join(policy_items.FIELD_NAMES.get(f, f) for f in r["changed"])
        parts = [
            f"第 {r['version']} 版",
            clock.china_time(datetime.fromisoformat(r["at"])),  # Beijing time, as on the web
            r["actor"],
            ACTION_NAMES.get(r["action"], r["action"]),
        ]
        if changed:
            parts.append(f"改动：{changed}")
        if r["note"]:
            parts.append(f"说明：{r['note']}")
        console.print("  " + " · ".join(parts), **PLAIN)


def run_withdraw_lapsed(*, on: str | None, actor: str) -> None:
    """Record the withdrawal of published items whose document lapsed (the portal hides them already)."""
    from zhengcetong.library import items as policy_items

    when = clock.parse_date(on, "--on") or clock.today()
    with library_session() as session:
        changed = policy_items.withdraw_inactive(db_session=session, on=when, actor=actor)
    print(f"已撤回 {changed} 项政策事项（所属文件于 {when.isoformat()} 前失效或被废止；操作人 {actor}）")


def run_queue(*, today: str | None, as_json: bool) -> None:
    """Print the review queue with deadlines (overdue first)."""
    from zhengcetong.config import get_settings
    from zhengcetong.library import review

    settings = get_settings()
    on = clock.parse_date(today, "--today") or clock.today()
    with library_session() as session:
        note_if_empty(session)
        queue = review.review_queue(
            db_session=session,
            today=on,
            working_days=settings.review_working_days,
            holidays=settings.holidays,
        )
    if as_json:
        stdout_json([e.__dict__ for e in queue])
        return
    from rich.text import Text

    print_table(
        f"审核队列（{settings.review_working_days} 个工作日内审核上线，按 {on.isoformat()} 计）",
        ("编号", "文号", "标题", "入库", "截止", "待审/全部", "状态"),
        (
            (
                e.uid,
                e.doc_number,
                e.title,
                e.received,
                e.deadline,
                f"{e.drafts}/{e.total}",
                Text(f"已超期 {-e.working_days_left} 个工作日", style="bold red")
                if e.overdue
                else f"剩 {e.working_days_left} 个工作日",
            )
            for e in queue
        ),
    )
