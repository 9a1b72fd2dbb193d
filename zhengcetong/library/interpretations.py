"""Policy interpretations (政策解读): staff write them, link them to the documents they explain, publish them.

An interpretation is plain text (never HTML: the pages escape everything) with a title, a summary, a
kind (文字解读, 图解, 问答) and the department that wrote it. It starts as a draft; publishing makes it
public, withdrawing hides it again. Every change is a revision with who, when, before and after, and an
audit event. An edit to a published interpretation keeps it published (only staff can edit, and they
are the reviewers); the revision history shows what changed.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from zhengcetong import clock
from zhengcetong.errors import Conflict, InputError, NotFound
from zhengcetong.library import publication
from zhengcetong.library.interpretation_schemas import (
    ExplainedDocument,
    InterpretationPagination,
    InterpretationRead,
    InterpretationSummary,
)
from zhengcetong.library.models import (
    Clause,
    Document,
    Interpretation,
    InterpretationDocument,
    InterpretationRevision,
)
from zhengcetong.library.publication import PublicationStatus
from zhengcetong.library.schemas import InterpretationRef
from zhengcetong.library.service import doc_number_slug, document_refs, record_event

KIND_NAMES = {"text": "文字解读", "graphic": "图解", "qa": "问答"}
EDITABLE = ("title", "summary", "body", "kind", "department")
FIELD_NAMES = {
    "title": "标题",
    "summary": "摘要",
    "body": "正文",
    "kind": "形式",
    "department": "解读部门",
    "documents": "关联文件",
    "status": "状态",
}
MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_BODY = 50_000
MAX_DEPARTMENT = 100
MAX_DOCUMENTS = 30
MAX_CLAUSES = 50
RESERVED_UIDS = frozenset({"new"})  # /staff/interpretations/new is the creation form
_UID_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,58}[a-z0-9]")
_CLAUSE_SPLIT_RE = re.compile(r"[\s,，、;；]+")
_HEADING_RE = re.compile(r"^[一二三四五六七八九十百]+、")
_SUBHEADING_RE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_SENTENCE_END = ("。", "；", ";", "：", ":", "？", "?", "！", "!")


class InterpretationInputError(InputError):
    """What a reviewer typed cannot be saved; ``problems`` lists every reason, in Chinese."""

    def __init__(self, problems: list[str], *, source: str = "政策解读"):
        self.problems = list(problems)
        super().__init__("；".join(self.problems), source=source)


@dataclass(frozen=True)
class DocumentLink:
    """A document to link, optionally down to some of its clauses (paths such as ``一/（一）``)."""

    document: Document
    clauses: tuple[str, ...] = ()


# --- text --------------------------------------------------------------------------------------------


def clean_text(value: str | None) -> str:
    """Plain text as stored: Unix line ends, no trailing spaces, no blank lines at either end.

    Examples:
        >>> clean_text("  一、背景  \\r\\n\\r\\n\\r\\n正文。 \\n\\n")
        '一、背景\\n\\n正文。'
    """
    lines = [line.rstrip() for line in (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def body_blocks(text: str) -> list[tuple[str, str]]:
    """The body as blocks to render (escaped) one by one: each non-empty line is one block.

    A short line opening with “一、” is a heading and with “（一）” a subheading (unless it ends like a
    sentence); a line opening with “问：” is a question. Nothing else is interpreted: the text is never HTML.

    Examples:
        >>> body_blocks("一、政策背景\\n为支持企业发展。\\n\\n（一）适用对象\\n问：谁可以申报？\\n答：本市企业。")
        ... # doctest: +NORMALIZE_WHITESPACE
        [('heading', '一、政策背景'), ('paragraph', '为支持企业发展。'), ('subheading', '（一）适用对象'),
         ('question', '问：谁可以申报？'), ('paragraph', '答：本市企业。')]
        >>> body_blocks("一、对首次认定的企业给予奖励。")
        [('paragraph', '一、对首次认定的企业给予奖励。')]
    """
    blocks = []
    for raw in (text or "").split("\n"):
        line = raw.strip()
        if not line:
            continue
        short = len(line) <= 40 and not line.endswith(_SENTENCE_END)
        if short and _HEADING_RE.match(line):
            blocks.append(("heading", line))
        elif short and _SUBHEADING_RE.match(line):
            blocks.append(("subheading", line))
        elif line.startswith(("问：", "问:")):
            blocks.append(("question", line))
        else:
            blocks.append(("paragraph", line))
    return blocks


def kind_code(value: str) -> str | None:
    """The stored kind for a code or its Chinese name (None when neither).

    Examples:
        >>> kind_code("问答"), kind_code("graphic"), kind_code("视频")
        ('qa', 'graphic', None)
    """
    value = (value or "").strip()
    if value in KIND_NAMES:
        return value
    return next((code for code, name in KIND_NAMES.items() if name == value), None)


def split_clauses(text: str) -> tuple[str, ...]:
    """Clause paths typed in one box, separated by commas, 、, semicolons or spaces (duplicates dropped).

    Examples:
        >>> split_clauses("一/（一）， 二、一/（一）")
        ('一/（一）', '二')
    """
    return tuple(dict.fromkeys(p for p in _CLAUSE_SPLIT_RE.split(text or "") if p))


def field_problems(values: dict) -> list[str]:
    """What is wrong with cleaned title, summary, body, kind and department (empty when all is well)."""
    problems = []
    title, summary, body = values["title"], values["summary"], values["body"]
    if not title:
        problems.append("请填写标题")
    elif len(title) > MAX_TITLE:
        problems.append(f"标题不能超过 {MAX_TITLE} 个字（现有 {len(title)} 个字）")
    if len(summary) > MAX_SUMMARY:
        problems.append(f"摘要不能超过 {MAX_SUMMARY} 个字（现有 {len(summary)} 个字）")
    if not body:
        problems.append("请填写正文")
    elif len(body) > MAX_BODY:
        problems.append(f"正文不能超过 {MAX_BODY} 个字（现有 {len(body)} 个字）")
    if kind_code(values["kind"]) is None:
        names = "、".join(KIND_NAMES.values())
        problems.append(f"解读形式“{values['kind']}”无效，应为{names}之一")
    department = values["department"]
    if not department:
        problems.append("请填写解读部门（如 青禾市工业和信息化局）")
    elif len(department) > MAX_DEPARTMENT:
        problems.append(f"解读部门不能超过 {MAX_DEPARTMENT} 个字")
    return problems


def clean_values(values: dict) -> dict:
    """Values as stored: the body keeps its lines, the other fields are one line with single spaces."""
    cleaned = {}
    for name, value in values.items():
        if name == "body":
            cleaned[name] = clean_text(value)
        elif name == "summary":
            cleaned[name] = " ".join(clean_text(value).split())
        elif name == "kind":
            cleaned[name] = kind_code(value) or (value or "").strip()
        else:
            cleaned[name] = " ".join((value or "").split())
    return cleaned


# --- documents ---------------------------------------------------------------------------------------


def resolve_document(*, db_session: Session, reference: str) -> Document:
    """The document a reviewer means by a 文号, a document id, or its title (whole or a unique part).

    Raises InputError with the candidates when the reference is ambiguous, or a hint when nothing matches.
    """
    text = " ".join((reference or "").split())
    if not text:
        raise InputError("请填写文号或标题", source="document")
    by_uid = db_session.scalar(select(Document).where(Document.uid.in_({text, doc_number_slug(text)})))
    if by_uid is not None:
        return by_uid
    by_number = db_session.scalars(select(Document).where(Document.doc_number == text)).all()
    if len(by_number) == 1:
        return by_number[0]
    by_title = db_session.scalars(select(Document).where(Document.title == text)).all()
    if len(by_title) == 1:
        return by_title[0]
    candidates = by_number or by_title
    if not candidates:
        candidates = db_session.scalars(
            select(Document)
            .where(Document.title.contains(text, autoescape=True))
            .order_by(Document.date.desc().nulls_last(), Document.id)
            .limit(6)
        ).all()
        if len(candidates) == 1:
            return candidates[0]
    if not candidates:
        raise InputError(
            f"没有找到文件“{text}”，请填写文号（如 青政办发〔2026〕8号）或标题中的一段文字", source="document"
        )
    shown = "；".join(f"{d.doc_number or '无文号'}《{d.title}》" for d in candidates[:5])
    raise InputError(f"“{text}”对应多篇文件（{shown}），请填写文号或完整标题", source="document")


def clause_problems(*, db_session: Session, document: Document, clauses: Sequence[str]) -> list[str]:
    """The clause paths that the document does not have, as Chinese messages (empty when all exist)."""
    if not clauses:
        return []
    if len(clauses) > MAX_CLAUSES:
        return [f"《{document.title}》最多关联 {MAX_CLAUSES} 个条款"]
    known = set(
        db_session.scalars(
            select(Clause.path).where(Clause.document_id == document.id, Clause.path.in_(list(clauses)))
        )
    )
    return [
        f"《{document.title}》中没有条款“{path}”（条款路径如 一/（一），见文件页面各条款的链接）"
        for path in clauses
        if path not in known
    ]


def links_from_rows(*, db_session: Session, rows: Sequence[tuple[str, str]]) -> list[DocumentLink]:
    """Document links from a form's rows of (文号 or title, clause paths); empty rows are skipped.

    Raises InterpretationInputError naming the row of every problem.
    """
    links: list[DocumentLink] = []
    problems: list[str] = []
    seen: dict[int, int] = {}
    for number, (reference, clause_text) in enumerate(rows, start=1):
        if not (reference or "").strip():
            if (clause_text or "").strip():
                problems.append(f"关联文件第 {number} 行：填写了条款，但没有填写文件")
            continue
        try:
            document = resolve_document(db_session=db_session, reference=reference)
        except InputError as exc:
            problems.append(f"关联文件第 {number} 行：{exc.detail}")
            continue
        if document.id in seen:
            problems.append(f"关联文件第 {number} 行：《{document.title}》与第 {seen[document.id]} 行重复")
            continue
        seen[document.id] = number
        clauses = split_clauses(clause_text)
        problems.extend(
            f"关联文件第 {number} 行：{p}"
            for p in clause_problems(db_session=db_session, document=document, clauses=clauses)
        )
        links.append(DocumentLink(document=document, clauses=clauses))
    if len(links) > MAX_DOCUMENTS:
        problems.append(f"一篇解读最多关联 {MAX_DOCUMENTS} 篇文件")
    if problems:
        raise InterpretationInputError(problems)
    return links


def _set_links(interpretation: Interpretation, links: Sequence[DocumentLink]) -> None:
    """Make the interpretation's links exactly ``links``, in order (rows of kept documents are updated)."""
    current = {link.document_id: link for link in interpretation.links}
    wanted = []
    for position, link in enumerate(links):
        row = current.pop(link.document.id, None)
        if row is None:
            row = InterpretationDocument(document=link.document, document_id=link.document.id)
        row.position = position
        row.clauses = list(link.clauses)
        wanted.append(row)
    interpretation.links = wanted


