"""Clauses -> policy items (政策事项) at the finest grain: one item per distinct benefit.

A clause's own text is cut into sentences and comma segments, and each segment's cue is found
(``zhengcetong/ingest/cues.py``): a money *grant*, a *relief*, a *right*, or none. Sentences that set
up a *qualification* (申请…应具备以下条件, 每两年评选一次…) give a 资质 item. The segments before a
benefit, back to the previous one, are its condition; segments after a grant that only limit it
(最高…万元, 期限不超过12个月, 每年最高…) are its caps.

From there: "分别给予A、B" is distributed over the enumeration of the same length in the condition
("国家级、省级…", "10亿元、5亿元…", "省或国家", "一等奖、二等奖"); a later tier ("低于2亿元的",
"5亿元至10亿元的") takes the earlier tier's context; "其中…C类和D类…分别不超过8%和7%", "其中…比例提高至
10%" and "…标准提高到每人每月1500元" grade the item before; "按照主导制定奖励数额的20%给予奖励" derives
one item per amount it refers to; a sentence that only states a limit ("申领额度最高不超过20万元")
completes the item before it. Conditions and formulas in the rules language come from
``zhengcetong/ingest/item_rules.py``.

Real text from across China adds: amounts in the next segment or sentence ("给予一次性创业补贴，补贴标准为
5000元"), schedules one item per stage ("前三年…、后两年…", ``ingest/schedules.py``), amounts next to whom
they are for without a verb ("补贴标准：A 4000元，B 2400元", "125元/亩/年") and tables whose cells ran
together (``ingest/pairs.py``), raised shares ("由30%提至50%"), floors said with ceilings, and text that
is no item: negated grants, past policies, reported outcomes, a headline restating the article, a rule
quoted to be amended, a benefit given by reference or restated without its amount.

Each sentence is processed once with bounded patterns, so extraction is linear in the size of the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from zhengcetong.chinese import canonical_department, to_simplified
from zhengcetong.decimals import plain
from zhengcetong.ingest import stacking
from zhengcetong.ingest.applicants import applicant_of
from zhengcetong.ingest.cues import (
    BENEFIT_START_RE,
    DEPARTMENTS_RE,
    FULL_RE,
    LOAN_RE,
    NOT_ITEM_START_RE,
    PREAMBLE_RE,
    QUALIFICATION_RE,
    RELIEF_RE,
    RIGHT_RE,
    SEG_CHAR,
    SELECTION_RE,
    Cue,
    Segment,
    benefit_start,
    condition_prefix,
    find_cue,
    grant_cue,
    is_heading,
    last_match,
    split_segments,
    split_sentences,
    strip_marker,
    strip_quotes,
    to_ascii_digits,
)
from zhengcetong.ingest.item_rules import all_of, conditions_for, rate_is_ceiling
from zhengcetong.ingest.numbers import (
    Money,
    find_durations,
    find_money,
    find_periods,
    find_rates,
    parse_number,
)
from zhengcetong.ingest.pairs import (
    PER_WHO_RE,
    STANDARD_HEADER_RE,
    STANDARD_LEAD_RE,
    TABLE_HEAD_RE,
    TABLE_HEAD_ROW_RE,
    slash_per,
    table_cells,
    who_amount,
)
from zhengcetong.ingest.schedules import INSTALMENTS_RE, STAGE_RE, relief_months, stages_of
from zhengcetong.library import ParsedClause, ParsedDocument
from zhengcetong.match.amounts import as_ceiling, fact_in, formula_for

__all__ = ["ExtractedItem", "conditions_for", "extract_items", "formula_for", "items_to_json"]


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
    ceiling: bool = True  # amount_max_yuan is a ceiling (最高X, 不超过X), not the amount itself (给予X)
    per_person: bool = False  # the amount is for each person (每人每月…): × persons.count
    time_limit_days: int | None = None
    explains: str | None = None  # the article an answer of a 政策解读 explains ("第三条"), where it names one
    non_cumulative: str | None = None  # the non-cumulation rules that govern it (ingest.stacking)
    label: str = ""  # the benefit's own noun (一次性奖励, 创新券), the tail of the name
    per_unit: str | None = (
        None  # the amount is for each 平方米/户/吨/千瓦时/亩: the quantities.* field it × by
    )
    unit_yuan: Decimal | None = None  # the amount per unit (amount_max_yuan is the cap when there is one)
    applicant: str = (
        "unit"  # who can apply: unit (企业、单位) | person (个人) | public (政府部门): applicants.py
    )

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
            "amount_max_yuan": _json_number(self.amount_max_yuan),
            "rate": float(self.rate) if self.rate is not None else None,
            "per": self.per,
            "cap_yuan": _json_number(self.cap_yuan),
            "months_max": self.months_max,
            "departments": self.departments,
            "time_limit_days": self.time_limit_days,
            "explains": self.explains,
            "non_cumulative": self.non_cumulative,
            "per_unit": self.per_unit,
            "unit_yuan": _json_number(self.unit_yuan),
            "applicant": self.applicant,
        }


def items_to_json(items: list[ExtractedItem]) -> list[dict]:
    """The export form of a list of items."""
    return [item.to_json() for item in items]


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- vocabulary of amounts, tiers and lists ---------------------------------------------------------

THRESHOLD_START_RE = re.compile(
    r"^(?:(?:低于|高于|超过|不足|未达到|达到|突破|在)[0-9０-９零〇一二两三四五六七八九十]|[0-9.]+(?:亿|万)?元)"
)
_TIER_AMOUNT = r"[0-9.]+(?:亿|万)?元(?:[（(]含" + SEG_CHAR + r"{0,12}[）)])?"
TIER_THRESHOLD_RE = re.compile(
    r"(?:超过|高于|达到|低于|不足|突破|未达到|在)?"
    + _TIER_AMOUNT
    + r"(?:(?:至|到|-|—|～|~)"
    + _TIER_AMOUNT
    + r")?(?:以上|以下|以内)?"
)
TIME_LIMIT_RE = re.compile(
    r"(\d{1,3}|[一二三四五六七八九十]{1,3})\s*个?(工作日|日|天)内(?:办结|完成|作出|答复|兑付|审核|拨付|发放)"
)
GRADE_LIST_RE = re.compile(r"([A-E]{1,3})(?:类|级)")
LEVEL_RE = re.compile(r"^(国家级|省级|市级|县级|国家|省|市|县)")
LEVEL_ANY_RE = re.compile(r"(国家级|省级|市级|县级|国家|省|市|县)")
GRADE_RE = re.compile(r"[A-Z]{1,4}级(?:及以上)?|[一二三四五六七八九]级|[A-E]类|[一二三特]等奖")
_MONEY_ELEMENT = r"(?:[0-9.]+(?:亿|万|千)?(?:美元|元)|[零〇一二两三四五六七八九十百千]+(?:亿|万)(?:美元|元))"
MONEY_ELEMENT_RE = re.compile(  # "10亿元", "5000万元至1亿元", "1亿元以上": one tier of a list
    _MONEY_ELEMENT + r"(?:(?:至|到|-|—|～|~)" + _MONEY_ELEMENT + r")?(?:（含）)?(?:以上|以下|以内)?"
)
LEAD_VERB_RE = re.compile(
    r"(认定为|评为|评定为|入选|获评|获得|获批|通过|列入|突破|超过|创建|成为|达到|新认定的|新获认定的|新评为|主导制定|牵头制定|制定)"
)
RAISED_RE = re.compile(r"(?:提高|提升|上调)(?:至|到)|最高可达|可达")
REFERS_TO_AWARD_RE = re.compile(r"奖励(?:标准|数额|金额|额度)|同类标准|标准制定奖励")
SEPARATORS = ["、", "、|和|及|或|与"]
# a question of a 政策解读 ("二、对企业研发投入有哪些支持？", "问：能否同时享受？"): never an item
QUESTION_RE = re.compile(r"问[：:][^\n]*|(?<![^\n。！；])[^\n。！；？?]{2,80}[？?]")
# the clause an answer explains: "答：根据第三条，…"
EXPLAINS_RE = re.compile(
    r"(?:根据|按照|依据|依照|即)?(?:《[^《》]{2,60}》)?(第[一二三四五六七八九十百零〇0-9]{1,5}条(?:第[一二三四五六七八九十0-9]{1,3}款)?)(?:规定)?[，,]"
)
TAX_RE = re.compile(
    r"企业所得税|个人所得税|增值税|消费税|契税|房产税|城镇土地使用税|印花税|耕地占用税|资源税|土地增值税|关税|车船税"
)


# --- the extractor --------------------------------------------------------------------------------


def extract_items(doc: ParsedDocument) -> list[ExtractedItem]:
    """Every policy item of a document, in reading order."""
    parents: dict[str, ParsedClause] = {}
    for root in doc.clauses:
        _walk(root, None, parents)
    items: list[ExtractedItem] = []
    for clause in doc.all_clauses():
        parent = parents.get(clause.path)
        reader = _ClauseReader(doc, clause, _departments(clause, parents, doc.issuer))
        if parent is not None and strip_marker(parent.text).rstrip().endswith(("：", ":")):
            reader.lead = _tidy(
                strip_marker(parent.text).strip()
            )  # "对同时符合以下条件的企业：" above the list
        items.extend(reader.read())
    items = _without_headline(doc, items)
    items = _without_restatements(items)
    stacking.attach_rules(doc, items)
    return items


def _without_restatements(items: list[ExtractedItem]) -> list[ExtractedItem]:
    """A named benefit said again without amount elsewhere in the document ("补贴对象…可申领一次性创业补贴"
    after "给予一次性创业补贴，补贴标准为5000元") states its conditions, not a second benefit."""
    stated = {
        i.label for i in items if i.category == "奖补" and len(i.label) >= 4 and (i.amount_max_yuan or i.rate)
    }
    return [
        i
        for i in items
        if not (i.category == "奖补" and i.amount_max_yuan is None and i.rate is None and i.label in stated)
    ]


def _without_headline(doc: ParsedDocument, items: list[ExtractedItem]) -> list[ExtractedItem]:
    """A news headline kept at the top of the body restates the article: its items are not items."""
    title = (doc.title or "").strip()
    if len(title) < 8 or not items:
        return items
    head = doc.body[: len(title) + 200]
    at = head.find(title)
    if at < 0:  # a page in traditional script, its title read in simplified
        simplified = to_simplified(head)
        at = simplified.find(title) if len(simplified) == len(head) else -1
    if at < 0 or (at > 0 and head[at - 1] != "\n"):
        return items  # only a headline that starts a line
    return [i for i in items if not (at <= i.start < at + len(title) - 2)]


def _walk(node: ParsedClause, parent: ParsedClause | None, parents: dict[str, ParsedClause]) -> None:
    if parent is not None:
        parents[node.path] = parent
    for child in node.children:
        _walk(child, node, parents)


def _departments(clause: ParsedClause, parents: dict[str, ParsedClause], issuer: str | None) -> list[str]:
    """The responsible departments the clause or its nearest parent names, by their full names ("市财政局"
    of 青禾市人民政府 is 青禾市财政局, so facets merge it with the full form; the quote keeps the text)."""
    node: ParsedClause | None = clause
    while node is not None:
        m = DEPARTMENTS_RE.search(node.text)
        if m:
            names = [
                canonical_department(d, issuer) for d in re.split(r"[、，,；;]", m.group(1)) if d.strip()
            ]
            return list(dict.fromkeys(names))
        node = parents.get(node.path)
    return []


class _ClauseReader:
    """Reads the items of one clause."""

    def __init__(self, doc: ParsedDocument, clause: ParsedClause, departments: list[str]):
        self.doc = doc
        self.clause = clause
        self.departments = departments
        blanked = DEPARTMENTS_RE.sub(lambda m: " " * len(m.group(0)), clause.text)
        self.questions: list[tuple[int, str]] = []

        def ask(m: re.Match) -> str:  # a question grants nothing; whom it asks about is kept
            self.questions.append((m.end(), m.group(0)))
            return " " * len(m.group(0))

        blanked = QUESTION_RE.sub(ask, blanked)
        blanked = QUOTED_RULE_RE.sub(lambda m: " " * len(m.group(0)), blanked)  # a rule quoted to be replaced
        self.text = to_ascii_digits(blanked)  # same length: offsets stay valid
        self.items: list[ExtractedItem] = []
        self.last_group: list[ExtractedItem] = []  # the items of the last grant (a distributed list)
        self.pair_context = ""  # whom the last list of "who amount" pairs was about
        self.pairs_running = False  # the last sentence was a list of such pairs
        self.table = False  # a table copied as text, its cells run together
        self.lead = ""  # the list header of the parent clause, when this clause is one of its points
        self.unused: list[tuple[int, str]] = []  # the sentences since the last item

    def read(self) -> list[ExtractedItem]:
        spans = split_sentences(self.text)
        self.table = bool(TABLE_HEAD_ROW_RE.search(self.text[:2000]))
        if self.table:  # the column heads are no condition; cells that end in an amount are sentences
            first = re.search(r"\d", self.text)
            head_end = first.start() if first else len(self.text)
            self.text = TABLE_HEAD_RE.sub(
                lambda m: " " * len(m.group(0)) if m.start() < head_end else m.group(0), self.text
            )
            spans = table_cells(self.text, spans)
        for n, (s_start, s_end) in enumerate(spans):
            sentence = self.text[s_start:s_end]
            if n == 0 and is_heading(sentence):
                self.unused.append((s_start, sentence))  # "（二）研发投入占比3%以上。": a listed condition
                continue
            before = len(self.items)
            self._sentence(s_start, s_end)
            if len(self.items) > before:
                self.unused = []
                explained = EXPLAINS_RE.search(sentence)  # only a sentence that gave items is searched
                for item in self.items[before:]:
                    item.explains = explained.group(1) if explained else None
            elif sentence.strip():
                self.unused.append((s_start, sentence))
        self.items = _drop_announcements(self.items, self.text)
        time_limit = _time_limit(self.text) if self.items else None
        _name_subjects(self.items)
        for n, item in enumerate(self.items, start=1):
            item.applicant = applicant_of(item.condition, item.name)
            item.key = _key(_identity(self.doc), self.clause.path, n)
            item.start += self.clause.start
            item.end += self.clause.start
            item.quote = self.doc.body[item.start : item.end]
            item.time_limit_days = item.time_limit_days or time_limit
        return self.items

    def _new(self, **fields) -> ExtractedItem:
        """An item of this clause: the document, clause and departments filled in; key, name, quote,
        conditions and formula left for ``_finish`` and ``read`` to set (``name`` may be given)."""
        fields.setdefault("name", "")
        return ExtractedItem(
            key="",
            doc_number=self.doc.doc_number,
            clause=self.clause.path,
            quote="",
            conditions={},
            formula=None,
            departments=self.departments,
            **fields,
        )

    # -- one sentence ------------------------------------------------------------------------------

    def _sentence(self, s_start: int, s_end: int) -> None:
        sentence = self.text[s_start:s_end]
        if self._qualification(sentence, s_start) and not grant_cue(sentence):
            return
        segments = split_segments(self.text, s_start, s_end)
        if not segments:
            return
        if self._derived(sentence, s_start, s_end):
            return
        if PAST_RE.search(sentence):
            return  # "早在2009年…就出台过政策", "与2009年相比": history, not the policy
        stages = stages_of(sentence)
        if stages:
            cut = s_start + stages[0][0]
            before = len(self.items)
            self._segments([g for g in segments if g.end <= cut])
            self._schedule(sentence, s_start, s_end, stages, before)
            return
        before = len(self.items)
        self._segments(segments)
        if len(self.items) == before and "元" in sentence:
            self._pairs(segments, s_start)
        elif len(self.items) > before:
            self.pairs_running = False
            last_end = self.items[-1].end
            rest = [g for g in segments if g.start >= last_end]
            if rest and "元" in sentence[last_end - s_start :] and not any(find_cue(g.text) for g in rest):
                self._pairs(rest, s_start, parallel=True)  # "A的补贴为每月2300元，B的为每月3000元"

    def _pairs(self, segments: list[Segment], s_start: int, parallel: bool = False) -> None:
        """ "补贴标准：零就业家庭毕业生4000元，低保边缘户2400元", "长江流域125元/亩/年": who gets how much,
        without a verb: after a heading that announces a standard, or as an amount per unit of land or output."""
        header = (
            parallel
            or self.table
            or bool(STANDARD_HEADER_RE.search(self.text[max(0, s_start - 24) : s_start]))
        )
        found = []
        for n, seg in enumerate(segments):
            pair = who_amount(seg.text)
            if pair is None and n and self.text[segments[n - 1].end : seg.start] in ("：", ":"):
                pair = who_amount(segments[n - 1].text + seg.text)  # "博士研究生：每人每月2500元"
                seg = Segment(segments[n - 1].start, seg.end, self.text[segments[n - 1].start : seg.end])
            if pair is not None and parallel and PER_WHO_RE.match(pair[0]):
                pair = None  # after an item, "单个项目200万元" limits it; "“一肩挑”的为每月3000元" is another
            if pair is not None:
                found.append((seg, pair))
        if not found:
            self.pairs_running = False
            return
        lead = [g for g in segments if g.end <= found[0][0].start]
        if lead and STANDARD_LEAD_RE.search(lead[-1].text):
            header = True  # "补贴标准为：博士每人每月3000元，…"
        running = self.pairs_running and not self.unused
        if not (header or running) and not all(pair[2] for _, pair in found):
            return
        self.pairs_running = True
        first = found[0][0]
        lead = [g.text for g in segments if g.end <= first.start]
        context = _tidy(re.sub(r"标准(?:如下|为|是)?$", "", "，".join(lead))) if lead else ""
        context = context or (self.pair_context if not self.unused else "")
        self.pair_context = context
        out = []
        for seg, (who, money, slashed) in found:
            tail = seg.text.strip()[money.end :]
            item = self._new(
                category="奖补",
                start=seg.start + len(seg.text) - len(seg.text.lstrip()),
                end=seg.end,
                condition=_join(context, _tidy(who)),
                benefit_kind="subsidy",
                amount_max_yuan=money.value,
                ceiling=money.bound in ("max", "range"),
                per=_per(seg.text) if not slashed else slash_per(tail),
                per_unit=_per_unit(seg.text),
            )
            if item.per_unit:
                item.unit_yuan = money.value
            out.append(_finish(item))
        self._add(out)

    def _schedule(self, sentence: str, s_start: int, s_end: int, stages: list, before: int) -> None:
        """ "连续补贴5年，前三年补贴0.35元/千瓦时，后两年0.20元/千瓦时", "前两年全额、后三年减半":
        one item per stage, its condition naming the stage, ``months_max`` its length."""
        made = self.items[before:]
        base = made[-1] if made and made[-1].category == "奖补" else None
        if base is not None:
            self.items.remove(base)
            condition, start = base.condition, base.start
        else:
            head = sentence[: stages[0][0]]
            condition, start = _tidy(head), s_start + len(head) - len(head.lstrip())
        out: list[ExtractedItem] = []
        previous_rate: Decimal | None = None
        noun = _benefit_label(sentence[stages[0][0] :])
        for n, (at, label, months) in enumerate(stages):
            end = stages[n + 1][0] if n + 1 < len(stages) else len(sentence)
            part = sentence[at:end]
            money = [m for m in find_money(part) if m.bound not in ("min", "less")]
            rate = _rate(part)
            if rate is None and FULL_RE.search(part + "补贴") or re.search(r"全额", part):
                rate = Decimal(1)
            elif rate is None and "减半" in part:
                rate = (previous_rate or Decimal(1)) / 2
            previous_rate = rate or previous_rate
            item = self._new(
                category="奖补",
                start=start if n == 0 else s_start + at,
                end=s_start + end,
                condition=_join(condition, label),
                benefit_kind=base.benefit_kind if base is not None else _benefit_kind(part, condition),
                months_max=months,
                rate=rate if not money else None,
                per=base.per if base is not None else _per(part),
                per_unit=_per_unit(part),
            )
            if money:
                item.amount_max_yuan = money[0].value
                if item.per_unit:
                    item.unit_yuan = money[0].value
            item.conditions = conditions_for(condition)
            out.append(_finish(item, label=base.label if base is not None else noun))
        self._add(out)

    def _segments(self, segments: list[Segment]) -> None:
        cond_from = 0  # index of the first segment of the pending condition
        headers: set[int] = set()
        subject: str | None = None  # the sentence's first condition, inherited by later benefits
        last_right: ExtractedItem | None = None
        last_right_at, last_family = -2, ""
        last_relief: ExtractedItem | None = None
        last_relief_at = -2
        i = 0
        while i < len(segments):
            seg = segments[i]
            cue = find_cue(seg.text, segments[i + 1].text if i + 1 < len(segments) else "")
            if cue is not None and CIRCUMSTANCE_RE.match(strip_marker(seg.text).strip()):
                cue = None  # "在享受市级政策补贴的基础上": a circumstance, not a grant
            if cue is None or (cue.kind != "relief" and NOT_ITEM_START_RE.match(strip_marker(seg.text))):
                i += 1
                continue
            if cue.kind == "grant" and _is_floor(
                seg.text, segments[i + 1].text if i + 1 < len(segments) else ""
            ):
                headers.add(i)  # "单个项目最低补助50万元，最高可补助200万元": the floor is no item
                i += 1
                continue
            if cue.kind == "grant" and self._is_header_grant(seg, cue, segments, i):
                headers.add(i)  # not an item, and not part of the condition either
                i += 1
                continue
            if (
                cue.kind == "relief"
                and last_relief is not None
                and last_relief_at >= i - 1
                and STAGE_RE.match(strip_marker(seg.text).lstrip())
            ):  # "第1至第3年免征…，第4至第6年减半征收…": one relief in stages
                last_relief.end = seg.end
                last_relief_at = i
                i += 1
                cond_from = i
                continue
            if (
                cue.kind == "right"
                and last_right is not None
                and (last_right_at == i - 1 or (cue.family == "settlement" == last_family))
            ):  # "放宽落户条件，实行“零门槛”落户": one right told twice
                last_right.end = seg.end
                last_right_at = i
                i += 1
                cond_from = i
                continue
            cue.at = benefit_start(seg.text, cue.at, cue.kind)

            own_prefix = condition_prefix(seg.text[: cue.at])
            if cue.kind == "relief" and re.match(
                r"^对" + SEG_CHAR + r"{0,12}(?:" + TAX_RE.pattern + ")", own_prefix
            ):
                own_prefix = ""  # "对企业所得税地方分享部分给予…": the tax relieved, not who is
            pending = [s for n, s in enumerate(segments[cond_from:i], start=cond_from) if n not in headers]
            condition, cond_start = self._condition(
                pending, seg, own_prefix, limit=None if cue.kind in ("grant", "relief") else 2
            )
            if not condition and self.unused and cue.kind == "grant":
                # "…的适用对象是…毕业生。补贴为当地最低工资标准的80%": whom the sentence before names
                p_start, p_text = _since_header(self.unused)
                condition = _tidy(p_text.rstrip("。；;！!\n"))
                cond_start = p_start + len(p_text) - len(p_text.lstrip())
                if self.lead and not p_text.rstrip().endswith(("：", ":")):
                    condition = f"{self.lead}：{condition}"  # the list's header names whom
            if not _tidy(condition) and cue.kind == "grant":
                condition = (
                    self._asked_about(seg.start) or condition
                )  # "问：…高校毕业生能享受哪些补贴？答：可享受…"
            if THRESHOLD_START_RE.match(condition):
                condition = self._tier(condition)
            elif subject is not None and not _starts_new_subject(condition):
                condition = _inherit(subject, condition)
            if cue.kind == "grant":
                caps_end = self._caps_end(segments, i)
                made = self._grant(cue, segments, i, caps_end, condition, cond_start)
                i = caps_end
            else:
                made = self._non_monetary(cue, seg, condition, cond_start)
                if cue.kind == "right" and made:
                    last_right, last_right_at, last_family = made[-1], i, cue.family
                if cue.kind == "relief" and made:
                    last_relief, last_relief_at = made[-1], i
                    caps_end = self._caps_end(segments, i)
                    cap = _money_cap("，".join(g.text for g in segments[i + 1 : caps_end]))
                    if cap is not None and all(x.amount_max_yuan is None for x in made):
                        # "每年可退增值税的具体限额…，但最高不得超过每人每年35000元"
                        caps = "，".join(g.text for g in segments[i + 1 : caps_end])
                        for x in made:
                            x.amount_max_yuan, x.per, x.end = cap, _per(caps), segments[caps_end - 1].end
                            x.formula = {"up_to": plain(cap)}
                        i = caps_end - 1
                i += 1
            if made and subject is None:
                subject = made[0].condition
            cond_from = i

    def _tier(self, condition: str) -> str:
        """ "低于2亿元的", "5亿元至10亿元的" after "…营业收入超过2亿元（含2亿元）的企业": its context."""
        new = TIER_THRESHOLD_RE.match(condition)
        if not new:
            return condition
        for item in reversed(self.items[-6:]):
            old = TIER_THRESHOLD_RE.search(item.condition)
            if old and old.start() > 0:
                rest = condition[new.end() :].lstrip("的，, ")
                return (
                    item.condition[: old.start()]
                    + new.group(0)
                    + item.condition[old.end() :]
                    + (f"，{rest}" if rest else "")
                )
        return condition

    def _is_header_grant(self, seg: Segment, cue: Cue, segments: list[Segment], i: int) -> bool:
        """ "根据贯标等级进行奖励，其中AAA级…分别给予…", "分档给予奖励：…": a grant that only announces."""
        colon = self.text[seg.end : seg.end + 1] in ("：", ":")
        if not colon and (i + 1 >= len(segments) or not segments[i + 1].text.lstrip().startswith("其中")):
            return False
        after = seg.text[cue.end :]
        return not (find_money(after) or find_rates(after))

    def _condition(
        self, condition_segments: list[Segment], seg: Segment, prefix: str, limit: int | None = None
    ) -> tuple[str, int]:
        """The condition text before a benefit and where it starts in the clause text.

        ``limit`` keeps only the last few segments (a right's subject is near it; what comes before is
        often a duty of the government).
        """
        kept = [c for c in condition_segments if not PREAMBLE_RE.match(strip_marker(c.text))]
        if kept or prefix.strip():
            condition_segments = kept
        if limit is not None and len(condition_segments) > limit:
            # back to the "对…" that names the beneficiary, when it is near
            lead = next(
                (
                    n
                    for n in range(
                        len(condition_segments) - limit - 1, max(-1, len(condition_segments) - 5), -1
                    )
                    if strip_marker(condition_segments[n].text).startswith("对")
                    or condition_segments[n].text.endswith(("的企业", "的单位"))
                ),
                None,
            )
            condition_segments = condition_segments[lead if lead is not None else -limit :]
        parts = [s.text for s in condition_segments]
        if prefix.strip():
            parts.append(prefix)
        start = condition_segments[0].start if condition_segments else seg.start
        text = "，".join(parts)
        stripped = strip_marker(text)
        start += len(text) - len(stripped)
        # start at the last "对…" when the run has a preamble ("支持产业数字化，对通过…的企业")
        m = last_match(re.finditer(r"[，,]对", stripped))
        if m is not None:
            start += m.start() + 1
            stripped = stripped[m.start() + 1 :]
        return stripped, start

    def _caps_end(self, segments: list[Segment], i: int) -> int:
        """Index after the segments that only limit the grant at ``i`` (最高…, 期限不超过…)."""
        j = i + 1
        while j < len(segments) and _is_cap(segments[j].text):
            j += 1
        return j

    # -- money ---------------------------------------------------------------------------------

    def _grant(self, cue, segments, i, caps_end, condition, cond_start) -> list[ExtractedItem]:
        seg = segments[i]
        benefit = seg.text[cue.at :]
        caps = "，".join(s.text for s in segments[i + 1 : caps_end])
        formula_text, shown = _split_formula(condition)
        found = [m for m in _benefit_money(seg.text) if m.start >= cue.at]  # bounds see the words before
        if INSTALMENTS_RE.search(seg.text):  # "每亩1200元（五年内分三次发放，第一年…）": the whole amount
            found = _benefit_money(seg.text[: cue.at])[-1:] or found
        amounts = [m.value for m in found]
        said_max = bool(CEILING_BEFORE_RE.search(seg.text[: cue.at]))  # "最高给予…", "不超过…给予"
        bounds = [said_max or m.bound == "max" for m in found]
        rate = _rate(formula_text + benefit)
        if rate is None and FULL_RE.search(seg.text):
            rate = Decimal(1)  # 全额, 等额
        if rate is None and (RATE_IS_RE.search(caps) or STANDARD_IS_RE.match(caps)):
            rate = _rate(caps)  # "给予贷款贴息，贴息比例为贷款利息的50%"
        per = _per(formula_text + benefit + "，" + caps)
        months = None if INSTALMENTS_RE.search(seg.text + caps) else _months(benefit + "，" + caps)
        per_unit = _per_unit(formula_text + benefit)
        if months is None and per == "once" and re.search(r"(?:^|，)连续", caps):
            months = _years_as_months(caps)  # "按…的80%给予奖励，连续5年"
        if (
            per in ("year", "month") and months is None
        ):  # "连续3年每年给予…", "三年内每年给予…": for that many years
            months = _years_as_months(condition.split("，")[-1] + "，" + benefit + "，" + caps)
            if months is not None:
                shown = YEARS_RE.sub("", shown) or shown
        cap = _money_cap(caps)
        stated = [
            m
            for c in segments[i + 1 : caps_end]
            if PER_UNIT_START_RE.match(c.text.strip())
            for m in find_money(c.text)
        ]
        if not amounts and rate is None and stated:  # "给予房租补贴，每月每平方米20元，最长不超过3年"
            amounts, bounds = [stated[0].value], [False]
            per_unit = per_unit or _per_unit(caps)
            per = _per(caps) if per == "once" else per
            other = [m.value for m in find_money(caps) if m.bound == "max"]
            cap = max(other) if other else None
        if not amounts and rate is None:
            unit = [m for m in find_money(formula_text) if m.bound not in ("min", "less")]
            if len(unit) >= 2 and "分别" in seg.text + condition[-6:]:  # "分别按每月2000元、1500元的标准发放"
                amounts, bounds = [m.value for m in unit], [said_max or m.bound == "max" for m in unit]
                found, condition = unit, shown  # the list of whom is in the condition without the formula
            elif unit:
                amounts, bounds = [unit[0].value], [said_max or unit[0].bound == "max"]
        base = self._new(
            category="奖补",
            start=cond_start,
            end=segments[caps_end - 1].end,
            condition=_tidy(shown) or _tidy(condition),
            benefit_kind=_benefit_kind(benefit + caps, condition),
            per=per,
            months_max=months,
            per_person=per == "person" or _per_person(formula_text + benefit + "，" + caps),
            per_unit=per_unit,
        )
        if base.start > base.end:
            base.start = seg.start
        label = _benefit_label(benefit)
        before = next((x for x in reversed(self.items) if x.category == "奖补"), None)
        if not label and base.benefit_kind == "other" and before is not None:
            base.benefit_kind = before.benefit_kind  # "…给予一次性奖励300万元；在科创板上市的，给予200万元"
        if cue.family == "voucher":  # "可以申领创新券"
            label = re.split(r"[（(]", re.sub(r"^可(?:以)?申领", "", benefit))[0][:12] or label
            base.benefit_kind = "voucher"  # a voucher spent on services, not money paid out

        def finish(item: ExtractedItem, base_fact: str | None = None) -> ExtractedItem:
            return _finish(item, base_fact=base_fact, label=label)

        listed = [r for r in find_rates(formula_text + benefit) if r.bound not in ("min", "less")]
        if rate is not None and len(listed) >= 2 and "分别" in condition + seg.text:
            # "3年内分别按50%、40%、30%的比例给予扶持": one item per rate
            years = _years_as_months(condition) if len(listed) * 12 == _years_as_months(condition) else None
            elements = (
                [f"{_tidy(_tidy(shown))}（第{n}年）" for n in range(1, len(listed) + 1)]
                if years
                else _enumeration(shown, len(listed))
            )
            out = [
                finish(
                    replace(
                        base, rate=r.value, condition=_tidy(e), months_max=12 if years else base.months_max
                    )
                )
                for r, e in zip(listed, elements, strict=False)
            ]
            return self._add(out)
        if rate is not None:
            if REFERS_TO_AWARD_RE.search(formula_text + benefit) and self.last_group:
                return self._derived_from_awards(base, rate, label)
            item = replace(base, rate=rate, cap_yuan=cap or (amounts[0] if amounts else None))
            item.amount_max_yuan = item.cap_yuan
            item = finish(item, base_fact=_base_fact(formula_text + benefit, seg.text))
            if rate_is_ceiling(formula_text + benefit, rate):
                item.formula = as_ceiling(item.formula)
            return self._add([item])
        if not amounts and rate is None and re.search(r"视同|参照", condition + seg.text[: cue.at]):
            return []  # "市外引进的企业，视同新认定企业给予奖励": a benefit by reference
        if not amounts and rate is None and re.search(r"原则|不重复|就高", condition):
            return []  # "按照就高不重复的原则给予奖励": a rule of combination, not a benefit
        pairs = [p for c in segments[i + 1 : caps_end] for p in _listed_after(c.text)] if not amounts else []
        if pairs:  # "发放一次性补助，博士、硕士分别为5万元、3万元"
            out = [
                finish(
                    replace(
                        base,
                        amount_max_yuan=m.value,
                        ceiling=m.bound == "max",
                        condition=_join(base.condition, e),
                    )
                )
                for e, m in pairs
            ]
            return self._add(out)
        split = _split_benefits(benefit) if not amounts else []
        if len(split) >= 2:
            return self._add([_finish(replace(base), label=part) for part in split], group=False)
        parts = _paid_parts(benefit) if len(amounts) >= 2 and "分别" not in seg.text + condition[-6:] else []
        if parts:  # "给予3万元安家费以及连续3年每月2000元的生活补助": two benefits, each its own item
            out = []
            for part, money in parts:
                p_per = _per(part)
                p_months = _years_as_months(part) if p_per in ("year", "month") else None
                item = replace(base, amount_max_yuan=money.value, ceiling=money.bound == "max", per=p_per)
                item.months_max = p_months or _months(part)
                item.per_person = p_per == "person" or _per_person(part)
                out.append(_finish(item, label=_benefit_label(part)))
            return self._add(out, group=False)
        distributive = len(amounts) >= 2 and (
            "分别" in seg.text
            or "分别" in condition[-6:]
            or re.search(r"元[、和]" + SEG_CHAR + r"{0,6}\d", benefit)
        )
        if distributive:
            labels = _labels_before(seg.text, [m for m in found])
            elements = (
                [_join(_tidy(condition), label) for label in labels]
                if labels
                else _enumeration(condition, len(amounts))
            )
            out = [
                finish(replace(base, amount_max_yuan=value, ceiling=up_to, condition=_tidy(subject)))
                for value, up_to, subject in zip(amounts, bounds, elements, strict=False)
            ]
            return self._add(out)
        value = amounts[0] if amounts else None
        item = replace(base, amount_max_yuan=value, ceiling=bounds[0] if bounds else True)
        if per_unit and value is not None:  # "按每吨10元给予补贴，最高100万元": 10元 × 吨数, at most the cap
            item.unit_yuan = value
            if cap is not None:
                item.amount_max_yuan, item.cap_yuan, item.ceiling = cap, cap, False
        elif cap is not None and (value is None or (per not in ("month", "person") and cap > value)):
            item.amount_max_yuan, item.cap_yuan, item.ceiling = cap, cap, True
        elif months and value is not None and per == "month":
            item.cap_yuan = value * months
        persons = re.search(r"每" + SEG_CHAR + r"{0,6}不超过(\d+)人", formula_text + benefit + caps)
        if persons and value is not None:
            item.cap_yuan = value * int(persons.group(1))
        return self._add([finish(item)])

    def _derived_from_awards(self, base: ExtractedItem, rate: Decimal, label: str) -> list[ExtractedItem]:
        """ "参与制定的，按照主导制定奖励数额的20%给予奖励": one item per amount referred to."""
        out = []
        for award in self.last_group:
            if award.amount_max_yuan is None:
                continue
            amount = (award.amount_max_yuan * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            element = LEAD_VERB_RE.sub("", award.condition.split("，")[-1], count=1)
            item = replace(base, rate=rate, amount_max_yuan=amount, cap_yuan=amount)
            item.condition = f"{base.condition}（{element}）" if element else base.condition
            out.append(_finish(item, label=label))
            item.formula = {"up_to": plain(amount)}
        if not out:
            out = [_finish(replace(base, rate=rate), base_fact="reference_award", label=label)]
        return self._add(out, group=False)

    def _add(self, items: list[ExtractedItem], group: bool = True) -> list[ExtractedItem]:
        self.items.extend(items)
        if group and items:
            self.last_group = items
        return items

    # -- relief, rights and qualifications ---------------------------------------------------------

    def _non_monetary(self, cue: Cue, seg: Segment, condition: str, cond_start: int) -> list[ExtractedItem]:
        phrase = strip_marker(seg.text[cue.at :]).strip()
        category = "减免" if cue.kind == "relief" else "权益"

        base = self._new(
            category=category,
            start=min(cond_start, seg.start + cue.at),
            end=seg.end,
            condition=_tidy(condition),
            benefit_kind="tax" if category == "减免" and ("税" in phrase) else "other",
        )
        if cue.kind == "relief":
            base.months_max = relief_months(seg.text[cue.at :])
            money = [m for m in find_money(seg.text) if m.bound not in ("min", "less")]
            if money:  # "按每户每年14400元依次扣减增值税"
                base.amount_max_yuan = money[0].value
                base.per = _per(seg.text)
                base.formula = {"up_to": plain(money[0].value)}
            rates = [r for r in find_rates(seg.text)]
            if rates and re.search(r"底价|价格|标准的|(?<!减)按|即征即退|退还|返还|减免|减收|减征", seg.text):
                base.rate = rates[0].value
            taxes = _taxes(phrase)
            if len(taxes) >= 2:
                out = []
                for tax in taxes:
                    item = replace(base, name=_name_right(base.condition, tax), benefit_kind="tax")
                    item.conditions = conditions_for(item.condition)
                    out.append(item)
                self.items.extend(out)
                return out
        base.name = _name_right(base.condition, phrase)
        base.conditions = conditions_for(base.condition)
        self.items.append(base)
        return [base]

    def _qualification(self, sentence: str, offset: int) -> bool:
        """ "申请设立…，应具备以下基本条件：" and "每两年评选一次…": a status one applies for."""
        m = QUALIFICATION_RE.search(sentence)
        what = None
        if m:
            head = strip_marker(sentence[: m.start()] + m.group(0))
            what = re.sub(r"[，,]?(?:应|须|需|必须)(?:当)?(?:具备|符合|满足).*$", "", head)
            start = offset + sentence.find(head[:4]) if head[:4] else offset + m.start()
            end = offset + m.end()
        else:
            m = SELECTION_RE.search(sentence)
            if not m:
                return False
            tail = re.match(SEG_CHAR + r"{1,40}", sentence[m.end() :])
            if not tail:
                return False
            what = sentence[m.start() : m.end() + tail.end()]
            start, end = offset + m.start(), offset + m.end() + tail.end()
        thing = re.search(r"(?:申请|申报)(?:设立|认定|成为|评定|评选)?(.{2,60})$", what)
        name = thing.group(1) if thing else what
        name = re.sub(r"^每" + SEG_CHAR + r"{0,3}评选(?:认定)?一次", "", name) + (
            "评选" if not thing else "资格"
        )
        item = self._new(
            name=strip_quotes(re.sub(r"的(?=资格$)", "", name))[:120],
            category="资质",
            start=start,
            end=end,
            condition=_tidy(what),
            benefit_kind="other",
        )
        item.conditions = conditions_for(item.condition)
        self.items.append(item)
        return True

    # -- items graded from the one before ----------------------------------------------------------

    def _asked_about(self, at: int) -> str:
        """Whom the question just before an answer asks about, or ""."""
        asked = [q for end, q in self.questions if end <= at and at - end <= 8]
        if not asked:
            return ""
        q = re.sub(r"^问[：:]\s*", "", asked[-1])
        who = ASKED_RE.split(q, maxsplit=1)[0]
        if re.search(r"标准|金额|额度|条件|政策|时间|流程|材料|程序|申请|办理|补贴|奖励|补助", who):
            return ""  # the question asks about the benefit, not about whom
        return _tidy(who) if len(who) >= 2 and len(who) < len(q) else ""

    def _capped_tier(self, base: ExtractedItem, sentence: str, s_start: int, s_end: int) -> bool:
        """ "…按其地方贡献的50%给予奖励，最高不超过200万元；超过5000万元的，最高不超过500万元": a higher tier of
        the rate before, with its own cap."""
        m = CAPPED_TIER_RE.match(strip_marker(sentence).strip())
        if m is None or base.rate is None or grant_cue(sentence) or find_rates(m.group(2)):
            return False
        cap = [x for x in find_money(m.group(2)) if x.bound == "max"]
        if not cap or not THRESHOLD_START_RE.match(m.group(1)):
            return False
        item = replace(base, amount_max_yuan=cap[0].value, cap_yuan=cap[0].value, conditions={})
        item.condition = self._tier(m.group(1).rstrip("的"))
        item.start, item.end = s_start + sentence.find(m.group(1)), s_end
        self.items.append(_finish(item, base_fact=fact_in(base.formula), label=base.label))
        return True

    def _derived(self, sentence: str, s_start: int, s_end: int) -> bool:
        """Sentences that only modify the item before: stated limits, graded rates, raised standards."""
        if not self.items or self.items[-1].category != "奖补":
            return False
        base = self.items[-1]
        if self._capped_tier(base, sentence, s_start, s_end):
            return True
        head, sep, tail = sentence.partition("其中")
        limited = self._limit(base, head if sep else sentence, s_start + len(head) if sep else s_end)
        if limited and not sep:
            return True
        part = tail if sep else sentence
        raised = RAISED_RE.search(part)
        if not limited and grant_cue(part) and not raised:
            return False
        rates = find_rates(part)
        if "分别" in part and len(rates) >= 2 and base.rate is not None:
            grades = _grades(part)
            if len(grades) == len(rates):
                self._graded_rates(base, part, grades, [r.value for r in rates], s_start, s_end)
                return True
        if raised:
            return self._raised(base, part, raised, s_start + len(sentence) - len(part), s_end) or limited
        return limited

    def _limit(self, base: ExtractedItem, text: str, end: int) -> bool:
        """ "可以申领创新券。每家企业每年申领额度最高不超过20万元": the amount of the item before."""
        group = self.last_group
        if (
            len(group) >= 2
            and base is group[-1]
            and all(x.unit_yuan is not None and x.cap_yuan is None for x in group)
        ):
            return self._limit_per_unit(group, text, end)  # "单个项目年补贴限额500万" after a schedule
        if base.amount_max_yuan is not None or base.cap_yuan is not None or self.last_group != [base]:
            return False
        if re.search(r"对|的[，,]", text) or find_cue(text):
            return False
        limit = [m for m in find_money(text) if m.bound == "max"]
        if not limit:
            return False
        base.amount_max_yuan = limit[0].value
        if base.rate is not None:  # "按…的25%进行补贴。单户企业补贴金额不超过10万元": the rate's cap
            base.cap_yuan = limit[0].value
            base.end = end
            base.formula = formula_for(base, fact_in(base.formula))
            return True
        base.per = _per(text) if find_periods(text) or re.search(r"每年|年度", text) else base.per
        base.end = end
        base.formula = formula_for(base)
        return True

    def _limit_per_unit(self, group: list[ExtractedItem], text: str, end: int) -> bool:
        """A cap stated after per-unit amounts (a schedule per 千瓦时): each one's cap."""
        if re.search(r"对|的[，,]", text) or find_cue(text):
            return False
        limit = [m for m in find_money(text) if m.bound == "max"]
        if not limit:
            return False
        per = "year" if re.search(r"每年|年度|年补贴|年奖励|年最高|年累计", text) else None
        for item in group:
            item.amount_max_yuan = item.cap_yuan = limit[0].value
            item.ceiling = False
            item.per = per or item.per
            item.formula = formula_for(item)
        group[-1].end = end
        return True

    def _raised(self, base: ExtractedItem, part: str, raised: re.Match, start: int, end: int) -> bool:
        """ "其中，被列为重点项目的，补助比例提高至10%", "…的，补贴标准提高到每人每月1500元"."""
        after = part[raised.end() :]
        new_rates = find_rates(after)
        new_money = [m for m in find_money(after) if m.bound != "min"]
        cond = _tidy(strip_marker(part[: raised.start()].lstrip("，, ")))
        cond = re.sub(r"[，,]?" + SEG_CHAR + r"{0,6}(?:比例|标准|额度|金额)$", "", cond)
        cond = _tidy(cond)
        if new_rates and base.rate is not None:
            item = replace(
                base, rate=new_rates[0].value, condition=_join(base.condition, cond), conditions={}
            )
        elif new_money and base.rate is None:
            value = new_money[0].value
            item = replace(
                base,
                amount_max_yuan=value,
                cap_yuan=value * base.months_max if base.per == "month" and base.months_max else None,
                condition=_join(base.condition, cond),
                conditions={},
                per=_per(after) if find_periods(after) else base.per,
            )
        else:
            return False
        item.start, item.end = start, end
        self.items.append(_finish(item, base_fact=fact_in(base.formula), label=base.label))
        return True

    def _graded_rates(self, base, part, grades, rates, s_start, s_end) -> None:
        """ "其中…C类和D类的企业…比例分别不超过8%和7%": graded copies of the rate item before."""
        listed = re.search(r"[A-E]{1,3}(?:类|级)(?:(?:和|、|及|或)[A-E]{1,3}(?:类|级))+", part)
        who = part.split("，")[0].lstrip("，, ") if listed else ""
        fact = "mu_chan_grade" if "亩产" in part else None
        for grade, rate in zip(grades, rates, strict=True):
            kind = listed.group(0)[len(grades[0]) : len(grades[0]) + 1] if listed else "类"
            label = who.replace(listed.group(0), f"{grade}{kind}") if listed else f"{grade}类"
            label = re.sub(r"的(?:企业|单位|项目)?$", "", label)
            item = replace(base, rate=rate, condition=_join(base.condition, label), conditions={})
            item.start, item.end = s_start, s_end
            _finish(item, base_fact=fact_in(base.formula), label=base.label)  # grade: from the condition
            if base.formula and "up_to" in base.formula:  # "分别不超过8%和7%": still ceilings
                item.formula = as_ceiling(item.formula)
            self.items.append(item)
        if fact:
            base.conditions = all_of(
                base.conditions,
                {
                    "fact": fact,
                    "op": "not_in",
                    "value": list(grades),
                    "label": f"“亩产效益”综合评价结果不是{'、'.join(grades)}类",
                },
            )


