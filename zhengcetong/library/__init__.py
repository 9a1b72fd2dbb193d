"""The document library: gazettes, documents, clauses, policy items, interpretations and users, their
tables and the service that is their only writer. Other packages use only the names in ``__all__``,
imported from here (``from zhengcetong.library import Document, DocumentRef``).

The service modules are part of the face and are used as namespaces
(``from zhengcetong.library import items as policy_items``): ``backoffice``, ``catalog``, ``interpretations``,
``items``, ``publication``, ``review``, ``service`` and ``users``. The rest (models, schemas, records,
validity, labels…) is reached through the names below; those modules are private.

Two names differ from their module's: the parsed records ingest hands over are ``ParsedClause`` and
``ParsedTable`` (``records.Clause`` and ``records.Table``), since ``Clause`` is the clause table.

The names are loaded on first use (PEP 562), so importing this package costs nothing: ``zct --help``
and modules that only name a record do not pay for SQLAlchemy or pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhengcetong.faces import lazy_face

# Public name → (module under zhengcetong.library, its name there; None for the module itself).
_EXPORTS: dict[str, tuple[str, str | None]] = {
    # The service modules, used as namespaces.
    "backoffice": ("backoffice", None),
    "catalog": ("catalog", None),
    "interpretations": ("interpretations", None),
    "items": ("items", None),
    "publication": ("publication", None),
    "review": ("review", None),
    "service": ("service", None),
    "users": ("users", None),
    # Names from the services that other packages import on their own.
    "IngestResult": ("service", "IngestResult"),
    "doc_number_slug": ("service", "doc_number_slug"),
    "document_refs": ("service", "document_refs"),
    "record_event": ("service", "record_event"),
    "ItemFilters": ("catalog", "ItemFilters"),
    "PublicationStatus": ("publication", "PublicationStatus"),
    "STATUS_NAMES": ("publication", "STATUS_NAMES"),
    "ACTION_NAMES": ("publication", "ACTION_NAMES"),
    # The tables, and registering them for the migrations.
    "AuditEvent": ("models", "AuditEvent"),
    "Clause": ("models", "Clause"),
    "Document": ("models", "Document"),
    "DocumentRelation": ("models", "DocumentRelation"),
    "Gazette": ("models", "Gazette"),
    "Interpretation": ("models", "Interpretation"),
    "InterpretationDocument": ("models", "InterpretationDocument"),
    "PolicyItem": ("models", "PolicyItem"),
    "User": ("models", "User"),
    "register_models": ("models", "register_models"),
    # What the API returns.
    "DocumentRef": ("schemas", "DocumentRef"),
    "DocumentRead": ("schemas", "DocumentRead"),
    "DocumentPagination": ("schemas", "DocumentPagination"),
    "ItemSummary": ("schemas", "ItemSummary"),
    "ItemRead": ("schemas", "ItemRead"),
    "ItemPagination": ("schemas", "ItemPagination"),
    "NormativeGroup": ("schemas", "NormativeGroup"),
    "NormativeList": ("schemas", "NormativeList"),
    "InterpretationRead": ("interpretation_schemas", "InterpretationRead"),
    "InterpretationPagination": ("interpretation_schemas", "InterpretationPagination"),
    # The records ingest hands over.
    "ParsedGazette": ("records", "ParsedGazette"),
    "ParsedDocument": ("records", "ParsedDocument"),
    "ParsedClause": ("records", "Clause"),
    "ParsedTable": ("records", "Table"),
    "TocEntry": ("records", "TocEntry"),
    "Finding": ("records", "Finding"),
    # Whether a document is in force on a date.
    "DocumentStatus": ("validity", "DocumentStatus"),
    "status_on": ("validity", "status_on"),
    "validity_on": ("validity", "validity_on"),
    "validity_of": ("validity", "validity_of"),
    "in_force_period": ("validity", "in_force_period"),
    "in_force_clause": ("service", "in_force_clause"),
    # Labels shown to people.
    "APPLICANT_NAMES": ("labels", "APPLICANT_NAMES"),
    # What an item gives, in words (给予X, 最高X, 按X%).
    "benefit_line": ("benefits", "benefit_line"),
    "money": ("benefits", "money"),
    "percent": ("benefits", "percent"),
    "up_to": ("benefits", "up_to"),
    "BENEFIT_NAMES": ("labels", "BENEFIT_NAMES"),
    "DOCUMENT_KIND_NAMES": ("labels", "DOCUMENT_KIND_NAMES"),
    "ITEM_CATEGORIES": ("labels", "ITEM_CATEGORIES"),
    "PER_NAMES": ("labels", "PER_NAMES"),
}

__all__ = [
    "ACTION_NAMES",
    "APPLICANT_NAMES",
    "BENEFIT_NAMES",
    "DOCUMENT_KIND_NAMES",
    "ITEM_CATEGORIES",
    "PER_NAMES",
    "STATUS_NAMES",
    "AuditEvent",
    "Clause",
    "Document",
    "DocumentPagination",
    "DocumentRead",
    "DocumentRef",
    "DocumentRelation",
    "DocumentStatus",
    "Finding",
    "Gazette",
    "IngestResult",
    "Interpretation",
    "InterpretationDocument",
    "InterpretationPagination",
    "InterpretationRead",
    "ItemFilters",
    "ItemPagination",
    "ItemRead",
    "ItemSummary",
    "NormativeGroup",
    "NormativeList",
    "ParsedClause",
    "ParsedDocument",
    "ParsedGazette",
    "ParsedTable",
    "PolicyItem",
    "PublicationStatus",
    "TocEntry",
    "User",
    "backoffice",
    "benefit_line",
    "catalog",
    "doc_number_slug",
    "document_refs",
    "in_force_clause",
    "in_force_period",
    "interpretations",
    "items",
    "money",
    "percent",
    "publication",
    "record_event",
    "register_models",
    "review",
    "service",
    "status_on",
    "up_to",
    "users",
    "validity_of",
    "validity_on",
]


__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, __all__)


if TYPE_CHECKING:
    from zhengcetong.library import (
        backoffice,
        catalog,
        interpretations,
        items,
        publication,
        review,
        service,
        users,
    )
    from zhengcetong.library.benefits import benefit_line, money, percent, up_to
    from zhengcetong.library.catalog import ItemFilters
    from zhengcetong.library.interpretation_schemas import InterpretationPagination, InterpretationRead
    from zhengcetong.library.labels import (
        APPLICANT_NAMES,
        BENEFIT_NAMES,
        DOCUMENT_KIND_NAMES,
        ITEM_CATEGORIES,
        PER_NAMES,
    )
    from zhengcetong.library.models import (
        AuditEvent,
        Clause,
        Document,
        DocumentRelation,
        Gazette,
        Interpretation,
        InterpretationDocument,
        PolicyItem,
        User,
        register_models,
    )
    from zhengcetong.library.publication import ACTION_NAMES, STATUS_NAMES, PublicationStatus
    from zhengcetong.library.records import Clause as ParsedClause
    from zhengcetong.library.records import Finding, ParsedDocument, ParsedGazette, TocEntry
    from zhengcetong.library.records import Table as ParsedTable
    from zhengcetong.library.schemas import (
        DocumentPagination,
        DocumentRead,
        DocumentRef,
        ItemPagination,
        ItemRead,
        ItemSummary,
        NormativeGroup,
        NormativeList,
    )
    from zhengcetong.library.service import (
        IngestResult,
        doc_number_slug,
        document_refs,
        in_force_clause,
        record_event,
    )
    from zhengcetong.library.validity import (
        DocumentStatus,
        in_force_period,
        status_on,
        validity_of,
        validity_on,
    )
