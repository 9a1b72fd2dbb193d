"""The records ingest hands to the library: a parsed gazette, its documents, clause trees, tables, table
of contents and findings. Plain dataclasses, serialised as the documented `zct extract --json` format."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass
class Clause:
    """One node of a document's clause tree.

    ``label`` is the numbering as printed ("第四条", "一、", "（二）", "3.", "（1）", "第一章");
    ``path`` joins the normalised labels of the ancestors and this node with "/" ("第一章/第四条",
    "三/（一）/2"); ``text`` is the node's own text (label included, children excluded);
    ``start``/``end`` are character offsets of that text in the document body.
    """

    label: str
    path: str
    text: str
    start: int
    end: int
    level: str = ""  # chapter | article | section | item | point | subpoint | part
    children: list[Clause] = field(default_factory=list)

    def walk(self):
        """Yield this clause and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        """The export form: label, path, text, start, end, children."""
        return {
            "label": self.label,
            "path": self.path,
            "level": self.level,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "children": [c.to_json() for c in self.children],
        }


@dataclass
class Table:
    """A table found in a document (tab- or pipe-separated rows in the source)."""

    caption: str | None
    header: list[str]
    rows: list[list[str]]
    start: int = 0
    end: int = 0


@dataclass
class ParsedDocument:
    """One document of a gazette with its GB/T 9704 elements."""

    doc_number: str | None
    issuer: str | None
    title: str
    addressees: list[str]
    date: date | None
    kind: str  # notice | opinion | decision | appointment | chronicle | other
    attached_titles: list[str]
    effective_from: date | None
    effective_until: date | None
    body: str
    signature: str | None
    clauses: list[Clause]
    tables: list[Table]
    published: date | None = None
    repeals: list[dict[str, Any]] = field(
        default_factory=list
    )  # [{"target": 文号 or title, "action": "repeal"|"amend"}]
    line_start: int = 0  # 1-based line numbers in the (decoded) source
    line_end: int = 0
    continued_from: list[int] = field(default_factory=list)  # source lines of continuation blocks joined in

    def all_clauses(self):
        """Every clause of the tree, depth first."""
        for clause in self.clauses:
            yield from clause.walk()

    def to_json(self) -> dict[str, Any]:
        """The documented export form of a document."""
        return {
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "title": self.title,
            "addressees": self.addressees,
            "date": self.date.isoformat() if self.date else None,
            "kind": self.kind,
            "attached_titles": self.attached_titles,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "published": self.published.isoformat() if self.published else None,
            "signature": self.signature,
            "repeals": self.repeals,
            "lines": [self.line_start, self.line_end],
            "continued_from": self.continued_from,
            "body": self.body,
            "clauses": [c.to_json() for c in self.clauses],
            "tables": [asdict(t) for t in self.tables],
        }


@dataclass
class TocEntry:
    """A table-of-contents line: title, 文号 (or None) and page."""

    title: str
    doc_number: str | None
    page: int | None
    section: str | None = None


@dataclass
class Finding:
    """Something the parser noticed: a repair it made or a problem it could not fix."""

    level: str  # info | warning | error
    code: str
    message: str
    line: int | None = None


@dataclass
class ParsedGazette:
    """The whole parse of one input file."""

    source: str
    issue: str | None
    toc: list[TocEntry]
    documents: list[ParsedDocument]
    findings: list[Finding] = field(default_factory=list)
    encoding: str = "utf-8"
    script: str = "simplified"  # the input's script; output is always simplified

    def to_json(self) -> dict[str, Any]:
        """The documented `zct extract --json` object."""
        return {
            "source": self.source,
            "issue": self.issue,
            "encoding": self.encoding,
            "script": self.script,
            "toc": [{"title": t.title, "doc_number": t.doc_number, "page": t.page} for t in self.toc],
            "documents": [d.to_json() for d in self.documents],
            "findings": [asdict(f) for f in self.findings],
        }
