"""Money, rate, duration and period parsing for Chinese policy text.

Amounts are :class:`~decimal.Decimal` yuan; rates are Decimal fractions (10% → 0.1). Every finder
returns mentions with ``start``/``end`` offsets into the string it was given, so callers can quote
the source exactly. The regular expressions consume one character per step with fixed look-ahead
only, so the finders run in linear time on any input.

Examples:
    >>> parse_amount("五十万元")
    Decimal('500000')
    >>> parse_amount("1.5亿元")
    Decimal('150000000')
    >>> parse_amount("3 0 万元")
    Decimal('300000')
    >>> parse_rate("百分之十")
    Decimal('0.1')
    >>> [(m.value, m.bound) for m in find_money("给予最高30万元、10万元一次性奖励")]
    [(Decimal('300000'), 'max'), (Decimal('100000'), 'max')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = [
    "Duration",
    "Money",
    "Period",
    "Rate",
    "chinese_to_decimal",
    "find_durations",
    "find_money",
    "find_periods",
    "find_rates",
    "parse_amount",
    "parse_number",
    "parse_rate",
    "to_ascii_digits",
]

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
    "百": Decimal(100),
}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

# A number in Arabic digits (half- or full-width), allowing single spaces between digits ("3 0"),
# thousands commas ("1,000") and a decimal part. One character per step: linear.
# It starts only where a run of digits starts (never inside one, nor after "digit + space"), so a long
# run costs one attempt, not one per position.
NUM_AR = (
    r"(?<![0-9０-９.．])(?<![0-9０-９][ \u3000])"
    r"[0-9０-９](?:[0-9０-９]|[ \u3000](?=[0-9０-９])|,(?=[0-9]{3}(?![0-9])))*(?:[.．][0-9０-９]+)?"
)
# A number in Chinese numerals; it starts with a digit or 十 (so a bare 万/千 is not a number).
NUM_CN = (
    r"(?<![零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟])[零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]"
    r"[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]*(?:点[零〇一二三四五六七八九]+)?"
)
NUM = rf"(?:{NUM_AR}|{NUM_CN})"
_MULT = r"(?:万亿|千万|百万|亿|万|千|百)"
_CUR = r"(?:美元|港元|欧元|元)"
_DASH = r"[—–\-~～－]"

_MONEY_RE = re.compile(
    rf"(?<![几数上近余第])(?<!(?<![最至])多)(?:(?P<lo>{NUM})[ \u3000]?(?P<lomult>{_MULT})?(?:元)?"
    rf"(?:[（(]含[^）)\n]{{0,12}}[）)])?[ \u3000]?(?:{_DASH}+|至|到)[ \u3000]?)?"
    rf"(?P<num>{NUM})[ \u3000]?(?P<mult>{_MULT})?"
    # the currency, or nothing after 万/亿 when no word follows ("年补贴限额500万。")
    rf"(?:[ \u3000]?(?P<cur>{_CUR})(?:人民币)?|(?<=[万亿])(?![\u4e00-\u9fff\w%％.．]))"
)
_RATE_RE = re.compile(
    rf"(?P<num>{NUM_AR})[ \u3000]?(?P<sign>[%％‰])|(?P<kind>百分之|千分之)(?P<cn>{NUM_AR}|{NUM_CN})"
)
_DURATION_RE = re.compile(
    rf"(?P<num>{NUM_AR}|{NUM_CN})[ \u3000]?(?P<unit>个工作日|工作日|个月|个自然月|周年|年|天|日(?=内|以内|之内))"
)
_PERIOD_RE = re.compile(
    r"每人每月|每人每年|每人次|每人|每户每年|每家每年|每年度|每年|年度|每月|每季度|一次性"
)

_MAX_AFTER = ("以下", "以内", "为限", "之内", "内")
_MIN_AFTER = ("以上", "及以上")


@dataclass(frozen=True)
class Money:
    """An amount of money found in text: ``value`` in yuan (or in ``currency`` when not CNY).

    ``bound`` is "max" (最高, 不超过, 以内), "min" (以上, 不低于, 超过), "less" (低于, 不足),
    "range" (10万元—30万元: ``low``..``value``) or "exact"; ``inclusive`` is True when （含）.
    """

    value: Decimal
    start: int
    end: int
    text: str
    bound: str = "exact"
    low: Decimal | None = None
    inclusive: bool = False
    currency: str = "CNY"


@dataclass(frozen=True)
class Rate:
    """A percentage or per-mille rate as a fraction (``value``), with its bound as for Money."""

    value: Decimal
    start: int
    end: int
    text: str
    bound: str = "exact"


@dataclass(frozen=True)
class Duration:
    """A span of time: ``months`` (years × 12) or ``days``; ``working`` for 工作日; ``consecutive`` for 连续."""

    start: int
    end: int
    text: str
    months: int | None = None
    days: int | None = None
    working: bool = False
    bound: str = "exact"
    consecutive: bool = False


@dataclass(frozen=True)
class Period:
    """A per-period word: ``per`` is once | year | month | person; ``person`` when also per person."""

    per: str
    person: bool
    start: int
    end: int
    text: str


def to_ascii_digits(text: str) -> str:
    """Full-width digits, point, comma and percent sign to ASCII (same length, so offsets hold).

    >>> to_ascii_digits("３０万元，１０％")
    '30万元,10%'
    """
    return text.translate(_FULLWIDTH)


def chinese_to_decimal(text: str) -> Decimal:
    """The value of a number written in Chinese numerals.

    >>> chinese_to_decimal("五十")
    Decimal('50')
    >>> chinese_to_decimal("十五")
    Decimal('15')
    >>> chinese_to_decimal("一百零五")
    Decimal('105')
    >>> chinese_to_decimal("三千五百万")
    Decimal('35000000')
    >>> chinese_to_decimal("一亿二千万")
    Decimal('120000000')
    >>> chinese_to_decimal("二点五")
    Decimal('2.5')
    >>> chinese_to_decimal("贰拾")
    Decimal('20')
    """
    integer, _, fraction = text.partition("点")
    total = Decimal(0)  # completed 亿 groups
    wan = Decimal(0)  # completed 万 group below the current 亿
    section = 0  # below 万
    number = 0
    seen_digit = False
    for ch in integer:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
            seen_digit = True
        elif ch in _CN_UNITS:
            section += (number if (number or seen_digit) else 1) * _CN_UNITS[ch]
            number = 0
            seen_digit = False
        elif ch in _CN_BIG:
            group = section + number
            if ch == "万":
                wan += Decimal(group or (1 if not wan else 0)) * 10**4
            else:
                total = (total + wan + group) * 10**8
                wan = Decimal(0)
            section = 0
            number = 0
            seen_digit = False
        else:
            raise ValueError(f"不是中文数字：{text!r}")
    value = total + wan + section + number
    if fraction:
        digits = "".join(str(_CN_DIGITS[ch]) for ch in fraction if ch in _CN_DIGITS)
        value += Decimal("0." + digits) if digits else 0
    return value


def parse_number(text: str) -> Decimal:
    """A number in Arabic (half- or full-width, spaced, with commas) or Chinese numerals.

    >>> parse_number("１,０００")
    Decimal('1000')
    >>> parse_number("3 0")
    Decimal('30')
    >>> parse_number("二十")
    Decimal('20')
    """
    ascii_text = to_ascii_digits(text).replace(" ", "").replace("\u3000", "").replace(",", "")
    if len(ascii_text) > 24:
        raise ValueError(f"数字过长，不像金额或比例：{text[:24]!r}…")
    if ascii_text and (ascii_text[0].isdigit()):
        try:
            return Decimal(ascii_text)
        except InvalidOperation as exc:
            raise ValueError(f"不是数字：{text!r}") from exc
    return chinese_to_decimal(ascii_text)


def parse_amount(text: str) -> Decimal:
    """An amount such as "30万元", "五十万元", "1.5亿元", "3 0 万元", "2千元", "1,000元" in yuan.

    >>> parse_amount("2千元")
    Decimal('2000')
    >>> parse_amount("１０００万元")
    Decimal('10000000')
    >>> parse_amount("5000万元人民币")
    Decimal('50000000')
    """
    found = find_money(text)
    if not found:
        raise ValueError(f"没有找到金额：{text!r}")
    return found[0].value


def parse_rate(text: str) -> Decimal:
    """A rate such as "10%", "１０％", "百分之十", "5‰", "千分之五" as a fraction.

    >>> parse_rate("10%")
    Decimal('0.1')
    >>> parse_rate("5‰")
    Decimal('0.005')
    >>> parse_rate("千分之五")
    Decimal('0.005')
    >>> parse_rate("百分之十五点五")
    Decimal('0.155')
    """
    found = find_rates(text)
    if not found:
        raise ValueError(f"没有找到比例：{text!r}")
    return found[0].value


def _normal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _before(text: str, start: int, width: int = 6) -> str:
    return text[max(0, start - width) : start].replace(" ", "")


_BEFORE_WORDS = sorted(
    [
        (w, "max")
        for w in ("不超过", "不高于", "最高", "最多", "至多", "上限为", "封顶", "最长", "共计", "总额")
    ]
    + [
        (w, "min")
        for w in ("不低于", "不少于", "至少", "超过", "高于", "突破", "达到", "达", "满", "最低", "最少")
    ]
    + [(w, "less") for w in ("低于", "不足", "少于", "未达到", "未满")],
    key=lambda pair: -len(pair[0]),
)
_NEAR_MAX = re.compile(r"(?:最高|不超过|不高于|最多|至多|最长|上限|限额)[^，。；、\n0-9０-９]{0,4}$")
_NEAR_MIN = re.compile(r"(?:最低|最少)[^，。；、\n0-9０-９]{0,4}$")


def _bound(text: str, start: int, end: int) -> tuple[str, bool, int]:
    """The bound words around a mention: (bound, inclusive, new end including a （含…） note)."""
    inclusive = False
    after = text[end : end + 16]
    note = re.match(r"[ \u3000]?[（(]含[^）)\n]{0,12}[）)]", after)
    if note:
        inclusive = True
        end += note.end()
        after = text[end : end + 6]
    for word in _MIN_AFTER:
        if after.startswith(word):
            return "min", True, end
    for word in _MAX_AFTER:
        if after.startswith(word) and not after.startswith("内容"):
            return "max", True, end
    before = _before(text, start)
    if re.search(r"(?:最高|不得超过|不超过|不高于)(?:每[人户家年月项个])+$", _before(text, start, 10)):
        return "max", True, end  # "最高不得超过每人每年35000元"
    if re.search(r"最高[^，。；、\n0-9０-９]{0,6}达(?:到)?$", _before(text, start, 10)):
        return "max", True, end  # "最高配套奖励达25万元"
    for word, bound in _BEFORE_WORDS:
        if before.endswith(word):
            return (
                bound,
                inclusive or bound in ("max",) or word in ("不低于", "不少于", "至少", "达到", "达", "满"),
                end,
            )
    if _NEAR_MAX.search(before):
        return "max", True, end
    if _NEAR_MIN.search(before):
        return "min", True, end
    return "exact", inclusive, end


def _listed(text: str, prev_end: int, start: int) -> bool:
    """True when a mention at ``start`` continues a list right after the mention ending at ``prev_end``."""
    gap = text[prev_end:start].strip(" \u3000")
    return gap in ("、", "和", "或", "及", "与") and prev_end <= start


def find_money(text: str) -> list[Money]:
    """Every amount of money in ``text``, in order, with offsets and bound.

    >>> [(m.value, m.bound, m.inclusive) for m in find_money("营业收入超过2亿元（含2亿元）的")]
    [(Decimal('200000000'), 'min', True)]
    >>> m = find_money("给予主办单位10万元—30万元补助")[0]
    >>> (m.low, m.value, m.bound)
    (Decimal('100000'), Decimal('300000'), 'range')
    >>> [(m.value, m.currency) for m in find_money("进出口额首次突破一亿美元")]
    [(Decimal('100000000'), 'USD')]
    >>> [m.value for m in find_money("最高不超过 3 0 万元，低于5亿元的")]
    [Decimal('300000'), Decimal('500000000')]
    """
    found: list[Money] = []
    if "元" not in text and "万" not in text and "亿" not in text:
        return found
    consumed = 0
    for match in _MONEY_RE.finditer(text):
        if match.start() < consumed:
            continue  # inside the （含…） note of the previous amount
        try:
            value = parse_number(match["num"]) * _MULTIPLIERS.get(match["mult"] or "", Decimal(1))
        except ValueError:
            continue
        currency = {"美元": "USD", "港元": "HKD", "欧元": "EUR"}.get(match["cur"], "CNY")
        start = match.start()
        if match["lo"]:
            try:
                mult = match["lomult"] or match["mult"] or ""
                low = parse_number(match["lo"]) * _MULTIPLIERS.get(mult, Decimal(1))
            except ValueError:
                low = None
            if low is not None and low < value:
                found.append(
                    Money(
                        _normal(value),
                        start,
                        match.end(),
                        match.group(),
                        "range",
                        _normal(low),
                        True,
                        currency,
                    )
                )
                continue
            start = match.start("num")
        bound, inclusive, end = _bound(text, start, match.end())
        if bound == "exact" and found and found[-1].bound != "range" and _listed(text, found[-1].end, start):
            bound, inclusive = found[-1].bound, found[-1].inclusive
        consumed = end
        found.append(Money(_normal(value), start, end, text[start:end], bound, None, inclusive, currency))
    return found


def find_rates(text: str) -> list[Rate]:
    """Every percentage or per-mille rate in ``text`` as a fraction.

    >>> [(r.value, r.bound) for r in find_rates("分别不超过8%和7%")]
    [(Decimal('0.08'), 'max'), (Decimal('0.07'), 'max')]
    >>> [r.value for r in find_rates("按照年度实际支出的百分之二十给予补贴")]
    [Decimal('0.2')]
    >>> [r.value for r in find_rates("按担保额的５‰给予补贴")]
    [Decimal('0.005')]
    """
    found: list[Rate] = []
    if not any(sign in text for sign in ("%", "％", "‰", "分之")):
        return found
    for match in _RATE_RE.finditer(text):
        try:
            if match["num"] is not None:
                value = parse_number(match["num"])
                scale = Decimal(1000) if match["sign"] == "‰" else Decimal(100)
            else:
                value = parse_number(match["cn"])
                scale = Decimal(100) if match["kind"] == "百分之" else Decimal(1000)
        except ValueError:
            continue
        bound, _, end = _bound(text, match.start(), match.end())
        if bound == "exact" and found and _listed(text, found[-1].end, match.start()):
            bound = found[-1].bound
        found.append(Rate(_normal(value / scale), match.start(), end, text[match.start() : end], bound))
    return found


def find_durations(text: str) -> list[Duration]:
    """Every span of time ("最多不超过24个月", "连续3年", "5个工作日内") in ``text``.

    Years that are dates (2023年) are skipped.

    >>> [(d.months, d.bound) for d in find_durations("最多不超过24个月")]
    [(24, 'max')]
    >>> [(d.months, d.consecutive) for d in find_durations("连续3年被评为")]
    [(36, True)]
    >>> [(d.days, d.working, d.bound) for d in find_durations("在5个工作日内办结")]
    [(5, True, 'max')]
    >>> find_durations("2023年9月1日")
    []
    """
    found: list[Duration] = []
    for match in _DURATION_RE.finditer(text):
        try:
            value = parse_number(match["num"])
        except ValueError:
            continue
        unit = match["unit"]
        start, end = match.start(), match.end()
        if value != value.to_integral_value() or value <= 0:
            continue
        amount = int(value)
        if unit in ("年", "周年") and (amount >= 100 or text[end : end + 1].isdigit()):
            continue  # a calendar year, not a duration
        if start and text[start - 1 : start] in "0123456789０１２３４５６７８９.":
            continue
        bound, _, end = _bound(text, start, end)
        before = _before(text, start, 4)
        consecutive = before.endswith("连续")
        if before.endswith("前") and bound == "exact":
            bound = "max"
        if "工作日" in unit:
            found.append(Duration(start, end, text[start:end], days=amount, working=True, bound=bound))
        elif unit in ("天", "日"):
            found.append(Duration(start, end, text[start:end], days=amount, bound=bound))
        elif "月" in unit:
            found.append(
                Duration(start, end, text[start:end], months=amount, bound=bound, consecutive=consecutive)
            )
        else:
            found.append(
                Duration(
                    start, end, text[start:end], months=amount * 12, bound=bound, consecutive=consecutive
                )
            )
    return found


def find_periods(text: str) -> list[Period]:
    """Every per-period word (每人每月, 每年, 年度, 一次性, 每人 …) in ``text``.

    >>> [(p.per, p.person) for p in find_periods("给予每人每月5000元，一次性奖励")]
    [('month', True), ('once', False)]
    """
    found: list[Period] = []
    for match in _PERIOD_RE.finditer(text):
        word = match.group()
        person = word.startswith("每人") and word != "每人次"
        if "月" in word:
            per = "month"
        elif "年" in word:
            per = "year"
        elif word == "一次性":
            per = "once"
        elif person:
            per = "person"
        else:
            continue
        found.append(Period(per, person, match.start(), match.end(), word))
    return found
