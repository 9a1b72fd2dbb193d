"""Item conditions and formulas in the rules language (zhengcetong/match/LANGUAGE.md).

What extraction recognises in a condition becomes typed facts: last year's revenue against a threshold
or a range, 总投资, growth above the city average, a “亩产效益” grade, a standard led or joined, a
recognition with its level and "first time". What it does not recognise becomes a question put to the
applicant (``answers.q<hash>``), so evaluation answers "unknown" until it is answered.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from zhengcetong.ingest.cues import SEG_CHAR, to_ascii_digits

LEVEL_CODES = {
    "国家": "national",
    "国家级": "national",
    "省": "provincial",
    "省级": "provincial",
    "市级": "municipal",
    "市": "municipal",
    "县级": "county",
    "县": "county",
}


def _level_code(text: str) -> str | None:
    for word, code in sorted(LEVEL_CODES.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"{word}(?!家级)", text) and (word != "市" or "市级" in text):
            return code
    return None


_UNITS = {"亿": Decimal(100000000), "万": Decimal(10000), "": Decimal(1)}
_AMOUNT_NOTE = r"(?:（含[^）]{0,12}）|\(含[^)]{0,12}\))"
REVENUE_RE = re.compile(
    r"(?:营业收入|主营业务收入|销售收入)(?:首次)?(超过|突破|达到|低于|不足|不超过|不低于|高于|在)?(\d+(?:\.\d+)?)(亿|万)元"
    r"("
    + _AMOUNT_NOTE
    + r")?(?:(?:至|到|-|—|～|~)(\d+(?:\.\d+)?)(亿|万)元("
    + _AMOUNT_NOTE
    + r")?)?(以上|以下)?"
)
INVESTMENT_RE = re.compile(r"(?:计划)?总?投资(?:额)?(?:在)?(\d+(?:\.\d+)?)(亿|万)元以上")
RECOGNITION_RE = re.compile(
    r"(首次|新)?(?:认定为|入选|获评|评为|列入|获得|获批|创建|成功创建|新获认定的|新认定的|被认定为)(.{2,40})"
)


def _threshold_op(word: str | None, inclusive: bool, bound: str | None) -> str:
    if bound == "以上":
        return ">="
    if bound == "以下":
        return "<="
    op = {
        "超过": ">",
        "突破": ">=",
        "达到": ">=",
        "高于": ">",
        "低于": "<",
        "不足": "<",
        "不超过": "<=",
        "不低于": ">=",
        "在": ">=",
    }.get(word or "", ">=")
    if inclusive:  # “（含1亿元）” puts the bound itself inside: 超过 becomes >=, 低于 and 不足 become <=
        op = {">": ">=", "<": "<="}.get(op, op)
    return op


FILLER_RE = re.compile(
    r"[（(]含[^）)]{0,12}[）)]|[（）()“”]|的|企业|单位|项目|对|首次|新|上一?年度|上年度|且|经认定后"
)
GROWTH_RE = re.compile(r"(?:且)?(?:营业收入)?增幅高于全市平均水平")
MU_CHAN_RE = re.compile(r"“?亩产效益”?(?:综合)?评价(?:结果)?为([A-D])类")
STANDARD_RE = re.compile(
    r"(主导|牵头|主持|参与)(?:标准)?制定(国际标准|国家标准|行业标准|省地方标准|地方标准|团体标准)?"
)
STANDARD_LEVEL_CODES = {
    "国际标准": "international",
    "国家标准": "national",
    "行业标准": "industry",
    "省地方标准": "provincial",
    "地方标准": "provincial",
    "团体标准": "group",
}


def all_of(*conditions: dict) -> dict:
    """The conjunction of conditions, flattened (an "all" inside an "all" is spliced in)."""
    parts: list = []
    for c in conditions:
        parts.extend(c["all"] if isinstance(c, dict) and set(c) == {"all"} else [c])
    return parts[0] if len(parts) == 1 else {"all": parts}


def _revenue_parts(m: re.Match, first: bool) -> list[dict]:
    """Comparisons on last year's revenue from a REVENUE_RE match ("超过2亿元（含）", "1亿元至5亿元")."""
    word, number, unit, note, high, high_unit, high_note, bound = m.groups()
    low = int(Decimal(number) * _UNITS[unit])
    text = m.group(0)
    if high:  # a range: the lower end is included, the upper one only when marked （含）
        top = int(Decimal(high) * _UNITS[high_unit])
        return [
            {"fact": "revenue.last_year", "op": ">=", "value": low, "label": f"上一年度{text}"},
            {
                "fact": "revenue.last_year",
                "op": "<=" if high_note else "<",
                "value": top,
                "label": f"上一年度{text}",
            },
        ]
    parts = [
        {
            "fact": "revenue.last_year",
            "op": _threshold_op(word, bool(note), bound),
            "value": low,
            "label": f"上一年度营业收入{word or ''}{number}{unit}元{bound or ''}",
        }
    ]
    if word == "突破" and first:
        parts.append(
            {
                "fact": "revenue.year_before_last",
                "op": "<",
                "value": low,
                "label": "此前年度营业收入未达到该标准（首次突破）",
            }
        )
    return parts


# A recogniser reads one kind of condition from the normalised text: the phrases it used (removed before
# looking for what is left) and the conditions they state, or None when the kind is absent.
Recognised = tuple[list[str], list[dict]] | None


def _revenue(text: str) -> Recognised:
    revenue = REVENUE_RE.search(text)
    if not (revenue and (revenue.group(1) or revenue.group(5) or revenue.group(8))):
        return None
    return [revenue.group(0)], _revenue_parts(revenue, first="首次" in text)


