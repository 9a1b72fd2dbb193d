"""Clauses -> policy items (政策事项) at the finest grain: one item per distinct benefit.

Within a clause's own text, every benefit verb ("给予", "分别给予", "予以资助") opens a benefit phrase and
the text before it (back to the previous phrase) is its condition. "分别给予A、B、C" is distributed over
the enumeration of the same length in the condition ("国家级、省级…", "10亿元、5亿元、2亿元"); a
rate ("按照…10%的比例") with a cap ("最高200万元") becomes a rate item; "其中…C类和D类…分别不超过8%和7%"
grades the rate; per-person-per-month amounts keep their month limit. Sentences that grant a right
without money ("豁免…", "可自主…", "免征…") become non-monetary items.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from zhengcetong.ingest.amounts import (
    MONEY_RE,
    PERCENT_RE,
    amounts,
    as_int_yuan,
    money,
    number,
    percent,
    squeeze,
)
from zhengcetong.ingest.schemas import Clause, ParsedDocument

TRIGGER_RE = re.compile(r"(?:分别)?(?:一次性)?(?:给予|予以(?=资助|奖励|补贴|补助|奖补|支持))")
DEPARTMENTS_RE = re.compile(
    r"[（(](?:责任单位|牵头单位|责任部门|牵头部门)[：:]([^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]"
)
RIGHTS_RE = re.compile(
    r"豁免|免于|免予|可自主|优先(?:支持|推荐|设立|安排[^，。；]{0,12}就业|保障[^，。；]{0,24}企业)|绿色通道|免费(?:提供|培训)"
    r"|不受[^，。；]{1,12}限制|免征|减免|减半征收"
)
STRONG_RIGHTS_RE = re.compile(r"豁免|不受[^，。；]{1,12}限制|免征|减免|减半征收")
MARKER_PREFIX_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条|\d{1,2}[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*"
)
TIME_LIMIT_RE = re.compile(
    r"(\d+|[一二三四五六七八九十]+)\s*个?(工作日|日|天)内(?:办结|完成|作出|答复|兑付|审核|拨付|发放)"
)
LEVEL_RE = re.compile(r"^(国家级|省级|市级|县级|国家|省|市|县)")
LEVEL_ANY_RE = re.compile(r"(国家级|省级|市级|县级|国家|省|市|县)")
GRADE_RE = re.compile(r"[A-Z]{1,4}级(?:及以上)?|[一二三四五]级|[A-D]类")
LEAD_VERB_RE = re.compile(
    r"(认定为|评为|评定为|入选|获评|获得|获批|通过|列入|突破|创建|成为|达到|新认定的|新获认定的|新评为|主导制定|制定)"
)
SEPARATORS = ["、", "、|和|及|或|与"]
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


@dataclass
class ExtractedItem:
    """One policy item with its source span in the document body."""

    key: str
    name: str
    category: str  # 奖补 | 减免 | 权益 | 资质
    doc_number: str | None
    clause: str
    quote: str
    start: int
    end: int
    condition: str
    conditions: dict
    formula: dict | None
    benefit_kind: str  # award | subsidy | insurance_subsidy | funding | loan_interest | tax | other
    amount_max_yuan: Decimal | None = None
    rate: Decimal | None = None
    per: str = "once"  # once | year | month | person
    cap_yuan: Decimal | None = None
    months_max: int | None = None
    departments: list[str] = field(default_factory=list)
    time_limit_days: int | None = None

    def to_json(self) -> dict:
        """The export form (``zct extract --json`` "items")."""
        return {
            "key": self.key,
            "name": self.name,
            "category": self.category,
            "doc_number": self.doc_number,
            "clause": self.clause,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "condition": self.condition,
            "conditions": self.conditions,
            "formula": self.formula,
            "benefit_kind": self.benefit_kind,
            "amount_max_yuan": as_int_yuan(self.amount_max_yuan),
            "rate": float(self.rate) if self.rate is not None else None,
            "per": self.per,
            "cap_yuan": as_int_yuan(self.cap_yuan),
            "months_max": self.months_max,
            "departments": self.departments,
            "time_limit_days": self.time_limit_days,
        }


def items_to_json(items: list[ExtractedItem]) -> list[dict]:
    """The export form of a list of items."""
    return [item.to_json() for item in items]


def extract_items(doc: ParsedDocument) -> list[ExtractedItem]:
    """Every policy item of a document, in reading order."""
    items: list[ExtractedItem] = []
    parents: dict[str, Clause] = {}
    for root in doc.clauses:
        _walk(root, None, parents)
    for clause in doc.all_clauses():
        found = _from_clause(doc, clause, parents)
        items.extend(found)
    return items


def _walk(node: Clause, parent: Clause | None, parents: dict[str, Clause]) -> None:
    if parent is not None:
        parents[node.path] = parent
    for child in node.children:
        _walk(child, node, parents)


def _departments(clause: Clause, parents: dict[str, Clause]) -> list[str]:
    node: Clause | None = clause
    while node is not None:
        m = DEPARTMENTS_RE.search(node.text)
        if m:
            return [d.strip() for d in re.split(r"[、，,]", m.group(1)) if d.strip()]
        node = parents.get(node.path)
    return []


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[。；;]", text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _from_clause(doc: ParsedDocument, clause: Clause, parents: dict[str, Clause]) -> list[ExtractedItem]:
    raw = clause.text
    text = DEPARTMENTS_RE.sub(lambda m: " " * len(m.group(0)), raw)  # same length: offsets stay valid
    departments = _departments(clause, parents)
    found: list[ExtractedItem] = []
    context = ""
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        triggers = [m for m in TRIGGER_RE.finditer(sentence)]
        if not triggers:
            graded = _graded_rates(sentence, found)
            if graded:
                found.extend(graded)
                continue
            found.extend(_rights(doc, clause, sentence, s_start, departments))
            continue
        cond_start = 0
        for k, trig in enumerate(triggers):
            next_start = triggers[k + 1].start() if k + 1 < len(triggers) else len(sentence)
            comma = sentence.find("，", trig.end(), next_start)
            benefit_end = next_start if k + 1 == len(triggers) or comma < 0 else comma
            benefit_end = len(sentence) if k + 1 == len(triggers) else benefit_end
            condition_span = sentence[cond_start : trig.start()]
            benefit = sentence[trig.start() : benefit_end]
            segment_start = _segment_start(condition_span)
            condition = MARKER_PREFIX_RE.sub("", condition_span[segment_start:])
            if (
                not condition.lstrip("，").startswith("对")
                and context
                and re.match(r"^[，]?(低于|高于|超过|不足|未达到|达到|其中)", condition)
            ):
                condition = _tier(context, condition.lstrip("，"))
            elif condition.lstrip("，").startswith("对"):
                context = _context_of(condition)
            items = _benefit_items(
                doc,
                clause,
                condition,
                benefit,
                s_start + cond_start + segment_start,
                s_start + benefit_end,
                departments,
            )
            found.extend(items)
            cond_start = (comma + 1) if 0 <= comma < next_start else next_start
    time_limit = _time_limit(raw) if found else None
    for n, item in enumerate(found, start=1):
        item.key = _key(doc.doc_number or doc.title, clause.path, n)
        item.start += clause.start
        item.end += clause.start
        item.quote = doc.body[item.start : item.end]
        item.time_limit_days = item.time_limit_days or time_limit
    return found


def _segment_start(condition_span: str) -> int:
    """Start the condition at its last "对…" segment (drop a leading preamble or heading line)."""
    starts = [m.start() + 1 for m in re.finditer(r"[，,\n]对", condition_span)]
    if condition_span.startswith("对"):
        starts.insert(0, 0)
    if starts:
        return starts[-1]
    return condition_span.rfind("\n") + 1


_THRESHOLD_RE = re.compile(
    r"(超过|高于|达到|低于|不足|突破|未达到)\d+(?:\.\d+)?(?:亿|万)?元(?:[（(]含[^）)]*[）)])?"
)


def _tier(context: str, condition: str) -> str:
    """ "上一年度营业收入超过2亿元（含2亿元）的企业" + "低于2亿元的" -> "上一年度营业收入低于2亿元的企业"."""
    new = _THRESHOLD_RE.match(condition)
    old = _THRESHOLD_RE.search(context)
    if new and old:
        return (
            context[: old.start()] + new.group(0) + context[old.end() :] + condition[new.end() :].lstrip("的")
        )
    return context + "，" + condition


def _context_of(condition: str) -> str:
    """The "对…的被诊断企业" part that later tiers of the same measure share."""
    return condition.lstrip("，").split("，")[0]


def _key(doc: str, path: str, n: int) -> str:
    return hashlib.sha1(f"{doc}|{path}|{n}".encode()).hexdigest()[:12]


def _time_limit(text: str) -> int | None:
    m = TIME_LIMIT_RE.search(text)
    if not m:
        return None
    value = number(m.group(1))
    return int(value) if value is not None else None


def _benefit_kind(benefit: str, condition: str) -> str:
    words = benefit + condition[-30:]
    if "保费" in words or "保险" in benefit:
        return "insurance_subsidy"
    if "贴息" in words:
        return "loan_interest"
    if re.search(r"资助|经费|资金支持", benefit):
        return "funding"
    if re.search(r"奖励|奖补", benefit) and "补贴" not in benefit:
        return "award"
    if re.search(r"补贴|补助|支持|奖补", benefit):
        return "subsidy"
    if re.search(r"减免|免征|退税|税", benefit):
        return "tax"
    return "other"


def _per(text: str) -> str:
    if "每月" in text:
        return "month"
    if "每人" in text:
        return "person"
    if re.search(r"每年|年度", text):
        return "year"
    return "once"


def _benefit_items(doc, clause, condition, benefit, start, end, departments) -> list[ExtractedItem]:
    """Items of one benefit phrase (several when "分别" distributes amounts over an enumeration)."""
    formula_part = condition[condition.rfind("按") :] if re.search(r"按(照)?", condition) else ""
    money_in_benefit = [a for a, _, _ in amounts(benefit)]
    rate = _rate(formula_part + benefit)
    months = _months(benefit)
    per = _per(formula_part + benefit)
    kind = _benefit_kind(benefit, condition)
    shown = condition[: len(condition) - len(formula_part)] if formula_part else condition
    base = ExtractedItem(
        key="",
        name="",
        category="奖补",
        doc_number=doc.doc_number,
        clause=clause.path,
        quote="",
        start=start,
        end=end,
        condition=_tidy(shown) or _tidy(condition),
        conditions={},
        formula=None,
        benefit_kind=kind,
        per=per,
        departments=departments,
        months_max=months,
    )
    if not money_in_benefit and rate is None:
        per_unit = [a for a, _, _ in amounts(formula_part)]
        if per_unit and re.search(r"每人|每户|每家|每个", formula_part):
            money_in_benefit = per_unit[:1]
            base.per = _per(formula_part)
        elif re.search(r"减免|免征|减半", benefit):
            item = replace(base, category="减免", benefit_kind="tax" if "税" in benefit else "other")
            return [_finish(item)]
        elif re.search(r"帮扶|扶持|绿色通道", benefit) or (
            re.match(r"^给予支持", benefit) and not re.search(r"资金", condition[-20:])
        ):
            return [_finish(replace(base, category="权益", benefit_kind="other"))]
        elif not re.search(r"补贴|奖励|补助|资助|奖补", benefit) and not (
            "支持" in benefit and re.search(r"资金", condition[-20:])
        ):
            return []
    distributive = (
        "分别" in benefit
        or "分别" in condition[-6:]
        or bool(re.search(r"元、[^，。；]{0,6}\d", squeeze(benefit)))
    )
    if rate is not None:
        cap = money_in_benefit[0] if money_in_benefit else None
        item = replace(base, rate=rate, cap_yuan=cap, amount_max_yuan=cap)
        return [_finish(item, base_fact=_base_fact(formula_part))]
    if distributive and len(money_in_benefit) >= 2:
        elements = _enumeration(condition, len(money_in_benefit))
        out = []
        for value, subject in zip(money_in_benefit, elements, strict=False):
            out.append(_finish(replace(base, amount_max_yuan=value, condition=_tidy(subject))))
        return out
    value = money_in_benefit[0] if money_in_benefit else None
    item = replace(base, amount_max_yuan=value)
    if months and value is not None:
        item.cap_yuan = value * months
    persons = re.search(r"每[^，。；]{0,6}不超过(\d+)人", formula_part + benefit)
    if persons and value is not None:
        item.cap_yuan = value * int(persons.group(1))
    return [_finish(item)]


def _rate(text: str) -> Decimal | None:
    text = squeeze(text)
    found = [(m.start(), percent(m)) for m in PERCENT_RE.finditer(text)]
    if not found:
        return None
    ratio = text.find("的比例")
    if ratio >= 0:
        before = [p for pos, p in found if pos < ratio]
        if before:
            return before[-1]
    if re.search(r"比例|按照|按", text):
        return found[-1][1]
    return None


def _months(text: str) -> int | None:
    m = re.search(r"(?:最多|最长)?不?超过\s*(\d+)\s*个月|最长\s*(\d+)\s*个月", text)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _base_fact(formula_part: str) -> str:
    if "保费" in formula_part:
        return "insurance.premium"
    if re.search(r"设备|购置", formula_part):
        return "project.equipment_cost"
    if "建设费用" in formula_part:
        return "project.construction_cost"
    if "奖励数额" in formula_part:
        return "reference_award"
    return "project.eligible_cost"


def _tidy(condition: str) -> str:
    text = condition.strip("，, \n")
    text = re.sub(r"[，,]?(?:由)?(?:市|县|区|市、县两)级?财政(?:一次性)?$", "", text)
    text = re.sub(r"^第[一二三四五六七八九十百零〇\d]+条\s*", "", text)
    text = re.sub(r"[，,]?按规定$", "", text)
    text = re.sub(r"^(对于|对)", "", text)
    text = re.sub(r"的[，,]?$", "", text)
    return text.strip("，, ")


def _enumeration(condition: str, n: int) -> list[str]:
    """The ``n`` subjects of a distributive "分别" (one condition text per element)."""
    segments = condition.split("，")
    for seg_index in range(len(segments) - 1, -1, -1):
        segment = segments[seg_index]
        core = re.sub(r"^(对于|对|其中)", "", segment)
        core = re.sub(r"的(企业|单位)?$", "", core) if core.endswith(("的", "的企业", "的单位")) else core
        for separators in SEPARATORS:
            pieces = re.split(separators, core)
            if len(pieces) != n or not all(pieces):
                continue
            subjects = _distribute(pieces)
            before = "，".join(segments[:seg_index])
            after = "，".join(segments[seg_index + 1 :])
            return [("，".join(x for x in (before, s, after) if x)) for s in subjects]
    return [f"{_tidy(condition)}（第{i}档）" for i in range(1, n + 1)]


def _distribute(pieces: list[str]) -> list[str]:
    """Rebuild each element's full subject from "首次认定为国家级、省级特色产业集群"-style lists."""
    first, last, middle = pieces[0], pieces[-1], pieces[1:-1]
    for pattern, anywhere in ((MONEY_RE, MONEY_RE), (LEVEL_RE, LEVEL_ANY_RE), (GRADE_RE, GRADE_RE)):
        head = pattern.match(last)
        if head and all(pattern.fullmatch(m) for m in middle):
            tail = last[head.end() :]
            matches = list(anywhere.finditer(first))
            if not matches:
                continue
            lead, e1 = first[: matches[-1].start()], matches[-1].group(0)
            elements = [e1, *middle, head.group(0)]
            return [f"{lead}{e}{tail}" for e in elements]
    verb = list(LEAD_VERB_RE.finditer(first))
    lead_end = verb[-1].end() if verb else 0
    lead, e1 = first[:lead_end], first[lead_end:]
    level = LEVEL_RE.match(e1)
    if level and not any(LEVEL_RE.match(p) for p in pieces[1:]):
        lead, e1 = lead + level.group(0), e1[level.end() :]
    return [f"{lead}{e}" for e in [e1, *middle, last]]


