"""The library's service: the only writer of its tables. Functions take the caller's session and never commit."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from zhengcetong import clock
from zhengcetong.errors import InputError, NotFound
from zhengcetong.library.models import AuditEvent, Clause, Document, DocumentRelation, Gazette
from zhengcetong.library.records import Clause as ParsedClause
from zhengcetong.library.records import ParsedDocument, ParsedGazette
from zhengcetong.library.schemas import ClauseRead, DocumentRead, DocumentRef, GazetteRead, RelationRead
from zhengcetong.library.validity import DocumentStatus, StoredDated, validity_of, validity_on

RELATION_ACTIONS = ("repeal", "amend")


@dataclass
class IngestResult:
    """What one ingest did: the gazette row, whether it was new, documents added and skipped."""

    gazette_id: int
    created: bool
    documents: int
    skipped: list[str] = field(default_factory=list)  # uids already in the library
    items: int = 0  # policy items stored as drafts
    skipped_reason: str | None = None  # why the file or some of its documents were not written


def content_hash(content: bytes) -> str:
    """SHA-256 of a file's bytes: the identity of an ingested file."""
    return hashlib.sha256(content).hexdigest()


_BRACKETS_RE = re.compile(r"[〔〕\[\]［］()（）【】]+")
_DOC_NUMBER_LIKE_RE = re.compile(r"[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号")


def doc_number_slug(doc_number: str) -> str:
    """A 文号 as a URL-friendly slug: brackets become dashes, the final 号 goes.

    Examples:
        >>> doc_number_slug("聊政发〔2023〕3号")
        '聊政发-2023-3'
        >>> doc_number_slug("聊政办字 [2023] 16号")
        '聊政办字-2023-16'
    """
    text = re.sub(r"\s+", "", doc_number)
    text = re.sub(r"号$", "", text)
    return re.sub(r"-{2,}", "-", _BRACKETS_RE.sub("-", text)).strip("-")


# Loader options for lists of documents: the body and tables (most of a row) stay in the database.
WITHOUT_TEXT = (defer(Document.body), defer(Document.tables), defer(Document.continued_from))


def document_uid(doc: ParsedDocument) -> str:
    """Stable public id: the 文号 as a slug ("聊政发-2023-3"), else a hash of issuer, title and date.

    The id depends only on what the document says, never on the file it came in, so the same document
    ingested again from another file gets the same id. Documents without a 文号 get "dsj-" (大事记,
    chronicles) or "doc-" and twelve hex digits.

    Examples:
        >>> from zhengcetong.library.records import ParsedDocument as P
        >>> document_uid(P("聊政发〔2023〕3号", None, "t", [], None, "notice", [], None, None, "", None, [], []))
        '聊政发-2023-3'
        >>> document_uid(P(None, "聊城市人民政府", "大事记", [], date(2023, 3, 1), "chronicle", [], None, None,
        ...                "", None, [], []))
        'dsj-c1a9e0e63bcf'
    """
    if doc.doc_number:
        return doc_number_slug(doc.doc_number)
    key = f"{doc.issuer or ''}|{doc.title}|{doc.date or ''}"
    prefix = "dsj" if doc.kind == "chronicle" else "doc"
    return f"{prefix}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def _skipped_reason(skipped: list[str], stored_before: set[str]) -> str | None:
    """Why documents of a file were not written: stored from another file, or printed twice in this one.

    Examples:
        >>> _skipped_reason(["a", "b"], {"a"})
        '1 篇文件已在库中（来自其他文件），1 篇在本文件中重复出现，均未重复写入'
        >>> _skipped_reason([], set()) is None
        True
    """
    if not skipped:
        return None
    earlier = sum(1 for uid in skipped if uid in stored_before)
    parts = [f"{earlier} 篇文件已在库中（来自其他文件）"] if earlier else []
    if len(skipped) > earlier:
        parts.append(f"{len(skipped) - earlier} 篇在本文件中重复出现")
    return "，".join(parts) + ("，均未重复写入" if len(parts) > 1 else "，未重复写入")


def record_event(
    *,
    db_session: Session,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    data: dict | None = None,
) -> AuditEvent:
    """Append one audit event (who did what to which record)."""
    event = AuditEvent(
        actor=actor, action=action, target_type=target_type, target_id=str(target_id), data=data or {}
    )
    db_session.add(event)
    return event


