"""The search index's tables.

``search_entry`` holds one row per searchable unit (a document's heading, a clause, a policy item, a
policy interpretation) with its display text, its filter and facet values, and its analysed tokens
(``|token||token|`` strings, so each token is delimited on both sides). The engines index those
tokens: SQLite through the FTS5 table ``search_fts`` (external content, kept in step by triggers), and
PostgreSQL through the generated ``tsv`` column with a GIN index, whose BM25 statistics (``search_df``,
``search_stats``) are kept in step by statement-level triggers. Both are created by the migration,
outside these models, because they exist on one engine only.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhengcetong.clock import now as utcnow
from zhengcetong.db.base import Base, engine_specific
from zhengcetong.db.types import UtcDateTime

# Created by the migration on one engine only (FTS5 and its shadow tables; the tsvector and its index).
engine_specific(tables=("search_fts",), columns=("search_entry.tsv",), indexes=("ix_search_entry_tsv",))
# SQLite only too: the top lists (fts5 toplists, migration 0007), Core tables of their own.
engine_specific(tables=("search_top", "search_top_term", "search_top_state", "search_change"))
# And the trigram index of exact phrases (fts5 phrases, migration 0008).
engine_specific(tables=("search_norm",))
# And the log the in-memory columns follow (fts5 columns, migration 0009).
engine_specific(tables=("search_entry_log",))
# And the postings of frequent words (fts5 postings, migration 0010).
engine_specific(tables=("search_posting", "search_posting_delta"))


class SearchEntry(Base):
    """One searchable unit with its tokens, filters and facets."""

    __tablename__ = "search_entry"
    __table_args__ = (
        Index("ix_search_entry_kind_public", "kind", "public"),
        Index("ix_search_entry_document_id_kind", "document_id", "kind"),  # sync: is the document indexed?
        Index("ix_search_entry_item_id_version", "item_id", "source_version"),  # sync: is the item current?
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # document | clause | item | interpretation
    ref: Mapped[str] = mapped_column(String(400), unique=True)  # stable: "clause:<uid>:<path>", …
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("policy_item.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(Integer)  # clause or interpretation id
    source_version: Mapped[int] = mapped_column(Integer, default=1)
    public: Mapped[bool] = mapped_column(Boolean, default=True)  # drafts are indexed but not shown
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    norm: Mapped[str] = mapped_column(Text, default="")  # analyzer.compact(title + text): exact phrases
    anchor: Mapped[str] = mapped_column(String(300), default="")  # clause path or item key
    issuer: Mapped[str | None] = mapped_column(String(200), index=True)
    doc_kind: Mapped[str | None] = mapped_column(String(20))
    doc_date: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    topics: Mapped[int] = mapped_column(Integer, default=0)  # bit i set: TOPICS[i]
    category: Mapped[str | None] = mapped_column(String(10))
    benefit_kind: Mapped[str | None] = mapped_column(String(30))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    departments: Mapped[str] = mapped_column(Text, default="")  # "|市财政局||市科技局|"
    tok_title: Mapped[str] = mapped_column(Text, default="")
    tok_body: Mapped[str] = mapped_column(Text, default="")
    tok_extra: Mapped[str] = mapped_column(Text, default="")
    ntokens: Mapped[int] = mapped_column(Integer, default=0)


class SearchTerm(Base):
    """A word added to the segmentation dictionary from the library (an issuer, a department…)."""

    __tablename__ = "search_term"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    source: Mapped[str] = mapped_column(String(40))  # issuer | department | staff
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(200))


class SearchDf(Base):
    """PostgreSQL only: in how many entries each token occurs (kept by triggers; BM25's nHit)."""

    __tablename__ = "search_df"

    term: Mapped[str] = mapped_column(Text, primary_key=True)
    df: Mapped[int] = mapped_column(Integer)


class SearchStats(Base):
    """PostgreSQL only: entries and tokens in the index (kept by triggers; BM25's N and avgdl)."""

    __tablename__ = "search_stats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    tokens: Mapped[int] = mapped_column(BigInteger, default=0)


def register_models() -> list[str]:
    """The names of search's tables on ``Base.metadata`` (importing this module registers them; the
    migrations and the drift check call this through the face so that they see them)."""
    return sorted(t.name for t in Base.metadata.sorted_tables if t.name.startswith("search_"))