# where a question turns from whom it asks about to what: "…高校毕业生能享受哪些补贴？"
ASKED_RE = re.compile(r"能|可以|可|是否|有哪些|有什么|如何|怎样|怎么|需要|应当|哪些|什么|多少")
# a tier that only states its own cap: "超过5000万元的，最高不超过500万元"
CAPPED_TIER_RE = re.compile(
    r"^("
    + SEG_CHAR
    + r"{2,40}?的)[，,]("
    + SEG_CHAR
    + r"{0,30}(?:最高|不超过)"
    + SEG_CHAR
    + r"{0,20})[。；;]?$"
)
LISTED_AFTER_RE = re.compile(
    r"^(" + SEG_CHAR + r"{2,60}?)(?:每人每月|每月|每年|每人)?分别(?:为|是|按|补贴|奖励|补助|给予)"
)


def _listed_after(text: str) -> list[tuple[str, Money]]:
    """ "博士研究生、硕士研究生分别为5万元、3万元" after a grant: (element, amount) pairs, or []."""
    m = LISTED_AFTER_RE.match(text.strip())
    if not m:
        return []
    money = [x for x in find_money(text) if x.bound not in ("min", "less")]
    pieces = [p for p in re.split(r"、|和|及|与|或", m.group(1)) if p]
    if len(money) < 2 or len(pieces) != len(money):
        return []
    return list(zip(_distribute(pieces), money, strict=True))