def ingest_gazette(
    *,
    db_session: Session,
    parsed: ParsedGazette,
    content: bytes,
    source_name: str,
    actor: str,
    items: list[list] | None = None,
) -> IngestResult:
    """Store a parsed file; the same bytes again change nothing, a document already stored is skipped.

    ``items`` are the extracted policy items of each document (in ``parsed.documents`` order); they are
    stored as drafts for review.
    """
    digest = content_hash(content)
    existing = db_session.scalar(select(Gazette).where(Gazette.content_sha256 == digest))
    if existing is not None:
        return IngestResult(
            gazette_id=existing.id,
            created=False,
            documents=0,
            skipped_reason=f"内容相同的文件“{existing.source_name}”已入库（#{existing.id}），未重复写入",
        )
    gazette = Gazette(
        content_sha256=digest,
        source_name=source_name,
        issue=parsed.issue,
        encoding=parsed.encoding,
        script=parsed.script,
        size_bytes=len(content),
        toc=[
            {"title": t.title, "doc_number": t.doc_number, "page": t.page, "section": t.section}
            for t in parsed.toc
        ],
        findings=[
            {"level": f.level, "code": f.code, "message": f.message, "line": f.line} for f in parsed.findings
        ],
        ingested_by=actor,
    )
    db_session.add(gazette)
    uids = [document_uid(d) for d in parsed.documents]
    known = set(db_session.scalars(select(Document.uid).where(Document.uid.in_(uids)))) if uids else set()
    stored_before = set(known)  # in the library already; the rest of ``skipped`` repeats within this file
    added: list[Document] = []
    skipped: list[str] = []
    stored_items = 0
    for position, (parsed_doc, uid) in enumerate(zip(parsed.documents, uids, strict=True)):
        if uid in known:
            skipped.append(uid)
            continue
        known.add(uid)
        document = _document_row(parsed_doc, uid, position)
        document.gazette = gazette
        db_session.add(document)
        for entry in parsed_doc.repeals:
            db_session.add(_relation_row(entry, document, parsed_doc, source_name))
        added.append(document)
        if items is not None:
            from zhengcetong.library.items import store_items

            stored_items += len(
                store_items(db_session=db_session, document=document, extracted=items[position], actor=actor)
            )
    db_session.flush()
    _resolve_relations(db_session)
    record_event(
        db_session=db_session,
        actor=actor,
        action="gazette.ingest",
        target_type="gazette",
        target_id=str(gazette.id),
        data={
            "source": source_name,
            "sha256": digest,
            "documents": [d.uid for d in added],
            "skipped": skipped,
        },
    )
    db_session.flush()
    return IngestResult(
        gazette_id=gazette.id,
        created=True,
        documents=len(added),
        skipped=skipped,
        items=stored_items,
        skipped_reason=_skipped_reason(skipped, stored_before),
    )


def _document_row(doc: ParsedDocument, uid: str, position: int) -> Document:
    row = Document(
        uid=uid,
        position=position,
        doc_number=doc.doc_number,
        issuer=doc.issuer,
        title=doc.title,
        kind=doc.kind,
        addressees=doc.addressees,
        date=doc.date,
        published=doc.published,
        effective_from=doc.effective_from,
        effective_until=doc.effective_until,
        signature=doc.signature,
        attached_titles=doc.attached_titles,
        tables=[
            {"caption": t.caption, "header": t.header, "rows": t.rows, "start": t.start, "end": t.end}
            for t in doc.tables
        ],
        body=doc.body,
        line_start=doc.line_start,
        line_end=doc.line_end,
        continued_from=doc.continued_from,
    )
    position_counter = iter(range(1_000_000))

    def add(nodes: list[ParsedClause], parent: Clause | None, depth: int) -> None:
        for node in nodes:
            clause = Clause(
                position=next(position_counter),
                depth=depth,
                path=node.path,
                label=node.label,
                level=node.level,
                text=node.text,
                start=node.start,
                end=node.end,
                parent=parent,
            )
            row.clauses.append(clause)
            add(node.children, clause, depth + 1)

    add(doc.clauses, None, 0)
    return row


def _relation_row(entry: dict, document: Document, doc: ParsedDocument, source_name: str) -> DocumentRelation:
    """A relation from the parser's ``repeals`` entry; it takes effect when the repealing document does."""
    action = entry.get("action", "repeal")
    if action not in RELATION_ACTIONS:
        raise InputError(
            f"《{doc.title}》的失效关系“{action}”无法识别，应为 repeal（废止）或 amend（修改）",
            source=source_name,
            line=doc.line_start or None,
        )
    number, title = entry.get("doc_number"), entry.get("title")
    target = (entry.get("target") or "").strip()
    if number is None and title is None and target:
        if _DOC_NUMBER_LIKE_RE.search(target):
            number = target
        else:
            title = target.strip("《》")
    when = entry.get("effective_on")
    if isinstance(when, str):
        when = date.fromisoformat(when)
    return DocumentRelation(
        source=document,
        target_doc_number=number,
        target_title=title,
        action=action,
        effective_on=when or doc.effective_from or doc.date,
        quote=entry.get("quote", ""),
    )


