"""``zct notify``: send the outbox's due emails, list what was sent."""

from __future__ import annotations

from zhengcetong.cli._common import print_table


def run_send(*, limit: int) -> None:
    """Send up to ``limit`` due emails through the configured SMTP server; print each outcome (Chinese)."""
    from zhengcetong import clock
    from zhengcetong.cli._common import library_session
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine, make_sessionmaker
    from zhengcetong.notify import outbox, sender_for

    settings = get_settings()
    sender = sender_for(settings)
    with library_session():  # migrated, hooks installed
        pass
    report = outbox.run(
        sessions=make_sessionmaker(get_engine()), sender=sender, settings=settings, limit=limit
    )
    for d in report.deliveries:
        if d.status == "sent":
            print(f"已发送：{d.email}　{d.item_name}")
        elif d.status == "pending":
            print(
                f"发送失败，{clock.china_time(d.next_attempt_at)} 重试：{d.email}　{d.item_name}（{d.error}）"
            )
        elif d.status == "failed":
            print(f"发送失败，已放弃：{d.email}　{d.item_name}（{d.error}）")
        else:
            print(f"已退订，不再发送：{d.email}")
    print(
        f"本次：已发送 {report.count('sent')} 封，待重试 {report.count('pending')} 封，"
        f"放弃 {report.count('failed')} 封，已退订 {report.count('cancelled')} 封"
    )


def run_list(*, status: str | None, limit: int) -> None:
    """The newest outbox rows as a table."""
    from zhengcetong import clock
    from zhengcetong.cli._common import reading_session
    from zhengcetong.library import PolicyItem
    from zhengcetong.notify import outbox, service

    with reading_session() as session:
        rows = outbox.recent(db_session=session, status=status, limit=limit)
        names = {r.item_id: session.get(PolicyItem, r.item_id).name for r in rows}
        print_table(
            "通知邮件",
            ("编号", "收件人", "事项", "状态", "尝试", "发送时间", "下次尝试", "错误"),
            [
                (
                    r.id,
                    r.email,
                    names[r.item_id],
                    service.EMAIL_STATUSES.get(r.status, r.status),
                    r.attempts,
                    clock.china_time(r.sent_at) or None,
                    clock.china_time(r.next_attempt_at) if r.status == "pending" else None,
                    r.last_error,
                )
                for r in rows
            ],
        )
