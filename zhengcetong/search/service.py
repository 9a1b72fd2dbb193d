"""The search service: keep the index in step with the library, and answer searches.

``sync`` is idempotent and cheap when nothing changed: it indexes documents that have no entry yet,
re-indexes items whose version changed (an edit, a publication, a withdrawal), and adds the library's
new terms (issuers, responsible departments) to the dictionary, re-analysing only the entries that
contain them. The shells call it after every write; it runs in the caller's transaction, so a failed
ingest leaves neither library nor index changed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy import case, delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session, load_only, selectinload

from zhengcetong import clock
from zhengcetong.library import (
    Clause,
    Document,
    Gazette,
    Interpretation,
    InterpretationDocument,
    PolicyItem,
    benefit_line,
    document_refs,
)
from zhengcetong.search import backends
from zhengcetong.search.analyzer import Analyzer, compact, get_analyzer, normalise
from zhengcetong.search.backends import SearchBackend, backend_for, entry_filters, facet_select
from zhengcetong.search.bm25 import Ranked
from zhengcetong.search.facets import Tally
from zhengcetong.search.hooks import STALE
from zhengcetong.search.indexer import (
    document_entries,
    document_topics,
    interpretation_entry,
    item_entry,
    join_tokens,
)
from zhengcetong.search.models import SearchEntry, SearchTerm
from zhengcetong.search.query import ParsedQuery, parse
from zhengcetong.search.schemas import SearchHit, SearchPage, SearchRequest
from zhengcetong.search.snippets import snippet
from zhengcetong.search.topics import names as topic_names

BATCH = 2000
_TERM_RE = re.compile(r"[\u3400-\u9fff]{2,20}")
# An organisation's name ends in one of these (a harvested "责任单位" is a label, not a department).
_ORGANISATION_RE = re.compile(
    r"(?:局|委|办|部|厅|会|院|处|署|中心|公司|支行|分行|银行|政府|办公室|机构|集团|联社)$"
)
ENTRY_DEFAULTS = {
    "document_id": None,
    "item_id": None,
    "source_id": None,
    "source_version": 1,
    "public": True,
    "anchor": "",
    "issuer": None,
    "doc_kind": None,
    "doc_date": None,
    "year": None,
    "topics": 0,
    "category": None,
    "benefit_kind": None,
    "amount": None,
    "departments": "",
}


@dataclass
class SyncResult:
    """What one sync did."""

    documents: int = 0
    entries: int = 0
    items: int = 0
    terms: list[str] | None = None
    reanalysed: int = 0
    interpretations: int = 0
    top_lists: backends.RefreshResult | None = None  # the engine's own structures (SQLite: top lists)

    @property
    def changed(self) -> bool:
        """True when the index was written."""
        return bool(self.entries or self.items or self.terms or self.reanalysed or self.interpretations)


def library_terms(*, db_session: Session) -> list[str]:
    """The dictionary terms stored from the library."""
    return list(db_session.scalars(select(SearchTerm.term).order_by(SearchTerm.term)))


def list_terms(*, db_session: Session) -> list[SearchTerm]:
    """The dictionary terms stored from the library, with who added them and when (by source, term)."""
    return list(db_session.scalars(select(SearchTerm).order_by(SearchTerm.source, SearchTerm.term)))


_analyzers: dict[tuple, Analyzer] = {}  # (database, number of terms, newest term) → analyser


def dictionary_cache_dir():
    """Where the compiled jieba dictionary is kept: ``cache`` in the data folder."""
    from zhengcetong.config import get_settings

    return get_settings().data_dir / "cache"


def analyzer_for(*, db_session: Session) -> Analyzer:
    """The analyser in force for this database (shipped dictionary + library terms).

    Terms are only ever added, so their count and the newest one's time identify the set: a search
    reads those two numbers instead of every term (and normalising them all again).
    """
    count, newest = db_session.execute(select(func.count(), func.max(SearchTerm.added_at))).one()
    key = (str(db_session.get_bind().engine.url), count, newest)
    analyzer = _analyzers.get(key)
    if analyzer is None:
        analyzer = get_analyzer(library_terms(db_session=db_session), cache_dir=dictionary_cache_dir())
        if len(_analyzers) >= 16:
            _analyzers.pop(next(iter(_analyzers)))
        _analyzers[key] = analyzer
    return analyzer


def insert_entries(db_session: Session, entries: list[dict]) -> int:
    """INSERT entries in batches (the engines' triggers index them).

    On PostgreSQL every batch is a few multi-row INSERTs, so the statement-level triggers that keep
    the BM25 statistics run once per thousand entries: psycopg's executemany sends one statement per
    row, and updating the one statistics row once per entry in a transaction is quadratic.
    """
    multirow = db_session.get_bind().dialect.name == "postgresql"
    count = 0
    for start in range(0, len(entries), BATCH):
        batch = [{**ENTRY_DEFAULTS, **e} for e in entries[start : start + BATCH]]
        if multirow:  # RETURNING makes SQLAlchemy send multi-row INSERTs ("insertmanyvalues")
            table = SearchEntry.__table__
            db_session.execute(insert(table).returning(table.c.id), batch)
        else:
            db_session.execute(insert(SearchEntry), batch)
        count += len(batch)
    return count


def _harvest(db_session: Session) -> dict[str, str]:
    """Candidate terms from the library: issuers and responsible departments (term → source)."""
    found: dict[str, str] = {}
    for issuer in db_session.scalars(select(Document.issuer).distinct()):
        for term in _TERM_RE.findall(issuer or ""):
            if _ORGANISATION_RE.search(term):
                found.setdefault(term, "issuer")
    for departments in db_session.scalars(select(PolicyItem.departments).distinct()):  # few distinct lists
        for department in departments or []:
            for term in _TERM_RE.findall(department or ""):
                if _ORGANISATION_RE.search(term):
                    found.setdefault(term, "department")
    return found


def add_terms(*, db_session: Session, terms: dict[str, str], actor: str) -> tuple[list[str], int]:
    """Add words to the dictionary (term → source) and re-analyse the entries that contain them.

    Words the dictionary already knows are skipped. Returns (words added, entries re-analysed).
    """
    current = analyzer_for(db_session=db_session)
    known = set(current.library_terms)
    new = {normalise(t): s for t, s in terms.items() if normalise(t) not in known and not current.is_word(t)}
    if not new:
        return [], 0
    for term, source in sorted(new.items()):
        db_session.add(SearchTerm(term=term, source=source, added_by=actor))
    db_session.flush()
    analyzer = analyzer_for(db_session=db_session)
    affected = or_(*[SearchEntry.norm.contains(compact(t), autoescape=True) for t in new])
    rows = db_session.execute(
        select(
            SearchEntry.id, SearchEntry.title, SearchEntry.text, SearchEntry.kind, SearchEntry.departments
        ).where(affected)
    ).all()
    for row in rows:
        extra_text = (
            "、".join(d for d in row.departments.split("|") if d)
            if row.kind in ("item", "interpretation")
            else ""
        )
        title_tokens = analyzer.tokens(row.title) if row.title else []
        body_source = f"{row.text}\n{extra_text}" if extra_text else row.text
        body_tokens = analyzer.tokens(body_source) if body_source else []
        extra = analyzer.extra_tokens(title_tokens) + analyzer.extra_tokens(body_tokens)
        db_session.execute(
            update(SearchEntry)
            .where(SearchEntry.id == row.id)
            .values(
                tok_title=join_tokens(title_tokens),
                tok_body=join_tokens(body_tokens),
                tok_extra=join_tokens(extra),
                ntokens=len(title_tokens) + len(body_tokens) + len(extra),
            )
        )
    return sorted(new), len(rows)


def sync(*, db_session: Session, actor: str = "system") -> SyncResult:
    """Bring the index in step with the library (see the module docstring)."""
    result = SyncResult()
    result.terms, result.reanalysed = add_terms(
        db_session=db_session, terms=_harvest(db_session), actor=actor
    )
    analyzer = analyzer_for(db_session=db_session)
    indexed = (
        select(SearchEntry.id)
        .where(SearchEntry.kind == "document", SearchEntry.document_id == Document.id)
        .exists()
    )
    new_documents = db_session.scalars(select(Document).where(~indexed).order_by(Document.id)).all()
    masks: dict[int, int] = {}
    entries: list[dict] = []
    for document in new_documents:
        clauses = db_session.scalars(
            select(Clause).where(Clause.document_id == document.id).order_by(Clause.position)
        ).all()
        first = len(entries)
        entries.extend(document_entries(analyzer, document, clauses))
        masks[document.id] = entries[first]["topics"]
        if len(entries) >= BATCH:
            result.entries += insert_entries(db_session, entries)
            entries = []
    result.entries += insert_entries(db_session, entries)
    result.documents = len(new_documents)
    result.items = _sync_items(db_session, analyzer, masks)
    result.interpretations = _sync_interpretations(db_session, analyzer)
    result.top_lists = backends.refresh(db_session)
    db_session.info.pop(STALE, None)
    return result


def _sync_items(db_session: Session, analyzer: Analyzer, masks: dict[int, int]) -> int:
    """Re-index items that have no entry or whose entry is of an older version."""
    current = (
        select(SearchEntry.id)
        .where(SearchEntry.item_id == PolicyItem.id, SearchEntry.source_version == PolicyItem.version)
        .exists()
    )
    stale = db_session.scalars(select(PolicyItem).where(~current).order_by(PolicyItem.id)).all()
    if not stale:
        return 0
    db_session.execute(delete(SearchEntry).where(SearchEntry.item_id.in_([i.id for i in stale])))
    entries = []
    for item in stale:
        if item.document_id not in masks:
            masks[item.document_id] = document_topics(item.document)
        entries.append(item_entry(analyzer, item, masks[item.document_id]))
    insert_entries(db_session, entries)
    return len(stale)


def _sync_interpretations(db_session: Session, analyzer: Analyzer) -> int:
    """Re-index interpretations that have no entry or an older one; drop the entries of deleted ones."""
    current = (
        select(SearchEntry.id)
        .where(
            SearchEntry.kind == "interpretation",
            SearchEntry.source_id == Interpretation.id,
            SearchEntry.source_version == Interpretation.version,
            SearchEntry.ref == literal("interpretation:") + Interpretation.uid,
        )
        .exists()
    )
    stale = db_session.scalars(
        select(Interpretation)
        .where(~current)
        .order_by(Interpretation.id)
        .options(selectinload(Interpretation.links).selectinload(InterpretationDocument.document))
    ).all()
    outdated = or_(
        SearchEntry.source_id.in_([i.id for i in stale]),
        SearchEntry.source_id.not_in(select(Interpretation.id)),
    )
    gone = db_session.scalars(
        select(SearchEntry.id).where(SearchEntry.kind == "interpretation", outdated)
    ).all()
    if gone:
        db_session.execute(delete(SearchEntry).where(SearchEntry.id.in_(gone)))
    insert_entries(db_session, [interpretation_entry(analyzer, i) for i in stale])
    return len(stale)


def refresh_engine(*, db_session: Session) -> backends.RefreshResult:
    """Bring the engine's own structures in step with the index (SQLite: the top lists and postings,
    built at once after a migration instead of in the first write; sync does this too)."""
    return backends.refresh(db_session)


def warm(*, db_session: Session) -> None:
    """Build what the first search of a process would: the analyser (about a second of dictionary
    loading) and the engine's in-memory structures (SQLite file: seconds at a million entries)."""
    analyzer_for(db_session=db_session).load_whole()
    backends.warm(db_session)