def _graded_rates(sentence: str, found: list[ExtractedItem]) -> list[ExtractedItem]:
    """ "其中…C类和D类的企业…比例分别不超过8%和7%": graded copies of the clause's last rate item."""
    rates = [percent(m) for m in PERCENT_RE.finditer(squeeze(sentence))]
    base = next((i for i in reversed(found) if i.rate is not None), None)
    if base is None or "分别" not in sentence or len(rates) < 2:
        return []
    grades = re.findall(r"([A-D])类", sentence)
    if len(grades) != len(rates):
        return []
    out = []
    for grade, rate in zip(grades, rates, strict=True):
        out.append(
            _finish(
                replace(
                    base,
                    rate=rate,
                    condition=f"{base.condition}，且“亩产效益”综合评价结果为{grade}类",
                    conditions={},
                ),
                base_fact=_fact_in(base.formula) or "project.equipment_cost",
                grade=grade,
            )
        )
    base.conditions = {
        "all": [
            base.conditions,
            {
                "fact": "mu_chan_grade",
                "op": "not_in",
                "value": grades,
                "label": f"“亩产效益”综合评价结果不是{'、'.join(grades)}类",
            },
        ]
    }
    return out


def _rights(doc, clause, sentence: str, offset: int, departments) -> list[ExtractedItem]:
    """Non-monetary items: "对…豁免…", "对…可自主…", "对…优先支持…", "免征…"."""
    out = []
    for m in re.finditer(r"(?:^|(?<=[，,]))\s*对([^。；]*?)(?=[，,]对|[。；]|$)", sentence):
        segment = m.group(1)
        right = RIGHTS_RE.search(segment)
        if not right or TRIGGER_RE.search(segment):
            continue
        comma = segment.find("，")
        cut = right.start() if comma < 0 or right.start() < comma else comma
        subject, rest = segment[:cut], segment[cut:].lstrip("，")
        category = "减免" if re.search(r"免征|减免|减半征收", right.group(0)) else "权益"
        item = ExtractedItem(
            key="",
            name="",
            category=category,
            doc_number=doc.doc_number,
            clause=clause.path,
            quote="",
            start=offset + m.start(),
            end=offset + m.end(),
            condition=_tidy(subject),
            conditions={},
            formula=None,
            benefit_kind="tax" if category == "减免" else "other",
            departments=departments,
        )
        item.name = _name(item, rest)
        item.conditions = conditions_for(item.condition)
        out.append(item)
    strong = STRONG_RIGHTS_RE.search(sentence)
    heading = len(re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、.．]?", "", sentence).strip("。 ")) < 10
    if (
        not out and strong and not heading
    ):  # "残疾人首次申领…许可证零售点间距不受合理布局限制": no "对…" subject
        head = sentence[: strong.start()]
        marker = re.match(r"^\s*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*", head)
        seg_start = marker.end() if marker else len(head) - len(head.lstrip())
        subject = head[seg_start:]
        category = "减免" if re.search(r"免征|减免|减半征收", strong.group(0)) else "权益"
        end = sentence.find("，", strong.end())
        end = len(sentence) if end < 0 else end
        item = ExtractedItem(
            key="",
            name="",
            category=category,
            doc_number=doc.doc_number,
            clause=clause.path,
            quote="",
            start=offset + seg_start,
            end=offset + end,
            condition=_tidy(subject),
            conditions={},
            formula=None,
            benefit_kind="tax" if category == "减免" else "other",
            departments=departments,
        )
        item.name = _name(item, sentence[strong.start() : end])
        item.conditions = conditions_for(item.condition)
        out.append(item)
    return out


