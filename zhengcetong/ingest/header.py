"""The GB/T 9704 header of a document: issuer, 文号, title, addressees, and the cover-letter repair.

Printed gazettes are flattened to text column by column, so the short lines of a cover letter
(addressees, the "现将《…》印发给你们" sentence, the signature and the date) sometimes come out of
order. :func:`repair_cover` puts them back by trying the orders of the sentence fragments against
the one template every such cover letter follows.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from zhengcetong.chinese import CJK, remove_spaces, to_halfwidth_digits

ORG_SUFFIX = (
    "人民政府",
    "政府",
    "办公室",
    "办公厅",
    "委员会",
    "管委会",
    "管理委员会",
    "部门",
    "机构",
    "单位",
    "局",
    "厅",
    "委",
    "办",
    "院",
    "会",
    "公司",
    "中心",
    "集团",
    "银行",
    "支行",
    "分行",
    "总队",
    "支队",
    "大队",
    "署",
    "部",
    "处",
    "所",
    "站",
    "社",
    "协会",
    "联合会",
    "学校",
    "大学",
    "法院",
    "检察院",
    "军分区",
)
TITLE_END = (
    "通知",
    "意见",
    "决定",
    "办法",
    "方案",
    "规定",
    "批复",
    "通报",
    "公告",
    "通告",
    "函",
    "报告",
    "请示",
    "纪要",
    "措施",
    "细则",
    "要点",
    "规划",
    "决议",
    "命令",
    "令",
    "条例",
    "规则",
    "计划",
    "大事记",
)
# addressee pieces that name regions rather than bodies: 各省、自治区、直辖市人民政府
_REGIONS = frozenset(
    ("各省", "自治区", "直辖市", "计划单列市", "新疆生产建设兵团", "各市", "各县", "各区", "各州")
)
_ADDRESSEE_HINT = re.compile(r"^(各|市|县|区|省|国|全|有关|相关|中|驻)")
_DOC_NUMBER_LINE = re.compile(rf"^[{CJK}]{{1,12}}[〔\[［【(（](?:19|20)\d{{2}}[〕\]］】)）]\d{{1,4}}号$")
COVER_RE = re.compile(
    r"^(?:现将|现把|兹将)?(?:《[^《》]+》[，、和及与]?)+"
    r"(?:[^《》。]{0,30}?(?:已经|业经|经)[^，。《》]{1,20}同意，?)?"
    r"(?:现|，)?(?:予以)?印发给你们，请[^。《》]{2,40}。$"
)


def compact(text: str) -> str:
    """Spaceless text with ASCII digits (the form header lines are compared in)."""
    return remove_spaces(to_halfwidth_digits(text))


def is_doc_number_line(text: str) -> bool:
    """True when the whole line is a 文号 such as 聊政发〔2023〕3号."""
    return bool(_DOC_NUMBER_LINE.match(compact(text)))


def is_org_name(text: str) -> bool:
    """True for a bare organisation name (an issuer or signature line): short, no punctuation."""
    name = compact(text)
    if not 2 <= len(name) <= 30 or re.search(r"[，。；：:,;、《》“”]", name):
        return False
    return name.endswith(ORG_SUFFIX) and not name.endswith(TITLE_END[:3])


def is_red_header(text: str) -> tuple[bool, str | None]:
    """The red header "XX人民政府文件": return (True, issuer)."""
    name = compact(text)
    if name.endswith("文件") and 4 <= len(name) <= 30 and is_org_name(name[:-2]):
        return True, name[:-2]
    return False, None


def looks_like_title(text: str) -> bool:
    """A title line: ends with a document-type word and has no sentence punctuation."""
    name = compact(text)
    if len(name) < 4 or re.search(r"[。；：:]", name):
        return False
    return name.endswith(TITLE_END) or name.startswith(("关于", "印发"))


def split_issuer(title: str, issuer: str | None = None) -> tuple[str | None, str]:
    """Split a header title "聊城市人民政府 关于…的通知" into (issuer, "关于…的通知").

    Examples:
        >>> split_issuer("聊城市人民政府 关于任免王新等工作人员职务的通知")
        ('聊城市人民政府', '关于任免王新等工作人员职务的通知')
        >>> split_issuer("聊城市人民政府办公室 印发关于支持…的 若干措施的通知")
        ('聊城市人民政府办公室', '印发关于支持…的若干措施的通知')
    """
    name = compact(title)
    if issuer and name.startswith(issuer) and len(name) > len(issuer) + 2:
        return issuer, name[len(issuer) :]
    first = re.split(r"[\s\u3000]+", title.strip(), maxsplit=1)
    if len(first) == 2 and is_org_name(first[0]):
        return compact(first[0]), compact(first[1])
    m = re.match(r"^(.{2,30}?)(关于.+|印发.+)$", name)
    if m and is_org_name(m.group(1)):
        return m.group(1), m.group(2)
    return issuer, name


def kind_of(title: str, doc_number: str | None) -> str:
    """Document kind from its title and 文号: appointment, chronicle, opinion, decision, notice, other."""
    if "大事记" in title:
        return "chronicle"
    if re.search(r"任免|任命|免去|聘任|免职", title) or (doc_number and re.search(r"任〔", doc_number)):
        return "appointment"
    if title.endswith("意见"):
        return "opinion"
    if title.endswith("决定"):
        return "decision"
    if title.endswith(("通知", "通告", "公告", "通报")):
        return "notice"
    return "other"


def split_addressees(text: str) -> tuple[list[str], str]:
    """Split an addressee line into organisation groups and a glued non-organisation tail.

    Examples:
        >>> split_addressees("各县（市、区）人民政府，市属开发区管委会，执行。")
        (['各县（市、区）人民政府，市属开发区管委会'], '执行。')
        >>> split_addressees("市政府有关部门、直属机构：")
        (['市政府有关部门、直属机构'], '')
    """
    pieces = [p for p in re.split(r"(?<=[，,：:])", compact(text)) if p]
    orgs: list[str] = []
    for i, piece in enumerate(pieces):
        name = piece.rstrip("，,：:")
        if _is_addressee_piece(name):
            orgs.append(name)
        else:
            return (["，".join(orgs)] if orgs else []), "".join(pieces[i:])
    return (["，".join(orgs)] if orgs else []), ""


def _is_addressee_piece(name: str) -> bool:
    flat = re.sub(
        r"[（(][^（）()]*[）)]", "", name
    )  # 各县（市、区）人民政府: the 、 inside is not a separator
    parts = [p for p in re.split(r"[、]", flat) if p]
    return bool(parts) and all(p.endswith(ORG_SUFFIX) or p.endswith("各单位") or p in _REGIONS for p in parts)


def is_addressee_line(text: str) -> bool:
    """A line of the 主送机关: organisation names ending with "，" or "："."""
    name = compact(text)
    if not re.search(r"[，,：:]", name):
        return False
    orgs, tail = split_addressees(name)
    return bool(orgs) and (bool(_ADDRESSEE_HINT.match(name)) or name.endswith(("：", ":")))


@dataclass
class Cover:
    """A repaired cover letter: addressees, the letter's sentences, signature and date line index."""

    addressees: list[str] = field(default_factory=list)
    text_lines: list[int] = field(default_factory=list)  # indexes (into the doc's lines) in reading order
    fragments: dict[int, str] = field(default_factory=dict)  # index -> text override (split-off tails)
    signature: str | None = None
    reordered: bool = False


