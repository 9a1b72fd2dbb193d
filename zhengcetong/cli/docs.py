"""``zct docs list`` and ``zct docs show``."""

from __future__ import annotations

from zhengcetong import clock
from zhengcetong.cli._common import PLAIN, note_if_empty, print_table, reading_session, stdout_json

NO_STATUS = "不适用"  # an appointment notice or a chronicle: no legal effect, no validity


def run_list(*, valid_on, only_valid, issuer, kind, as_json) -> None:
    """Print the library with each document's status on the date."""
    from zhengcetong.library import service

    on = clock.parse_date(valid_on, "--valid-on") or clock.today()
    with reading_session() as session:
        note_if_empty(session)
        total, docs = service.list_documents(
            db_session=session, valid_on=on, only_valid=only_valid, issuer=issuer, kind=kind, limit=100_000
        )
    if as_json:
        stdout_json(
            {"total": total, "valid_on": on.isoformat(), "items": [d.model_dump(mode="json") for d in docs]}
        )
        return
    print_table(
        f"政策文件库：{total} 篇，有效性按 {on.isoformat()} 计算",
        ("编号", "文号", "标题", "成文日期", "施行日期", "有效期至", "状态"),
        (
            (d.uid, d.doc_number, d.title, d.date, d.effective_from, d.effective_until, d.status or NO_STATUS)
            for d in docs
        ),
    )


def run_show(uid: str, *, as_json: bool) -> None:
    """Print one document."""
    from zhengcetong.library import service

    with reading_session() as session:
        note_if_empty(session)
        doc = service.read_document(db_session=session, uid=uid)
    if as_json:
        stdout_json(doc.model_dump(mode="json"))
        return
    from rich.console import Console

    console = Console()
    console.print(doc.title, style="bold", **PLAIN)
    console.print(
        f"{doc.issuer or ''}  {doc.doc_number or ''}  成文日期 {doc.date or '—'}  状态 {doc.status or NO_STATUS}",
        **PLAIN,
    )
    if doc.addressees:
        console.print("主送：" + "；".join(doc.addressees), **PLAIN)
    console.print(doc.body, **PLAIN)