def _finish(item: ExtractedItem, base_fact: str | None = None, grade: str | None = None) -> ExtractedItem:
    item.conditions = conditions_for(item.condition) if not item.conditions else item.conditions
    if grade:
        item.conditions = {
            "all": [
                conditions_for(item.condition.split("，且")[0]),
                {
                    "fact": "mu_chan_grade",
                    "op": "==",
                    "value": grade,
                    "label": f"“亩产效益”综合评价结果为{grade}类",
                },
            ]
        }
    item.formula = formula_for(item, base_fact)
    item.name = _name(item, "")
    return item


def _name(item: ExtractedItem, right: str) -> str:
    segments = [x for x in item.condition.split("，") if x and not re.match(r"^(按|由|在|根据|其中|且)", x)]
    main = segments[-1] if segments else item.condition
    if item.rate is not None and segments:
        main = segments[0]
    subject = re.sub(r"^(首次|新获|新)", "", main)
    subject = re.sub(r"^(认定为|入选|获评|评为|列入|通过|获得)", "", subject)
    subject = subject[:40]
    if item.category != "奖补":
        return f"{subject}：{right[:30]}".rstrip("：")
    noun = {
        "award": "奖励",
        "subsidy": "补贴",
        "insurance_subsidy": "保费补贴",
        "funding": "资助",
        "loan_interest": "贴息",
        "tax": "税费减免",
    }.get(item.benefit_kind, "支持")
    first = "首次" if "首次" in item.condition else ""
    return f"{first}{subject}{noun}"


