"""The SQLite FTS5 engine and its accelerators (see ``engine``). The interface (``search.backends``)
reaches this package only through the names below: the engine, and the upkeep it needs."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhengcetong.search.backends import RefreshResult
from zhengcetong.search.backends.fts5 import columns, toplists
from zhengcetong.search.backends.fts5.engine import Fts5Backend

__all__ = ["Fts5Backend", "refresh", "reset", "warm"]


def refresh(db: Session) -> RefreshResult:
    """Apply the logged changes to the top lists and postings (or build them again), then prune the
    log the in-memory columns follow."""
    result = toplists.refresh(db)
    columns.prune(db)
    return result


def reset(db: Session) -> None:
    """Drop the top lists, postings and their log (before every entry is dropped)."""
    toplists.reset(db)


def warm(db: Session) -> None:
    """Load the in-memory columns (seconds at a million entries), as the first search would."""
    columns.snapshot_for(db)
