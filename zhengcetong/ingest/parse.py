"""Gazette text -> ParsedGazette: the one entry point of the parser (``parse_bytes`` / ``parse_text``).

The steps, each in its own module: decode (bytes -> text), lines (cleaning, page furniture),
segment (issue, TOC, document starts, page continuations), header (issuer, 文号, title, cover
letter repair), paragraphs (joining broken lines, tables), clauses (the numbering tree) and
validity (施行日期, 有效期, 废止).
"""

from __future__ import annotations

import re
from dataclasses import replace

from zhengcetong.chinese import parse_date, to_simplified, traditional_ratio
from zhengcetong.errors import InputError
from zhengcetong.ingest import plain, segment, webpage
from zhengcetong.ingest.clauses import build_tree, fill_texts
from zhengcetong.ingest.decode import decode_bytes
from zhengcetong.ingest.header import (
    attached_titles,
    compact,
    is_addressee_line,
    is_org_name,
    kind_of,
    repair_cover,
    split_addressees,
)
from zhengcetong.ingest.lines import DOWN_RE, UP_RE, Line, gazette_name, mark_furniture, to_lines
from zhengcetong.ingest.paragraphs import Paragraph, join_lines, tables_from
from zhengcetong.ingest.text import is_date_line
from zhengcetong.ingest.validity import effective_dates, repeals
from zhengcetong.library import Finding, ParsedDocument, ParsedGazette

TRADITIONAL_THRESHOLD = 0.08


def parse_bytes(data: bytes, source: str = "<input>") -> ParsedGazette:
    """Decode and parse one file's bytes (UTF-8, UTF-16 or GB18030; simplified or traditional)."""
    text, encoding = decode_bytes(data, source)
    return parse_text(text, source, encoding=encoding)


def parse_text(text: str, source: str = "<text>", *, encoding: str = "utf-8") -> ParsedGazette:
    """Parse decoded gazette (or single-document) text. Raise InputError when no document is found."""
    script = "simplified"
    if traditional_ratio(text) >= TRADITIONAL_THRESHOLD:
        text, script = to_simplified(text), "traditional"
    lines, raw_lines = to_lines(text)
    if not lines:
        raise InputError("文件只有空白，没有可读取的公报文本", source=source)
    lines, page = webpage.strip_residue(lines)
    findings: list[Finding] = []
    if page.removed:
        findings.append(
            Finding(
                "info",
                "web_residue",
                f"删除了 {page.removed} 行网页残留（导航、来源与浏览次数、字号与打印、附件下载、上一篇/下一篇、版权信息等）",
            )
        )
    if not lines:
        raise InputError("文件只有网页导航和版权信息，没有政策正文", source=source)
    starts = segment.find_starts(lines)
    if not starts:
        if not plain.has_policy_content(lines):
            raise InputError(
                "没有找到可识别的公文或政策内容：既没有公文版头（文号、红头、网页信息栏），"
                "正文中也没有条款或补贴、奖励、减免、申请条件等政策表述（如会议新闻）",
                source=source,
                line=lines[0].no,
            )
        parts = plain.text_starts(lines, page)
        starts = [part.start for part in parts]
        findings.extend(_assumed(part, lines) for part in parts)
    if page.published:
        for start in starts:
            start.meta.setdefault("published", page.published)
    mark_furniture(lines, gazette_name(raw_lines), starts[0].index)
    toc = segment.parse_toc(lines, starts[0].index)
    regions = _regions(lines, starts)
    doc_lines, ranges, jumps_missing = _join_continuations(lines, starts, regions, toc, findings)
    documents: list[ParsedDocument] = []
    position: dict[int, int] = {}  # region -> index in documents, for the regions that became documents
    empty: list[tuple[segment.DocStart, int]] = []  # starts with neither title nor body, and their line
    for r, (start, own, own_range) in enumerate(zip(starts, doc_lines, ranges, strict=True)):
        doc = _document(start, own, own_range, findings)
        if not doc.title.strip() and not doc.body.strip():
            empty.append((start, lines[start.index].no))
            continue
        if not doc.title.strip() and not start.plain:
            findings.append(
                Finding(
                    "warning",
                    "title_missing",
                    f"第{lines[start.index].no}行起的{start.doc_number or '公文'}没有找到标题，标题留空",
                    lines[start.index].no,
                )
            )
        position[r] = len(documents)
        documents.append(doc)
    if not documents:
        start, line_no = empty[0]
        raise InputError(
            f"没有找到可识别的公文：“{start.doc_number or compact(lines[start.index].text)}”之后没有标题和正文；"
            "需要文号行（如“聊政发〔2023〕3号”）后接标题和正文，或大事记标题",
            source=source,
            line=line_no,
        )
    for start, line_no in empty:
        findings.append(
            Finding(
                "warning",
                "empty_document",
                f"第{line_no}行的“{start.doc_number or compact(lines[start.index].text)}”之后没有标题和正文，"
                "不作为一篇公文收录",
                line_no,
            )
        )
    for doc_index in jumps_missing:
        if doc_index in position:
            findings.append(
                Finding(
                    "warning",
                    "continuation_unmatched",
                    f"{_name(documents[position[doc_index]])} 的转页标记没有找到对应的“上接”部分",
                )
            )
    _cross_check_toc(toc, documents, findings)
    return ParsedGazette(
        source=source,
        issue=segment.find_issue(lines[: starts[0].index + 1]) if starts[0].index > 0 else None,
        toc=toc,
        documents=documents,
        findings=findings,
        encoding=encoding,
        script=script,
    )