# --- machine-evaluable conditions and formulas -------------------------------------------------


def _level_code(text: str) -> str | None:
    for word, code in sorted(LEVEL_CODES.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"{word}(?!家级)", text) and (word != "市" or "市级" in text):
            return code
    return None


def conditions_for(condition: str) -> dict:
    """Translate the condition text into the rules language (see zhengcetong/match/LANGUAGE.md).

    What is recognised becomes typed facts; the rest becomes a question the applicant answers
    (``answers.<hash>``), so evaluation says "unknown" until it is answered.
    """
    parts: list[dict] = []
    text = squeeze(condition)
    recognition = re.search(
        r"(首次|新)?(?:认定为|入选|获评|评为|列入|通过|获得|获批|创建|成功创建|新获认定的|新认定的)(.{2,40})",
        text,
    )
    revenue = re.search(
        r"营业收入(?:首次)?(超过|突破|达到|低于|不足|高于)(\d+(?:\.\d+)?)(亿|万)元(（含\d+(?:\.\d+)?(?:亿|万)元）)?",
        text,
    )
    last_segment = text.split("，")[-1]
    if re.match(r"^(低于|不足|超过|高于|达到)", last_segment):  # a later tier: "…的企业，低于2亿元"
        revenue = re.search(
            r"(低于|不足|超过|高于|达到)(\d+(?:\.\d+)?)(亿|万)元(（含\d+(?:\.\d+)?(?:亿|万)元）)?",
            last_segment,
        )
    investment = re.search(r"(?:计划)?总?投资(\d+(?:\.\d+)?)(亿|万)元以上", text)
    if revenue:
        value = int(
            Decimal(revenue.group(2)) * (Decimal(100000000) if revenue.group(3) == "亿" else Decimal(10000))
        )
        op = {"超过": ">", "突破": ">=", "达到": ">=", "高于": ">", "低于": "<", "不足": "<"}[
            revenue.group(1)
        ]
        if revenue.lastindex and revenue.lastindex >= 4 and revenue.group(4):
            op = ">="
        parts.append(
            {
                "fact": "revenue.last_year",
                "op": op,
                "value": value,
                "label": f"上一年度营业收入{revenue.group(1)}{revenue.group(2)}{revenue.group(3)}元",
            }
        )
        if revenue.group(1) == "突破" and "首次" in text:
            parts.append(
                {
                    "fact": "revenue.year_before_last",
                    "op": "<",
                    "value": value,
                    "label": "此前年度营业收入未达到该标准（首次突破）",
                }
            )
    if investment:
        value = int(
            Decimal(investment.group(1))
            * (Decimal(100000000) if investment.group(2) == "亿" else Decimal(10000))
        )
        parts.append(
            {
                "fact": "project.investment",
                "op": ">=",
                "value": value,
                "label": f"项目计划总投资{investment.group(1)}{investment.group(2)}元以上",
            }
        )
    if recognition and not revenue:
        name = re.sub(r"(的企业|的单位|的)$", "", recognition.group(2))
        level = _level_code(name)
        where: list[dict] = [
            {"fact": "name", "op": "contains", "value": re.sub(r"^(国家级|省级|市级|国家|省)", "", name)}
        ]
        if level:
            where.append({"fact": "level", "op": "==", "value": level})
        if recognition.group(1):
            where.append({"fact": "first_time", "op": "==", "value": True})
        parts.append(
            {
                "has": "recognitions",
                "where": {"all": where},
                "label": f"{recognition.group(1) or ''}获得认定：{name}",
            }
        )
    remainder = text
    for found in (revenue, investment, recognition if not revenue else None):
        if found:
            remainder = remainder.replace(found.group(0), "")
    remainder = re.sub(r"[（(]含[^）)]*[）)]|的|企业|单位|项目|，|、|对|首次|新", "", remainder)
    if not parts or len(remainder) > 6:
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]
        parts.append({"fact": f"answers.q{digest}", "op": "==", "value": True, "label": text})
    return parts[0] if len(parts) == 1 else {"all": parts}


