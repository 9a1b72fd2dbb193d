"""Hand-built parser output (ParsedGazette, ParsedDocument, Clause) for tests that must not need the parser,
and ``ingest_file``, the tests' one way through the real parse → items → store flow.

``outline`` describes a clause tree as nested tuples ``(label, text, [children])``; the factories build
the body and the clause offsets from it, so ``body[c.start:c.end] == c.text`` holds as with real parses.
"""

from __future__ import annotations

import json
from datetime import date

import factory

from zhengcetong.library.records import Clause, Finding, ParsedDocument, ParsedGazette, Table, TocEntry

Outline = list[tuple]  # [(label, text, [children...]), ...]; children optional

DEFAULT_OUTLINE: Outline = [
    ("第一条", "为规范管理，制定本办法。"),
    (
        "第二条",
        "支持对象包括：",
        [("（一）", "科技型中小企业；"), ("（二）", "高新技术企业。", [("1.", "首次认定的；")])],
    ),
    ("第三条", "本办法由市科技局负责解释。"),
]


def build_clauses(outline: Outline, *, preamble: str = "") -> tuple[str, list[Clause]]:
    """The body text and clause tree of ``outline``; paths join labels without trailing 、 or ."""
    parts: list[str] = [preamble] if preamble else []
    offset = len(preamble) + (1 if preamble else 0)

    def walk(nodes: Outline, parent_path: str, depth: int) -> list[Clause]:
        nonlocal offset
        built = []
        for node in nodes:
            label, text, children = (*node, [])[:3]
            if label.startswith("¶"):  # an unnumbered paragraph: the label is not printed
                own = text
            elif label.endswith(("条", "章")):
                own = f"{label} {text}"
            else:
                own = f"{label}{text}"
            segment = label.rstrip("、.．")
            path = f"{parent_path}/{segment}" if parent_path else segment
            clause = Clause(
                label=label,
                path=path,
                text=own,
                start=offset,
                end=offset + len(own),
                level=("article", "item", "point", "subpoint")[min(depth, 3)],
            )
            parts.append(own)
            offset += len(own) + 1  # one newline between paragraphs
            clause.children = walk(children, path, depth + 1)
            built.append(clause)
        return built

    clauses = walk(outline, "", 0)
    return "\n".join(parts), clauses


class ParsedDocumentFactory(factory.Factory):
    """A notice with a 文号 and three articles; pass ``outline=`` for another clause tree."""

    class Meta:
        model = ParsedDocument

    class Params:
        outline = DEFAULT_OUTLINE
        preamble = ""
        built = factory.LazyAttribute(lambda o: build_clauses(o.outline, preamble=o.preamble))

    doc_number = factory.Sequence(lambda n: f"测政发〔2024〕{n + 1}号")
    issuer = "测试市人民政府"
    title = factory.Sequence(lambda n: f"测试市第{n + 1}号管理办法")
    addressees = factory.LazyFunction(lambda: ["各县（市、区）人民政府", "市政府各部门"])
    date = date(2024, 1, 15)
    kind = "notice"
    attached_titles = factory.LazyFunction(list)
    effective_from = None
    effective_until = None
    body = factory.LazyAttribute(lambda o: o.built[0])
    signature = "测试市人民政府"
    clauses = factory.LazyAttribute(lambda o: o.built[1])
    tables = factory.LazyFunction(list)
    published = None
    repeals = factory.LazyFunction(list)
    line_start = factory.Sequence(lambda n: 10 * n + 1)
    line_end = factory.LazyAttribute(lambda o: o.line_start + 8)


class ChronicleFactory(ParsedDocumentFactory):
    """A 大事记 entry: no 文号, so its uid is a hash of issuer, title and date."""

    class Params:
        outline = [("¶1", "3月1日，市政府召开常务会议。")]

    doc_number = None
    kind = "chronicle"
    title = factory.Sequence(lambda n: f"{n + 1}月份政务大事记")
    addressees = factory.LazyFunction(list)
    signature = None


class ParsedGazetteFactory(factory.Factory):
    """A gazette issue with one document; its table of contents lists its documents."""

    class Meta:
        model = ParsedGazette

    source = factory.Sequence(lambda n: f"gazette-{n + 1}.txt")
    issue = factory.Sequence(lambda n: f"2024年第{n + 1}期")
    documents = factory.LazyFunction(lambda: [ParsedDocumentFactory()])
    toc = factory.LazyAttribute(
        lambda o: [
            TocEntry(title=d.title, doc_number=d.doc_number, page=i + 1) for i, d in enumerate(o.documents)
        ]
    )
    findings = factory.LazyFunction(
        lambda: [Finding(level="info", code="toc.ok", message="目录与正文一致", line=None)]
    )
    encoding = "utf-8"
    script = "simplified"


def repeal(target: str, *, action: str = "repeal", effective_on: str | None = None, **extra) -> dict:
    """One ``ParsedDocument.repeals`` entry as the parser writes it (``target`` only unless told more)."""
    entry = {"target": target, "action": action, "quote": f"{target}同时废止。"}
    if effective_on is not None:
        entry["effective_on"] = effective_on
    entry.update(extra)
    return entry


def table(caption: str = "补助标准") -> Table:
    """A small table as the parser finds it."""
    return Table(
        caption=caption, header=["类别", "金额（万元）"], rows=[["首次认定", "20"], ["重新认定", "10"]]
    )


def content_of(gazette: ParsedGazette) -> bytes:
    """Bytes standing for the gazette's file: equal gazettes give equal bytes, different ones differ."""
    return json.dumps(gazette.to_json(), ensure_ascii=False, sort_keys=True).encode()


def ingest_file(db_session, data: bytes, name: str, *, actor: str = "test", items: bool = True):
    """Parse ``data``, extract its policy items (unless ``items`` is false) and store it through the
    production flow (``zhengcetong.ingest.flows``), as ``zct ingest`` does; the ``IngestResult``."""
    from zhengcetong.ingest import flows

    prepared = flows.prepare(data, name)
    if not items:
        prepared.items = None  # documents only: the library stores no items
    return flows.store(db_session=db_session, prepared=[prepared], actor=actor)[0].result