# --- history -----------------------------------------------------------------------------------------


def _snapshot(interpretation: Interpretation) -> dict:
    """The values a revision records, JSON-ready (documents by uid, with their clause paths)."""
    data = {name: getattr(interpretation, name) for name in EDITABLE}
    data["documents"] = [
        {"uid": link.document.uid, "clauses": list(link.clauses or [])}
        for link in sorted(interpretation.links, key=lambda x: x.position)
    ]
    data["status"] = interpretation.status
    return data


def _touch(interpretation: Interpretation, revision: InterpretationRevision) -> None:
    """Every revision is the interpretation's last update."""
    interpretation.updated_at = revision.at
    interpretation.updated_by = revision.actor


WORKFLOW = publication.Workflow(
    name="interpretation",
    noun="政策解读",
    target_type="interpretation",
    revision=InterpretationRevision,
    fields=tuple(FIELD_NAMES),
    snapshot=_snapshot,
    ident=lambda interpretation: interpretation.uid,
    edit_returns_to_draft=False,  # only staff edit, and they are the reviewers: it stays published
    republish=True,  # a withdrawn interpretation can be edited and published again
    on_revise=_touch,
)


def changed_fields(revision: InterpretationRevision) -> list[str]:
    """The fields a revision changed (none for the first), in display order."""
    return WORKFLOW.changed_fields(revision)


