"""Turn library rows into search entries: one per document heading, clause, policy item and interpretation.

Entries are plain dicts ready for an INSERT; the analyser decides their tokens, the topic model their
topics. Clause entries inherit their document's topics; an item is classified on its own text and
falls back to its document's topics.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from zhengcetong import clock
from zhengcetong.library import Clause, Document, Interpretation, PolicyItem
from zhengcetong.search.analyzer import Analyzer, compact
from zhengcetong.search.topics import classify, mask_of


def join_tokens(tokens: Iterable[str]) -> str:
    """Tokens as stored: each between bars, so a token can be found and counted with ``|token|``.

    Examples:
        >>> join_tokens(["高新技术企业", "奖励"])
        '|高新技术企业||奖励|'
    """
    return "".join(f"|{t}|" for t in tokens)


def _entry(analyzer: Analyzer, *, title: str, text: str, extra_text: str = "", **values) -> dict:
    """The common part of an entry: display text, exact-phrase form and analysed tokens."""
    title_tokens = analyzer.tokens(title) if title else []
    body_tokens = (
        analyzer.tokens(f"{text}\n{extra_text}" if extra_text else text) if text or extra_text else []
    )
    extra = analyzer.extra_tokens(title_tokens) + analyzer.extra_tokens(body_tokens)
    return {
        "title": title,
        "text": text,
        "norm": compact(f"{title}\n{text}"),
        "tok_title": join_tokens(title_tokens),
        "tok_body": join_tokens(body_tokens),
        "tok_extra": join_tokens(extra),
        "ntokens": len(title_tokens) + len(body_tokens) + len(extra),
        **values,
    }


def _document_values(document: Document) -> dict:
    return {
        "document_id": document.id,
        "issuer": document.issuer,
        "doc_kind": document.kind,
        "doc_date": document.date,
        "year": document.date.year if document.date else None,
    }


def document_topics(document: Document) -> int:
    """The topic mask of a document (title and attachment titles count as title)."""
    title = " ".join([document.title, *(document.attached_titles or [])])
    return mask_of([s.name for s in classify(title, document.body)])


def document_entries(analyzer: Analyzer, document: Document, clauses: list[Clause]) -> Iterator[dict]:
    """The entries of a document: its heading (title, 文号, issuer, attachments) and every clause."""
    topics = document_topics(document)
    common = _document_values(document)
    heading = " · ".join(
        x for x in [document.doc_number, document.issuer, *(document.attached_titles or [])] if x
    )
    yield _entry(
        analyzer,
        title=document.title,
        text=heading,
        kind="document",
        ref=f"document:{document.uid}",
        source_id=document.id,
        anchor="",
        topics=topics,
        departments="",
        **common,
    )
    for clause in clauses:
        if not clause.text.strip():
            continue
        yield _entry(
            analyzer,
            title="",
            text=clause.text,
            kind="clause",
            ref=f"clause:{document.uid}:{clause.path}",
            source_id=clause.id,
            anchor=clause.path,
            topics=topics,
            departments="",
            **common,
        )


def item_entry(analyzer: Analyzer, item: PolicyItem, document_mask: int) -> dict:
    """The entry of a policy item: name as title, source text and departments as body."""
    departments = [d for d in (item.departments or []) if d]
    topics = (
        mask_of([s.name for s in classify(item.name, f"{item.condition}\n{item.quote}")]) or document_mask
    )
    return _entry(
        analyzer,
        title=item.name,
        text=item.quote,
        extra_text="、".join(departments),
        kind="item",
        ref=f"item:{item.key}",
        item_id=item.id,
        source_id=item.id,
        source_version=item.version,
        public=item.status == "published",
        anchor=item.clause_path,
        topics=topics,
        category=item.category,
        benefit_kind=item.benefit_kind,
        amount=item.headline_yuan,
        departments="".join(f"|{d}|" for d in departments),
        **_document_values(item.document),
    )


def interpretation_entry(analyzer: Analyzer, interpretation: Interpretation) -> dict:
    """The entry of a policy interpretation: title, summary and body; public once published.

    It belongs to the first document it explains (for the hit's document and the validity filter).
    """
    links = sorted(interpretation.links, key=lambda link: link.position)
    first = links[0].document if links else None
    text = "\n".join(x for x in (interpretation.summary, interpretation.body) if x)
    published = clock.china_date(interpretation.published_at) if interpretation.published_at else None
    return _entry(
        analyzer,
        title=interpretation.title,
        text=text,
        extra_text=interpretation.department,
        kind="interpretation",
        ref=f"interpretation:{interpretation.uid}",
        document_id=first.id if first else None,
        source_id=interpretation.id,
        source_version=interpretation.version,
        public=interpretation.status == "published",
        anchor="",
        doc_date=published,
        year=published.year if published else None,
        topics=mask_of([s.name for s in classify(interpretation.title, text)]),
        departments=f"|{interpretation.department}|" if interpretation.department else "",
    )
