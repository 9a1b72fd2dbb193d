"""Helpers of the push tests: an SMTP server on loopback (aiosmtpd), two enterprises with accounts on the
sample library, and publishing items in a session of their own (the hooks run at its commit)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from sqlalchemy import select

from zhengcetong.db.engine import make_engine, session_scope

PASSWORD = "correct horse battery"
A = "91330100799655058B"  # 甲公司: a national 专精特新“小巨人”, account acme with an email of its own
B = "91350100M000100Y43"  # 乙公司: matches nothing, account beta without an email
C = "91440300708461136T"  # 丙公司: a “小巨人” too, no account: reached at its contact_email
GIANT = {"name": "专精特新“小巨人”企业", "level": "national", "year": 2025, "first_time": True}
ACME_EMAIL = "acme@example.com"
C_CONTACT = "finance@c.example.com"


@dataclass
class Inbox:
    """What the loopback SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.raw.append(envelope.original_content)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1: ``start()``/``stop()`` (a server that is down), ``inbox`` of what came."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def setup_enterprises(url: str, monkeypatch) -> None:
    """Enterprises A, B and C; accounts acme (A, with an email), beta (B) and the reviewer wang."""
    from tests.factories.accounts import add_accounts, cheap_hashing
    from zhengcetong.match import profiles

    cheap_hashing(monkeypatch)
    engine = make_engine(url)
    with session_scope(engine) as session:
        for code, name, extra in (
            (A, "甲公司", {"recognitions": [GIANT], "contact_email": "contact@a.example.com"}),
            (B, "乙公司", {"recognitions": [], "contact_email": "contact@b.example.com"}),
            (C, "丙公司", {"recognitions": [GIANT], "contact_email": C_CONTACT}),
        ):
            profiles.upsert(
                db_session=session,
                document={"name": name, "credit_code": code, "region": "青禾高新区", **extra},
                source="staff",
                actor="test",
            )
        add_accounts(
            session,
            [
                ("acme", "enterprise", A, ACME_EMAIL),
                ("beta", "enterprise", B, None),
                ("wang", "reviewer", None, None),
            ],
            password=PASSWORD,
        )
    engine.dispose()


def publish(url: str, needle: str) -> list[str]:
    """Publish the draft items whose name contains ``needle``; their keys."""
    from zhengcetong.library import PolicyItem
    from zhengcetong.library import items as policy_items

    engine = make_engine(url)
    with session_scope(engine) as session:
        found = list(session.scalars(select(PolicyItem).where(PolicyItem.name.contains(needle))))
        assert found, needle
        policy_items.publish_items(db_session=session, items=found, actor="user:wang")
        keys = [i.key for i in found]
    engine.dispose()
    return keys


def revise(url: str, needle: str) -> int:
    """Edit the published item whose name contains ``needle`` (back to draft) and publish it again, as a
    reviewer does after correcting it; its new version."""
    from zhengcetong.library import PolicyItem
    from zhengcetong.library import items as policy_items

    engine = make_engine(url)
    with session_scope(engine) as session:
        (item,) = session.scalars(select(PolicyItem).where(PolicyItem.name.contains(needle)))
        policy_items.edit_item(
            db_session=session, item=item, changes={"time_limit_days": 20}, actor="user:wang"
        )
        policy_items.publish_items(db_session=session, items=[item], actor="user:wang")
        version = item.version
    engine.dispose()
    return version


def rows(url: str, model, *where) -> list:
    """Every row of ``model`` (optionally filtered), detached."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        found = list(session.scalars(select(model).where(*where)))
        session.expunge_all()
    engine.dispose()
    return found


def enterprise_id(url: str, code: str) -> int:
    from zhengcetong.match.models import Enterprise

    return rows(url, Enterprise, Enterprise.credit_code == code)[0].id