def rebuild(*, db_session: Session, actor: str = "system") -> SyncResult:
    """Drop every entry and index the whole library again (after a dictionary or model change)."""
    backends.reset(db_session)  # built again from the new entries, not from a log of every row
    db_session.execute(delete(SearchEntry))
    return sync(db_session=db_session, actor=actor)


def search(
    *,
    db_session: Session,
    request: SearchRequest,
    backend: SearchBackend | None = None,
    today: date | None = None,
) -> SearchPage:
    """Run a search: ranked hits with snippets, facets over all hits, and the 文号 match if any."""
    started = time.perf_counter()
    today = today or clock.today()
    backend = backend or backend_for(db_session)
    query = parse(request.q, analyzer_for(db_session=db_session))
    named = _named_document(db_session, query)
    exact = (
        document_refs(db_session=db_session, documents=[named], on=request.valid_on or today)[named.id]
        if named
        else None
    )
    if query.empty and named is not None:  # only a 文号: that document, its items and clauses
        ranked, tally = _document_entries(db_session, named.id, query, request, today)
    elif query.empty:
        ranked, tally = [], Tally()
    else:
        ranked = backend.top(db_session, query, request, today)
        tally = backend.facets(db_session, query, request, today)
    hits = _hits(db_session, query, ranked, request.valid_on or today)
    return SearchPage(
        q=request.q,
        total=tally.total,
        limit=request.limit,
        offset=request.offset,
        hits=hits,
        facets=tally.facets(),
        exact=exact,
        ignored=query.ignored,
        engine=backend.name,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )


