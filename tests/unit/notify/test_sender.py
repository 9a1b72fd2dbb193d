"""The senders: SMTP hands a message to a server (aiosmtpd on loopback), or says why it could not."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from tests.functional.notify_helpers import SmtpServer
from zhengcetong.config import Settings
from zhengcetong.errors import InputError
from zhengcetong.notify import MemorySender, SendError, SmtpSender, sender_for


def message(to: str = "a@example.com") -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = "【政策通】测试"
    mail["From"] = "zct@example.com"
    mail["To"] = to
    mail["List-Unsubscribe"] = "<https://example.com/unsubscribe?token=x>"
    mail.set_content("事项：测试\n金额：50万元")
    return mail


def test_smtp_delivers_to_a_server_on_loopback():
    server = SmtpServer()
    server.start()
    try:
        SmtpSender(host="127.0.0.1", port=server.port).send(message())
    finally:
        server.stop()
    (got,) = server.inbox.messages
    assert got["Subject"] == "【政策通】测试" and got["List-Unsubscribe"].startswith("<https://")
    assert "金额：50万元" in got.get_content()


def test_smtp_says_why_it_failed():
    server = SmtpServer()  # never started
    with pytest.raises(SendError, match="ConnectionRefused"):
        SmtpSender(host="127.0.0.1", port=server.port, timeout=2).send(message())


def test_memory_sender_keeps_or_fails():
    sender = MemorySender()
    sender.send(message())
    assert [m["To"] for m in sender.sent] == ["a@example.com"]
    sender.failing = True
    with pytest.raises(SendError):
        sender.send(message())


def test_the_sender_needs_a_configured_server(tmp_path):
    with pytest.raises(InputError, match="ZCT_SMTP_HOST"):
        sender_for(Settings(data_dir=tmp_path))
    sender = sender_for(
        Settings(data_dir=tmp_path, smtp_host="mail.example.com", smtp_port=587, smtp_starttls=True)
    )
    assert sender == SmtpSender(host="mail.example.com", port=587, starttls=True)