def _drop_announcements(items: list[ExtractedItem], text: str) -> list[ExtractedItem]:
    """ "…可享受购房补贴。博士补贴10万元，硕士补贴5万元": a grant without amount that a later sentence of the
    clause states in amounts is announced, not a benefit of its own."""
    out = []
    for n, item in enumerate(items):
        following = items[n + 1] if n + 1 < len(items) else None
        if (
            following is not None
            and item.category == following.category == "奖补"
            and item.amount_max_yuan is None
            and item.rate is None
            and (following.amount_max_yuan is not None or following.rate is not None)
            and following.start > item.end
            and item.label[-2:] == following.label[-2:]
            and not text[following.start : following.start + 1] == "对"
            and not _starts_new_subject(following.condition)
        ):
            if not following.condition:  # "给予奖励。奖励标准为每家10万元": one item, whom the first names
                following.condition, following.start = item.condition, item.start
                following.conditions = conditions_for(following.condition)
                following.label = item.label if len(item.label) > len(following.label) else following.label
                following.name = f"{_short(following.condition)}{following.label}"[:120]
            continue
        out.append(item)
    return out


def _labels_before(text: str, found: list[Money]) -> list[str]:
    """ "分别给予国家级25万元、省级20万元、市级10万元": the label before each amount, or [] when not all
    amounts have a short one of their own."""
    labels, prev = [], None
    for m in found:
        if prev is None:
            verb = last_match(re.finditer(r"给予|予以|奖励|补助|补贴|资助|为", text[: m.start]))
            if verb is None:
                return []
            piece = text[verb.end() : m.start]
        else:
            piece = text[prev : m.start]
        piece = re.sub(
            r"^[、，,和及或]|^(?:分别|一次性|每家|每个|最高)+|(?:分别|一次性|每家|最高)+$", "", piece.strip()
        )
        if not (1 <= len(piece) <= 8) or re.search(r"\d|[、，,]", piece):
            return []
        labels.append(piece)
        prev = m.end
    return labels


