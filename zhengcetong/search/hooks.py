"""Keep the index in step automatically: a session that wrote library rows syncs the index before it
commits, inside the same transaction (so a rollback undoes both, and no write path can forget).

The shells call ``install()`` once (the web app, the ``zct`` command, the test suite).
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session

from zhengcetong.library import Clause, Document, DocumentRelation, Interpretation, PolicyItem

WATCHED: tuple[type, ...] = (Document, Clause, DocumentRelation, PolicyItem)
STALE = "zct_search_stale"
_installed = False


def watch(*models: type) -> None:
    """Also sync when rows of these models change (e.g. policy interpretations)."""
    global WATCHED
    WATCHED = tuple(dict.fromkeys((*WATCHED, *models)))


watch(Interpretation)  # policy interpretations are indexed too (search.indexer.interpretation_entry)


def _after_flush(session: Session, _context) -> None:
    if any(isinstance(o, WATCHED) for o in chain(session.new, session.dirty, session.deleted)):
        session.info[STALE] = True


def _before_commit(session: Session) -> None:
    session.flush()  # changes still pending count too: flushing them is what marks the session stale
    if session.info.pop(STALE, False):
        from zhengcetong.search.service import sync

        sync(db_session=session)


def install() -> None:
    """Register the listeners on every Session (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    _installed = True