def _named_document(db_session: Session, query: ParsedQuery) -> Document | None:
    """The document whose 文号 the query names, if the library holds it."""
    if not query.doc_number:
        return None
    return db_session.scalar(select(Document).where(Document.doc_number == query.doc_number).limit(1))


# The entries of one document in reading order: the document, its items, clauses, interpretations.
_KIND_ORDER = case({"document": 0, "item": 1, "clause": 2}, value=SearchEntry.kind, else_=3)


def _document_entries(
    db_session: Session, document_id: int, query: ParsedQuery, request: SearchRequest, today: date
) -> tuple[list[Ranked], Tally]:
    """A 文号 search: every entry of that document the public may see, under the request's filters,
    the document first, then its items, its clauses (in order) and interpretations (score 0)."""
    conditions = [
        SearchEntry.document_id == document_id,
        *entry_filters(request, query, today, public_only=True),
    ]
    ids = db_session.scalars(
        select(SearchEntry.id)
        .where(*conditions)
        .order_by(_KIND_ORDER, SearchEntry.id)
        .offset(request.offset)
        .limit(request.limit)
    ).all()
    tally = Tally().add_rows(db_session.execute(facet_select(SearchEntry.__table__, conditions, [])))
    return [Ranked(i, 0.0) for i in ids], tally