def _paid_parts(benefit: str) -> list[tuple[str, Money]]:
    """ "给予3万元安家费以及连续3年每月2000元的生活补助": (part, amount) per benefit joined by 以及/并/同时,
    each naming its own kind of money; [] when the amounts are one list."""
    pieces = re.split(r"以及|并(?:给予|享受|发放)|同时(?:给予|享受|发放)?|另(?:外)?(?:给予|发放)", benefit)
    if len(pieces) < 2:
        return []
    out = []
    for piece in pieces:
        money = [m for m in find_money(piece) if m.bound not in ("min", "less")]
        if len(money) != 1 or not BENEFIT_NOUN_RE.search(piece):
            return []
        out.append((piece, money[0]))
    return out


# a clause of another document quoted to be amended: "文中“…”条款，…修改为"
QUOTED_RULE_RE = re.compile(r"“[^“”\n]{0,600}”(?=条款|的规定|规定)")
# a sentence about a past policy or comparing with one, or a reported outcome
PAST_RE = re.compile(
    r"早在\d{4}年|出台过|曾(?:经)?(?:出台|发布|实施)|与\d{4}年(?:相比|比较)|此前(?:的)?政策"
    # outcomes a report states: "截至目前，已为1200家企业兑现补贴3000万元", "累计发放补贴…"
    r"|截至目前|截至当前|截至发稿|(?:累计|共计|共)(?:为"
    + SEG_CHAR
    + r"{0,12})?(?:兑现|发放|拨付|落实|减免|领取|获得)"
    r"|已(?:为" + SEG_CHAR + r"{0,12})?(?:兑现|发放|拨付)"
)


