"""Keep the stored matches (``EnterpriseMatch``) in step: a session that changed policy items or an
enterprise's profile recomputes the affected pairs before it commits, in the same transaction.

Items published, edited or withdrawn (``library/items.py``) → :func:`batch.refresh_items` for those items
(set-based over every stored enterprise: a million enterprises must not mean a million ORM objects in a
publishing request); an enterprise added or whose ``version`` changed → :func:`matching.refresh_for_enterprises`
for it.
The library never imports ``match``: this module listens to the session. The shells call ``install()``
once (the web app, the ``zct`` command, the test suite), like ``search.hooks``.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from zhengcetong.library import PolicyItem
from zhengcetong.match.models import Enterprise

ITEMS = "zct_match_items"
ENTERPRISES = "zct_match_enterprises"
_installed = False


def _after_flush(session: Session, _context) -> None:
    items = session.info.setdefault(ITEMS, set())
    enterprises = session.info.setdefault(ENTERPRISES, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, PolicyItem):
            items.add(obj.id)
        elif isinstance(obj, Enterprise) and obj not in session.deleted:
            if obj in session.new or inspect(obj).attrs.version.history.has_changes():
                enterprises.add(obj.id)
    if not items:
        session.info.pop(ITEMS)
    if not enterprises:
        session.info.pop(ENTERPRISES)


def _before_commit(session: Session) -> None:
    session.flush()
    items = session.info.pop(ITEMS, None)
    enterprises = session.info.pop(ENTERPRISES, None)
    if not items and not enterprises:
        return
    from zhengcetong.match import batch, matching

    if items:
        batch.refresh_items(db_session=session, item_ids=items)
    if enterprises:
        matching.refresh_for_enterprises(db_session=session, enterprise_ids=enterprises)
    session.flush()
    session.info.pop(ITEMS, None)  # the refresh wrote only matches; nothing further to do
    session.info.pop(ENTERPRISES, None)


def _after_rollback(session: Session) -> None:
    session.info.pop(ITEMS, None)
    session.info.pop(ENTERPRISES, None)


def install() -> None:
    """Register the listeners on every Session (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))
    _installed = True