_WRAPPED_TITLE_RE = re.compile(r"^关于(?:印发|转发|公布|发布)《?(.+?)》?的(?:通知|决定|公告)$")


def _names(document: Document) -> set[str]:
    """The titles a relation may cite a document by: its title, its attachments, the title it 印发."""
    names = {document.title, *(document.attached_titles or [])}
    wrapped = _WRAPPED_TITLE_RE.match(document.title)
    if wrapped:
        names.add(wrapped.group(1))
    return names


def _find_target(db_session: Session, relation: DocumentRelation) -> Document | None:
    """The stored document a relation cites: by 文号, else by title among documents without another 文号."""
    source = relation.source
    if relation.target_doc_number:
        target = db_session.scalar(
            select(Document).where(
                Document.uid == doc_number_slug(relation.target_doc_number), Document.id != source.id
            )
        )
        if target is not None:
            return target
    if not relation.target_title:
        return None
    query = select(Document).where(
        Document.title.contains(relation.target_title, autoescape=True), Document.id != source.id
    )
    if relation.target_doc_number:  # a title match must not be a different 文号's document
        query = query.where(Document.doc_number.is_(None))
    candidates = [d for d in db_session.scalars(query) if relation.target_title in _names(d)]
    if source.date is not None:  # a document repeals or amends only what came before it
        candidates = [d for d in candidates if d.date is None or d.date <= source.date]
    candidates.sort(key=lambda d: (d.date or date.min, d.id))
    return candidates[-1] if candidates else None


def _resolve_relations(db_session: Session) -> None:
    """Point unresolved repeal/amend relations at their target documents once those are stored, and
    re-point a relation that cites a 文号 but was matched by title once that 文号's document arrives."""
    by_title = (
        select(Document.id)
        .where(Document.id == DocumentRelation.target_document_id, Document.doc_number.is_(None))
        .exists()
    )
    pending = db_session.scalars(
        select(DocumentRelation).where(
            or_(
                DocumentRelation.target_document_id.is_(None),
                and_(DocumentRelation.target_doc_number.is_not(None), by_title),
            )
        )
    ).all()
    for relation in pending:
        target = _find_target(db_session, relation)
        if target is not None:
            relation.target_document_id = target.id


def in_force_clause(on: date):
    """SQL condition true for documents whose status on ``on`` is 现行有效 or 已修改 (mirrors status_on)."""
    start = func.coalesce(Document.effective_from, Document.date)
    repealed = exists().where(
        DocumentRelation.target_document_id == Document.id,
        DocumentRelation.action == "repeal",
        or_(DocumentRelation.effective_on.is_(None), DocumentRelation.effective_on <= on),
    )
    return and_(
        or_(start.is_(None), start <= on),
        or_(Document.effective_until.is_(None), Document.effective_until >= on),
        ~repealed,
    )