def entry_url(kind: str, document_uid: str | None, anchor: str, ref: str) -> str:
    """Where a hit leads: the document (at the clause's anchor), the item page, the interpretation.

    Examples:
        >>> entry_url("clause", "聊政发-2023-3", "第一章/第四条", "")
        '/documents/%E8%81%8A%E6%94%BF%E5%8F%91-2023-3#%E7%AC%AC%E4%B8%80%E7%AB%A0/%E7%AC%AC%E5%9B%9B%E6%9D%A1'
    """
    if kind == "item":
        return f"/items/{quote(ref.removeprefix('item:'), safe='')}"
    if kind == "interpretation":
        return f"/interpretations/{quote(ref.removeprefix('interpretation:'), safe='')}"
    url = f"/documents/{quote(document_uid or '', safe='')}"
    return f"{url}#{quote(anchor, safe='/')}" if kind == "clause" and anchor else url


# What a hit shows: the entries' tokens and the documents' bodies are not read. Plain rows, one
# query for the entries and their documents: a page of hits costs about a millisecond less than
# loading ORM objects with two queries.
_ENTRY = SearchEntry.__table__
_DOCUMENT = Document.__table__
_GAZETTE = Gazette.__table__
_HIT_SELECT = select(
    _ENTRY.c.id,
    _ENTRY.c.kind,
    _ENTRY.c.ref,
    _ENTRY.c.document_id,
    _ENTRY.c.title,
    _ENTRY.c.text,
    _ENTRY.c.anchor,
    _ENTRY.c.topics,
    _ENTRY.c.category,
    _ENTRY.c.benefit_kind,
    _ENTRY.c.amount,
    _ENTRY.c.departments,
    _DOCUMENT.c.uid.label("doc_uid"),
    _DOCUMENT.c.title.label("doc_title"),
    _DOCUMENT.c.doc_number.label("doc_number"),
    _DOCUMENT.c.issuer.label("doc_issuer"),
    _DOCUMENT.c.kind.label("doc_kind"),
    _DOCUMENT.c.date.label("doc_date"),
    _DOCUMENT.c.effective_from.label("doc_effective_from"),
    _DOCUMENT.c.effective_until.label("doc_effective_until"),
    _DOCUMENT.c.published.label("doc_published"),
    _GAZETTE.c.issue.label("doc_gazette_issue"),
).select_from(
    _ENTRY.outerjoin(_DOCUMENT, _DOCUMENT.c.id == _ENTRY.c.document_id).outerjoin(
        _GAZETTE, _GAZETTE.c.id == _DOCUMENT.c.gazette_id
    )
)


