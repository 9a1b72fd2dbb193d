"""Push (订阅与通知): enterprises' subscriptions, their inbox, and the outbox of emails sent through SMTP.
Other packages use only the names in ``__all__``, imported from here
(``from zhengcetong.notify import service as notify_service``); the modules behind them are private.

- ``service``: subscriptions, notifications (per enterprise), who is told of an item, unsubscribing,
  the staff's log;
- ``outbox``: claiming, sending and retrying the emails (``zct notify run``, the task in ``zct serve``);
- ``install``: the session hook that notifies when items are published or changed;
- senders: ``Sender`` (the interface), ``SmtpSender``, ``MemorySender``, ``sender_for(settings)``.

The names are loaded on first use (PEP 562), so importing this package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhengcetong.faces import lazy_face

# Public name → (module under zhengcetong.notify, its name there; None for the module itself).
_EXPORTS: dict[str, tuple[str, str | None]] = {
    "service": ("service", None),
    "outbox": ("outbox", None),
    "install": ("hooks", "install"),
    "Sender": ("sender", "Sender"),
    "SendError": ("sender", "SendError"),
    "SmtpSender": ("sender", "SmtpSender"),
    "MemorySender": ("sender", "MemorySender"),
    "sender_for": ("sender", "sender_for"),
    "EmailOptOut": ("models", "EmailOptOut"),
    "Notification": ("models", "Notification"),
    "OutboxEmail": ("models", "OutboxEmail"),
    "Subscription": ("models", "Subscription"),
    "register_models": ("models", "register_models"),
}

__all__ = [
    "EmailOptOut",
    "MemorySender",
    "Notification",
    "OutboxEmail",
    "SendError",
    "Sender",
    "SmtpSender",
    "Subscription",
    "install",
    "outbox",
    "register_models",
    "sender_for",
    "service",
]


__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, __all__)


if TYPE_CHECKING:
    from zhengcetong.notify import outbox, service
    from zhengcetong.notify.hooks import install
    from zhengcetong.notify.models import (
        EmailOptOut,
        Notification,
        OutboxEmail,
        Subscription,
        register_models,
    )
    from zhengcetong.notify.sender import MemorySender, Sender, SendError, SmtpSender, sender_for
