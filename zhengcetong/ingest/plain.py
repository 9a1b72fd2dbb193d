"""Policy text without a document header: an article copied from a website, a news report quoting a
policy, a 政策解读, a few articles cut from a longer document.

When the segmenter finds no document start (no 文号 line, red header, information block or 大事记
title), the text still becomes documents of kind ``text`` as long as it carries policy content:
:func:`text_starts` cuts it at recognisable titles and says, for each part, what its title, 文号 and
issuer are taken from. A 文号 quoted in a sentence ("根据《…》（国发〔2020〕1号）") is a reference,
never the number of the text itself. :func:`has_policy_content` tells a policy from a meeting report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from zhengcetong.chinese import DOC_NUMBER_RE, normalise_doc_number
from zhengcetong.ingest.header import TITLE_END, compact, is_org_name, looks_like_title, split_issuer
from zhengcetong.ingest.lines import Line
from zhengcetong.ingest.segment import DocStart
from zhengcetong.ingest.text import is_date_line
from zhengcetong.ingest.webpage import PageInfo

# a sentence that grants, relieves, requires or sets conditions: what policy text is made of
_POLICY_CUES = re.compile(
    r"给予|予以|补贴|补助|奖励|奖补|资助|贴息|减免|免征|免收|减半|即征即退|退税|返还|扶持资金|专项资金"
    r"|可申请|可申报|申请条件|申报条件|享受|落户|不得|应当|可以按|按照.{0,20}标准|标准为"
    r"|^第[一二三四五六七八九十百零〇\d]{1,5}条|施行|有效期"
)
_BENEFIT = re.compile(r"给予|予以|奖励|补贴|补助|奖补|资助|贴息|减免|免征|退税|返还")
_MONEY = re.compile(
    r"\d(?:[\d.,]*)\s*(?:亿|万|千)?元|[零〇一二两三四五六七八九十百千]+(?:亿|万)元|\d+(?:\.\d+)?\s*[%％]"
)
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]{1,5}条")
# the kinds of title a part of a text may start with (a standalone line)
_PART_TITLE_END = (
    "通知",
    "公告",
    "通告",
    "意见",
    "决定",
    "办法",
    "规定",
    "细则",
    "措施",
    "方案",
    "条例",
    "政策",
)
_OWN_NUMBER = re.compile(r"^[（(]\s*(" + DOC_NUMBER_RE.pattern + r")\s*[）)]$")
_QUOTED_NAME = re.compile(r"《([^《》]{4,80})》")


@dataclass(frozen=True)
class TextStart:
    """A part of a headerless text, and where its elements were taken from (for the finding)."""

    start: DocStart
    title_from: str  # "line" | "quoted" | "headline" | "none"
    issuer_from: str | None  # "title" | "source" | None
    headline: str | None = None  # a first line set apart as the text's headline


def has_policy_content(lines: list[Line]) -> bool:
    """True when the text states policy: articles, a sentence granting a sum or a share of one, or
    three cues of granting, relieving or requiring."""
    hits = 0
    for line in lines:
        text = compact(line.text)
        if _ARTICLE.match(text):
            return True
        if any(_BENEFIT.search(s) and _MONEY.search(s) for s in re.split(r"[。；！？;!?]", text)):
            return True
        hits += len({m.group(0) for m in _POLICY_CUES.finditer(text)})
        if hits >= 3:
            return True
    return False


def text_starts(lines: list[Line], page: PageInfo) -> list[TextStart]:
    """The parts of a headerless text: one per recognisable standalone title, else the whole text."""
    cuts = [0]
    quoted: set[str] = set()
    for i, line in enumerate(lines):
        text = compact(line.text)
        if i > cuts[-1] + 2 and _is_part_title(text, lines, i) and text not in quoted:
            cuts.append(i)
        quoted.update(compact(name) for name in _QUOTED_NAME.findall(text))
    bounds = [*cuts, len(lines)]
    return [_part(lines[bounds[k] : bounds[k + 1]], bounds[k], page) for k in range(len(cuts))]


def _is_part_title(text: str, lines: list[Line], i: int) -> bool:
    """A standalone title line after a finished paragraph: "关于…的通知", "…若干措施"."""
    if not (looks_like_title(text) and text.endswith(_PART_TITLE_END) and len(text) <= 60):
        return False
    before = compact(lines[i - 1].text)
    return before.endswith(("。", "！", "”")) or is_date_line(before) or is_org_name(before)


def _part(lines: list[Line], offset: int, page: PageInfo) -> TextStart:
    title, title_from, body = "", "none", 0
    for k, line in enumerate(lines[:6]):
        text = compact(line.text)
        if _title_line(text):
            title, title_from, body = _unquote(text), "line", k + 1
            break
        if re.search(r"[。；]", text) and len(text) > 40:
            break  # the body has begun: a later short line is a heading, not the title
    headline = None
    if not title and len(lines) > 1 and _is_headline(compact(lines[0].text)):
        headline, body = compact(lines[0].text), 1  # a news headline: never glued to the first paragraph
    doc_number = None
    if body < len(lines) and (m := _OWN_NUMBER.match(compact(lines[body].text))):
        doc_number, body = normalise_doc_number(m.group(1)), body + 1
    if not title:
        name = _quoted_subject(lines)
        if name:
            title, title_from = name, "quoted"
        elif headline:
            title, title_from = headline, "headline"
    issuer, title = split_issuer(title) if title else (None, "")
    issuer_from = "title" if issuer else None
    if not issuer and page.source and is_org_name(page.source):
        issuer, issuer_from = page.source, "source"
    meta = {"published": page.published} if page.published else {}
    start = DocStart(
        index=offset,
        body_index=offset + body,
        doc_number=doc_number,
        issuer=issuer,
        title=title,
        meta=meta,
        plain=True,
    )
    return TextStart(start=start, title_from=title_from, issuer_from=issuer_from, headline=headline)


def _is_headline(text: str) -> bool:
    """A short first line that is not a sentence and not a numbered clause: a news or article headline."""
    return (
        4 <= len(text) <= 40
        and not re.search(r"[。；：:，,]$|[。；]", text)
        and not re.match(
            r"^(?:第[一二三四五六七八九十百零〇\d]{1,5}[条章节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])",
            text,
        )
    )


def _title_line(text: str) -> bool:
    """A title: ends with a document-type word (or is a 《…》 name alone) and is not a sentence."""
    if re.fullmatch(r"《[^《》]{4,80}》", text):
        return True
    if len(text) > 80 or re.search(r"[，,。；：:？?]", text):
        return False
    return looks_like_title(text) or text.endswith(("解读", "问答", "答记者问", "答问"))


def _quoted_subject(lines: list[Line]) -> str | None:
    """The 《…》 document the text is about: the most quoted name that ends with a document type."""
    names = Counter(
        compact(name)
        for line in lines
        for name in _QUOTED_NAME.findall(line.text)
        if compact(name).endswith(TITLE_END) or compact(name).endswith("政策")
    )
    if not names:
        return None
    best, _ = max(names.items(), key=lambda kv: (kv[1], -_first_at(lines, kv[0])))
    return best


def _first_at(lines: list[Line], name: str) -> int:
    return next((i for i, line in enumerate(lines) if name in compact(line.text)), len(lines))


def _unquote(text: str) -> str:
    """A title printed as 《…》 alone loses its brackets; 《…》政策解读 keeps them."""
    m = re.fullmatch(r"《([^《》]+)》", text)
    return m.group(1) if m else text
