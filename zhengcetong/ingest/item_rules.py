"""Item conditions and formulas in the rules language (zhengcetong/match/LANGUAGE.md).

What extraction recognises in a condition becomes typed facts of the profile vocabulary: last year's
revenue against a threshold or a range, a project of a kind with its 总投资 or 设备投资 and what it
involves (土地权属、用地性质、主体结构, 简易低风险, 告知承诺制, the lists it is on, the land it uses),
growth above the city average, a “亩产效益” grade or a 绩效分级, a standard led or joined, a recognition
(认定, 资质, 平台) with its level, grade and "first time", the industry, what the applicant does and
what kind of body it is, the persons an item is for (role, degree, 残疾人, 全职, 自主创业, 劳动合同期限,
人才认定层次, 人才计划, 考核, 证书, 落户), a named document whose requirements it meets (``complies_with``),
premises leased or owned, an industrial park, exhibitions and insurance of first-version products;
实缴注册资本 and 进出口额 (US dollars) thresholds, 规模以上 statistics, growth over the year before, a
newly introduced enterprise, 独立法人资格, 小微企业, places on rankings, and recognitions named as the
kind of enterprise without a verb ("…的专精特新企业"), read beside every other piece of the phrase.

Only the segments of a condition text that restrict who gets the benefit are conditions ("对…的",
"符合…的", "…的，给予"). Some phrases say how or where the benefit is given, not who gets it: the funding
channel ("通过现有资金渠道"), a government body's duty ("应当…", "制定并落实…") or work statement ("加大…
力度", "依托…平台", "严格执行《…》"), the occasion ("在重污染天气应急期间", "…时"), the papers to show,
the costs paid for, or the issuing city's own area ("在聊注册成立的", "我市"), which every item of the
document assumes. They are dropped (``SCOPE_RE``, ``DUTY_RE``, ``is_restriction``, ``about_something_else``).

What is left becomes a *claim*: a yes/no fact ``claims.q<id>`` with what is left of the phrase as its
label and a question for the applicant worded by its grammar (``claim_for``, ``claim_question``), so evaluation answers "unknown" until it is confirmed.
The id is derived from the normalised phrase, so the same phrase is the same claim in every item and
an applicant confirms it once. Staff replace a claim by a typed condition in review (the item's page in
the staff console, ``zhengcetong.library.items.type_claim``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal

from zhengcetong.ingest.cues import SEG_CHAR, to_ascii_digits
from zhengcetong.ingest.numbers import NUM, parse_number

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
    r"[（(]含[^）)]{0,12}[）)]|[（）()“”]|的|企业|单位|项目|对|首次|新|上一?年度|上年度|且|并|工作|经认定后"
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
    """The conjunction of conditions, flattened (an "all" inside an "all" is spliced in; ``{}``, no
    condition, is left out)."""
    parts: list = []
    for c in conditions:
        if c == {}:
            continue
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


PROJECT_KIND_RE = re.compile(r"(“零增地”)?(技术改造|设备更新|改造|城市更新(?:区域内)?)项目")
EQUIPMENT_RE = re.compile(
    r"设备(?:（含软件）|\(含软件\))?(?:购置|投资)(?:额)?(?:在)?(\d+(?:\.\d+)?)(亿|万)元以上"
)


def _project(text: str) -> Recognised:
    """A project of a kind (技术改造, 城市更新, “零增地”), with its 总投资 or 设备投资 threshold."""
    investment = INVESTMENT_RE.search(text)
    equipment = EQUIPMENT_RE.search(text)
    if investment and equipment and equipment.start() <= investment.start() < equipment.end():
        investment = None  # "设备（含软件）投资500万元以上" is the equipment, not the total
    kind = PROJECT_KIND_RE.search(text)
    if not (investment or equipment or kind):
        return None
    used, where, words = [], [], []
    if kind:
        used.append(kind.group(0))
        name = next((k for k in ("城市更新", "设备更新") if kind.group(2).startswith(k)), "技术改造")
        where.append({"fact": "kind", "op": "==", "value": name})
        if kind.group(1):
            where.append({"fact": "new_land", "op": "==", "value": False})
        words.append(kind.group(0))
    if investment:
        number, unit = investment.group(1), investment.group(2)
        used.append(investment.group(0))
        value = int(Decimal(number) * _UNITS[unit])
        where.append({"fact": "investment", "op": ">=", "value": value})
        words.insert(0, f"计划总投资{number}{unit}元以上")
    if equipment:
        number, unit = equipment.group(1), equipment.group(2)
        used.append(equipment.group(0))
        value = int(Decimal(number) * _UNITS[unit])
        where.append({"fact": "equipment_cost", "op": ">=", "value": value})
        words.insert(0, f"设备（含软件）投资{number}{unit}元以上")
    label = "项目：" + "的".join(words) if kind else "".join(words)
    return used, [{"has": "projects", "where": all_of(*where), "label": label}]


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
        bracket = re.search(r"[（(][^（）()]{0,8}?" + named + r"[）)]", text)
        used.append(bracket.group(0) if bracket else named)
    level = STANDARD_LEVEL_CODES.get(named)
    where = [{"fact": "role", "op": "==", "value": role}]
    if level:
        where.append({"fact": "level", "op": "==", "value": level})
    condition = {"has": "standards", "where": all_of(*where), "label": standard.group(0)}
    return used, [condition]


def _recognition(text: str) -> Recognised:
    recognition = RECOGNITION_RE.search(text)
    if not recognition or LISTED_RE.match(text, recognition.start() + len(recognition.group(1) or "")):
        return None  # none, or a project on a list ("列入市级重点建设项目"): a trait of the project
    name = re.sub(r"(?:的)?[，,].*$", "", recognition.group(2))
    if re.search(r"贷款|资金|补贴|奖励", name):
        return None
    name = re.sub(r"(?:的企业|的单位|的项目|的)$", "", name)
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
    said = recognition.group(0)[: recognition.start(2) - recognition.start(0)] + name
    if text[recognition.start(0) + len(said) :].startswith(("称号", "荣誉称号")):
        said += "荣誉称号" if text[recognition.start(0) + len(said) :].startswith("荣誉") else "称号"
    return [said], [{"has": "recognitions", "where": all_of(*where), "label": label}]


ENV_GRADE_RE = re.compile(r"达到([A-D])级(?:或(引领性))?(?:的企业)?(?:，?在重污染天气应急期间)?")


def _env_grade(text: str) -> Recognised:
    """重污染天气重点行业绩效分级 ("达到A级或引领性的企业，在重污染天气应急期间")."""
    grade = ENV_GRADE_RE.search(text)
    if not grade or not ("引领性" in text or "重污染" in text or "绩效" in text):
        return None
    values = [g for g in grade.groups() if g]
    label = f"重污染天气重点行业绩效分级达到{'或'.join(values)}级".replace("引领性级", "引领性")
    condition = {"fact": "env_performance_grade", "op": "in", "value": values, "label": label}
    return [grade.group(0)], [condition]


CMMI_RE = re.compile(
    r"(首次)?通过CMMI(?:（能力成熟度模型）|\(能力成熟度模型\))?([一二三四五12345])级评估认证"
)
LIANGHUA_RE = re.compile(r"通过(国家)?两化融合管理体系贯标(?:认定|评定)(?:的企业)?")
LIANGHUA_GRADE_RE = re.compile(r"(A{1,5})级(及以上)?")
CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5"}


def _graded_recognition(text: str) -> Recognised:
    """A recognition with a grade: CMMI 三级…五级, 两化融合管理体系贯标 A…AAA 级."""
    cmmi = CMMI_RE.search(text)
    if cmmi:
        grade = CN_DIGITS.get(cmmi.group(2), cmmi.group(2))
        where = [
            {"fact": "name", "op": "contains", "value": "CMMI"},
            {"fact": "grade", "op": "==", "value": grade},
        ]
        if cmmi.group(1):
            where.append({"fact": "first_time", "op": "==", "value": True})
        label = f"{cmmi.group(1) or ''}通过CMMI{cmmi.group(2)}级评估认证"
        return [cmmi.group(0)], [{"has": "recognitions", "where": all_of(*where), "label": label}]
    lianghua = LIANGHUA_RE.search(text)
    if not lianghua:
        return None
    used = [lianghua.group(0)]
    where = [{"fact": "name", "op": "contains", "value": "两化融合管理体系"}]
    if lianghua.group(1):
        where.append({"fact": "level", "op": "==", "value": "national"})
    label = lianghua.group(0).removesuffix("的企业")
    grade = LIANGHUA_GRADE_RE.search(text, lianghua.end())
    if grade:
        used.append(grade.group(0))
        a = grade.group(1)
        grades = [a + "A" * i for i in range(6 - len(a))] if grade.group(2) else [a]
        where.append(
            {
                "fact": "grade",
                "op": "in" if len(grades) > 1 else "==",
                "value": grades if len(grades) > 1 else a,
            }
        )
        label += f"，{grade.group(0)}"
    return used, [{"has": "recognitions", "where": all_of(*where), "label": label}]


LEVEL_ONLY_RE = re.compile(r"(国家级|省级|市级)(及以上|以上)?(" + SEG_CHAR + r"{2,16})")
LEVELS_UP = ("national", "provincial", "municipal", "county")


def _level_recognition(text: str) -> Recognised:
    """A recognition named with its level and no verb: "省级及以上绿色工厂" (the whole condition)."""
    m = LEVEL_ONLY_RE.fullmatch(text)
    if not m:
        return None
    level = _level_code(m.group(1))
    where: list[dict] = [{"fact": "name", "op": "contains", "value": m.group(3)}]
    if m.group(2):
        where.append({"fact": "level", "op": "in", "value": list(LEVELS_UP[: LEVELS_UP.index(level) + 1])})
    else:
        where.append({"fact": "level", "op": "==", "value": level})
    return [m.group(0)], [{"has": "recognitions", "where": all_of(*where), "label": m.group(0)}]


# The industries a condition names, as the values of ``industries`` (the profile's 所属行业).
INDUSTRY_NAMES = {
    "新一代信息技术制造业": "新一代信息技术",
    "电子信息制造业": "电子信息制造业",
    "软件业": "软件业",
    "再生有色金属回收及加工利用": "再生有色金属回收及加工利用",
    "先进制造业": "先进制造业",
}
# qualifiers of an industry that do not change which one it is ("特色优势先进制造业项目")
INDUSTRY_QUALIFIER = r"(?:特色优势|传统优势|战略性新兴|优势|高端)?"
INDUSTRY_RE = re.compile(INDUSTRY_QUALIFIER + "(" + "|".join(INDUSTRY_NAMES) + ")(?:企业|项目)?")


def _industry(text: str) -> Recognised:
    """The industry of the enterprise ("…的电子信息制造业企业")."""
    found = list(INDUSTRY_RE.finditer(text))
    if not found:
        return None
    parts = [
        {"fact": "industries", "op": "contains", "value": INDUSTRY_NAMES[m.group(1)], "label": m.group(0)}
        for m in dict((m.group(1), m) for m in found).values()
    ]
    return [m.group(0) for m in found], parts


PERSON_ROLE_RE = re.compile(
    r"(?:全职)?(?:博士后(?:研究人员|人员)?出站(?:（基地）)?后?|出站博士后|博士后(?:研究人员|人员)?"
    r"(?!科研工作站|创新实践基地|科研项目基金|创新人才支持计划)|就业困难残疾人|就业困难人员|盲人医疗按摩人员|"
    r"高校毕业生|高级管理人员|"
    r"残疾人(?!就业基地|就业帮扶)|(?<!博士后)(?<!优秀的)博士(?!后))"
)
CONTRACT_RE = re.compile(r"签订(\d+)年以上劳动合同")
# the social insurance paid for the persons ("签订…劳动合同并缴纳社会保险")
SOCIAL_INSURANCE_RE = re.compile(r"(?:并|且)?(?:依法)?(?:为其)?缴纳(?:城镇职工)?社会保险(?:费)?")
# newly recruited or hired by the applicant ("新引进的全职博士", "企业新招用的高校毕业生")
NEW_HIRE_RE = re.compile(r"新(?:引进|招用|招聘|聘用|录用|吸纳)(?:的)?")
# founding a business ("自主创业", "创办小微企业或从事个体经营")
FOUNDER_RE = re.compile(
    r"自主创业|创业(?=博士后|的残疾人)|(?:创办|创立|开办)[^，,或]{0,8}?(?:企业|实体|公司)(?:或从事个体经营)?"
    r"|从事个体经营"
)
# "符合市级人才认定条件": the level of the talent certification held, that level or above
TALENT_LEVEL_RE = re.compile(r"符合(国家|省|市|县)级?(?:及以上|以上)?人才认定(?:条件|标准)")
# "…支持计划、…交流项目引进人选": selected for a talent programme (any of those named)
PROGRAM_RE = re.compile(
    r"((?:[^，,、]{2,24}?(?:计划|项目|工程))(?:、[^，,、]{2,24}?(?:计划|项目|工程))*)(?:引进)?(?:人选|入选者|入选人员)"
)
PROGRAM_LEVEL_RE = re.compile(r"^(?:国家及省级|国家和省级|国家级|省级|市级|国家|省|市)")
ASSESSMENT_RE = re.compile(r"(?:经[^，,、]{2,20}?)?考核(?:结果)?(?:为)?(优秀|良好|合格|称职)")
CERTIFICATE_RE = re.compile(r"取得([^，,且的]{0,12}?(?:资格证书|资格证|职业证书|等级证书))")
SETTLED_RE = re.compile(r"(?:随(?:其|同)?(?:迁移|迁)?|在本地|在我市)落户的?(子女|配偶|家属)?")


def _levels_from(level: str, upward: bool) -> list[str]:
    """The level codes from "national" down to ``level`` when ``upward`` ("市级以上"), else just ``level``."""
    return list(LEVELS_UP[: LEVELS_UP.index(level) + 1]) if upward else [level]


def _persons(text: str) -> Recognised:
    """The persons an item is for: a role (博士后, 出站博士后, 盲人医疗按摩人员 …), a degree (博士) or a
    disability (残疾人), with 全职, 自主创业, 劳动合同期限, the talent certification level, a talent
    programme, an assessment (考核优秀), a certificate held and settling here (落户)."""
    m = PERSON_ROLE_RE.search(text)
    used: list[str] = []
    where: list[dict] = []
    words: list[str] = []
    word = m.group(0) if m else ("博士" if re.search(r"特别优秀的博士(?!后)", text) else "")
    if m:
        used.append(word)
    if word:
        words.append(word)
        if "出站" in word:
            where.append({"fact": "role", "op": "==", "value": "出站博士后"})
        elif "博士后" in word:
            where.append({"fact": "role", "op": "==", "value": "博士后"})
        elif word.endswith("博士"):
            where.append({"fact": "degree", "op": "==", "value": "博士"})
        elif word.endswith("残疾人"):
            where.append({"fact": "disabled", "op": "==", "value": True})
            if word.startswith("就业困难"):
                where.append({"fact": "role", "op": "contains", "value": "就业困难"})
        elif "就业困难" in word:
            where.append({"fact": "role", "op": "contains", "value": "就业困难"})
        else:
            where.append({"fact": "role", "op": "==", "value": word.removeprefix("全职")})
        full_time = re.search(r"(?<!非)全职", text)
        if full_time:
            used.append(full_time.group(0))
            if "全职" not in word:
                words.append(full_time.group(0))
            where.append({"fact": "full_time", "op": "==", "value": True})
    new_hire = NEW_HIRE_RE.search(text) if m else None
    if (
        new_hire
        and m
        and new_hire.end() <= m.start()
        and not re.search(r"企业|公司|机构", text[new_hire.end() : m.start()])
    ):
        used.append(new_hire.group(0))
        words.insert(0, new_hire.group(0).removesuffix("的"))
        where.append({"fact": "new_hire", "op": "==", "value": True})
    founder = FOUNDER_RE.search(text) if word else None
    if founder:
        used.append(founder.group(0))
        words.append(founder.group(0))
        where.append({"fact": "founder", "op": "==", "value": True})
    contract = CONTRACT_RE.search(text) if word else None
    if contract:
        used.append(contract.group(0))
        words.append(contract.group(0))
        where.append({"fact": "contract_years", "op": ">=", "value": int(contract.group(1))})
    social = SOCIAL_INSURANCE_RE.search(text) if word else None
    if social:
        used.append(social.group(0))
        words.append(social.group(0).lstrip("并且"))
        where.append({"fact": "social_insurance", "op": "==", "value": True})
    level = TALENT_LEVEL_RE.search(text)
    if level:
        code = {"国家": "national", "省": "provincial", "市": "municipal", "县": "county"}[level.group(1)]
        used.append(level.group(0))
        words.append(level.group(0))
        where.append({"fact": "talent_level", "op": "in", "value": _levels_from(code, upward=True)})
    program = PROGRAM_RE.search(text)
    if program:
        names = [PROGRAM_LEVEL_RE.sub("", n) or n for n in program.group(1).split("、")]
        used.append(program.group(0))
        words.append(program.group(0))
        where.append(
            {"fact": "talent_program", "op": "contains_any", "value": list(dict.fromkeys(names))}
            if len(set(names)) > 1
            else {"fact": "talent_program", "op": "contains", "value": names[0]}
        )
    assessment = ASSESSMENT_RE.search(text)
    if assessment and where:  # an assessment of the persons named, not of the enterprise
        used.append(assessment.group(0))
        words.append(assessment.group(0))
        where.append({"fact": "assessment", "op": "==", "value": assessment.group(1)})
    certificate = CERTIFICATE_RE.search(text)
    if certificate and where:
        used.append(certificate.group(0))
        words.append(certificate.group(0))
        where.append({"fact": "certificate", "op": "contains", "value": certificate.group(1)})
    settled = SETTLED_RE.search(text)
    if settled and (where or settled.group(1)):
        used.append(settled.group(0))
        words.append(settled.group(0))
        if settled.group(1):
            where.append({"fact": "role", "op": "==", "value": settled.group(1)})
        where.append({"fact": "settled", "op": "==", "value": True})
    if not where:
        return None
    return used, [{"has": "persons", "where": all_of(*where), "label": "人员：" + "，".join(words)}]


# Institutions and licences held, read as recognitions (认定、资质)
INSTITUTIONS = (
    "辅助性就业机构",
    "就业帮扶车间",
    "残疾人就业基地",
    "盲人按摩机构",
    "博士后科研工作站",
    "博士后创新实践基地",
    "医疗机构执业许可证",
)
INSTITUTION_RE = re.compile(
    r"(?:“[^”]{1,10}”等)?(?:(新设立的|经批准新建的)?(省|国家)?)(" + "|".join(INSTITUTIONS) + r")(?:（基地）)?"
)


def _institution(text: str) -> Recognised:
    """The institution an item is for, or a licence it holds ("就业帮扶车间和农村残疾人就业基地" is either)."""
    if re.search(r"申请设立", text):
        return None  # applying for it: a qualification item, whose conditions follow in the text
    found = list(INSTITUTION_RE.finditer(text))
    if not found:
        return None
    names = list(dict.fromkeys(m.group(3) for m in found))
    if "博士后科研工作站" in names and "（基地）" in text and "博士后创新实践基地" not in names:
        names.append("博士后创新实践基地")  # “工作站（基地）”: the station or the 基地
    licences = [n for n in names if n.endswith("许可证")]
    kinds = [n for n in names if n not in licences]
    parts = []
    if kinds:
        where: list[dict] = [
            {"fact": "name", "op": "contains_any", "value": kinds}
            if len(kinds) > 1
            else {"fact": "name", "op": "contains", "value": kinds[0]}
        ]
        first = found[0]
        if first.group(2) and len(kinds) == 1:
            where.append({"fact": "level", "op": "==", "value": _level_code(first.group(2))})
        if first.group(1):
            where.append({"fact": "first_time", "op": "==", "value": True})
        parts.append({"has": "recognitions", "where": all_of(*where), "label": "或".join(kinds)})
    for licence in licences:
        parts.append(
            {
                "has": "recognitions",
                "where": {"fact": "name", "op": "contains", "value": licence},
                "label": f"取得{licence}",
            }
        )
    used = [m.group(0) for m in found] + [f"取得{n}" for n in licences]
    return used, parts


# "符合《X》相关规定", "符合…相关减免政策", "符合…要求": the applicant meets a named document's requirements
# (what it is that complies, "电子档案符合…", and the beneficiary the document defines, "…的被诊断企业",
# are part of the phrase)
COMPLIES_RE = re.compile(
    r"((?:[^，,、]{0,6}?(?:档案|材料|资料|产品|设施|建筑|工程))?)符合"
    r"(?:《([^》]{2,60})》(?:等)?(?:相关|有关)?(?:规定|要求|条件|标准|规范)?"
    r"|([^，,《》]{2,30}?(?:相关|有关)?(?:减免)?(?:政策|要求|标准|规范)))"
    r"(?:的(?:被[^，,的]{1,6}?)?(?:企业|单位|机构))?"
)


def _complies_with(text: str) -> Recognised:
    """A named document, standard or policy whose requirements the applicant meets (``complies_with``)."""
    found = [m for m in COMPLIES_RE.finditer(text) if m.group(2) or m.group(3)]
    if not found:
        return None
    parts = []
    for m in found:
        name = m.group(2) or m.group(3)
        label = re.sub(r"的(?:被[^，,的]{1,6}?)?(?:企业|单位|机构)$", "", m.group(0))
        parts.append({"fact": "complies_with", "op": "contains", "value": name, "label": label})
    return [m.group(0) for m in found], parts


EXHIBITION_RE = re.compile(
    r"参加((?:重点|国际|境外|国内|境内){0,3})[^，,]{0,8}?(?:展会|展览会|博览会|交易会|展销会)"
)


def _exhibition(text: str) -> Recognised:
    """Taking part in an exhibition ("参加重点国际展会"): key (重点) and international (国际、境外) or not."""
    m = EXHIBITION_RE.search(text)
    if not m:
        return None
    where: list[dict] = []
    words = m.group(1)
    if "重点" in words:
        where.append({"fact": "key", "op": "==", "value": True})
    if re.search("国际|境外", words):
        where.append({"fact": "international", "op": "==", "value": True})
    elif re.search("国内|境内", words):
        where.append({"fact": "international", "op": "==", "value": False})
    condition = {"has": "exhibitions", "where": all_of(*where) if where else True, "label": m.group(0)}
    return [m.group(0)], [condition]


INSURED_RE = re.compile(
    r"(首版次|首台（套）|首台套|首批次)([^，,投]{0,8}?)投保"
    r"([^，,、和及]{2,12}?险(?:(?:、|和|及)[^，,、和及]{2,12}?险)*)"
)


# insurance of another kind ("投保短期出口信用保险")
INSURANCE_KIND_RE = re.compile(r"投保([^，,、和及的]{2,12}?(?:保险|险))")


def _insured(text: str) -> Recognised:
    """Insurance bought for a first-version product ("首版次产品投保质量保证保险、产品责任保险和产品综合险"),
    or insurance of a kind ("投保短期出口信用保险")."""
    m = INSURED_RE.search(text)
    if not m:
        other = INSURANCE_KIND_RE.search(text)
        if not other:
            return None
        where = {"fact": "kind", "op": "contains", "value": other.group(1)}
        return [other.group(0)], [{"has": "insurance", "where": where, "label": other.group(0)}]
    product = m.group(1) + ("" if m.group(2) in ("", "产品") else m.group(2))
    kinds = list(dict.fromkeys(re.split(r"、|和|及", m.group(3))))
    kind = (
        {"fact": "kind", "op": "contains_any", "value": kinds}
        if len(kinds) > 1
        else {"fact": "kind", "op": "contains", "value": kinds[0]}
    )
    where = all_of({"fact": "product", "op": "contains", "value": product}, kind)
    return [m.group(0)], [{"has": "insurance", "where": where, "label": m.group(0)}]


PREMISES_USES = r"(?:办公|研发|生产经营|生产|仓储|经营)"
PREMISES_RE = re.compile(
    r"(租赁|租用|购置|自建)(自用)?(" + PREMISES_USES + r"(?:(?:、|及|和)" + PREMISES_USES + r")*)"
    r"(?:场地|用房|厂房|场所)"
)


def _premises(text: str) -> Recognised:
    """Premises leased or owned for a use ("租赁自用办公、研发及生产经营场地")."""
    m = PREMISES_RE.search(text)
    if not m:
        return None
    uses = list(dict.fromkeys(re.split(r"、|及|和", m.group(3))))
    where: list[dict] = [
        {"fact": "tenure", "op": "==", "value": "leased" if m.group(1) in ("租赁", "租用") else "owned"}
    ]
    if m.group(2):
        where.append({"fact": "self_use", "op": "==", "value": True})
    where.append(
        {"fact": "use", "op": "contains_any", "value": uses}
        if len(uses) > 1
        else {"fact": "use", "op": "contains", "value": uses[0]}
    )
    return [m.group(0)], [{"has": "premises", "where": all_of(*where), "label": m.group(0)}]


PARK_RE = re.compile(r"入驻[^，,入]{0,8}?(?:产业园区|工业园区|产业园|园区)")


def _park(text: str) -> Recognised:
    """Located in an industrial park ("入驻产业园区")."""
    m = PARK_RE.search(text)
    if not m:
        return None
    return [m.group(0)], [{"fact": "in_industrial_park", "op": "==", "value": True, "label": m.group(0)}]


# What an applicant does: "从事科学研究和技术开发的事业单位", "校车服务提供者"
ENGAGED_RE = re.compile(r"从事([^，,]{2,24}?)的(企业|事业单位|社会组织|单位|机构)")
PROVIDER_RE = re.compile(r"([^，,、的]{2,10}?服务)(?:提供者|提供商|提供单位|经营者)")
ENTITY_WORDS = {"企业": "企业", "事业单位": "事业单位", "社会组织": "社会组织"}


def _engaged(m: re.Match) -> dict:
    """The condition of an ENGAGED_RE match: the activities, and the kind of body when it is named."""
    activities = [a for a in re.split(r"和|或|及|、", m.group(1).replace("的", "")) if a]
    where: list[dict] = []
    if m.group(2) in ENTITY_WORDS:
        where.append({"fact": "entity_type", "op": "==", "value": ENTITY_WORDS[m.group(2)]})
    where.append(
        {"fact": "activities", "op": "contains_any", "value": activities}
        if len(activities) > 1
        else {"fact": "activities", "op": "contains", "value": activities[0]}
    )
    return {**where[0], "label": m.group(0)} if len(where) == 1 else {"all": where, "label": m.group(0)}


def _activities(text: str) -> Recognised:
    """What the applicant does (``activities``), and whether it is an enterprise or a 事业单位."""
    if APPLY_RE.search(text):
        return None  # the applicants of a qualification: read by _applicants
    found = list(ENGAGED_RE.finditer(text))
    provider = PROVIDER_RE.search(text)
    if not found and not provider:
        return None
    parts = [_engaged(m) for m in found]
    used = [m.group(0) for m in found]
    if provider:
        used.append(provider.group(0))
        parts.append(
            {"fact": "activities", "op": "contains", "value": provider.group(1), "label": provider.group(0)}
        )
    return used, parts


# The applicants of a qualification, a list of alternatives before "申请设立…":
# "企业和从事…的事业单位及省级以上高新技术开发区、经济技术开发区、留学人员创业园区申请设立…"
APPLY_RE = re.compile(r"申请(?:设立|认定|成为|评定)")
PARK_KIND = r"[^，,、或和及]{2,12}?(?:开发区|园区|高新区)"
PARKS_RE = re.compile(
    r"(国家级|省级|市级|县级)(?:及)?(以上)?(" + PARK_KIND + r"(?:(?:、|或|和|及)" + PARK_KIND + r")*)"
)


def _applicants(text: str) -> Recognised:
    """Who may apply for a qualification, when the text lists two or more kinds of body: any of them."""
    apply = APPLY_RE.search(text)
    if not apply:
        return None
    head = SCOPE_RE.sub(lambda m: "，" * len(m.group(0)), text[: apply.start()])
    options: list[tuple[int, dict]] = []  # (where it is named, the condition)
    used: list[str] = []
    rest = head
    for m in PARKS_RE.finditer(head):
        parks = re.split(r"、|或|和|及", m.group(3))
        level = _level_code(m.group(1))
        assert level is not None
        name = (
            {"fact": "name", "op": "contains_any", "value": parks}
            if len(parks) > 1
            else {"fact": "name", "op": "contains", "value": parks[0]}
        )
        levels = _levels_from(level, upward=bool(m.group(2)))
        where = all_of(name, {"fact": "level", "op": "in", "value": levels})
        park = {
            "all": [
                {"fact": "entity_type", "op": "==", "value": "园区"},
                {"has": "recognitions", "where": where},
            ],
            "label": m.group(0),
        }
        options.append((m.start(), park))
        used.append(m.group(0))
        rest = rest[: m.start()] + "，" * len(m.group(0)) + rest[m.end() :]
    for m in ENGAGED_RE.finditer(rest):
        options.append((m.start(), _engaged(m)))
        used.append(m.group(0))
        rest = rest[: m.start()] + "，" * len(m.group(0)) + rest[m.end() :]
    for word, code in ENTITY_WORDS.items():
        for m in re.finditer(rf"(?:^|(?<=[，,、和及或])){word}(?=$|[，,、和及或])", rest):
            options.append((m.start(), {"fact": "entity_type", "op": "==", "value": code, "label": word}))
            used.append(word)
            rest = rest[: m.start()] + "，" * len(word) + rest[m.end() :]
    if len(options) < 2 or re.sub(r"[，,、和及或的\s]", "", rest):
        return None  # not a plain list of kinds of applicant
    return used, [{"any": [o for _, o in sorted(options, key=lambda o: o[0])], "label": "申请主体为以下之一"}]


# What a project is and is not ("不涉及土地权属变化和用地性质变更的项目", "简易低风险项目",
# "实行…告知承诺制", "列入重点技术改造项目", "利用农用地布设的光伏方阵")
NOT_INVOLVING_RE = re.compile(r"不涉及([^，,的]{2,30})")
NOT_INVOLVING = {
    "土地权属": "changes_land_ownership",
    "用地性质": "changes_land_use",
    "主体结构": "changes_structure",
}
LOW_RISK_RE = re.compile(r"简易低风险(?:工程建设)?(?:项目)?")
COMMITMENT_RE = re.compile(r"实行[^，,]{0,10}?告知承诺制")
LISTED_RE = re.compile(
    r"(?:列入|被列为|列为|纳入)((?:省|市|县)?(?:级)?重点[^，,的]{0,10}?项目)(?:名单|清单|库)?"
)
LAND_RE = re.compile(
    r"利用(农用地|未利用地|存量建设用地|集体经营性建设用地)(?:布设|建设|实施)的([^，,的]{2,10})"
)


def _project_traits(text: str) -> Recognised:
    """What a project involves, its category, the lists it is on and the land it uses."""
    where: list[dict] = []
    used: list[str] = []
    m = NOT_INVOLVING_RE.search(text)
    if m:
        changes = [field for word, field in NOT_INVOLVING.items() if word in m.group(1)]
        if changes:
            used.append(m.group(0))
            where.extend({"fact": field, "op": "==", "value": False} for field in changes)
    for regex, condition in (
        (LOW_RISK_RE, {"fact": "low_risk", "op": "==", "value": True}),
        (COMMITMENT_RE, {"fact": "commitment", "op": "==", "value": True}),
    ):
        m = regex.search(text)
        if m:
            used.append(m.group(0))
            where.append(condition)
    m = LISTED_RE.search(text)
    if m:
        used.append(m.group(0))
        where.append({"fact": "listed_in", "op": "contains", "value": m.group(1)})
    m = LAND_RE.search(text)
    if m:
        used.append(m.group(0))
        where.append({"fact": "land_type", "op": "==", "value": m.group(1)})
        where.append({"fact": "kind", "op": "contains", "value": m.group(2)})
    if not where:
        return None
    return used, [{"has": "projects", "where": all_of(*where), "label": "项目：" + "，".join(used)}]


def _one_project(parts: list[dict]) -> list[dict]:
    """Conditions on projects read by several recognisers are on one and the same project."""
    projects = [p for p in parts if p.get("has") == "projects"]
    if len(projects) < 2:
        return parts
    merged = {
        "has": "projects",
        "where": all_of(*(p["where"] for p in projects)),
        "label": "；".join(p["label"] for p in projects),
    }
    at = parts.index(projects[0])
    rest = [p for p in parts if p.get("has") != "projects"]
    return rest[:at] + [merged] + rest[at:]


# --- amounts, kinds of enterprise and what changed over a year ----------------------------------------


def _amount_re(noun: str, currency: str = "元") -> re.Pattern:
    """A threshold or a range on an amount named by ``noun``: "实缴注册资本1亿元（含）至5亿元",
    "进出口额首次突破一亿美元"; groups: first, word, number, unit, note, high, high unit, high note, bound."""
    return re.compile(
        rf"(?:{noun})(首次)?(超过|突破|达到|低于|不足|不超过|不低于|高于|在)?({NUM})(亿|万)?{currency}"
        rf"({_AMOUNT_NOTE})?(?:(?:至|到|-|—|～|~)({NUM})(亿|万)?{currency}({_AMOUNT_NOTE})?)?(以上|以下)?"
    )


def _amount_parts(m: re.Match, fact: str, noun: str, *, by_year: bool) -> list[dict]:
    """Comparisons on an amount from an ``_amount_re`` match; a by-year fact is last year's, and "首次突破"
    adds that the year before was below (the same reading as the revenue thresholds)."""
    first, word, number, unit, note, high, high_unit, high_note, bound = m.groups()
    low = int(parse_number(number) * _UNITS[unit or ""])
    path = f"{fact}.last_year" if by_year else fact
    label = m.group(0).removeprefix("年度")
    if high:  # a range: the lower end is included, the upper one only when marked （含）
        top = int(parse_number(high) * _UNITS[high_unit or ""])
        return [
            {"fact": path, "op": ">=", "value": low, "label": label},
            {"fact": path, "op": "<=" if high_note else "<", "value": top, "label": label},
        ]
    parts = [{"fact": path, "op": _threshold_op(word, bool(note), bound), "value": low, "label": label}]
    if by_year and first and word in ("突破", "达到", "超过"):
        parts.append(
            {
                "fact": f"{fact}.year_before_last",
                "op": "<",
                "value": low,
                "label": f"此前年度{noun}未达到该标准（首次{word}）",
            }
        )
    return parts


# amounts other than revenue: (pattern, fact, how it is named, whether the fact is by year)
AMOUNTS = (
    (_amount_re(r"实缴注册资本"), "paid_in_capital", "实缴注册资本", False),
    (_amount_re(r"(?<!实缴)注册资本"), "registered_capital", "注册资本", False),
    (_amount_re(r"(?:年度)?进出口(?:总)?额", "美元"), "import_export_usd", "进出口额", True),
)


def _amounts(text: str) -> Recognised:
    """Thresholds and ranges on other amounts: 实缴注册资本, 注册资本, 进出口额 (in US dollars)."""
    used: list[str] = []
    parts: list[dict] = []
    for regex, fact, noun, by_year in AMOUNTS:
        m = regex.search(text)
        if m and (m.group(2) or m.group(6) or m.group(9)):
            used.append(m.group(0))
            parts.extend(_amount_parts(m, fact, noun, by_year=by_year))
    return (used, parts) if parts else None


# "研发投入较上年增长": last year's figure above the year before's
YEAR_ON_YEAR_RE = re.compile(
    r"(研发投入|研发费用|研发经费(?:投入)?|营业收入|主营业务收入|纳税|税收)(?:额)?较上(?:一)?年(?:度)?(?:有所)?增长"
)
YEAR_ON_YEAR_FACTS = {
    "研发": "rd_expense",
    "营业": "revenue",
    "主营": "revenue",
    "纳税": "tax_paid",
    "税收": "tax_paid",
}


def _year_on_year(text: str) -> Recognised:
    """A by-year amount that grew over the year before ("企业研发投入较上年增长")."""
    m = YEAR_ON_YEAR_RE.search(text)
    if not m:
        return None
    fact = YEAR_ON_YEAR_FACTS[m.group(1)[:2]]
    condition = {
        "fact": f"{fact}.last_year",
        "op": ">",
        "value": {"fact": f"{fact}.year_before_last"},
        "label": f"上一年度{m.group(1)}高于前一年度",
    }
    return [m.group(0)], [condition]


# "规模以上工业企业", "规上工业企业", "限额以上批发零售业企业": the sectors of the statistics it is counted in
ABOVE_SCALE_RE = re.compile(
    r"(?:规模以上|规上|限额以上|限上)(工业|服务业|批发零售业|批发业|零售业|住宿餐饮业|住宿业|餐饮业|商贸)?(?:企业)?"
)
ABOVE_SCALE_SECTORS = {
    "批发零售业": ["批发业", "零售业"],
    "住宿餐饮业": ["住宿业", "餐饮业"],
    "商贸": ["批发业", "零售业", "住宿业", "餐饮业"],
}
ABOVE_SCALE_ALL = ["工业", "服务业", "批发业", "零售业", "住宿业", "餐饮业"]


def _above_scale(text: str) -> Recognised:
    """Counted by the statistics as an enterprise above the size (规模以上) of its sector."""
    m = ABOVE_SCALE_RE.search(text)
    if not m or not re.match(r"(?:规模以上|规上|限额以上|限上)(?:[^，,]{0,5}?)企业", text[m.start() :]):
        return None  # "规模以上工业营业收入达到…": a target, not an enterprise
    sector = m.group(1)
    sectors = ABOVE_SCALE_SECTORS.get(sector, [sector]) if sector else ABOVE_SCALE_ALL
    condition = (
        {"fact": "above_scale", "op": "contains", "value": sectors[0], "label": m.group(0)}
        if len(sectors) == 1
        else {"fact": "above_scale", "op": "contains_any", "value": sectors, "label": m.group(0)}
    )
    return [m.group(0)], [condition]


# "新引进的总部企业", "新落户的企业": an enterprise newly brought to the area (persons: ``new_hire``)
INTRODUCED_RE = re.compile(
    r"新(?:引进|落户|迁入)(?:的)?(?=[^，,的]{0,10}?(?:企业|公司|机构)(?![^，,]{0,4}(?:新|的)))"
)


def _introduced(text: str) -> Recognised:
    """An enterprise newly introduced (``newly_introduced``): "新引进的总部企业"."""
    m = INTRODUCED_RE.search(text)
    if not m:
        return None
    label = m.group(0).removesuffix("的") + "企业"
    return [m.group(0)], [{"fact": "newly_introduced", "op": "==", "value": True, "label": label}]


LEGAL_PERSON_RE = re.compile(r"(?:具有|具备)独立(?:企业)?法人资格")


def _legal_person(text: str) -> Recognised:
    """Having the status of an independent legal person ("具有独立法人资格")."""
    m = LEGAL_PERSON_RE.search(text)
    if not m:
        return None
    return [m.group(0)], [{"fact": "legal_person", "op": "==", "value": True, "label": m.group(0)}]


# "首次进入中国企业500强、中国民营企业500强": ranked on a list, read as recognitions
RANKING_RE = re.compile(
    r"(首次)?(?:进入|入围|荣登|入选)((?:[^，,、]{2,20}?(?:\d+强|榜单|排行榜))(?:、[^，,、]{2,20}?(?:\d+强|榜单|排行榜))*)"
)


def _ranking(text: str) -> Recognised:
    """A place on a ranking ("进入中国企业500强"), any of those named, first time or not."""
    m = RANKING_RE.search(text)
    if not m:
        return None
    names = list(dict.fromkeys(m.group(2).split("、")))
    where: list[dict] = [
        {"fact": "name", "op": "contains_any", "value": names}
        if len(names) > 1
        else {"fact": "name", "op": "contains", "value": names[0]}
    ]
    if m.group(1):
        where.append({"fact": "first_time", "op": "==", "value": True})
    return [m.group(0)], [{"has": "recognitions", "where": all_of(*where), "label": m.group(0)}]


# Recognitions named as the kind of enterprise, without a verb: "专精特新企业", "高新技术企业",
# "科技型中小企业", "总部企业" (the name the recognition's ``name`` contains)
NAMED_RECOGNITIONS = (
    "专精特新“小巨人”",
    "专精特新",
    "高新技术",
    "科技型中小",
    "瞪羚",
    "独角兽",
    "单项冠军",
    "总部",
    "外贸综合服务",
    "技术先进型服务",
    "农业产业化龙头",
)
NAMED_RECOGNITION_RE = re.compile(
    r"(?<!服务)(?<!培育)(?<!为)(国家级|省级|市级)?("
    + "|".join(re.escape(n) for n in NAMED_RECOGNITIONS)
    + r")(?:示范)?(?:中小)?企业"
)


def _named_recognition(text: str) -> Recognised:
    """A recognition named as the kind of enterprise ("…的专精特新企业"); read on the text whose other
    recognitions are blanked out, so "认定为专精特新…企业" is not read twice."""
    found = list(NAMED_RECOGNITION_RE.finditer(text))
    if not found:
        return None
    parts = []
    for m in dict((m.group(2), m) for m in found).values():
        where: list[dict] = [{"fact": "name", "op": "contains", "value": m.group(2)}]
        if m.group(1):
            where.append({"fact": "level", "op": "==", "value": _level_code(m.group(1))})
        parts.append({"has": "recognitions", "where": all_of(*where), "label": m.group(0)})
    return [m.group(0) for m in found], parts


# "小微企业", "中小微企业": the size of the enterprise (``scale``)
SCALE_RE = re.compile(r"(?<![型特新])(中小微|小微|小型微型)企业")
SCALE_WORDS = {"中小微": ["中型", "小型", "微型"], "小微": ["小型", "微型"], "小型微型": ["小型", "微型"]}


def _scale(text: str) -> Recognised:
    """The size of the enterprise, when the text names it ("小微企业投保…")."""
    m = SCALE_RE.search(text)
    if not m:
        return None
    return [m.group(0)], [
        {"fact": "scale", "op": "in", "value": SCALE_WORDS[m.group(1)], "label": m.group(0)}
    ]


def _blank(text: str, used: list[str]) -> str:
    """``text`` with the phrases already read blanked out (same length), for the recognisers that must
    not read them again."""
    for phrase in sorted(set(used), key=len, reverse=True):
        if phrase:
            text = text.replace(phrase, "□" * len(phrase))
    return text


# Thresholds and grades first; a recognition is read only when none of them is there.
RECOGNISERS = (
    _revenue,
    _amounts,
    _year_on_year,
    _project,
    _growth,
    _mu_chan_grade,
    _standard,
    _env_grade,
    _graded_recognition,
)
# Who the item is for and what it has done: read besides the thresholds and the recognition.
SUBJECTS = (
    _industry,
    _persons,
    _institution,
    _complies_with,
    _exhibition,
    _insured,
    _premises,
    _park,
    _activities,
    _applicants,
    _project_traits,
    _above_scale,
    _introduced,
    _legal_person,
    _ranking,
)
# Read last, on the text with what was read blanked out: a recognition named as the kind of enterprise
# ("专精特新企业", beside a revenue threshold or a project) and its size ("小微企业", not "创办小微企业")
NAMED = (_named_recognition, _scale)

# How, when or where the benefit is given, not who gets it (dropped before looking for what is left)
SCOPE_RE = re.compile(
    r"(?:按规定|按有关规定)?通过现有资金渠道|按(?:有关)?规定|由所在县（市、区）结合实际|利用[^，,]{0,12}专项资金"
    r"|在省补贴基础上|按在站（基地）从事科研实际工作月数|在重污染天气应急期间|增加建筑面积部分"
    r"|在不违反[^，,]{0,20}的前提下|在不低于土地成本的前提下|进站（基地）报到后|在站期间|在招收博士后人员进站后"
    r"|进站（基地）|新入站（基地）|新入站|可(?:以)?(?:按照|按|凭)[^，,]*|并?按照[^，,]*(?:规定|政策)"
    # the issuing city's own area, which every item of its documents assumes
    r"|在聊注册成立的|留在聊城行政区域内|我市区域内的|我市|本地|市内|留（来）聊工作|留（来）鲁工作"
    r"|在本市(?:注册|登记)(?:成立)?(?:的)?"
    # what the benefit counts by ("每服务一家本地中小企业") and how long it lasts ("三年内每年")
    r"|每(?:服务|带动|吸纳|招用|培训)[一\d][^，,]*"
    r"|(?:^|(?<=[，,]))[一二三四五\d]年内(?:每年)?(?=[，,]|$)"
    # anyone: no restriction at all
    r"|公民、法人(?:和|或)其他组织|任何单位和个人"
    # how one applies: the papers shown ("持介绍信、身份证等合法证明"), what may stand in for them
    r"|持[^，,]{0,30}(?:证明|证件|介绍信|身份证)|可(?:以)?用[^，,]{0,30}作为[^，,]*"
    # what the money pays for ("…产生的展位费、…等"), not who gets it
    r"|产生的[^，,]{0,60}费[^，,]{0,30}"
    # the status applied for or selected is the item itself ("申请设立博士后科研工作站", "每两年评选一次…")
    r"|申请(?:设立|认定|成为|评定)[^，,]*|每[^，,]{0,3}评选(?:认定)?一次[^，,]*"
    # the subject of a recognition that follows ("…申报的科研成果，获得…基金")
    r"|申报的(?:科研)?(?:成果|项目)(?=[，,]?(?:获得|入选|获评|被评为))"
    # what a right changes, not who gets it: "…项目的容积率、建筑高度等指标", "…的用地，容积率可提升至…"
    r"|(?<=的)(?:容积率|建筑高度|建筑密度|绿地率|用地|土地|年龄|间距)(?:、[^，,的]{1,8}?)*(?:等指标)?(?=[，,]|$)"
    r"|(?:^|(?<=[，,]))(?:容积率|建筑高度|建筑密度|绿地率|年龄|土地|新增建筑面积)(?:、[^，,的]{1,8}?)*(?:等指标)?(?=[，,]|$)"
)
# A government body's duty, stated before a benefit: not a condition on the applicant
DUTY_RE = re.compile(
    r"应当|应优先|制定并落实|纳入服务范围|提供合理便利|合理确定|予以政策倾斜|鼓励、支持|^鼓励"
)
# A work statement: what the government will do (加大…力度, 依托…平台, 瞄准…领域, 严格执行《…》, 将…纳入),
# told in the words of a plan, not a restriction on who gets the benefit; a restriction ends in 的.
WORK_RE = re.compile(
    r"^(?:加大|依托|拓宽|瞄准|着力|重点引进|鼓励引进|大力|不断|切实|严格执行|认真执行|贯彻落实|用足用好"
    r"|将[^，,]{1,40}纳入)"
)
# Before the segment next to the benefit, "支持…", "引导…" state a policy, not a beneficiary
POLICY_RE = re.compile(r"^(?:支持|引导)(?!的)")
# When or by whom the benefit is given: "新增建设…时", "有条件的地方"
CIRCUMSTANCE_RE = re.compile(r"时$|^有条件的(?:地方|地区|县（市、区）|县市区)$")
# A provision of its own inside the condition text ("…符合…标准的可按…管理"): its condition and effect
OWN_PROVISION_RE = re.compile(r"的(?:可以|可)")


def about_something_else(segment: str) -> bool:
    """Whether a comma segment is about something else than who gets this benefit: a circumstance
    ("新增建设…时", "有条件的地方") or a provision with its own effect ("…符合…标准的可按…管理"). Unlike
    a duty or a work statement, which may name the beneficiary, nothing in it is read as a condition.

    Examples:
        >>> about_something_else("新建厂房时"), about_something_else("场内道路符合标准的可按道路管理")
        (True, True)
        >>> about_something_else("符合条件的企业")
        False
    """
    s = segment.strip()
    return bool(CIRCUMSTANCE_RE.search(s) or OWN_PROVISION_RE.search(s.removesuffix("的")))


def is_restriction(segment: str, last: bool) -> bool:
    """Whether a comma segment of a condition text restricts who gets the benefit.

    A restriction names the beneficiary or what it must be or have done: "对…的", "符合…的",
    "…的，给予"; the segment next to the benefit (``last``) has had its "的" taken off. Not restrictions:
    a work statement of the government (a plan's verb, not ending in 的), a circumstance ("…时",
    "有条件的地方") and a provision with its own effect ("…的可按…管理").

    Examples:
        >>> is_restriction("加大项目培育力度", last=True), is_restriction("依托一站式服务平台", last=False)
        (False, False)
        >>> is_restriction("支持残疾人开办按摩所", last=False), is_restriction("新建厂房时", last=False)
        (False, False)
        >>> is_restriction("主营业务收入超过1亿元的", last=False), is_restriction("符合条件的企业", last=True)
        (True, True)
    """
    s = segment.strip()
    if s.endswith("的") and not OWN_PROVISION_RE.search(s[:-1]):
        return True
    if WORK_RE.search(s) or CIRCUMSTANCE_RE.search(s) or OWN_PROVISION_RE.search(s):
        return False
    return last or not POLICY_RE.search(s)


def claim_id(phrase: str) -> str:
    """The stable id of a claim: a digest of the phrase, normalised (NFKC, no spaces or quotation marks).

    Examples:
        >>> claim_id("产品具有自主知识产权") == claim_id(" 产品具有“自主知识产权” ")
        True
        >>> claim_id("产品具有自主知识产权")
        'q427f5d72ed'
    """
    norm = unicodedata.normalize("NFKC", phrase)
    norm = re.sub(r"[\s“”\"'‘’「」]+", "", to_ascii_digits(norm)).strip("的，,、")
    return "q" + hashlib.sha1(norm.encode()).hexdigest()[:10]


PERSONAL_RE = re.compile(r"残疾人|博士|人员|人才|子女|公民|本人|个人|创业者|毕业生")
# the head noun a phrase ends in: a body (asked of 贵单位) or a person (asked of 申请人)
ORG_HEAD_RE = re.compile(
    r"(?:企业|单位|公司|机构|组织|基地|车间|园区|项目|平台|中心|工作站|家园|仓|公园|场所|协会|商户)$"
)
PERSON_HEAD_RE = re.compile(r"(?:人员|人才|博士后?|残疾人|毕业生|者|人|子女|配偶|职工|市民|学生|专家)$")
# what the applicant does or has done, when the phrase starts with it: asked as "是否…"
ACT_RE = re.compile(
    r"^(?:首次)?(?:通过|取得|达到|参加|具备|具有|拥有|租赁|租用|购置|购买|入驻|实行|获得|持有|签订|自愿|确有|"
    r"申请|申领|开展|从事|投保|进口|出口|创办|承担|建成|按期|新设立|设立|招用|吸纳|安置|聘用|引进|使用|采用|"
    r"实施|参与|主导|牵头|新建|在本市)"
)
# a subject before the act, which the question's 贵单位 or 申请人 replaces: "企业开展以工代训"
SUBJECT_RE = re.compile(
    r"^(?:[^，,的]{0,6}?企业|单位|用人单位|申请人|个人)(?=" + ACT_RE.pattern.removeprefix("^") + ")"
)


def claim_question(phrase: str) -> str:
    """The question put to the applicant about a claim, worded by the phrase's grammar: a noun phrase is
    asked with 是否属于, a phrase that starts with what the applicant does with 是否 (its subject
    replaced by the one asked), "符合…" with 是否符合 (not twice), and a statement with its own subject
    with 是否符合：…. A phrase about persons is asked of 申请人, one about a body of 贵单位.

    Examples:
        >>> claim_question("符合条件的残疾人"), claim_question("符合条件的示范基地")
        ('申请人是否属于符合条件的残疾人？', '贵单位是否属于符合条件的示范基地？')
        >>> claim_question("符合本市产业发展方向"), claim_question("拥有自主品牌的企业")
        ('贵单位是否符合本市产业发展方向？', '贵单位是否拥有自主品牌？')
        >>> claim_question("企业开展岗前实训"), claim_question("制造企业新建仓库")
        ('贵单位是否开展岗前实训？', '贵单位是否新建仓库？')
        >>> claim_question("产品具有自主知识产权"), claim_question("评审得分排名靠前")
        ('贵单位是否符合：产品具有自主知识产权？', '贵单位是否符合：评审得分排名靠前？')
        >>> claim_question("成果突出的青年博士"), claim_question("带动残疾人就业的示范基地")
        ('申请人是否属于成果突出的青年博士？', '贵单位是否属于带动残疾人就业的示范基地？')
    """
    p = phrase.strip("，,、的 ")
    generic = re.sub(r"的(?:企业|单位)$", "", p)  # "…的企业" is asked of 贵单位 itself
    if generic != p and not generic.startswith("符合条件"):
        return claim_question(generic)
    if PERSON_HEAD_RE.search(p):
        who = "申请人"
    elif ORG_HEAD_RE.search(p):
        who = "贵单位"
    else:
        who = "申请人" if PERSONAL_RE.search(p) else "贵单位"
    if p.startswith("符合条件") or ORG_HEAD_RE.search(p) or PERSON_HEAD_RE.search(p):
        return f"{who}是否属于{p}？"
    if p.startswith("符合"):
        return f"{who}是否{p}？"
    act = SUBJECT_RE.sub("", p)
    if "的" in act:  # what is done describes a thing ("申请办理的许可事项"): a noun phrase
        return f"{who}是否属于{p}？"
    if ACT_RE.search(act):
        return f"{who}是否{act}？"
    return f"{who}是否符合：{p}？"


def claim_for(phrase: str) -> dict:
    """A condition the applicant confirms: ``claims.<id>`` == true, labelled with the phrase, with a
    question (``claim_question``).

    Examples:
        >>> claim_for("产品具有自主知识产权")["question"]
        '贵单位是否符合：产品具有自主知识产权？'
        >>> claim_for("特别优秀的博士")["question"]
        '申请人是否属于特别优秀的博士？'
    """
    phrase = phrase.strip("，,、的 ")
    return {
        "fact": f"claims.{claim_id(phrase)}",
        "op": "==",
        "value": True,
        "label": phrase,
        "question": claim_question(phrase),
    }


def _modifies_what_was_read(segment: str, mask: list[bool]) -> bool:
    """Whether what is left of a segment describes the head noun that was read, which ends it ("特别优秀的
    博士", "符合条件的残疾人"): then the claim is asked with that head, since the rest reads as nothing.

    Examples:
        >>> _modifies_what_was_read("业绩突出的博士", [False] * 5 + [True] * 2)
        True
        >>> _modifies_what_was_read("拥有自主品牌的企业", [False] * 9)
        False
        >>> _modifies_what_was_read("业绩突出、考核优秀的博士", [False] * 5 + [True] * 4 + [False] + [True] * 2)
        False
    """
    left = [i for i, c in enumerate(segment) if not mask[i] and c not in "的，,、 "]
    if not left or left[-1] == len(segment) - 1:
        return False
    after = range(left[-1] + 1, len(segment))  # "的" and what was read (the head, a scope phrase)
    nxt = after[0]
    return (
        (segment[nxt] == "的" or mask[nxt])
        and any(mask[i] for i in after)
        and all(mask[i] or segment[i] == "的" for i in after)
    )


def _claims(text: str, used: list[str]) -> list[dict]:
    """What is left of ``text`` once the recognised phrases, the scope and the duties are removed: one
    claim per comma-separated phrase, labelled with what is left of it; a short modifier of what was read
    ("符合条件的残疾人", "特别优秀的博士") is asked with the phrase it modifies."""
    mask = [False] * len(text)
    for found in used:
        for m in re.finditer(re.escape(found), text):
            mask[m.start() : m.end()] = [True] * len(found)
    for m in SCOPE_RE.finditer(text):
        mask[m.start() : m.end()] = [True] * (m.end() - m.start())
    claims = []
    for m in re.finditer(r"[^，,]+", text):
        segment = m.group(0)
        if DUTY_RE.search(segment) or not is_restriction(segment, last=m.end() == len(text)):
            continue
        rest = "".join("，" if mask[i] else text[i] for i in range(m.start(), m.end()))
        left = [p.strip("的、且及和对 ") for p in re.split(r"[，,]", SCOPE_RE.sub("，", rest))]
        left = [p for p in left if len(FILLER_RE.sub("", p)) > 2]
        if not left:
            continue
        phrase = "，".join(left)
        if len(left) == 1 and _modifies_what_was_read(segment, mask[m.start() : m.end()]):
            phrase = (SCOPE_RE.sub("", segment) or phrase).lstrip("且并及和对")
        claims.append(claim_for(re.sub("的的", "的", phrase)))
    return list({c["fact"]: c for c in claims}.values())


def conditions_for(condition: str) -> dict:
    """Translate the condition text into the rules language (see zhengcetong/match/LANGUAGE.md).

    What is recognised becomes typed facts (营业收入 thresholds, projects, recognitions, industries,
    persons …); the rest becomes claims the applicant confirms (``claims.q<id>``, with a question), so
    evaluation says "unknown" until they are confirmed. An empty text has no condition (``{}``).
    """
    text = re.sub(r"\s+", "", to_ascii_digits(condition))
    text = "，".join(p for p in re.split(r"[，,]", text) if p and not about_something_else(p))
    parts: list[dict] = []
    used: list[str] = []
    for recognise in RECOGNISERS:
        found = recognise(text)
        if found:
            used.extend(found[0])
            parts.extend(found[1])
    # a recognition of the enterprise, unless thresholds say more, or the selection is a person's
    found = None if parts or PROGRAM_RE.search(text) else (_level_recognition(text) or _recognition(text))
    if found:
        used.extend(found[0])
        parts.extend(found[1])
    for recognise in SUBJECTS:
        found = recognise(text)
        if found:
            used.extend(found[0])
            parts.extend(found[1])
    for recognise in NAMED:
        found = recognise(_blank(text, used))
        if found:
            used.extend(found[0])
            parts.extend(found[1])
    parts = _one_project(parts)
    parts.extend(_claims(text, used))
    return all_of(*parts) if parts else {}


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