# --- writes ------------------------------------------------------------------------------------------


def _next_uid(db_session: Session) -> str:
    numbers = [
        int(uid[3:])
        for uid in db_session.scalars(select(Interpretation.uid).where(Interpretation.uid.like("jd-%")))
        if uid[3:].isascii() and uid[3:].isdigit()
    ]
    return f"jd-{max(numbers, default=0) + 1}"


def _uid_problems(db_session: Session, uid: str) -> list[str]:
    if not _UID_RE.fullmatch(uid) or uid in RESERVED_UIDS:
        return [
            f"网址编号“{uid}”无效：只能用小写英文字母、数字和连字符，3–60 个字符，"
            "如 zhuanjingtexin-2026；不填时自动编号"
        ]
    taken = db_session.scalar(select(Interpretation).where(Interpretation.uid == uid))
    if taken is not None:
        return [f"网址编号“{uid}”已被《{taken.title}》使用，请换一个"]
    return []


def create(
    *,
    db_session: Session,
    title: str,
    body: str,
    kind: str,
    department: str,
    actor: str,
    summary: str = "",
    documents: Sequence[DocumentLink] = (),
    uid: str | None = None,
    note: str = "",
) -> Interpretation:
    """Create a draft interpretation (revision 1); ``uid`` defaults to the next ``jd-<n>``.

    Raises InterpretationInputError listing every problem; nothing is written then.
    """
    values = clean_values(
        {"title": title, "summary": summary, "body": body, "kind": kind, "department": department}
    )
    problems = field_problems(values)
    uid = (uid or "").strip().lower()
    if uid:
        problems.extend(_uid_problems(db_session, uid))
    for link in documents:
        problems.extend(clause_problems(db_session=db_session, document=link.document, clauses=link.clauses))
    if len(documents) > MAX_DOCUMENTS:
        problems.append(f"一篇解读最多关联 {MAX_DOCUMENTS} 篇文件")
    if problems:
        raise InterpretationInputError(problems)
    now = clock.now()
    interpretation = Interpretation(
        uid=uid or _next_uid(db_session),
        status=PublicationStatus.DRAFT.value,
        version=1,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
        **values,
    )
    _set_links(interpretation, documents)
    publication.first_revision(WORKFLOW, interpretation, actor=actor, action="create", note=note, at=now)
    db_session.add(interpretation)
    db_session.flush()
    record_event(
        db_session=db_session,
        actor=actor,
        action="interpretation.create",
        target_type="interpretation",
        target_id=interpretation.uid,
        data={"version": 1, "documents": [link.document.uid for link in documents]},
    )
    return interpretation