def repair_cover(texts: list[str], issuer: str | None) -> Cover:
    """Classify the lines between the title and the date line and restore the letter's order.

    ``texts`` are the lines after the title up to (excluding) the 成文日期 line.
    """
    cover = Cover()
    fragment_ids: list[int] = []
    pending_addressees: list[str] = []
    for i, text in enumerate(texts):
        name = compact(text)
        if is_org_name(name) and (issuer is None or name == issuer or name.endswith(ORG_SUFFIX[:3])):
            cover.signature = name
            continue
        if is_addressee_line(name):
            orgs, tail = split_addressees(name)
            pending_addressees.extend(orgs)
            if tail:
                cover.fragments[i] = tail
                fragment_ids.append(i)
            continue
        fragment_ids.append(i)
    cover.addressees = _merge_addressees(pending_addressees)
    frags = [cover.fragments.get(i, compact(texts[i])) for i in fragment_ids]
    order = list(range(len(fragment_ids)))
    joined = "".join(frags)
    if 1 < len(frags) <= 7 and "《" in joined and "印发给你们" in joined and not COVER_RE.match(joined):
        for perm in itertools.permutations(order):
            if COVER_RE.match("".join(frags[k] for k in perm)):
                order, cover.reordered = list(perm), True
                break
    cover.text_lines = [fragment_ids[k] for k in order]
    return cover


def _merge_addressees(groups: list[str]) -> list[str]:
    """Addressee groups as printed, one per line, without trailing punctuation."""
    return [g.strip("，,：: ") for g in groups if g.strip("，,：: ")]


def attached_titles(cover_text: str) -> list[str]:
    """Titles in 《》 that a cover letter issues ("现将《…》印发给你们")."""
    if not re.search(r"印发|发布|转发|下发", cover_text):
        return []
    head = re.split(r"印发给|发给你们|转发给", cover_text)[0]
    return [remove_spaces(t) for t in re.findall(r"《([^《》]+)》", head)]