def _since_header(unused: list[tuple[int, str]]) -> tuple[int, str]:
    """The conditions a grant without its own refers to: the sentences since the last list header
    ("对同时符合以下条件的企业：" and its points), else the last sentence."""
    for n in range(len(unused) - 1, max(-1, len(unused) - 9), -1):
        if unused[n][1].rstrip().endswith(("：", ":")):
            start = unused[n][0]
            points = "；".join(t.strip().rstrip("。；;") for _, t in unused[n + 1 :])
            return start, unused[n][1].strip() + points
    return unused[-1]


def _is_floor(text: str, following: str) -> bool:
    """A grant segment that only states a floor (最低X元, 不低于X元) before the ceiling in the next."""
    money = find_money(text)
    if not money or any(m.bound not in ("min",) for m in money) or find_rates(text):
        return False
    return any(m.bound == "max" for m in find_money(following))


def _starts_new_subject(condition: str) -> bool:
    """A condition that names its own beneficiary ("对…", "…的") rather than qualifying the last one."""
    c = condition.strip()
    return (
        c.startswith(("对", "其中"))
        or c.endswith(("的", "者", "企业", "单位", "人员"))
        or bool(THRESHOLD_START_RE.match(c))
    )


BARE_NOUN_RE = re.compile(r"[\u4e00-\u9fff]{1,8}")


