"""``zct items ...``, ``zct review queue`` and ``zct calc``: staff review from the command line."""

from __future__ import annotations

from datetime import date

from zhengcetong.cli._common import print_table, stdout_json
from zhengcetong.errors import InputError


def _session():
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.db.migrate import upgrade

    engine = get_engine()
    upgrade(engine)
    return session_scope(engine)


def run_list(*, doc: str | None, status: str | None, as_json: bool) -> None:
    """Print items, optionally of one document (文号 or uid) and status."""
    from zhengcetong.library import review

    if status and status not in {s.value for s in review.ItemStatus}:
        raise InputError(f"状态“{status}”无效，应为 draft、published 或 withdrawn", source="--status")
    with _session() as session:
        doc_number, uid = (doc, None) if doc and "〔" in doc else (None, doc)
        items = review.list_items(db_session=session, doc_number=doc_number, document_uid=uid, status=status)
        rows = [review.item_dict(db_session=session, item=i) for i in items]
    if as_json:
        stdout_json({"total": len(rows), "items": rows})
        return
    print_table(
        f"政策事项：{len(rows)} 项",
        ("ID", "文号", "条款", "事项名称", "金额上限（元）", "比例", "状态"),
        (
            (
                r["id"],
                r["doc_number"],
                r["clause"],
                r["name"],
                f"{r['amount_max_yuan']:,}" if r["amount_max_yuan"] is not None else None,
                f"{r['rate']:.0%}" if r["rate"] is not None else None,
                review.STATUS_NAMES.get(r["status_on"], r["status_on"]),
            )
            for r in rows
        ),
    )


def run_publish(*, ids: list[str], doc: str | None, publish_all: bool, actor: str) -> None:
    """Publish the given items, a document's drafts, or every draft."""
    from zhengcetong.library import review

    if not ids and not doc and not publish_all:
        raise InputError("请给出事项 ID，或 --doc 文号，或 --all", source="zct items publish")
    with _session() as session:
        if ids:
            items = [review.get_item(db_session=session, item_id=i) for i in ids]
        else:
            doc_number, uid = (doc, None) if doc and "〔" in doc else (None, doc)
            items = review.list_items(
                db_session=session, doc_number=doc_number, document_uid=uid, status="draft"
            )
            if doc and not items:
                raise InputError(f"{doc} 没有待审核的政策事项", source="--doc")
        changed = review.publish_items(db_session=session, items=items, actor=actor)
    print(f"已发布 {changed} 项政策事项（操作人 {actor}）")


def run_show(item_id: str) -> None:
    """Print one item with its revision history (JSON)."""
    from zhengcetong.library import review

    with _session() as session:
        item = review.get_item(db_session=session, item_id=item_id)
        data = review.item_dict(db_session=session, item=item)
        data["revisions"] = [
            {
                "version": r.version,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "action": r.action,
                "note": r.note,
            }
            for r in item.revisions
        ]
    stdout_json(data, pretty=True)


def run_queue(*, today: str | None, as_json: bool) -> None:
    """Print the review queue with deadlines (overdue first)."""
    from zhengcetong.config import get_settings
    from zhengcetong.library import review

    settings = get_settings()
    on = date.fromisoformat(today) if today else date.today()
    with _session() as session:
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