def _assumed(part: plain.TextStart, lines: list[Line]) -> Finding:
    """The warning that says what was assumed of a headerless text."""
    start = part.start
    title = {
        "line": f"标题取自第{lines[start.index].no}行“{start.title}”",
        "quoted": f"标题取自文中引用的《{start.title}》"
        + (f"（首行“{part.headline}”是这篇文本自己的标题）" if part.headline else ""),
        "headline": f"标题取自首行“{start.title}”",
        "none": "没有找到标题，标题留空",
    }[part.title_from]
    issuer = {
        "title": f"发文机关“{start.issuer}”取自标题",
        "source": f"发文机关“{start.issuer}”取自网页的来源",
        None: "发文机关取自落款（如有）",
    }[part.issuer_from]
    number = (
        f"文号“{start.doc_number}”取自标题下的括注"
        if start.doc_number
        else "没有本文件的文号（正文中引用的文号不算）"
    )
    return Finding(
        "warning",
        "no_header",
        f"没有找到公文版头（文号、红头或网页信息栏），第{lines[start.index].no}行起的文本作为一篇“文本”收录：{title}；{issuer}；{number}",
        lines[start.index].no,
    )


def _regions(lines: list[Line], starts: list[segment.DocStart]) -> list[tuple[int, int]]:
    bounds = [s.index for s in starts] + [len(lines)]
    return [(bounds[k], bounds[k + 1]) for k in range(len(starts))]