def edit(
    *,
    db_session: Session,
    interpretation: Interpretation,
    changes: dict,
    actor: str,
    documents: Sequence[DocumentLink] | None = None,
    note: str = "",
) -> Interpretation:
    """Change the text fields and (when ``documents`` is given) the linked documents: one new revision.

    Nothing changes (and no revision is written) when the values are the same. Raises
    InterpretationInputError listing every problem; nothing is changed then.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"不能修改的字段：{'、'.join(sorted(unknown))}", source="edit")
    values = clean_values({**{n: getattr(interpretation, n) for n in EDITABLE}, **changes})
    problems = field_problems(values)
    if documents is not None:
        for link in documents:
            problems.extend(
                clause_problems(db_session=db_session, document=link.document, clauses=link.clauses)
            )
        if len(documents) > MAX_DOCUMENTS:
            problems.append(f"一篇解读最多关联 {MAX_DOCUMENTS} 篇文件")
        if not documents and interpretation.status == PublicationStatus.PUBLISHED.value:
            problems.append("已发布的解读至少要关联一篇文件；如需取消全部关联，请先撤回")
    if problems:
        raise InterpretationInputError(problems)
    before = _snapshot(interpretation)
    for name, value in values.items():
        if getattr(interpretation, name) != value:
            setattr(interpretation, name, value)
    if documents is not None:
        _set_links(interpretation, documents)
    publication.record_change(
        WORKFLOW, interpretation, db_session=db_session, actor=actor, action="edit", before=before, note=note
    )
    return interpretation


def link_document(
    *,
    db_session: Session,
    interpretation: Interpretation,
    document: Document,
    actor: str,
    clauses: Sequence[str] = (),
) -> Interpretation:
    """Link one more document (at the end), or change the clauses of a linked one: a new revision."""
    clauses = tuple(dict.fromkeys(clauses))
    problems = clause_problems(db_session=db_session, document=document, clauses=clauses)
    links = [DocumentLink(link.document, tuple(link.clauses or ())) for link in interpretation.links]
    existing = next((i for i, link in enumerate(links) if link.document.id == document.id), None)
    if existing is None:
        links.append(DocumentLink(document, clauses))
    else:
        links[existing] = DocumentLink(document, clauses)
    if len(links) > MAX_DOCUMENTS:
        problems.append(f"一篇解读最多关联 {MAX_DOCUMENTS} 篇文件")
    if problems:
        raise InterpretationInputError(problems)
    before = _snapshot(interpretation)
    _set_links(interpretation, links)
    publication.record_change(
        WORKFLOW,
        interpretation,
        db_session=db_session,
        actor=actor,
        action="link",
        before=before,
        data={"document": document.uid, "clauses": list(clauses)},
    )
    return interpretation


def unlink_document(
    *, db_session: Session, interpretation: Interpretation, document: Document, actor: str
) -> Interpretation:
    """Remove the link to a document: a new revision (a published interpretation keeps at least one)."""
    links = [DocumentLink(link.document, tuple(link.clauses or ())) for link in interpretation.links]
    kept = [link for link in links if link.document.id != document.id]
    if len(kept) == len(links):
        raise NotFound(f"政策解读 {interpretation.uid} 没有关联文件《{document.title}》")
    if not kept and interpretation.status == PublicationStatus.PUBLISHED.value:
        raise Conflict("已发布的解读至少要关联一篇文件；如需取消全部关联，请先撤回")
    before = _snapshot(interpretation)
    _set_links(interpretation, kept)
    publication.record_change(
        WORKFLOW,
        interpretation,
        db_session=db_session,
        actor=actor,
        action="unlink",
        before=before,
        data={"document": document.uid},
    )
    return interpretation


def publish(
    *, db_session: Session, interpretation: Interpretation, actor: str, note: str = ""
) -> Interpretation:
    """Make a draft (or a withdrawn interpretation) public; it must explain at least one document."""
    publication.check_transition(WORKFLOW, interpretation, PublicationStatus.PUBLISHED)
    if not interpretation.links:
        raise InterpretationInputError(["发布前请至少关联一篇文件"])
    # published_at is the revision's moment, so updated_at equals it: not "updated since"
    publication.publish(WORKFLOW, [interpretation], db_session=db_session, actor=actor, note=note)
    return interpretation


def withdraw(
    *, db_session: Session, interpretation: Interpretation, actor: str, note: str = ""
) -> Interpretation:
    """Take a published interpretation down (it can be edited and published again)."""
    publication.withdraw(
        WORKFLOW, [interpretation], db_session=db_session, actor=actor, note=note, data={"note": note}
    )
    return interpretation


# --- reads -------------------------------------------------------------------------------------------


def _with_links(query):
    return query.options(selectinload(Interpretation.links).selectinload(InterpretationDocument.document))


def get(*, db_session: Session, uid: str, public: bool = False) -> Interpretation:
    """The interpretation with this public id, or NotFound (``public``: only a published one)."""
    query = select(Interpretation).where(Interpretation.uid == (uid or "").strip())
    if public:
        query = query.where(Interpretation.status == PublicationStatus.PUBLISHED.value)
    interpretation = db_session.scalar(_with_links(query))
    if interpretation is None:
        raise NotFound(f"没有找到政策解读 {uid}，它可能尚未发布或已撤回")
    return interpretation


def list_interpretations(
    *,
    db_session: Session,
    public: bool = True,
    document: Document | None = None,
    status: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Interpretation]]:
    """(total, page). ``public``: published only, newest publication first; otherwise all, last changed first.
    ``q``: part of the title, summary, department or id."""
    conditions = []
    if q:
        conditions.append(
            or_(
                Interpretation.title.icontains(q, autoescape=True),
                Interpretation.summary.icontains(q, autoescape=True),
                Interpretation.department.icontains(q, autoescape=True),
                Interpretation.uid.icontains(q, autoescape=True),
            )
        )
    if public:
        conditions.append(Interpretation.status == PublicationStatus.PUBLISHED.value)
    elif status:
        conditions.append(Interpretation.status == status)
    if kind:
        conditions.append(Interpretation.kind == kind)
    if document is not None:
        linked = select(InterpretationDocument.interpretation_id).where(
            InterpretationDocument.document_id == document.id
        )
        conditions.append(Interpretation.id.in_(linked))
    total = db_session.scalar(select(func.count(Interpretation.id)).where(*conditions)) or 0
    order = (
        (Interpretation.published_at.desc(), Interpretation.id.desc())
        if public
        else (Interpretation.updated_at.desc(), Interpretation.id.desc())
    )
    rows = db_session.scalars(
        _with_links(select(Interpretation).where(*conditions).order_by(*order).limit(limit).offset(offset))
    ).all()
    return total, list(rows)


def for_document(*, db_session: Session, document: Document) -> list[Interpretation]:
    """The published interpretations that explain a document, newest first."""
    return list_interpretations(db_session=db_session, document=document, limit=1000)[1]


def url_of(uid: str) -> str:
    """The public page of an interpretation.

    Examples:
        >>> url_of("jd-1")
        '/interpretations/jd-1'
    """
    return f"/interpretations/{quote(uid, safe='')}"


def _published_on(interpretation: Interpretation) -> date | None:
    return clock.china_date(interpretation.published_at) if interpretation.published_at else None


def _explained(db_session: Session, interpretations: Sequence[Interpretation], on: date) -> dict:
    """ExplainedDocument lists by interpretation id (validity computed in one query)."""
    documents = {link.document.id: link.document for i in interpretations for link in i.links}
    refs = document_refs(db_session=db_session, documents=documents.values(), on=on)
    out = {}
    for interpretation in interpretations:
        out[interpretation.id] = [
            ExplainedDocument(**refs[link.document_id].model_dump(), clauses=list(link.clauses or []))
            for link in sorted(interpretation.links, key=lambda x: x.position)
        ]
    return out


def _summary_values(interpretation: Interpretation, documents: list[ExplainedDocument]) -> dict:
    return {
        "uid": interpretation.uid,
        "url": url_of(interpretation.uid),
        "title": interpretation.title,
        "summary": interpretation.summary,
        "kind": interpretation.kind,
        "kind_name": KIND_NAMES.get(interpretation.kind, interpretation.kind),
        "department": interpretation.department,
        "version": interpretation.version,
        "published_on": _published_on(interpretation),
        "published_at": interpretation.published_at,
        "updated_at": interpretation.updated_at,
        "updated_on": clock.china_date(interpretation.updated_at),
        "documents": documents,
    }


def read(*, db_session: Session, uid: str, on: date | None = None) -> InterpretationRead:
    """One published interpretation with the validity of its documents on ``on`` (the page and its twin)."""
    on = on or clock.today()
    interpretation = get(db_session=db_session, uid=uid, public=True)
    documents = _explained(db_session, [interpretation], on)[interpretation.id]
    return InterpretationRead(**_summary_values(interpretation, documents), body=interpretation.body)


def page(
    *,
    db_session: Session,
    document_uid: str | None = None,
    kind: str | None = None,
    limit: int = 20,
    offset: int = 0,
    on: date | None = None,
) -> InterpretationPagination:
    """A page of published interpretations, newest first, optionally of one document (the list and its twin)."""
    on = on or clock.today()
    document = None
    if document_uid:
        from zhengcetong.library.service import get_document

        document = get_document(db_session=db_session, uid=document_uid)
    total, rows = list_interpretations(
        db_session=db_session,
        document=document,
        kind=kind_code(kind or "") if kind else None,
        limit=limit,
        offset=offset,
    )
    explained = _explained(db_session, rows, on)
    chosen = None
    if document is not None:
        ref = document_refs(db_session=db_session, documents=[document], on=on)[document.id]
        chosen = ExplainedDocument(**ref.model_dump())
    return InterpretationPagination(
        total=total,
        limit=limit,
        offset=offset,
        document=chosen,
        items=[InterpretationSummary(**_summary_values(i, explained[i.id])) for i in rows],
    )


def refs_for_document(*, db_session: Session, document: Document) -> list[InterpretationRef]:
    """The published interpretations of a document as its page and JSON twin list them."""
    refs = []
    for interpretation in for_document(db_session=db_session, document=document):
        link = next(x for x in interpretation.links if x.document_id == document.id)
        refs.append(
            InterpretationRef(
                uid=interpretation.uid,
                url=url_of(interpretation.uid),
                title=interpretation.title,
                summary=interpretation.summary,
                kind=interpretation.kind,
                kind_name=KIND_NAMES.get(interpretation.kind, interpretation.kind),
                department=interpretation.department,
                published_on=_published_on(interpretation),
                clauses=list(link.clauses or []),
            )
        )
    return refs