@dataclass(frozen=True)
class _HitDocument:
    """What a hit shows of its document (and what its status needs): ``service.Citable``."""

    id: int
    uid: str
    title: str
    doc_number: str | None
    issuer: str | None
    kind: str
    date: date | None
    effective_from: date | None
    effective_until: date | None
    published: date | None
    gazette_issue: str | None


def _hits(db_session: Session, query: ParsedQuery, ranked, on: date) -> list[SearchHit]:
    if not ranked:
        return []
    rows = db_session.execute(_HIT_SELECT.where(_ENTRY.c.id.in_([r.id for r in ranked]))).all()
    entries = {row.id: row for row in rows}
    documents = {
        row.document_id: _HitDocument(
            row.document_id,
            row.doc_uid,
            row.doc_title,
            row.doc_number,
            row.doc_issuer,
            row.doc_kind,
            row.doc_date,
            row.doc_effective_from,
            row.doc_effective_until,
            row.doc_published,
            row.doc_gazette_issue,
        )
        for row in rows
        if row.document_id and row.doc_uid is not None
    }
    refs = document_refs(db_session=db_session, documents=documents.values(), on=on)
    benefits = _benefits(db_session, [e.ref for e in entries.values() if e.kind == "item"])
    words = query.highlights()
    hits = []
    for r in ranked:
        e = entries[r.id]
        document = documents.get(e.document_id) if e.document_id else None
        ref = refs[document.id] if document else None
        title = e.title or (f"{document.title} · {e.anchor}" if document else e.anchor)
        hits.append(
            SearchHit(
                id=e.id,
                kind=e.kind,
                ref=e.ref,
                url=entry_url(e.kind, document.uid if document else None, e.anchor, e.ref),
                title=title,
                title_marked=snippet(title, words, width=len(title) + 1),
                snippet=snippet(e.text, words, phrases=query.phrases),
                score=r.score,
                clause=e.anchor or None,
                document=ref,
                topics=topic_names(e.topics),
                category=e.category,
                benefit_kind=e.benefit_kind,
                amount_max_yuan=e.amount,
                benefit=benefits.get(e.ref),
                departments=[d for d in e.departments.split("|") if d],
            )
        )
    return hits


def _benefits(db_session: Session, refs: list[str]) -> dict[str, str]:
    """What each item hit gives, in words (给予X, 最高X, 按X%), by its entry's ref ("item:<key>")."""
    if not refs:
        return {}
    keys = [ref.split(":", 1)[1] for ref in refs]
    fields = ("key", "category", "amount_max_yuan", "rate", "per", "cap_yuan", "months_max", "formula")
    found = db_session.scalars(
        select(PolicyItem)
        .options(load_only(*(getattr(PolicyItem, f) for f in fields)))
        .where(PolicyItem.key.in_(keys))
    )
    return {f"item:{item.key}": benefit_line(item) for item in found}