def _investment(text: str) -> Recognised:
    investment = INVESTMENT_RE.search(text)
    if not investment:
        return None
    number, unit = investment.group(1), investment.group(2)
    label = f"项目计划总投资{number}{unit}元以上"
    value = int(Decimal(number) * _UNITS[unit])
    return [investment.group(0)], [{"fact": "project.investment", "op": ">=", "value": value, "label": label}]


def _growth(text: str) -> Recognised:
    growth = GROWTH_RE.search(text)
    if not growth:
        return None
    condition = {
        "fact": "revenue_growth.last_year",
        "op": ">",
        "value": {"fact": "city_avg_revenue_growth.last_year"},
        "label": "上一年度营业收入增幅高于全市平均水平",
    }
    return [growth.group(0)], [condition]


def _mu_chan_grade(text: str) -> Recognised:
    grade = MU_CHAN_RE.search(text)
    if not grade:
        return None
    condition = {
        "fact": "mu_chan_grade",
        "op": "==",
        "value": grade.group(1),
        "label": grade.group(0).strip("，"),
    }
    return [grade.group(0)], [condition]


def _standard(text: str) -> Recognised:
    standard = STANDARD_RE.search(text)
    if not standard:
        return None
    used = [standard.group(0)]
    role = "participate" if standard.group(1) == "参与" else "lead"
    named = standard.group(2) or next((k for k in STANDARD_LEVEL_CODES if k in text), "")
    if named and not standard.group(2):
        used.append(f"（{named}）")
    level = STANDARD_LEVEL_CODES.get(named)
    where = [{"fact": "role", "op": "==", "value": role}]
    if level:
        where.append({"fact": "level", "op": "==", "value": level})
    condition = {"has": "standards", "where": all_of(*where), "label": standard.group(0)}
    return used, [condition]


def _recognition(text: str) -> Recognised:
    recognition = RECOGNITION_RE.search(text)
    if not recognition or re.search(r"贷款|资金|补贴|奖励", recognition.group(2)):
        return None
    name = re.sub(r"(?:的企业|的单位|的项目|的)$", "", recognition.group(2))
    name = re.sub(r"[，,].*$", "", name)
    name = re.sub(
        r"(?<=[”」])(?:称号|荣誉)?的" + SEG_CHAR + r"{0,12}$|称号的" + SEG_CHAR + r"{0,12}$", "", name
    )
    level = _level_code(name)
    core = re.sub(r"^(?:国家级|省级|市级|县级|国家|省)", "", name) or name
    where: list[dict] = [{"fact": "name", "op": "contains", "value": core}]
    if level:
        where.append({"fact": "level", "op": "==", "value": level})
    if recognition.group(1):
        where.append({"fact": "first_time", "op": "==", "value": True})
    label = f"{recognition.group(1) or ''}获得认定：{name}"
    return [recognition.group(0)], [{"has": "recognitions", "where": all_of(*where), "label": label}]


# Thresholds and grades first; a recognition is read only when none of them is there.
RECOGNISERS = (_revenue, _investment, _growth, _mu_chan_grade, _standard)


def _question(text: str, parts: list[dict], used: list[str]) -> dict | None:
    """What is left of ``text`` once the recognised phrases are removed, as a yes/no question the
    applicant answers (``answers.q<hash>``); None when nothing meaningful is left."""
    rest = text
    for found in used:
        rest = rest.replace(found, "，")
    unrecognised = [p.strip("的、且及和 ") for p in re.split(r"[，,]", rest)]
    unrecognised = [p for p in unrecognised if len(FILLER_RE.sub("", p)) > 2]
    if parts and not unrecognised:
        return None
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    label = "，".join(unrecognised) if parts else text
    return {"fact": f"answers.q{digest}", "op": "==", "value": True, "label": label or "符合条件"}


def conditions_for(condition: str) -> dict:
    """Translate the condition text into the rules language (see zhengcetong/match/LANGUAGE.md).

    What is recognised becomes typed facts (营业收入 thresholds, 总投资, a recognition with its level);
    the rest becomes a question the applicant answers (``answers.q<hash>``), so evaluation says
    "unknown" until it is answered.
    """
    text = re.sub(r"\s+", "", to_ascii_digits(condition))
    parts: list[dict] = []
    used: list[str] = []
    for recognise in RECOGNISERS:
        found = recognise(text)
        if found:
            used.extend(found[0])
            parts.extend(found[1])
    found = None if parts else _recognition(text)
    if found:
        used.extend(found[0])
        parts.extend(found[1])
    question = _question(text, parts, used)
    if question:
        parts.append(question)
    return all_of(*parts)


# "按照不超过…10%的比例", "最高按…50%": the rate is a ceiling, so the amount it gives is one too
RATE_CEILING_RE = re.compile(r"(?:不超过|不高于|最高|最多)[^，,。；;%％]{0,40}?(\d+(?:\.\d+)?)\s*[%％]")


def rate_is_ceiling(text: str, rate: Decimal) -> bool:
    """Whether ``text`` bounds this rate from above ("不超过…10%"), not another one ("不高于2%的费率上限").

    Examples:
        >>> rate_is_ceiling("按照不超过设备实际购置金额10%的比例给予支持", Decimal("0.1"))
        True
        >>> rate_is_ceiling("按照不高于2%的费率上限及实际投保年度保费30%的比例", Decimal("0.3"))
        False
    """
    return any(Decimal(m.group(1)) / 100 == rate for m in RATE_CEILING_RE.finditer(text))