def _inherit(subject: str, condition: str) -> str:
    """The sentence's first condition with this one: "…项目，一等奖" then "二等奖" → "…项目，二等奖" (a parallel
    grade or level replaces the one before), else both."""
    head, _, last = subject.rpartition("，")
    if (
        not head
        and BARE_NOUN_RE.fullmatch(last)
        and BARE_NOUN_RE.fullmatch(condition)
        and not BARE_PREDICATE_RE.search(condition)
    ):
        return condition  # "博士补贴10万元，硕士补贴5万元": parallel beneficiaries
    for pattern in (GRADE_RE, LEVEL_RE):
        if pattern.fullmatch(last) and pattern.fullmatch(condition):
            return _join(head, condition)
    return _join(subject, condition)


def _join(a: str, b: str) -> str:
    return f"{a}，{b}" if a and b else a or b


def _split_formula(condition: str) -> tuple[str, str]:
    """ "…，按照设备购置额的8%" -> (formula, condition without it); only when it holds a number."""
    m = last_match(x for x in re.finditer(r"按(?:照)?", condition) if not _in_brackets(condition, x.start()))
    if m is None:
        return "", condition
    tail = condition[m.start() :]
    rest = ""
    comma = next((x.start() for x in re.finditer("，", tail) if not _in_brackets(tail, x.start())), None)
    if comma is not None:  # "按…的比例进行返还，自2027年起小微企业": the formula is its own segment
        tail, rest = tail[:comma], tail[comma + 1 :]
    if not (re.search(r"\d|[%％‰]|百分之|[零〇一二两三四五六七八九十]+(?:万|亿)?元", tail)):
        return "", condition
    head = condition[: m.start()].rstrip("，, ")
    if rest:
        head = f"{head}，{rest}" if head else rest
    head = re.sub(r"(?:市|县|区)?(?:级)?财政$", "", head).rstrip("，, ")
    return tail, head


