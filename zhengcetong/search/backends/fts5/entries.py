"""Reading search entries by id on SQLite, for the accelerators: one JSON parameter for any number of
ids, and the entries' token columns."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from zhengcetong.search.models import SearchEntry


def ids_in(ids: list[int]):
    """SQL: ``search_entry.id`` is one of these (one JSON parameter, however many ids; SQLite)."""
    return text("search_entry.id IN (SELECT value FROM json_each(:ids))").bindparams(ids=json.dumps(ids))


def entry_tokens(db: Session, ids: list[int]) -> Iterator[tuple[int, tuple[str, str, str], int]]:
    """(id, its three token columns, its length) for each of these entries that exists (SQLite)."""
    entries = SearchEntry.__table__
    rows = db.execute(
        select(
            entries.c.id, entries.c.tok_title, entries.c.tok_body, entries.c.tok_extra, entries.c.ntokens
        ).where(ids_in(ids))
    )
    for entry_id, title, body, extra, ntokens in rows:
        yield entry_id, (title, body, extra), ntokens