def _join_continuations(lines, starts, regions, toc, findings):
    """Each document's lines with continuation blocks moved to the document they continue."""
    region_of = [-1] * len(lines)
    for r, (a, b) in enumerate(regions):
        for i in range(a, b):
            region_of[i] = r
    pages = segment.page_intervals(lines, region_of, [segment.toc_page_for(s, toc) for s in starts])
    page_of = {id(line): pages[i] for i, line in enumerate(lines)}
    kept: list[list[Line]] = []
    blocks: list[segment.Block] = []
    for r, (a, b) in enumerate(regions):
        keep, found = segment.split_blocks(lines[a:b], r, starts[r].body_index - a)
        for block in found:
            block.pages = page_of[id(block.lines[0])]
        kept.append(keep)
        blocks.extend(found)
    jumps: list[segment.Jump] = []
    owner: dict[int, int] = {}
    for r, keep in enumerate(kept):
        for line in keep:
            target = segment.find_jump(line)
            if target is not None:
                jumps.append(segment.Jump(line=line, target_page=target, pages=page_of[id(line)]))
                owner[id(line)] = r
    for block in blocks:
        for line in block.lines:
            target = segment.find_jump(line)
            if target is not None:
                jumps.append(segment.Jump(line=line, target_page=target, pages=page_of[id(line)]))
    pairs = segment.pair_continuations(jumps, blocks)
    after: dict[int, segment.Block] = {id(j.line): b for j, b in pairs}
    paired_blocks = {id(b) for _, b in pairs}
    for block in blocks:
        if id(block) not in paired_blocks:
            findings.append(
                Finding(
                    "warning",
                    "continuation_orphan",
                    f"“上接第{block.source_page}页”的续文没有找到对应的“下转”标记，保留在原处",
                    block.lines[0].no,
                )
            )
            kept[block.region].extend(block.lines)  # nothing is lost: it stays where it was printed
            kept[block.region].sort(key=lambda line: line.no)
    unmatched = [owner[id(j.line)] for j in jumps if id(j.line) not in after and id(j.line) in owner]

    def expand(seq: list[Line], seen: set[int]) -> list[Line]:
        out: list[Line] = []
        for line in seq:
            block = after.get(id(line))
            out.append(
                replace(line, text=DOWN_RE.sub("", line.text)) if block or segment.find_jump(line) else line
            )
            if block is not None and id(block) not in seen:
                seen.add(id(block))
                first = block.lines[0]
                glued = replace(first, text=UP_RE.sub("", first.text), glue=True)
                after[id(glued)] = after.pop(id(first), None)  # a block may itself jump again
                out.extend(expand([glued, *block.lines[1:]], seen))
        return out

    seen: set[int] = set()
    ranges = []
    for keep in kept:
        text_lines = [line.no for line in keep if line.kind != "page"]
        ranges.append((text_lines[0], text_lines[-1]) if text_lines else (0, 0))
    return [expand(keep, seen) for keep in kept], ranges, unmatched


def _document(
    start: segment.DocStart, region: list[Line], own_range: tuple[int, int], findings: list[Finding]
) -> ParsedDocument:
    """Build one ParsedDocument from its header and its (continuation-joined) lines."""
    header_len = 0
    while header_len < len(region) and region[header_len].no < _line_no_at(region, start):
        header_len += 1
    rest = [ln for ln in region[header_len:] if ln.kind != "page"]
    kind = (
        "chronicle" if start.chronicle else "text" if start.plain else kind_of(start.title, start.doc_number)
    )
    date = segment.to_date(start.meta.get("date")) if start.meta else None
    addressees: list[str] = []
    signature: str | None = None
    body_lines: list[Line] = []
    titles: list[str] = []
    if kind == "chronicle":
        body_lines = rest
    else:
        date_at = next((k for k, ln in enumerate(rest) if is_date_line(ln.text)), None)
        before = rest if date_at is None else rest[:date_at]
        after = [] if date_at is None else rest[date_at + 1 :]
        if date_at is not None:
            date = parse_date(rest[date_at].text) or date
            if date is None:  # 2026年2月30日: shaped like a date, no such day
                findings.append(
                    Finding(
                        "warning",
                        "invalid_date",
                        f"{start.doc_number or start.title} 的成文日期“{compact(rest[date_at].text)}”不是有效日期，已留空",
                        rest[date_at].no,
                    )
                )
        joined = "".join(compact(ln.text) for ln in before)
        if date_at is not None and len(before) <= 14 and "印发给你们" in joined:
            cover = repair_cover([ln.text for ln in before], start.issuer)
            addressees, signature = cover.addressees, cover.signature
            body_lines = [
                replace(before[k], text=cover.fragments[k]) if k in cover.fragments else before[k]
                for k in cover.text_lines
            ]
            if cover.reordered:
                findings.append(
                    Finding(
                        "info",
                        "cover_reordered",
                        f"{start.doc_number or start.title} 的印发通知语句顺序错乱，已按语义还原",
                        before[0].no,
                    )
                )
            titles = attached_titles("".join(compact(ln.text) for ln in body_lines))
        else:
            addressees, consumed = _leading_addressees(before)
            body_before = before[consumed:]
            if body_before and is_org_name(body_before[-1].text) and date_at is not None:
                signature = compact(body_before[-1].text)
                body_before = body_before[:-1]
            body_lines = body_before
            titles = _attachment_names(body_before)
        body_lines = body_lines + after
    if not date and start.meta.get("date"):
        date = segment.to_date(start.meta["date"])
    title_set = set(titles)
    has_articles = any(re.match(r"^第[一二三四五六七八九十百零〇\d]{1,5}条", ln.text) for ln in body_lines)
    paragraphs = join_lines(body_lines, title_set, has_articles)
    body, offsets = _assemble(paragraphs)
    attachment_idx = [i for i, p in enumerate(paragraphs) if p.kind == "title"]
    clauses = build_tree(paragraphs, offsets, attachment_idx, chronicle=kind == "chronicle")
    fill_texts(clauses, body)
    tables = tables_from(paragraphs, offsets)
    effective_from, effective_until = effective_dates(body, date)
    relations = repeals(body, start.doc_number)
    for relation in relations:
        relation["effective_on"] = (effective_from or date).isoformat() if (effective_from or date) else None
    issuer = start.issuer or (signature if signature and is_org_name(signature) else None)
    return ParsedDocument(
        doc_number=start.doc_number,
        issuer=issuer,
        title=start.title,
        addressees=addressees,
        date=date,
        kind=kind,
        attached_titles=titles,
        effective_from=effective_from,
        effective_until=effective_until,
        body=body,
        signature=signature,
        clauses=clauses,
        tables=tables,
        published=segment.to_date(start.meta.get("published")) if start.meta else None,
        repeals=relations,
        line_start=own_range[0],
        line_end=own_range[1],
        continued_from=[ln.no for ln in region if ln.glue],
    )


