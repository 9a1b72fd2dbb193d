"""Sending an email, behind one small interface: SMTP for real, a list in memory for tests and trials."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

from zhengcetong.errors import InputError


class SendError(Exception):
    """The server did not accept the message; it is tried again later."""


class Sender(Protocol):
    """Hands one message to a mail server; returns only once the server accepted it (else SendError)."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass
class SmtpSender:
    """An SMTP server (``ZCT_SMTP_*``): one connection per message, STARTTLS and login when configured."""

    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0

    def send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                refused = smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        if refused:
            raise SendError(f"收件人被拒绝：{refused}")


@dataclass
class MemorySender:
    """Keeps what it is given in ``sent``; ``failing`` makes every send fail (a server that is down)."""

    sent: list[EmailMessage] = field(default_factory=list)
    failing: bool = False

    def send(self, message: EmailMessage) -> None:
        if self.failing:
            raise SendError("ConnectionRefusedError: 邮件服务器暂时不可用")
        self.sent.append(message)


def sender_for(settings) -> Sender:
    """The configured SMTP server; an InputError saying what to set when there is none."""
    if not settings.smtp_host:
        raise InputError(
            "未配置邮件服务器：请设置 ZCT_SMTP_HOST（及 ZCT_SMTP_PORT 等）", source="ZCT_SMTP_HOST"
        )
    return SmtpSender(
        host=settings.smtp_host,
        port=settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        timeout=settings.smtp_timeout,
    )
