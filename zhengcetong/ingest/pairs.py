"""Amounts stated next to whom they are for, without a grant verb: "补贴标准：A、B 4000元，C 2400元",
"长江流域125元/亩/年", and benefits tables copied as text whose cells ran together.

``who_amount`` reads one "who amount" cell; ``table_cells`` cuts a run-together table after each amount.
Every pattern is bounded, so reading a text is linear in its length.
"""

from __future__ import annotations

import re

from zhengcetong.ingest.cues import grant_cue
from zhengcetong.ingest.numbers import Money, find_money, find_rates

__all__ = [
    "PER_WHO_RE",
    "STANDARD_HEADER_RE",
    "STANDARD_LEAD_RE",
    "TABLE_HEAD_RE",
    "TABLE_HEAD_ROW_RE",
    "slash_per",
    "table_cells",
    "who_amount",
]

# a heading that announces the amounts below it: "二、补贴标准：", "奖励标准如下："
PER_WHO_RE = re.compile(r"(?:单个|单户|单家|单项|单台|单笔|每)")
STANDARD_LEAD_RE = re.compile(r"(?:标准|金额|额度)(?:如下|为|是)?$")
STANDARD_HEADER_RE = re.compile(r"(?:补贴|补助|奖励|资助|奖补|扶持)?(?:标准|金额|额度)(?:如下|为)?[：:]\s*$")
# what is no beneficiary of a pair: prices, turnover, investment, thresholds
NOT_WHO_RE = re.compile(
    r"价|收入|投资|产值|产量|营业|销售|纳税|税收|贷款|融资|资金|规模|总额|预算|达到|超过|以上|不低于|最低|合计|共计|累计|获得"
    r"|租金|费用|成本|工资|薪|利润|营收|余额|市值"
)
SLASH_UNIT_RE = re.compile(r"^(?:/[\u4e00-\u9fff]{1,3}){1,2}")


def who_amount(text: str) -> tuple[str, Money, bool] | None:
    """ "低保边缘户2400元", "长江流域及南方地区125元/亩/年": (who, amount, per-unit slash form), or None.

    Examples:
        >>> who, money, slashed = who_amount("长江流域125元/亩/年")
        >>> (who, money.value, slashed)
        ('长江流域', Decimal('125'), True)
        >>> who_amount("商品房均价9800元/平方米") is None
        True
    """
    t = re.sub(r"[（(][^（）()]{0,60}[）)]$", "", text.strip())  # a closing note: "（五年内分三次发放…）"
    money = find_money(t)
    if len(money) != 1 or money[0].bound in ("min", "less"):
        return None
    m = money[0]
    who = t[: m.start].rstrip()
    rest = t[m.end :]
    slash = SLASH_UNIT_RE.match(rest)
    rest = rest[slash.end() :] if slash else rest
    if re.sub(r"[（(][^）)]{0,40}[）)]$", "", rest).strip():
        return None  # more follows the amount: not a pair
    who = re.sub(r"(?:的)?(?:为|是)?(?:每人|每户|每亩|每月|每年|每人每月)?(?:最高|不超过)?$", "", who)
    if len(who) < 2 or re.search(r"\d", who) or NOT_WHO_RE.search(who) or grant_cue(t) or find_rates(t):
        return None
    return who, m, bool(slash)


def slash_per(tail: str) -> str:
    """ "/亩/年" → year, "/人/月" → month.

    Examples:
        >>> slash_per("/亩/年"), slash_per("/人/月"), slash_per("/亩")
        ('year', 'month', 'once')
    """
    unit = SLASH_UNIT_RE.match(tail)
    text = unit.group(0) if unit else ""
    return "month" if text.endswith("/月") else "year" if text.endswith("/年") else "once"


# the column heads of a benefits table copied as text
TABLE_HEAD_RE = re.compile(
    r"序号|项目名称|补贴项目|补贴对象|补贴标准|补助标准|奖励标准|支持标准|扶持标准|政策内容|优惠内容|业务主管部门|主管部门|责任单位|申报条件|适用对象"
)
# a row of column heads: two heads next to each other ("序号补贴项目补贴对象补贴标准", "政策内容 | 主管部门")
TABLE_HEAD_ROW_RE = re.compile(
    "(?:" + TABLE_HEAD_RE.pattern + r")[\s|｜]{0,3}(?:" + TABLE_HEAD_RE.pattern + ")"
)
# where a cell that ends in an amount runs into the next one: "…每亩80元农机购置补贴…"
CELL_END_RE = re.compile(
    r"(?:[0-9.]+(?:亿|万|千)?元(?:/[\u4e00-\u9fff]{1,2}){0,2}|[0-9.]+[%％])"
    r"(?=[\u4e00-\u9fff])(?![的以及和或每整左上内奖补资贴一人用])"
)


def table_cells(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans of a table whose cells ran together, cut after each amount that is followed by the
    next cell's words."""
    out = []
    for start, end in spans:
        for m in CELL_END_RE.finditer(text, start, end):
            out.append((start, m.end()))
            start = m.end()
        if start < end:
            out.append((start, end))
    return out