def _benefit_money(benefit: str) -> list[Money]:
    """The amounts a grant phrase gives (not thresholds, not loan amounts), with their bounds: "max" for
    最高X / 不超过X (a ceiling), "exact" for 给予X (the amount itself)."""
    out = []
    for m in find_money(benefit):
        if m.bound in ("min", "less") or RAISED_FROM_RE.match(benefit, m.end):
            continue
        if LOAN_RE.match(benefit[m.end :]):
            continue
        out.append(m)
    return out


# what a value is raised from: "由30%提至50%", "从600元提高到800元"
RAISED_FROM_RE = re.compile(r"(?:提高|提升|提|上调|调高|增加)(?:至|到)")
CEILING_BEFORE_RE = re.compile(r"(?:最高|最多|不超过|不高于)(?:可)?$")


def _per_person(text: str) -> bool:
    """Whether the amount is for each person ("每人每月", "元/人·月")."""
    return any(p.person for p in find_periods(text)) or bool(re.search(r"元/人", text))


def _split_benefits(benefit: str) -> list[str]:
    """ "享受创业补贴和创业担保贷款": one benefit per listed kind of money."""
    m = re.search(r"(?:给予|予以|享受|进行)(.{2,40})$", benefit)
    if not m:
        return []
    parts = re.split(r"和|及|、", m.group(1))
    if len(parts) >= 2 and all(re.search(r"(?:补贴|贷款|贴息|奖励|资助|补助)$", p) for p in parts):
        return parts
    return []


def _rate(text: str) -> Decimal | None:
    """The rate a grant pays: the one before "的比例", else the first that is not a threshold."""
    found = [
        r
        for r in find_rates(text)
        if r.bound not in ("min", "less") and not RAISED_FROM_RE.match(text, r.end)
    ]
    found = [
        r for r in found if not re.match(r"[—–\-~～至到]{1,2}\d", text[r.end : r.end + 3])
    ]  # 40%—60%: 60%
    outside = [r for r in found if not _in_brackets(text, r.start)]
    found = outside or found  # "按实际担保费率（不高于2.5%）的25%": the note's rate is a limit
    if not found:
        return None
    ratio = text.find("的比例")
    if ratio >= 0:
        before = [r for r in found if r.start < ratio]
        if before:
            return before[-1].value
    capped = [r for r in found if not re.search(r"费率上限|利率上限", text[r.end : r.end + 6])]
    return (capped or found)[0].value


def _in_brackets(text: str, at: int) -> bool:
    """Whether ``at`` lies inside a bracketed note, looking back at most 40 characters."""
    before = text[max(0, at - 40) : at]
    return before.rfind("（") > before.rfind("）") or before.rfind("(") > before.rfind(")")


def _per(text: str) -> str:
    periods = {p.per for p in find_periods(text)}
    unit = re.search(r"元/(人|户|家|个|年|月|人·月|人/月)", text)
    if unit:
        periods.add({"年": "year", "月": "month", "人": "person"}.get(unit.group(1)[-1], "once"))

    if re.search(r"年度(?:最高|补贴|奖补|奖励|累计)|每年", text):
        periods.add("year")
    for per in ("month", "year", "person"):
        if per in periods:
            return per
    return "once"


PER_UNITS = {
    "平方米": "area",
    "平米": "area",
    "㎡": "area",
    "立方米": "volume",
    "户": "households",
    "吨": "tonnes",
    "千瓦时": "kwh",
    "亩": "mu",
}
PER_UNIT_RE = re.compile(
    r"每(平方米|平米|㎡|立方米|户|吨|千瓦时|亩)(?!企业|每年)|元/(平方米|平米|㎡|立方米|户|吨|千瓦时|亩)(?![\u4e00-\u9fff])"
)
YEARS_RE = re.compile(r"[，,]?(?:连续|在)?[0-9一二三四五六七八九十两]{1,3}(?:个)?年(?:内)?$")


def _per_unit(text: str) -> str | None:
    """The quantity a per-unit amount is for ("按每平方米20元" → "area"), or None.

    Examples:
        >>> _per_unit("按每吨10元给予补贴"), _per_unit("按每户每年14400元"), _per_unit("每人每月3000元")
        ('tonnes', None, None)
    """
    m = PER_UNIT_RE.search(text)
    return PER_UNITS[m.group(1) or m.group(2)] if m else None


def _years_as_months(text: str) -> int | None:
    """The years of a per-year benefit ("连续3年", "三年内"), as months; None when not said."""
    for d in find_durations(text):
        if d.months and d.months % 12 == 0 and (d.consecutive or d.bound == "max"):
            return d.months
    return None


def _months(text: str) -> int | None:
    for d in find_durations(text):
        if d.months and (
            d.bound == "max"
            or d.consecutive
            or re.search(r"期限|最长|最多|连续" + SEG_CHAR + r"{0,3}$", text[max(0, d.start - 8) : d.start])
        ):
            return d.months
    return None


def _money_cap(caps: str) -> Decimal | None:
    found = [m.value for m in find_money(caps) if m.bound in ("max", "exact")]
    return max(found) if found else None


# the amount of a grant stated in the next segment: "补贴标准为5000元", "奖励金额为10万元"
STANDARD_IS_RE = re.compile(
    r"^(?:补贴|补助|奖励|资助|奖补|贴息|扶持)?(?:资金)?(?:标准|金额|额度|数额)(?:统一|原则上|一般)?(?:为|是|按)"
)


# a rate stated after the grant: "贴息比例为贷款利息的50%", "贷款贴息率为5%"
RATE_IS_RE = re.compile(r"(?:比例|贴息率|补贴率|补助率|资助率|奖励率)(?:为|不超过|不高于|最高|按)")
# a segment that states the amount per unit or period after a grant
PER_UNIT_START_RE = re.compile(
    r"^(?:按)?(?:每(?:人|户|家|月|年|平方米|平米|㎡|亩|吨|千瓦时|立方米)){1,3}(?:补贴|补助|奖励)?[0-9.]"
)
MAX_GRANT_RE = re.compile(
    r"^(?:单个|每个|每家|每户|每人|每项|每年)?"
    + SEG_CHAR
    + r"{0,4}?(?:最高|最多)(?:各|均)?(?:可)?(?:补助|补贴|奖励|资助|给予|奖补)"
)


def _is_cap(text: str) -> bool:
    """A segment that only limits the grant before it (no grant verb, no new beneficiary)."""
    t = text.strip()
    if not t or t.startswith(("对", "其中")) or t.endswith("的"):
        return False
    money = find_money(t)
    if money and MAX_GRANT_RE.match(t) and all(m.bound == "max" for m in money):
        return True  # "…给予补助，单个项目最高可补助200万元"
    if money and re.search(r"最低|最少|不低于", t) and all(m.bound == "min" for m in money):
        return True  # "…，最低补助50万元，最高…": a floor, said with the ceiling
    if (
        (money or find_rates(t))
        and STANDARD_IS_RE.match(t)
        and not any(m.bound in ("min", "less") for m in money)
    ):
        return True  # "给予一次性创业补贴，补贴标准为5000元", "奖励金额为实际投资额的10%"
    if _listed_after(t):
        return True
    if len(money) == 1 and money[0].bound == "exact" and re.match(r"(?:单个|单户|单家|单项|单台|单笔)", t):
        return True  # "…给予奖励，单个项目200万元"
    if re.match(r"^由" + SEG_CHAR + r"{0,80}(?:确定|核定|审核|负责|兑现|拨付)$", t) and not find_money(t):
        return True  # "…，由县级以上税务机关按照…确定，但最高不得超过…": who settles it, then the cap  # "…发放生活补贴，博士、硕士分别为2000元、1500元"
    if grant_cue(t):
        return False

    if RELIEF_RE.search(t) or RIGHT_RE.search(t):
        return False
    if money and all(m.bound in ("max",) for m in money):
        return True
    if RATE_IS_RE.search(t) and find_rates(t):
        return True  # "贴息比例为贷款利息的50%"

    if money and PER_UNIT_START_RE.match(t) and all(m.bound == "exact" for m in money) and len(money) == 1:
        return True  # "给予房租补贴，每月每平方米20元"
    if any(d.months for d in find_durations(t)) and re.search(r"期限|最长|最多|不超过|^连续", t):
        return True

    if re.search(r"不超过\d+人|分" + r"[一二三四五\d]年(?:兑现|拨付|发放)", t):
        return True
    return False


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
    if re.search(r"补贴|补助|支持|奖补|承担", benefit):
        return "subsidy"
    return "other"


def _base_fact(formula_text: str, segment: str) -> str:
    text = formula_text + segment
    if "保费" in text:
        return "insurance.premium"
    if re.search(r"设备|购置", text):
        return "project.equipment_cost"
    if "建设费用" in text:
        return "project.construction_cost"
    return "project.eligible_cost"


def _grades(sentence: str) -> list[str]:
    """ "C类和D类" -> ["C", "D"]."""
    return [m.group(1) for m in GRADE_LIST_RE.finditer(sentence)]


def _taxes(text: str) -> list[str]:
    """The listed reliefs of distinct named taxes, outside 《》 titles.

    Examples:
        >>> _taxes("用足用好集成电路和软件企业所得税、软件产品增值税“即征即退”优惠政策")
        ['集成电路和软件企业所得税优惠政策', '软件产品增值税即征即退优惠政策']
    """
    outside = strip_quotes(re.sub(r"《[^》]{0,80}》", "", text))
    outside = BENEFIT_START_RE.sub("", outside)
    pieces = re.split(r"、", outside)
    named = [p for p in pieces if TAX_RE.search(p)]
    if len(named) < 2 or len({TAX_RE.search(p).group(0) for p in named}) < len(named):
        return []
    tail = re.sub(r"^.*?(?:" + TAX_RE.pattern + r")", "", named[-1], count=1)
    common = re.sub(r"^(?:" + RELIEF_RE.pattern + ")", "", tail)
    return [p if p is named[-1] else p + common for p in named]