def list_documents(
    *,
    db_session: Session,
    valid_on: date | None = None,
    only_valid: bool = False,
    issuer: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
    extra: list | None = None,
) -> tuple[int, list[DocumentRef]]:
    """Documents newest first with their status on ``valid_on`` (default today); returns (total, page).

    ``only_valid`` keeps the documents in force on that date (现行有效 or 已修改); ``extra`` adds SQL
    conditions of the caller's (e.g. a topic from the search index).
    """
    on = valid_on or clock.today()
    conditions = []
    if issuer:
        conditions.append(Document.issuer == issuer)
    if kind:
        conditions.append(Document.kind == kind)
    if q:
        conditions.append(
            or_(
                Document.title.icontains(q, autoescape=True),
                Document.doc_number.icontains(q, autoescape=True),
            )
        )
    if only_valid:
        conditions.append(in_force_clause(on))
    conditions.extend(extra or [])
    total = db_session.scalar(select(func.count(Document.id)).where(*conditions)) or 0
    documents = db_session.scalars(
        select(Document)
        .options(selectinload(Document.gazette), *WITHOUT_TEXT)
        .where(*conditions)
        .order_by(Document.date.desc().nulls_last(), Document.gazette_id, Document.position, Document.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return total, list(document_refs(db_session=db_session, documents=documents, on=on).values())


class Citable(StoredDated, Protocol):
    """What a document reference shows: a Document row, or a row of its columns (a search hit's)."""

    uid: str
    doc_number: str | None
    issuer: str | None
    title: str
    kind: str
    published: date | None
    gazette_issue: str | None


def document_ref(document: Citable, status: DocumentStatus, on: date) -> DocumentRef:
    """The reference to a document with its status on ``on`` (from ``validity.validity_on``)."""
    return DocumentRef(
        uid=document.uid,
        doc_number=document.doc_number,
        issuer=document.issuer,
        title=document.title,
        kind=document.kind,
        date=document.date,
        effective_from=document.effective_from,
        effective_until=document.effective_until,
        status=status.value,
        status_on=on,
        published=document.published,
        gazette_issue=document.gazette_issue,
    )


def document_refs(*, db_session: Session, documents: Iterable[Citable], on: date) -> dict[int, DocumentRef]:
    """References to documents with their status on ``on``, by document id, in the order given."""
    documents = list(documents)
    statuses = validity_on(db_session=db_session, documents=documents, on=on)
    return {d.id: document_ref(d, statuses[d.id], on) for d in documents}


def get_document(*, db_session: Session, uid: str) -> Document:
    """The document with this uid, or NotFound."""
    document = db_session.scalar(select(Document).where(Document.uid == uid))
    if document is None:
        raise NotFound(f"没有找到文件 {uid}，请检查编号是否正确")
    return document


def get_clause_tree(*, db_session: Session, document_id: int) -> list[ClauseRead]:
    """The clause tree of a document, rebuilt from its flattened rows."""
    rows = db_session.scalars(
        select(Clause).where(Clause.document_id == document_id).order_by(Clause.position)
    ).all()
    nodes: dict[int, ClauseRead] = {}
    roots: list[ClauseRead] = []
    for row in rows:
        node = ClauseRead(
            label=row.label, path=row.path, level=row.level, text=row.text, start=row.start, end=row.end
        )
        nodes[row.id] = node
        (nodes[row.parent_id].children if row.parent_id in nodes else roots).append(node)
    return roots


def read_document(*, db_session: Session, uid: str, on: date | None = None) -> DocumentRead:
    """Everything about one document (the document page and its JSON twin)."""
    document = get_document(db_session=db_session, uid=uid)
    on = on or clock.today()
    summary = document_ref(document, validity_of(db_session=db_session, document=document, on=on), on)
    outgoing = db_session.scalars(
        select(DocumentRelation)
        .where(DocumentRelation.source_document_id == document.id)
        .order_by(DocumentRelation.id)
    ).all()
    incoming = db_session.scalars(
        select(DocumentRelation)
        .where(DocumentRelation.target_document_id == document.id)
        .order_by(DocumentRelation.id)
    ).all()
    return DocumentRead(
        **summary.model_dump(),
        addressees=document.addressees or [],
        signature=document.signature,
        attached_titles=document.attached_titles or [],
        body=document.body,
        tables=document.tables or [],
        clauses=get_clause_tree(db_session=db_session, document_id=document.id),
        repeals=[_relation_read(db_session, r) for r in outgoing],
        repealed_by=[_relation_read(db_session, r) for r in incoming],
        source_name=document.gazette.source_name,
        lines=[document.line_start, document.line_end],
    )


def _relation_read(db_session: Session, relation: DocumentRelation) -> RelationRead:
    source = db_session.get(Document, relation.source_document_id)
    target = db_session.get(Document, relation.target_document_id) if relation.target_document_id else None
    return RelationRead(
        action=relation.action,
        effective_on=relation.effective_on,
        quote=relation.quote,
        source_uid=source.uid if source else "",
        target_uid=target.uid if target else None,
        target_doc_number=relation.target_doc_number,
        target_title=relation.target_title,
    )


def list_gazettes(*, db_session: Session, limit: int = 100, offset: int = 0) -> list[GazetteRead]:
    """Ingested files with their document counts, newest first."""
    counts = (
        select(Document.gazette_id, func.count(Document.id).label("n"))
        .group_by(Document.gazette_id)
        .subquery()
    )
    rows = db_session.execute(
        select(Gazette, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.gazette_id == Gazette.id)
        .order_by(Gazette.ingested_at.desc(), Gazette.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        GazetteRead(
            id=g.id,
            source_name=g.source_name,
            issue=g.issue,
            content_sha256=g.content_sha256,
            size_bytes=g.size_bytes,
            ingested_at=g.ingested_at,
            ingested_by=g.ingested_by,
            documents=n,
        )
        for g, n in rows
    ]


def issuers(*, db_session: Session) -> list[str]:
    """Every issuer in the library (for filters)."""
    return [i for i in db_session.scalars(select(Document.issuer).distinct().order_by(Document.issuer)) if i]
