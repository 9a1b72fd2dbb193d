"""Chinese text helpers every package may use: scripts (traditional → simplified), numerals and
full-width digits, dates written in Chinese, and the 文号 (document number) pattern.

Nothing here knows gazettes or policies; the parser's line-level helpers live in ``ingest/text.py``.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

CJK = r"\u3400-\u9fff"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_RE = re.compile("[０-９]")
_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
DOC_NUMBER_RE = re.compile(
    rf"[{CJK}]{{1,12}}\s*[〔\[［【(（]\s*((?:19|20)\d{{2}})\s*[〕\]］】)）]\s*(\d{{1,4}})\s*号"
)
DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CN_DATE_RE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)


def cn_to_int(token: str) -> int | None:
    """Convert a Chinese numeral (up to thousands) or Arabic digits to an int.

    Examples:
        >>> cn_to_int("四十三"), cn_to_int("十"), cn_to_int("二〇二三"), cn_to_int("12")
        (43, 10, 2023, 12)
    """
    token = token.strip().translate(_FULLWIDTH_DIGITS)
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if all(ch in _CN_DIGITS for ch in token):  # digit-by-digit, e.g. 二〇二三
        return int("".join(str(_CN_DIGITS[ch]) for ch in token))
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def to_halfwidth_digits(text: str) -> str:
    """Replace full-width digits by ASCII digits (same length, so offsets are kept)."""
    if not _FULLWIDTH_RE.search(text):
        return text
    return text.translate(_FULLWIDTH_DIGITS)


def parse_date(text: str) -> date | None:
    """The first date written as 2023年5月5日 (Arabic, full-width or Chinese numerals) in ``text``."""
    text = to_halfwidth_digits(text)
    m = DATE_RE.search(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = CN_DATE_RE.search(text)
    if m:
        parts = [cn_to_int(g) for g in m.groups()]
        if None not in parts:
            try:
                return date(*parts)  # type: ignore[arg-type]
            except ValueError:
                return None
    return None


def normalise_doc_number(raw: str) -> str:
    """Canonical 文号: brackets as 〔〕, no spaces, no leading words, e.g. 聊政发〔2023〕3号.

    Examples:
        >>> normalise_doc_number("按照聊政办发 [2023] 07 号")
        '聊政办发〔2023〕7号'
    """
    compact = re.sub(r"\s+", "", to_halfwidth_digits(raw))
    m = DOC_NUMBER_RE.search(compact)
    if not m:
        return compact
    head = re.split(r"[〔\[［【(（]", m.group(0), maxsplit=1)[0]
    # a 文号 prefix is the issuer's abbreviation plus a type word: keep the tail that ends in one
    tail = re.search(r"[\u3400-\u9fff]{1,6}?(?:发|字|函|任|令|规|办|复|电|通|呈|报|议|决|告)$", head[-8:])
    if tail and len(head) > 6:
        head = tail.group(0)
    for lead in ("按照", "根据", "依据", "印发的", "印发", "执行", "见"):
        if head.startswith(lead) and len(head) > len(lead) + 1:
            head = head[len(lead) :]
    return f"{head}〔{m.group(1)}〕{int(m.group(2))}号"


def remove_spaces(text: str) -> str:
    """Drop all whitespace (titles are printed with justification spaces: 的 通 知)."""
    return re.sub(r"[\s\u3000]+", "", text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def traditional_ratio(text: str, sample: int = 3000) -> float:
    """Share of the first ``sample`` CJK characters of ``text`` that change under traditional->simplified."""
    cjk = []
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            cjk.append(ch)
            if len(cjk) >= sample:
                break
    if not cjk:
        return 0.0
    converted = _t2s().convert("".join(cjk))
    changed = sum(1 for a, b in zip(cjk, converted, strict=False) if a != b)
    return changed / len(cjk)


def to_simplified(text: str) -> str:
    """Convert traditional script to simplified (OpenCC t2s, character and phrase tables)."""
    return _t2s().convert(text)


_LEVELS = "省市县区"  # a department named after its own level ("市财政局") belongs to the issuer's one


def canonical_department(name: str, issuer: str | None) -> str:
    """A responsible department's full name: "市财政局" in a document of 青禾市人民政府 is 青禾市财政局, so
    the same department merges whether a text names it in full or by its level. A name that is already
    full, names another level, or has no issuer to place it stays as it is.

    Examples:
        >>> canonical_department("市工业和信息化局", "青禾市人民政府办公室")
        '青禾市工业和信息化局'
        >>> canonical_department("青禾市工业和信息化局", "青禾市人民政府办公室")
        '青禾市工业和信息化局'
        >>> canonical_department("区财政局", "青禾市人民政府"), canonical_department("市科技局", None)
        ('区财政局', '市科技局')
        >>> canonical_department("市财政局", "山东省聊城市人民政府"), canonical_department("市委组织部", "中共青禾市委")
        ('山东省聊城市财政局', '青禾市委组织部')
    """
    name = name.strip()
    if not issuer or len(name) < 3 or name[0] not in _LEVELS:
        return name
    place = re.match(rf"^([\u3400-\u9fff]{{1,20}}?{name[0]})", issuer.removeprefix("中共"))
    if place is None or name.startswith(place.group(1)):
        return name
    return place.group(1) + name[1:]