def formula_for(item: ExtractedItem, base_fact: str | None = None) -> dict | None:
    """The benefit formula: a constant cap, min(rate × base, cap), or per-period amount × periods."""
    if item.rate is not None:
        product = {"*": [_plain(item.rate), {"fact": base_fact or "project.eligible_cost"}]}
        return {"min": [product, _plain(item.cap_yuan)]} if item.cap_yuan is not None else product
    if item.amount_max_yuan is None:
        return None
    if item.per == "month" and item.months_max:
        return {"*": [_plain(item.amount_max_yuan), {"min": [{"fact": "months"}, item.months_max]}]}
    if item.per == "person" and item.cap_yuan is not None:
        return {
            "min": [{"*": [_plain(item.amount_max_yuan), {"fact": "persons.count"}]}, _plain(item.cap_yuan)]
        }
    if re.search(r"最高|不超过|最多", item.quote or item.condition) or item.quote == "":
        return {"up_to": _plain(item.amount_max_yuan)}
    return {"const": _plain(item.amount_max_yuan)}


def _plain(value: Decimal) -> str:
    """A Decimal as plain digits ("2000000", "0.08"), never in exponent form."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fact_in(formula) -> str | None:
    """The first fact a formula reads (the base of a rate)."""
    if isinstance(formula, dict):
        if "fact" in formula:
            return formula["fact"]
        for value in formula.values():
            found = _fact_in(value)
            if found:
                return found
    if isinstance(formula, list):
        for value in formula:
            found = _fact_in(value)
            if found:
                return found
    return None


__all__ = ["ExtractedItem", "extract_items", "items_to_json", "money", "MONEY_RE"]
