"""Tell enterprises of items as they are published or changed: a session that changed policy items
calls :func:`service.notify_items` for them before it commits, in the same transaction — after the
search index and the stored matches (``match/hooks.py``) were brought up to date, which ``install``
guarantees by registering those listeners first. The library never imports ``notify``: this module
listens to the session. The shells call ``install()`` once, like ``match.hooks``.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from zhengcetong.library import PolicyItem

ITEMS = "zct_notify_items"
_installed = False


def _after_flush(session: Session, _context) -> None:
    touched = {obj.id for obj in chain(session.new, session.dirty) if isinstance(obj, PolicyItem)}
    if touched:
        session.info.setdefault(ITEMS, set()).update(touched)


def _before_commit(session: Session) -> None:
    session.flush()
    items = session.info.pop(ITEMS, None)
    if not items:
        return
    from zhengcetong.notify import service

    service.notify_items(db_session=session, item_ids=items)


def install() -> None:
    """Register the listeners on every Session, after those of search and match (idempotent)."""
    global _installed
    if _installed:
        return
    from zhengcetong import search
    from zhengcetong.match import hooks as match_hooks

    search.install()
    match_hooks.install()
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", lambda session, _tx: session.info.pop(ITEMS, None))
    _installed = True
