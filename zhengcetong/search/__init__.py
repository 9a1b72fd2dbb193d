"""Full-text search: the index kept in step with the library, and the searches the portal, the API
and ``zct search`` run. Other packages use only the names in ``__all__``, imported from here
(``from zhengcetong.search import search, SearchRequest``); the modules behind them are private.

The names are loaded on first use (PEP 562), so importing this package costs nothing: ``zct --help``
and modules that only name a schema do not pay for SQLAlchemy, numpy or jieba.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhengcetong.faces import lazy_face

# Public name → (module under zhengcetong.search, its name there).
_EXPORTS: dict[str, tuple[str, str]] = {
    # Searching and keeping the index in step (service).
    "search": ("service", "search"),
    "sync": ("service", "sync"),
    "rebuild": ("service", "rebuild"),
    "SyncResult": ("service", "SyncResult"),
    "refresh_engine": ("service", "refresh_engine"),
    "warm": ("service", "warm"),
    "install": ("hooks", "install"),
    # The dictionary.
    "analyzer_for": ("service", "analyzer_for"),
    "library_terms": ("service", "library_terms"),
    "list_terms": ("service", "list_terms"),
    "add_terms": ("service", "add_terms"),
    # Engines.
    "SearchBackend": ("backends", "SearchBackend"),
    "backend_for": ("backends", "backend_for"),
    # Requests, pages and their limits.
    "SearchRequest": ("schemas", "SearchRequest"),
    "SearchPage": ("schemas", "SearchPage"),
    "KIND_NAMES": ("schemas", "KIND_NAMES"),
    "AMOUNT_BUCKETS": ("schemas", "AMOUNT_BUCKETS"),
    "MAX_OFFSET": ("schemas", "MAX_OFFSET"),
    "check_length": ("query", "check_length"),
    # Marking words in a text, and where a hit leads.
    "highlights": ("query", "highlights"),
    "find_spans": ("snippets", "find_spans"),
    "entry_url": ("service", "entry_url"),
    "suggestions": ("suggest", "suggestions"),
    # Topics, and what the portal's lists read from the index.
    "topic_names": ("topics", "topic_names"),
    "TopicName": ("topics", "TopicName"),
    "topic_model": ("topics", "model"),
    "topic_condition": ("catalog", "topic_condition"),
    "department_condition": ("catalog", "department_condition"),
    "topics_of": ("catalog", "topics_of"),
    "topic_counts": ("catalog", "topic_counts"),
    # The tables, for the migrations.
    "register_models": ("models", "register_models"),
}

__all__ = [
    "AMOUNT_BUCKETS",
    "KIND_NAMES",
    "MAX_OFFSET",
    "SearchBackend",
    "SearchPage",
    "SearchRequest",
    "TopicName",
    "SyncResult",
    "add_terms",
    "analyzer_for",
    "backend_for",
    "check_length",
    "department_condition",
    "entry_url",
    "find_spans",
    "highlights",
    "install",
    "library_terms",
    "list_terms",
    "rebuild",
    "refresh_engine",
    "register_models",
    "search",
    "suggestions",
    "sync",
    "topic_condition",
    "topic_counts",
    "topic_model",
    "topic_names",
    "topics_of",
    "warm",
]


__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, __all__)


if TYPE_CHECKING:
    from zhengcetong.search.backends import SearchBackend, backend_for
    from zhengcetong.search.catalog import department_condition, topic_condition, topic_counts, topics_of
    from zhengcetong.search.hooks import install
    from zhengcetong.search.models import register_models
    from zhengcetong.search.query import check_length, highlights
    from zhengcetong.search.schemas import AMOUNT_BUCKETS, KIND_NAMES, MAX_OFFSET, SearchPage, SearchRequest
    from zhengcetong.search.service import (
        SyncResult,
        add_terms,
        analyzer_for,
        entry_url,
        library_terms,
        list_terms,
        rebuild,
        refresh_engine,
        search,
        sync,
        warm,
    )
    from zhengcetong.search.snippets import find_spans
    from zhengcetong.search.suggest import suggestions
    from zhengcetong.search.topics import TopicName, topic_names
    from zhengcetong.search.topics import model as topic_model