def _tidy(condition: str) -> str:
    text = condition.strip("，,：: \n")
    text = strip_marker(text)
    text = re.sub(r"[，,]?(?:由)?(?:市|县|区|市、县两)级?财政(?:一次性)?$", "", text)
    text = re.sub(r"^(?:市|县|区|省|市、县两)?级?财政(?:对|向)", "", text)
    text = re.sub(r"[，,]?(?:按规定|按照规定|按有关规定|按市有关规定|按照有关规定)$", "", text)
    text = re.sub(r"^答(?:复)?[，,：:]?", "", text)
    text = re.sub(r"[，,]?(?:每项)?分别$|[，,]?(?:最高|最多)$", "", text)
    text = re.sub(r"^(?:对于|对)", "", text)
    text = re.sub(r"的[，,]?$", "", text)
    text = re.sub(r"(?:可以|可)$", "", text)
    return text.strip("，,：: ")


def _time_limit(text: str) -> int | None:
    m = TIME_LIMIT_RE.search(text)
    if not m:
        return None
    try:
        return int(parse_number(m.group(1)))
    except ValueError:
        return None


def _key(doc: str, path: str, n: int) -> str:
    return hashlib.sha1(f"{doc}|{path}|{n}".encode()).hexdigest()[:12]


def _identity(doc) -> str:
    """What names a document for its items' keys: the 文号, else issuer, title and date (as its library uid),
    so a re-issued notice without a 文号 does not take its predecessor's keys."""
    if doc.doc_number:
        return doc.doc_number
    return f"{doc.issuer or ''}|{doc.title}|{doc.date or ''}"


def _enumeration(condition: str, n: int) -> list[str]:
    """The ``n`` subjects of a distributive "分别" (one condition text per element)."""
    segments = condition.split("，")
    for seg_index in range(len(segments) - 1, -1, -1):
        segment = segments[seg_index]
        core = re.sub(r"^(?:对于|对|其中)", "", segment)
        core = re.sub(r"(?:分别|每项分别|每项)$", "", core)
        core = re.sub(r"的(?:企业|单位)?$", "", core) if core.endswith(("的", "的企业", "的单位")) else core
        for separators in SEPARATORS:
            pieces = re.split(separators, core)
            if len(pieces) != n or not all(pieces):
                continue
            subjects = _distribute(pieces)
            before = "，".join(segments[:seg_index])
            after = "，".join(segments[seg_index + 1 :])
            return ["，".join(x for x in (before, s, after) if x) for s in subjects]
    return [f"{_tidy(condition)}（第{i}档）" for i in range(1, n + 1)]


def _distribute(pieces: list[str]) -> list[str]:
    """Rebuild each element's full subject from "首次认定为国家级、省级特色产业集群"-style lists."""
    first, last, middle = pieces[0], pieces[-1], pieces[1:-1]
    for pattern, anywhere in (
        (MONEY_ELEMENT_RE, MONEY_ELEMENT_RE),
        (LEVEL_RE, LEVEL_ANY_RE),
        (GRADE_RE, GRADE_RE),
    ):
        head = pattern.match(last)
        if not head or not all(pattern.fullmatch(m) for m in middle):
            continue
        matches = list(anywhere.finditer(first))
        if not matches or matches[-1].end() != len(first):
            continue  # the first element is complete on its own: nothing to share
        tail = last[head.end() :]
        lead, e1 = first[: matches[-1].start()], matches[-1].group(0)
        return [f"{lead}{e}{tail}" for e in [e1, *middle, head.group(0)]]
    verb = list(LEAD_VERB_RE.finditer(first))
    lead_end = verb[-1].end() if verb else 0
    lead, e1 = first[:lead_end], first[lead_end:]
    level = LEVEL_RE.match(e1)
    if level and not any(LEVEL_RE.match(p) for p in pieces[1:]):
        lead, e1 = lead + level.group(0), e1[level.end() :]
    return [f"{lead}{e}" for e in [e1, *middle, last]]


def _finish(item: ExtractedItem, base_fact: str | None = None, label: str = "") -> ExtractedItem:
    """Fill in the machine condition, the formula and the name of a money item."""
    if not item.conditions:
        item.conditions = conditions_for(item.condition)
    item.formula = formula_for(item, base_fact)
    item.label = label or NOUNS.get(item.benefit_kind, "支持")
    item.name = f"{_short(item.condition)}{item.label}"[:120]
    return item


BENEFICIARY_RE = re.compile(
    r"企业|公司|单位|机构|组织|中心|基地|园区|平台|工厂|车间|项目|产品|团队|人员|人才|博士|毕业生|农户"
    r"|个体工商户|创业者|工作室|工作站|集群|供应商|服务商|家庭|学校|医院|村|社区|街道|乡镇|政府|部门"
)
BARE_PREDICATE_RE = re.compile(  # "重新认定", "升级为省级", "通过复审": what happened, not to whom
    r"(?:首次|重新|再次|新|被|经|通过|获得|获|认定|评定|复审|复核|验收|升级|晋升|提升|为|到|至|的|及以上"
    r"|国家级|省级|市级|县级|国家|省|市|县|[A-Z]{1,4}级|[一二三四五六七八九]星级?|[一二三特]等奖?)+"
)
SUBJECT_CUT_RE = re.compile(r".*(?:的|，|、|认定为|评为|获评|入选|列入|成为|对于|对|通过|获得)")


def _subject(condition: str) -> str:
    """The beneficiary a condition names, its head noun last ("首次认定的高新技术企业" → "高新技术企业"), or "".

    Examples:
        >>> _subject("首次认定的高新技术企业"), _subject("经认定的市级工业设计中心"), _subject("重新认定")
        ('高新技术企业', '市级工业设计中心', '')
    """
    found = last_match(BENEFICIARY_RE.finditer(condition))
    if found is None:
        return ""
    head = condition[: found.end()]
    cut = SUBJECT_CUT_RE.match(head[: found.start()])
    subject = head[cut.end() :] if cut else head
    return subject if len(subject) >= 2 else ""


def _name_subjects(items: list[ExtractedItem]) -> None:
    """Names that keep who gets the benefit: an item whose condition names no beneficiary ("重新认定的，
    给予一次性奖励10万元") takes the one of the item before it in the clause ("重新认定的高新技术企业一次性奖励")."""
    subject = ""
    for item in items:
        own = _subject(item.condition)
        if own:
            subject = own
        elif subject and item.category == "奖补" and BARE_PREDICATE_RE.fullmatch(_short(item.condition)):
            item.name = f"{_short(item.condition)}的{subject}{item.label}"[:120]


def _benefit_label(benefit: str) -> str:
    """The benefit's own noun ("社会保险补贴", "一次性奖励", "留聊补贴"), or ""."""
    text = re.sub(r"[0-9.]+(?:亿|万|千)?元|[零〇一二两三四五六七八九十百千]+(?:亿|万)?元", "、", benefit)
    found = last_match(BENEFIT_NOUN_RE.finditer(text))
    if not found:
        return ""
    label = re.sub(r"^.*?(?:给予|予以|享受|进行|申请|发放|最高|不超过|的|、|标准)", "", found.group(1))
    label = re.sub(r"^(?:必要|适当|一定|相应)的?|^(?:每项)?分别|^予(?!以)", "", label)  # "给予" cut at 给

    return label if len(label) >= 2 else found.group(1)[-2:]


CIRCUMSTANCE_RE = re.compile(
    r"^在" + SEG_CHAR + r"{0,40}(?:前提下|情况下|基础上|期间)$|^由" + SEG_CHAR + r"{0,20}结合实际$"
)


BENEFIT_NOUN_RE = re.compile(
    r"([\u4e00-\u9fff]{0,8}(?:补贴|补助|奖励|奖补|资助|经费|贴息|奖金|津贴|返还|安家费))(?![\u4e00-\u9fff]{0,2}(?:政策|办法|标准))"
)


NOUNS = {
    "award": "奖励",
    "subsidy": "补贴",
    "insurance_subsidy": "保费补贴",
    "funding": "资助",
    "loan_interest": "贴息",
    "tax": "税费减免",
}


def _short(condition: str, width: int = 60) -> str:
    """A condition short enough to head a name: "对…的" trimmed, long preambles dropped.

    Examples:
        >>> _short("对首次认定为国家级专精特新中小企业的")
        '首次认定为国家级专精特新中小企业'
    """
    parts = [p for p in condition.strip("，, ").split("，") if p]
    plain = [p for p in parts if not CIRCUMSTANCE_RE.match(p)]
    text = "，".join(plain or parts)
    text = re.sub(r"^(?:对于|对)", "", text)
    text = re.sub(r"的$", "", text)
    while len(text) > width and "，" in text:
        text = text.split("，", 1)[1]
    return text[:width]


def _name_right(condition: str, phrase: str) -> str:
    phrase = strip_quotes(phrase)[:60]
    subject = _short(condition, 40) if condition else ""
    return f"{subject}：{phrase}"[:120] if subject and subject not in phrase else phrase[:120]
