"""Item conditions and formulas in the rules language (zhengcetong/match/LANGUAGE.md).

What extraction recognises in a condition becomes typed facts of the profile vocabulary: last year's
revenue against a threshold or a range, a project of a kind with its 总投资 or 设备投资, growth above the
city average, a “亩产效益” grade or a 绩效分级, a standard led or joined, a recognition (认定, 资质, 平台)
with its level, grade and "first time", the industry, and the persons an item is for (role, degree,
全职, 自主创业, 劳动合同期限).

Some phrases of a condition text say how or where the benefit is given, not who gets it: the funding
channel ("通过现有资金渠道"), a government body's duty ("应当…", "制定并落实…"), the occasion
("在重污染天气应急期间"), or the issuing city's own area ("在聊注册成立的", "我市"), which every item of
the document assumes. They are dropped (``SCOPE_RE``, ``DUTY_RE``).

What is left becomes a *claim*: a yes/no fact ``claims.q<id>`` with the phrase as its label and a
question for the applicant (``claim_for``), so evaluation answers "unknown" until it is confirmed.
The id is derived from the normalised phrase, so the same phrase is the same claim in every item and
an applicant confirms it once. Staff replace a claim by a typed condition in review
(``zhengcetong.library.items.type_claim``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
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


PROJECT_KIND_RE = re.compile(r"(“零增地”)?(技术改造|改造|城市更新(?:区域内)?)项目")
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
        name = "城市更新" if kind.group(2).startswith("城市更新") else "技术改造"
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
        used.append(f"（{named}）")
    level = STANDARD_LEVEL_CODES.get(named)
    where = [{"fact": "role", "op": "==", "value": role}]
    if level:
        where.append({"fact": "level", "op": "==", "value": level})
    condition = {"has": "standards", "where": all_of(*where), "label": standard.group(0)}
    return used, [condition]


def _recognition(text: str) -> Recognised:
    recognition = RECOGNITION_RE.search(text)
    if not recognition:
        return None
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
}
INDUSTRY_RE = re.compile("(" + "|".join(INDUSTRY_NAMES) + ")(?:企业)?")


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
    r"(?!科研工作站|创新实践基地|科研项目基金|创新人才支持计划)|就业困难残疾人|盲人医疗按摩人员|"
    r"残疾人(?!就业基地|就业帮扶)|(?<!博士后)(?<!优秀的)博士(?!后))"
)
CONTRACT_RE = re.compile(r"签订(\d+)年以上劳动合同")


def _persons(text: str) -> Recognised:
    """The persons an item is for: a role (博士后, 出站博士后, 残疾人 …) or a degree (博士), with 全职,
    自主创业 and 劳动合同期限."""
    m = PERSON_ROLE_RE.search(text)
    if not m and not re.search(r"特别优秀的博士(?!后)", text):
        return None
    used = []
    if m:
        word = m.group(0)
        used.append(word)
    else:
        word = "博士"
    if "出站" in word:
        where = [{"fact": "role", "op": "==", "value": "出站博士后"}]
    elif "博士后" in word:
        where = [{"fact": "role", "op": "==", "value": "博士后"}]
    elif word.endswith("博士"):
        where = [{"fact": "degree", "op": "==", "value": "博士"}]
    else:
        where = [{"fact": "role", "op": "==", "value": word}]
    if "全职" in word:
        where.append({"fact": "full_time", "op": "==", "value": True})
    founder = re.search(r"自主创业|创业(?=博士后|的残疾人)", text)
    if founder:
        used.append(founder.group(0))
        where.append({"fact": "founder", "op": "==", "value": True})
    contract = CONTRACT_RE.search(text)
    if contract:
        used.append(contract.group(0))
        where.append({"fact": "contract_years", "op": ">=", "value": int(contract.group(1))})
    label = "人员：" + "，".join(w for w in [word, *(used[1:])])
    return used, [{"has": "persons", "where": all_of(*where), "label": label}]


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


# Thresholds and grades first; a recognition is read only when none of them is there.
RECOGNISERS = (_revenue, _project, _growth, _mu_chan_grade, _standard, _env_grade, _graded_recognition)
# Who the item is for: read besides the thresholds and the recognition.
SUBJECTS = (_industry, _persons, _institution)

# How, when or where the benefit is given, not who gets it (dropped before looking for what is left)
SCOPE_RE = re.compile(
    r"(?:按规定|按有关规定)?通过现有资金渠道|按(?:有关)?规定|由所在县（市、区）结合实际|利用[^，,]{0,12}专项资金"
    r"|在省补贴基础上|按在站（基地）从事科研实际工作月数|在重污染天气应急期间|增加建筑面积部分"
    r"|在不违反[^，,]{0,20}的前提下|在不低于土地成本的前提下|进站（基地）报到后|在站期间|在招收博士后人员进站后"
    r"|进站（基地）|新入站（基地）|新入站|可(?:以)?(?:按照|凭)[^，,]*|并?按照[^，,]*(?:规定|政策)"
    # the issuing city's own area, which every item of its documents assumes
    r"|在聊注册成立的|留在聊城行政区域内|我市区域内的|我市|本地|市内|留（来）聊工作|留（来）鲁工作"
)
# A government body's duty, stated before a benefit: not a condition on the applicant
DUTY_RE = re.compile(
    r"应当|应优先|制定并落实|纳入服务范围|提供合理便利|合理确定|予以政策倾斜|鼓励、支持|^鼓励"
)


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


PERSONAL_RE = re.compile(r"残疾人|博士|人员|人才|子女|公民|本人")
VERB_START_RE = re.compile(
    r"^(?:符合|通过|取得|达到|参加|具备|租赁|入驻|不涉及|实行|获得|属于|持|签订|自愿|确有|研究成果|经|随其|"
    r"其他|利用|场内|新增|有条件)"
)


def claim_for(phrase: str) -> dict:
    """A condition the applicant confirms: ``claims.<id>`` == true, labelled with the phrase, with a question.

    Examples:
        >>> claim_for("产品具有自主知识产权")["question"]
        '贵单位是否符合：产品具有自主知识产权？'
        >>> claim_for("特别优秀的博士")["question"]
        '申请人是否属于：特别优秀的博士？'
    """
    phrase = phrase.strip("，,、的 ")
    who = "申请人" if PERSONAL_RE.search(phrase) else "贵单位"
    how = (
        "符合"
        if VERB_START_RE.search(phrase) or not re.search(r"(?:企业|单位|项目|机构|人员|博士|者|人)$", phrase)
        else "属于"
    )
    return {
        "fact": f"claims.{claim_id(phrase)}",
        "op": "==",
        "value": True,
        "label": phrase,
        "question": f"{who}是否{how}：{phrase}？",
    }


def _claims(text: str, used: list[str]) -> list[dict]:
    """What is left of ``text`` once the recognised phrases, the scope and the duties are removed: one
    claim per comma-separated phrase (a short remainder, such as "符合条件", keeps its whole phrase)."""
    mask = [False] * len(text)
    for found in used:
        for m in re.finditer(re.escape(found), text):
            mask[m.start() : m.end()] = [True] * len(found)
    for m in SCOPE_RE.finditer(text):
        mask[m.start() : m.end()] = [True] * (m.end() - m.start())
    claims = []
    for m in re.finditer(r"[^，,]+", text):
        segment = m.group(0)
        if DUTY_RE.search(segment):
            continue
        rest = "".join("，" if mask[i] else text[i] for i in range(m.start(), m.end()))
        left = [p.strip("的、且及和 ") for p in re.split(r"[，,]", SCOPE_RE.sub("，", rest))]
        left = [p for p in left if len(FILLER_RE.sub("", p)) > 2]
        if not left:
            continue
        phrase = "，".join(left)
        if len(FILLER_RE.sub("", phrase)) <= 4:  # too short to read on its own: ask the whole phrase
            phrase = SCOPE_RE.sub("", segment) or phrase
        claims.append(claim_for(re.sub("的的", "的", phrase)))
    return list({c["fact"]: c for c in claims}.values())


def conditions_for(condition: str) -> dict:
    """Translate the condition text into the rules language (see zhengcetong/match/LANGUAGE.md).

    What is recognised becomes typed facts (营业收入 thresholds, projects, recognitions, industries,
    persons …); the rest becomes claims the applicant confirms (``claims.q<id>``, with a question), so
    evaluation says "unknown" until they are confirmed. An empty text has no condition (``{}``).
    """
    text = re.sub(r"\s+", "", to_ascii_digits(condition))
    parts: list[dict] = []
    used: list[str] = []
    for recognise in RECOGNISERS:
        found = recognise(text)
        if found:
            used.extend(found[0])
            parts.extend(found[1])
    found = None if parts else (_level_recognition(text) or _recognition(text))
    if found:
        used.extend(found[0])
        parts.extend(found[1])
    for recognise in SUBJECTS:
        found = recognise(text)
        if found:
            used.extend(found[0])
            parts.extend(found[1])
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
