"""The ingest flow, in one place for the CLI, the web and the tests: text → parsed documents → policy items
→ the library (through its service, in the caller's transaction).

``prepare`` parses and extracts without touching a database; ``store`` writes prepared files, all or
nothing: the first file that cannot be stored raises an InputError naming it, and the caller's
transaction rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhengcetong.errors import InputError
from zhengcetong.ingest.measures import ExtractedItem, extract_items
from zhengcetong.ingest.parse import parse_bytes
from zhengcetong.library import ParsedGazette

if TYPE_CHECKING:  # the library (and SQLAlchemy) load only when something is stored: zct extract stays light
    from sqlalchemy.orm import Session

    from zhengcetong.library import IngestResult


@dataclass
class Prepared:
    """One file, parsed and split into items, ready to store."""

    source_name: str
    content: bytes
    gazette: ParsedGazette
    items: list[list[ExtractedItem]] | None  # per document, in ``gazette.documents`` order (None: store none)


@dataclass
class Stored:
    """One stored file and what the library did with it."""

    prepared: Prepared
    result: IngestResult


def prepare(content: bytes, source_name: str) -> Prepared:
    """Parse ``content`` and extract each document's policy items (an InputError for unreadable input)."""
    gazette = parse_bytes(content, source_name)
    return Prepared(source_name, content, gazette, [extract_items(doc) for doc in gazette.documents])


def store(
    *,
    db_session: Session,
    prepared: Iterable[Prepared],
    actor: str,
    on_stored: Callable[[Stored], None] | None = None,
) -> list[Stored]:
    """Store prepared files in the caller's transaction: documents, relations, items as drafts.

    Any failure is an InputError naming the file and saying that nothing was written; the caller rolls
    back. The same bytes stored again change nothing (the library skips them by content hash).
    """
    from zhengcetong.library import service

    stored = []
    for one in prepared:
        try:
            result = service.ingest_gazette(
                db_session=db_session,
                parsed=one.gazette,
                content=one.content,
                source_name=one.source_name,
                actor=actor,
                items=one.items,
            )
        except InputError as exc:
            raise nothing_written(exc, one.source_name) from exc
        except Exception as exc:  # a database error names the file; the transaction rolls back
            first = str(exc).splitlines()[0] if str(exc) else ""
            raise InputError(
                f"入库失败，全部文件均未写入：{exc.__class__.__name__}: {first}", source=one.source_name
            ) from exc
        stored.append(Stored(one, result))
        if on_stored is not None:
            on_stored(stored[-1])
    return stored


def ingest(*, db_session: Session, files: Sequence[tuple[bytes, str]], actor: str) -> list[Stored]:
    """Parse, extract and store ``files`` ((content, source name) pairs) in the caller's transaction."""
    prepared = []
    for content, name in files:
        try:
            prepared.append(prepare(content, name))
        except InputError as exc:
            raise nothing_written(exc, name) from exc
    return store(db_session=db_session, prepared=prepared, actor=actor)


def nothing_written(exc: InputError, source_name: str) -> InputError:
    """The same error, saying that the batch was not written (all files or none)."""
    detail = exc.detail if "均未写入" in exc.detail else f"{exc.detail}（本次全部文件均未写入）"
    return InputError(detail, source=exc.source or source_name, line=exc.line)