def _line_no_at(region: list[Line], start: segment.DocStart) -> int:
    """The source line number where the body begins (header lines come before it)."""
    header_count = start.body_index - start.index
    return region[header_count].no if header_count < len(region) else region[-1].no + 1


def _leading_addressees(lines: list[Line]) -> tuple[list[str], int]:
    """Addressee lines at the start of a body (up to the one ending with "：")."""
    found: list[str] = []
    for k, line in enumerate(lines[:4]):
        if not is_addressee_line(line.text):
            break
        orgs, tail = split_addressees(line.text)
        found.extend(o.strip("，,：: ") for o in orgs)
        if compact(line.text).endswith(("：", ":")):
            return [f for f in found if f], k + 1
    return [], 0


def _attachment_names(lines: list[Line]) -> list[str]:
    """Names listed on "附件：…" lines (the attachment a notice carries)."""
    names = []
    for line in lines:
        m = re.match(r"^附件\s*\d*\s*[：:]\s*(?:\d[.．、])?\s*(.+)$", compact(line.text))
        if m:
            name = re.sub(r"[（(]略[）)]$", "", m.group(1)).strip("。")
            if name:
                names.append(name)
    return names


def _assemble(paragraphs: list[Paragraph]) -> tuple[str, list[int]]:
    offsets, pos = [], 0
    for par in paragraphs:
        offsets.append(pos)
        pos += len(par.text) + 1
    return "\n".join(p.text for p in paragraphs), offsets


def _name(doc: ParsedDocument) -> str:
    return doc.doc_number or doc.title


def _cross_check_toc(toc, documents: list[ParsedDocument], findings: list[Finding]) -> None:
    """Report TOC entries with no document, title differences, and documents the TOC omits."""
    by_number = {d.doc_number: d for d in documents if d.doc_number}
    by_title = {compact(d.title): d for d in documents}
    matched: set[int] = set()
    for entry in toc:
        doc = by_number.get(entry.doc_number) if entry.doc_number else by_title.get(compact(entry.title))
        if doc is None:
            findings.append(
                Finding(
                    "error",
                    "toc_missing",
                    f"目录列出的“{entry.doc_number or ''}{entry.title}”（第{entry.page}页）在正文中没有找到",
                )
            )
            continue
        matched.add(id(doc))
        if entry.title and compact(entry.title) != compact(doc.title):
            findings.append(
                Finding(
                    "info",
                    "toc_title_differs",
                    f"{_name(doc)}：目录标题“{entry.title}”与正文标题“{doc.title}”不一致",
                    doc.line_start,
                )
            )
    if toc:
        for doc in documents:
            if id(doc) not in matched:
                findings.append(Finding("warning", "toc_absent", f"{_name(doc)} 不在目录中", doc.line_start))
