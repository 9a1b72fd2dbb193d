"""Query functions shared by each page and its JSON twin."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from zhengcetong.library import service
from zhengcetong.library.schemas import DocumentPagination, DocumentRead


def document_page(
    db: Session,
    *,
    valid_on: date | None,
    only_valid: bool,
    kind: str | None,
    issuer: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> DocumentPagination:
    """A page of the document list."""
    total, items = service.list_documents(
        db_session=db,
        valid_on=valid_on,
        only_valid=only_valid,
        kind=kind or None,
        issuer=issuer or None,
        q=q or None,
        limit=limit,
        offset=offset,
    )
    return DocumentPagination(total=total, limit=limit, offset=offset, items=items)


def document_detail(db: Session, uid: str, valid_on: date | None) -> DocumentRead:
    """One document with its clauses, tables and relations."""
    return service.read_document(db_session=db, uid=uid, on=valid_on)
