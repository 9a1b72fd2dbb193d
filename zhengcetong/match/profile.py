"""The enterprise profile (企业画像): its fact schema, fact paths, and resolving a path on a date.

A profile is a plain JSON object. A *fact path* names one value in it:

    revenue.2025                       a value by year
    revenue.last_year                  the year before the evaluation date (also this_year, year_before_last)
    persons[role=博士后].count          how many list elements match a selector
    projects[kind=技术改造].equipment_cost   a field of the matching element(s)
    persons.sum(monthly_salary)        also max(...) and min(...)

Absent and null values are *unknown*. A list that is present is complete: ``"recognitions": []`` means
"none", while a profile without ``recognitions`` does not say.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from zhengcetong.match.errors import FactError, Problem, did_you_mean
from zhengcetong.match.text import quantity, to_decimal, year_word

# --- the schema ------------------------------------------------------------------------------------

MAX_INT = 1_000_000_000  # headcounts, ages, months, years: any larger is a typo


@dataclass(frozen=True)
class FactSpec:
    """What one fact (or one field of a list element) holds, with its Chinese label."""

    type: str  # str, int, number, bool, date, enum, str_list, by_year, record, records, any
    label: str
    unit: str | None = None  # yuan, ratio, person, month, count, age, years, year
    doc: str = ""
    enum: dict[str, str] | None = None  # value -> Chinese label
    fields: dict[str, FactSpec] | None = None  # element fields of a records list
    item: str = "项"  # the counting word of a records list
    derived_from: str | None = None  # a derived fact: computed from this one when absent
    yes: str | None = None  # bool facts: how "true" and "false" read
    no: str | None = None

    @property
    def numeric(self) -> bool:
        return self.type in ("int", "number")

    @property
    def field_specs(self) -> dict[str, FactSpec]:
        """The fields of a record, or of a records list's elements (none for other facts)."""
        return self.fields or {}


LEVELS = {"national": "国家级", "provincial": "省级", "municipal": "市级", "county": "县级"}
STANDARD_LEVELS = {
    "international": "国际标准",
    "national": "国家标准",
    "industry": "行业标准",
    "provincial": "省地方标准",
    "group": "团体标准",
}
GRADES = {"A": "A类", "B": "B类", "C": "C类", "D": "D类"}

RECOGNITION = {
    "name": FactSpec("str", "名称", doc="e.g. 专精特新“小巨人”企业, 省级企业技术中心"),
    "level": FactSpec("enum", "级别", enum=LEVELS),
    "year": FactSpec("int", "认定年份", "year"),
    "date": FactSpec("date", "认定日期"),
    "first_time": FactSpec("bool", "是否首次", yes="首次获得", no="非首次获得"),
    "grade": FactSpec("str", "等级", doc="e.g. AAA for 两化融合管理体系贯标, 5 for CMMI 五级"),
}
PROJECT = {
    "name": FactSpec("str", "项目名称"),
    "kind": FactSpec("str", "项目类型", doc="e.g. 技术改造, 设备更新, 绿色化改造"),
    "investment": FactSpec("number", "计划总投资", "yuan"),
    "equipment_cost": FactSpec("number", "设备（含软件）购置金额", "yuan"),
    "construction_cost": FactSpec("number", "建设费用", "yuan"),
    "year": FactSpec("int", "实施年份", "year"),
    "completed": FactSpec("bool", "是否完工", yes="已完工", no="未完工"),
    "new_land": FactSpec("bool", "是否新增用地", yes="新增用地", no="不新增用地（“零增地”）"),
    "eligible_cost": FactSpec(
        "number", "核定补助基数", "yuan", doc="the cost a rate applies to, as assessed"
    ),
    "listed_in": FactSpec(
        "str", "列入的项目名单", doc="e.g. 重点技术改造项目, 省重点项目 (several joined by 、)"
    ),
    "land_type": FactSpec("str", "项目用地类型", doc="e.g. 农用地, 未利用地, 存量建设用地"),
    "changes_land_ownership": FactSpec(
        "bool", "是否涉及土地权属变化", yes="涉及土地权属变化", no="不涉及土地权属变化"
    ),
    "changes_land_use": FactSpec(
        "bool", "是否涉及用地性质变更", yes="涉及用地性质变更", no="不涉及用地性质变更"
    ),
    "changes_structure": FactSpec(
        "bool", "是否涉及建筑主体结构变动", yes="涉及建筑主体结构变动", no="不涉及建筑主体结构变动"
    ),
    "low_risk": FactSpec("bool", "是否为简易低风险项目", yes="简易低风险项目", no="非简易低风险项目"),
    "commitment": FactSpec("bool", "是否实行告知承诺制", yes="实行告知承诺制", no="未实行告知承诺制"),
}
INSURANCE = {
    "kind": FactSpec("str", "险种", doc="e.g. 首版次软件质量保证保险, 首台（套）装备综合险"),
    "premium": FactSpec("number", "实缴保费", "yuan"),
    "rate": FactSpec("number", "保险费率", "ratio"),
    "insured_amount": FactSpec("number", "投保金额", "yuan"),
    "year": FactSpec("int", "投保年份", "year"),
    "product": FactSpec("str", "投保的产品", doc="e.g. 首版次软件, 首台（套）装备, 首批次新材料"),
}
PERSON = {
    "name": FactSpec("str", "姓名"),
    "role": FactSpec("str", "身份", doc="e.g. 博士后, 高校毕业生, 残疾人职工"),
    "degree": FactSpec("str", "学历", doc="e.g. 博士, 硕士, 本科"),
    "birth_date": FactSpec("date", "出生日期"),
    "age": FactSpec("int", "年龄", "age", derived_from="birth_date", doc="周岁 at the evaluation date"),
    "monthly_salary": FactSpec("number", "月工资", "yuan"),
    "months": FactSpec("int", "在岗（在站）月数", "month"),
    "full_time": FactSpec("bool", "是否全职", yes="全职", no="非全职"),
    "hired": FactSpec("date", "入职日期"),
    "founder": FactSpec("bool", "是否为创业者（企业创办人）", yes="自主创业", no="非自主创业"),
    "contract_years": FactSpec("int", "劳动合同期限", "years"),
    "disabled": FactSpec("bool", "是否为残疾人", yes="残疾人", no="非残疾人", doc="持残疾人证"),
    "talent_level": FactSpec(
        "enum", "人才认定层次", enum=LEVELS, doc="the level of the talent certification held"
    ),
    "talent_program": FactSpec(
        "str", "入选的人才计划或项目", doc="e.g. 博士后创新人才支持计划 (several joined by 、)"
    ),
    "assessment": FactSpec("str", "考核结果", doc="e.g. 优秀, 合格"),
    "certificate": FactSpec(
        "str", "持有的资格证书", doc="e.g. 盲人医疗按摩人员从业资格证书 (several joined by 、)"
    ),
    "settled": FactSpec("bool", "是否在本地落户", yes="在本地落户", no="未在本地落户"),
    "new_hire": FactSpec(
        "bool",
        "是否为新引进（新招用）人员",
        yes="新引进（新招用）",
        no="非新引进（新招用）",
        doc="新引进、新招用: newly recruited by the applicant, within the period the policy sets",
    ),
    "social_insurance": FactSpec(
        "bool", "是否缴纳社会保险", yes="已缴纳社会保险", no="未缴纳社会保险", doc="为其缴纳社会保险"
    ),
}
PREMISES = {
    "use": FactSpec("str", "用途", doc="e.g. 办公, 研发, 生产经营"),
    "tenure": FactSpec("enum", "取得方式", enum={"leased": "租赁", "owned": "自有"}),
    "self_use": FactSpec("bool", "是否自用", yes="自用", no="非自用（转租、出借）"),
    "area": FactSpec("number", "面积（平方米）"),
}
EXHIBITION = {
    "name": FactSpec("str", "展会名称"),
    "year": FactSpec("int", "参展年份", "year"),
    "international": FactSpec("bool", "是否为国际（境外）展会", yes="国际展会", no="国内展会"),
    "key": FactSpec("bool", "是否为重点展会", yes="重点展会", no="非重点展会", doc="列入重点展会目录"),
    "cost": FactSpec("number", "参展费用", "yuan", doc="展位费、搭建费、展品运输费等"),
}
QUANTITIES = {  # what a per-unit amount (每平方米, 每户, 每吨, 每千瓦时, 每亩) is multiplied by
    "area": FactSpec("number", "面积", "m2", doc="平方米: 每平方米…元"),
    "volume": FactSpec("number", "容积", "m3", doc="立方米: 每立方米…元"),
    "households": FactSpec("int", "户数", "household", doc="每户…元"),
    "tonnes": FactSpec("number", "数量（吨）", "tonne", doc="每吨…元"),
    "kwh": FactSpec("number", "电量", "kwh", doc="千瓦时（度）: 每千瓦时…元"),
    "mu": FactSpec("number", "土地面积（亩）", "mu", doc="亩: 每亩…元（耕地、造林、种植面积）"),
}
ENTITY_TYPES = {
    "企业": "企业",
    "事业单位": "事业单位",
    "社会组织": "社会组织",
    "个体工商户": "个体工商户",
    "园区": "开发区、园区",
}
STANDARD = {
    "name": FactSpec("str", "标准名称"),
    "level": FactSpec("enum", "标准类别", enum=STANDARD_LEVELS),
    "role": FactSpec("enum", "参与方式", enum={"lead": "主导制定", "participate": "参与制定"}),
    "year": FactSpec("int", "发布年份", "year"),
}

# Fields of list elements whose values add up when several elements match (amounts, months): the
# equipment cost of two 设备更新 projects is their sum; their years or rates are not.
ADDITIVE_FIELDS = frozenset(
    name
    for fields in (RECOGNITION, PROJECT, INSURANCE, PERSON, STANDARD, PREMISES, EXHIBITION)
    for name, spec in fields.items()
    if spec.unit in ("yuan", "month")
)

FACTS: dict[str, FactSpec] = {
    "name": FactSpec("str", "企业名称"),
    "credit_code": FactSpec("str", "统一社会信用代码"),
    "region": FactSpec("str", "所在县（市、区）", doc="e.g. 青禾高新区"),
    "industries": FactSpec("str_list", "所属行业", doc="e.g. 新一代信息技术, 电子信息制造业, 软件业"),
    "ownership": FactSpec("str", "企业性质", doc="国有 / 民营 / 外资 …"),
    "entity_type": FactSpec(
        "enum", "主体类型", enum=ENTITY_TYPES, doc="企业, 事业单位, 园区 …: who may apply"
    ),
    "activities": FactSpec(
        "str_list",
        "从事的业务",
        doc="e.g. 科学研究, 技术开发, 校车服务 (what it does, beside its industries)",
    ),
    "founded": FactSpec("date", "成立日期"),
    "years_established": FactSpec(
        "int",
        "成立年限",
        "years",
        derived_from="founded",
        doc="full years from founded to the evaluation date",
    ),
    "employees": FactSpec("int", "从业人数", "person"),
    "scale": FactSpec(
        "enum",
        "企业规模",
        enum={"大型": "大型企业", "中型": "中型企业", "小型": "小型企业", "微型": "微型企业"},
    ),
    "revenue": FactSpec("by_year", "营业收入", "yuan", doc="year -> yuan"),
    "revenue_growth": FactSpec("by_year", "营业收入增幅", "ratio", doc="year -> ratio, 0.15 = 15%"),
    "city_avg_revenue_growth": FactSpec(
        "by_year", "全市平均营业收入增幅", "ratio", doc="context fact: the city average, for 高于全市平均水平"
    ),
    "rd_expense": FactSpec("by_year", "研发费用", "yuan"),
    "tax_paid": FactSpec("by_year", "实缴税收", "yuan"),
    "mu_chan_grade": FactSpec("enum", "“亩产效益”综合评价等级", enum=GRADES),
    "env_performance_grade": FactSpec(
        "enum",
        "重污染天气重点行业绩效分级",
        enum={**GRADES, "引领性": "引领性"},
        doc="环保绩效 A/B/C/D 级或引领性",
    ),
    "dishonest": FactSpec(
        "bool", "是否列入严重失信主体名单", yes="被列入严重失信主体名单", no="未被列入严重失信主体名单"
    ),
    "recognitions": FactSpec("records", "企业获得的认定", fields=RECOGNITION, doc="认定、荣誉、资质、平台"),
    "projects": FactSpec("records", "项目", fields=PROJECT, item="个"),
    "project": FactSpec("record", "申报项目", fields=PROJECT, doc="the one project an application is for"),
    "months": FactSpec("int", "补贴月数", "month", doc="months claimed for a per-month benefit"),
    "years": FactSpec("int", "补贴年数", "years", doc="years claimed for a per-year benefit (连续3年)"),
    "quantities": FactSpec(
        "record", "申报数量", fields=QUANTITIES, doc="the quantities a per-unit amount is multiplied by"
    ),
    "insurance": FactSpec("records", "保险", fields=INSURANCE, item="笔"),
    "persons": FactSpec("records", "人员", fields=PERSON, item="人"),
    "standards": FactSpec("records", "标准", fields=STANDARD),
    "complies_with": FactSpec(
        "str_list",
        "符合其规定的文件或政策",
        doc="titles without 《》 of the documents, standards or policies whose requirements the applicant "
        "meets, as the reviewing department found",
    ),
    "in_industrial_park": FactSpec("bool", "是否入驻产业园区", yes="入驻产业园区", no="未入驻产业园区"),
    "paid_in_capital": FactSpec("number", "实缴注册资本", "yuan"),
    "registered_capital": FactSpec("number", "注册资本（认缴）", "yuan"),
    "above_scale": FactSpec(
        "str_list",
        "纳入规模以上（限额以上）统计的类别",
        doc="工业 (规模以上工业企业), 服务业, 批发业, 零售业, 住宿业, 餐饮业; [] for none",
    ),
    "import_export_usd": FactSpec(
        "by_year", "进出口额（美元）", "usd", doc="year -> US dollars, the customs' import and export total"
    ),
    "newly_introduced": FactSpec(
        "bool",
        "是否为新引进企业",
        yes="新引进企业",
        no="非新引进企业",
        doc="新引进、新落户: brought to the area within the period the policy sets",
    ),
    "legal_person": FactSpec("bool", "是否具有独立法人资格", yes="具有独立法人资格", no="不具有独立法人资格"),
    "premises": FactSpec("records", "经营场地", fields=PREMISES, item="处"),
    "exhibitions": FactSpec("records", "参加的展会", fields=EXHIBITION, item="次"),
}
"""The known facts. Facts under ``extra.`` and ``answers.`` are free-form and not checked; ``claims.<id>``
are yes/no statements the applicant confirms (a condition extraction could not type, with its question)."""

FREE = ("extra", "answers", "claims")  # free-form namespaces: ad-hoc facts, answers and claims of applicants
CLAIM = FactSpec("bool", "申请人确认的事项", yes="申请人确认符合", no="申请人确认不符合")
_CLAIM_ID = re.compile(r"[A-Za-z0-9_]{1,64}")

YEAR_ALIASES = {"this_year": 0, "last_year": -1, "year_before_last": -2}
AGGREGATES = ("count", "sum", "max", "min")
ANY = FactSpec("any", "")


# --- fact paths ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seg:
    """One step of a fact path: key (a name or a year), year (relative), select, or agg."""

    kind: str
    name: str = ""
    offset: int = 0
    op: str = "="
    value: str = ""


@dataclass(frozen=True)
class FactPath:
    """A parsed fact path. ``text`` is the path as written; ``extra`` paths are not checked."""

    text: str
    segs: tuple[Seg, ...]

    @property
    def root(self) -> str:
        return self.segs[0].name

    def with_year(self, offset: int) -> FactPath:
        """This path followed by a year relative to the evaluation date (the ``year_offset`` of a leaf)."""
        names = {v: k for k, v in YEAR_ALIASES.items()}
        suffix = names.get(offset, f"year{offset:+d}")
        return FactPath(f"{self.text}.{suffix}", (*self.segs, Seg("year", offset=offset)))


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SEG = re.compile(
    r"\.(?P<agg>sum|max|min)\((?P<aggf>[A-Za-z_][A-Za-z0-9_]*)\)|\.(?P<key>[^.\[\]()]+)|\[(?P<sel>[^\]]*)\]"
)
_SEL = re.compile(r"\s*(?P<f>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>!=|=)\s*(?P<v>.*?)\s*$")
_YEAR_REL = re.compile(r"year([+-]\d+)")


@lru_cache(maxsize=4096)
def parse_path(text: str) -> FactPath:
    """Parse a fact path (syntax only; :func:`check_path` checks the names against the schema).

    Examples:
        >>> [s.kind for s in parse_path("persons[role=博士后].count").segs]
        ['key', 'select', 'agg']
        >>> parse_path("revenue.last_year").segs[1]
        Seg(kind='year', name='', offset=-1, op='=', value='')
    """
    if not isinstance(text, str) or not text.strip():
        raise FactError(Problem("$", "事实路径必须是非空字符串", "a fact path must be a non-empty string"))
    text = text.strip()
    m = _NAME.match(text)
    if not m:
        raise FactError(
            Problem(
                text, "事实路径应以英文名称开头，如 revenue", "a fact path starts with a name, e.g. revenue"
            )
        )
    segs = [Seg("key", m.group(0))]
    pos = m.end()
    while pos < len(text):
        s = _SEG.match(text, pos)
        if not s:
            raise FactError(
                Problem(
                    text, f"无法解析第 {pos + 1} 个字符起的“{text[pos:]}”", f"cannot parse {text[pos:]!r}"
                )
            )
        if s.group("agg"):
            segs.append(Seg("agg", s.group("agg"), value=s.group("aggf")))
        elif s.group("key") is not None:
            key = s.group("key")
            if key in YEAR_ALIASES:
                segs.append(Seg("year", offset=YEAR_ALIASES[key]))
            elif relative := _YEAR_REL.fullmatch(key):
                segs.append(Seg("year", offset=int(relative.group(1))))
            elif key == "count":
                segs.append(Seg("agg", "count"))
            else:
                segs.append(Seg("key", key))
        else:
            sel = _SEL.match(s.group("sel"))
            if not sel or not sel.group("v"):
                raise FactError(
                    Problem(
                        text,
                        f"筛选条件“[{s.group('sel')}]”应写作 [字段=值] 或 [字段!=值]",
                        f"a selector is [field=value] or [field!=value], not [{s.group('sel')}]",
                    )
                )
            segs.append(Seg("select", sel.group("f"), op=sel.group("op"), value=sel.group("v")))
        pos = s.end()
    return FactPath(text, tuple(segs))


def _select_label(spec: FactSpec, seg: Seg) -> str:
    fspec = spec.field_specs.get(seg.name, ANY)
    shown = fspec.enum.get(seg.value, seg.value) if fspec.enum else seg.value
    if fspec.type == "bool":
        truth = seg.value.lower() in ("true", "1", "是")
        shown = (fspec.yes if truth else fspec.no) or shown
        return shown if seg.op == "=" else f"非{shown}"
    return f"{fspec.label}{'为' if seg.op == '=' else '不为'}{shown}"


def check_path(path: FactPath | str, scope: dict[str, FactSpec] | None = None, where: str = "$") -> FactSpec:
    """The spec of the value a path names (with a composed Chinese label); raise FactError for unknown names.

    ``scope`` is the top-level schema, or the element fields inside a ``has``/``count``/``sum``.

    Examples:
        >>> check_path("revenue.last_year").label
        '上一年度营业收入'
        >>> check_path("persons[role=博士后].count").label
        '人员（身份为博士后）数量'
        >>> check_path("revenu.2025")
        Traceback (most recent call last):
        ...
        zhengcetong.match.errors.FactError: 企业画像事实有误 / invalid fact:
          - $: 未知的事实名称“revenu”，是否应为 “revenue”？ / unknown fact 'revenu' — did you mean 'revenue'?
    """
    p = parse_path(path) if isinstance(path, str) else path
    scope = FACTS if scope is None else scope
    if p.root == "claims" and scope is FACTS:
        if len(p.segs) != 2 or p.segs[1].kind != "key" or not _CLAIM_ID.fullmatch(p.segs[1].name):
            raise FactError(
                Problem(
                    where,
                    f"申请人确认的事项应写作 claims.<编号>（字母、数字），而不是“{p.text}”",
                    f"a claim is claims.<id> (letters, digits), not {p.text!r}",
                )
            )
        return CLAIM
    if p.root in FREE:
        return replace(ANY, label=p.text)
    spec = _root_spec(p.root, scope, where)
    at = _Walked(p, where, spec, spec.label)
    for seg in p.segs[1:]:
        step = _STEPS.get((at.spec.type, seg.kind))
        if step is None:
            raise _cannot_follow(at, seg)
        walked = step(at, seg)
        if isinstance(walked, FactSpec):
            return walked
        at = walked
    if at.many:
        return FactSpec("records", at.label, fields=at.spec.fields, item=at.spec.item)
    return at.spec


@dataclass(frozen=True)
class _Walked:
    """How far :func:`check_path` has walked a path: the spec reached and its label, and whether a selector
    has filtered a records list (``many``: the label then says which records, the spec is the list's)."""

    path: FactPath
    where: str
    spec: FactSpec
    label: str
    many: bool = False

    @property
    def head(self) -> str:
        return self.path.root


def _root_spec(head: str, scope: dict[str, FactSpec], where: str) -> FactSpec:
    """The spec of the path's first name in ``scope``."""
    if head not in scope:
        zh, en = did_you_mean(head, scope)
        raise FactError(Problem(where, f"未知的事实名称“{head}”{zh}", f"unknown fact {head!r}{en}"))
    return scope[head]


def _field_spec(at: _Walked, name: str, *, element: bool) -> FactSpec:
    """The spec of field ``name`` of a record (``element=False``) or of a records list's elements."""
    fields = at.spec.field_specs
    if name not in fields:
        zh, en = did_you_mean(name, fields)
        owner = f"“{at.head}”的元素" if element else f"“{at.head}”"
        raise FactError(
            Problem(at.where, f"{owner}没有字段“{name}”{zh}", f"{at.head} has no field {name!r}{en}")
        )
    return fields[name]


def _year(at: _Walked, seg: Seg) -> _Walked:
    """A by-year fact followed by its year: ``revenue.2025``, ``revenue.last_year``."""
    if seg.kind == "key" and not re.fullmatch(r"\d{4}", seg.name):
        head = at.head
        raise FactError(
            Problem(
                at.where,
                f"“{head}”按年度取值，应写作 {head}.2025 或 {head}.last_year，而不是 .{seg.name}",
                f"{head!r} is by year: write {head}.2025 or {head}.last_year, not .{seg.name}",
            )
        )
    year = f"{seg.name}年度" if seg.kind == "key" else year_word(seg.offset)
    spec = FactSpec("number", f"{year}{at.spec.label}", at.spec.unit)
    return replace(at, spec=spec, label=spec.label)


def _record_field(at: _Walked, seg: Seg) -> _Walked:
    """A record followed by one of its fields: ``project.investment``."""
    f = _field_spec(at, seg.name, element=False)
    spec = replace(f, label=f"{at.label}的{f.label}")
    return replace(at, spec=spec, label=spec.label)


def _select(at: _Walked, seg: Seg) -> _Walked:
    """A records list filtered by a selector: ``persons[role=博士后]``."""
    _field_spec(at, seg.name, element=True)
    return replace(at, label=f"{at.label}（{_select_label(at.spec, seg)}）", many=True)


_AGGREGATE_WORDS = {"sum": "合计", "max": "最高", "min": "最低"}


def _aggregate(at: _Walked, seg: Seg) -> FactSpec:
    """A list followed by ``count`` or by ``sum``/``max``/``min`` of a numeric field; nothing can follow."""
    spec = at.spec
    if seg.name == "count":
        return FactSpec("int", f"{at.label}数量", "person" if spec.item == "人" else "count")
    if spec.type != "records" or seg.value not in spec.field_specs or not spec.field_specs[seg.value].numeric:
        numeric = [k for k, v in spec.field_specs.items() if v.numeric]
        zh, en = did_you_mean(seg.value, numeric)
        raise FactError(
            Problem(
                at.where,
                f"{seg.name}(…) 只能用于数值字段（{'、'.join(numeric)}），不能用于“{seg.value}”{zh}",
                f"{seg.name}(...) needs a numeric field ({', '.join(numeric)}), not {seg.value!r}{en}",
            )
        )
    f = spec.field_specs[seg.value]
    return FactSpec("number", f"{at.label}{f.label}{_AGGREGATE_WORDS[seg.name]}", f.unit)


def _element_field(at: _Walked, seg: Seg) -> FactSpec:
    """A records list followed by a field of its elements (read in a ``has``); nothing can follow."""
    f = _field_spec(at, seg.name, element=True)
    return replace(f, label=f"{at.label}的{f.label}")


def _cannot_follow(at: _Walked, seg: Seg) -> FactError:
    """The error for a segment that cannot follow what the path has named so far."""
    return FactError(
        Problem(
            at.where,
            f"“{at.path.text}”中“{at.head}”（{at.spec.label}）之后不能再接“{seg.kind} {seg.name}”",
            f"{at.path.text!r}: nothing can follow {at.head!r} ({at.spec.type}) here",
        )
    )


# What may follow what: (type of the spec reached, kind of the next segment) → the step that reads it.
# Only a records list can be filtered (``many``), and it stays a records list, so no other entry sees one.
_STEPS: dict[tuple[str, str], Callable[[_Walked, Seg], _Walked | FactSpec]] = {
    ("by_year", "year"): _year,
    ("by_year", "key"): _year,
    ("record", "key"): _record_field,
    ("records", "select"): _select,
    ("records", "agg"): _aggregate,
    ("str_list", "agg"): _aggregate,
    ("records", "key"): _element_field,
}


# --- resolving a path in a profile -----------------------------------------------------------------


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()
"""The value of a fact that the profile does not give."""


def as_date(value) -> date | None:
    """A date from a date, datetime or ISO string; None otherwise.

    Examples:
        >>> as_date("1990-05-17")
        datetime.date(1990, 5, 17)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def full_years(start: date, on: date) -> int:
    """Completed years (周岁) from ``start`` to ``on``.

    Examples:
        >>> full_years(date(1990, 5, 17), date(2026, 5, 16)), full_years(date(1990, 5, 17), date(2026, 5, 17))
        (35, 36)
    """
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


DERIVED = {"years_established": "founded", "age": "birth_date"}


def _field(obj: dict, name: str, at: str, on: date) -> tuple[Any, str | None]:
    """A field of a dict (or a derived one), with the location to report when it is missing."""
    value = obj.get(name)
    if value is None and name in DERIVED:
        source = DERIVED[name]
        raw = obj.get(source)
        if raw is None:
            return MISSING, f"{at}.{source}" if at else source
        start = as_date(raw)
        if start is None:
            raise FactError(
                Problem(f"{at}.{source}" if at else source, f"不是日期：{raw!r}", f"not a date: {raw!r}")
            )
        return full_years(start, on), None
    if value is None:
        return MISSING, f"{at}.{name}" if at else name
    return value, None


def _year_value(obj: dict, year: int, at: str) -> tuple[Any, str | None]:
    value = obj.get(str(year))
    if value is None:
        value = obj.get(year)
    if value is None:
        return MISSING, f"{at}.{year}"
    return value, None


def _matches(value, seg: Seg) -> bool:
    if isinstance(value, bool):
        wanted = seg.value.lower() in ("true", "1", "是")
        same = value is wanted
    elif isinstance(value, int | float | Decimal):
        same = to_decimal(value) == to_decimal(seg.value)
    else:
        same = str(value) == seg.value
    return same if seg.op == "=" else not same


@dataclass(frozen=True)
class CountRange:
    """How many list elements match selectors when some elements cannot be told: between lo and hi."""

    lo: int
    hi: int


def resolve(path: FactPath, root: dict, on: date, at: str = "") -> tuple[Any, tuple[str, ...]]:
    """The value of ``path`` in ``root`` on date ``on``: ``(value, ())``, or ``(MISSING, locations)``.

    ``at`` is the location of ``root`` itself (e.g. ``persons[1]`` inside a ``has``), used to name the
    missing facts precisely: ``persons[1].birth_date``. A count over elements some of which cannot be
    told apart is a :class:`CountRange`, with the locations that would settle it.

    Examples:
        >>> p = {"revenue": {"2025": 230000000}, "persons": [{"role": "博士后"}, {"role": "博士"}, {}]}
        >>> resolve(parse_path("revenue.last_year"), p, date(2026, 5, 1))
        (230000000, ())
        >>> resolve(parse_path("revenue.year_before_last"), p, date(2026, 5, 1))
        (MISSING, ('revenue.2024',))
        >>> resolve(parse_path("persons[role=博士后].count"), p, date(2026, 5, 1))
        (CountRange(lo=1, hi=2), ('persons[2].role',))
    """
    segs = path.segs
    name = segs[0].name
    cur, missing = _field(root, name, at, on)
    here = f"{at}.{name}" if at else name
    if missing:
        if len(segs) > 1 and (segs[1].kind == "year" or segs[1].kind == "key" and segs[1].name.isdigit()):
            year = on.year + segs[1].offset if segs[1].kind == "year" else segs[1].name
            return MISSING, (f"{missing}.{year}",)  # name the year the profile should give
        return MISSING, (missing,)
    many: list[tuple[str, Any, tuple[str, ...]]] | None = None  # (location, element, unknown selectors)
    for seg in segs[1:]:
        if many is None and isinstance(cur, list):
            many = [(f"{here}[{i}]", el, ()) for i, el in enumerate(cur)]
        if many is not None:
            if seg.kind == "select":
                kept = []
                for el_at, el, unknown in many:
                    v, miss = _field(el, seg.name, el_at, on) if isinstance(el, dict) else (el, None)
                    if miss:
                        kept.append((el_at, el, (*unknown, miss)))
                    elif _matches(v, seg):
                        kept.append((el_at, el, unknown))
                many = kept
                here = f"{here}[{seg.name}{seg.op}{seg.value}]"
                continue
            unknown_at = [loc for _, _, u in many for loc in u]
            if seg.kind == "agg" and seg.name == "count":
                lo = sum(1 for *_, u in many if not u)
                return (
                    (CountRange(lo, len(many)), tuple(dict.fromkeys(unknown_at))) if unknown_at else (lo, ())
                )
            return _list_field(many, seg, here, unknown_at, on)
        if not isinstance(cur, dict):
            raise FactError(
                Problem(
                    here,
                    f"“{here}”不是对象，无法继续取“{path.text}”",
                    f"{here} is not an object: cannot read {path.text!r}",
                )
            )
        if seg.kind == "year":
            cur, missing = _year_value(cur, on.year + seg.offset, here)
            here = f"{here}.{on.year + seg.offset}"
        elif seg.kind == "key" and seg.name.isdigit():
            cur, missing = _year_value(cur, int(seg.name), here)
            here = f"{here}.{seg.name}"
        else:
            cur, missing = _field(cur, seg.name, here, on)
            here = f"{here}.{seg.name}"
        if missing:
            return MISSING, (missing,)
    if many is not None:
        return [el for _, el, _ in many], ()
    return cur, ()


def _list_field(many, seg: Seg, here: str, unknown: list[str], on: date) -> tuple[Any, tuple[str, ...]]:
    """An aggregate (sum, max, min) or a field of the elements left after the selectors."""
    field_name = seg.value if seg.kind == "agg" else seg.name
    values, missing = [], list(unknown)
    for el_at, el, u in many:
        if not isinstance(el, dict):
            raise FactError(Problem(el_at, f"“{el_at}”不是对象", f"{el_at} is not an object"))
        v, miss = _field(el, field_name, el_at, on)
        if miss:
            missing.append(miss)
        elif not u:
            values.append(v)
    if missing:
        return MISSING, tuple(dict.fromkeys(missing))
    if seg.kind == "agg":
        nums = [_number(v, f"{here}.{field_name}") for v in values]
        if not nums:
            return 0, ()
        return (sum(nums) if seg.name == "sum" else max(nums) if seg.name == "max" else min(nums)), ()
    if not values:
        return MISSING, (here,)  # no element matches: name the selection, e.g. projects[kind=技术改造]
    if len(values) == 1:
        return values[0], ()
    if field_name not in ADDITIVE_FIELDS:  # two projects' years do not add up: keep them apart
        distinct = list(dict.fromkeys(values))
        return (distinct[0] if len(distinct) == 1 else values), ()
    amounts = [n for v in values if (n := to_decimal(v)) is not None]
    return (sum(amounts) if len(amounts) == len(values) else values), ()


def _number(value, at: str) -> Decimal:
    d = to_decimal(value)
    if d is None:
        raise FactError(Problem(at, f"应为数值，实际为 {value!r}", f"expected a number, got {value!r}"))
    return d


class Facts:
    """A profile on an evaluation date, caching resolved top-level paths (one per profile and date).

    Evaluating many rules against one profile shares one ``Facts``.
    """

    __slots__ = ("profile", "on", "_cache")

    def __init__(self, profile: dict, on: date):
        if not isinstance(profile, dict):
            raise FactError(Problem("$", "企业画像必须是 JSON 对象", "a profile must be a JSON object"))
        self.profile = profile
        self.on = on
        self._cache: dict[str, tuple[Any, tuple[str, ...]]] = {}

    def get(self, path: FactPath) -> tuple[Any, tuple[str, ...]]:
        """``(value, ())`` or ``(MISSING, locations)`` for a top-level path (see :func:`resolve`)."""
        hit = self._cache.get(path.text)
        if hit is None:
            hit = self._cache[path.text] = resolve(path, self.profile, self.on)
        return hit


# --- checking a profile ----------------------------------------------------------------------------


def _is_number(value) -> bool:
    """``to_decimal(value) is not None``, without making the Decimal for plain ints and floats.

    Examples:
        >>> _is_number(3), _is_number(-2.5), _is_number(10**15), _is_number(float("nan")), _is_number(True)
        (True, True, False, False, False)
        >>> _is_number(999999999999999.9), _is_number(1e15), _is_number("2e8")
        (True, False, True)
    """
    kind = type(value)
    if kind is int:
        return -1_000_000_000_000_000 < value < 1_000_000_000_000_000
    if kind is float:
        return (
            -1e15 < value < 1e15
        )  # false for NaN and the infinities; a float's repr stays on its side of 1e15
    return to_decimal(value) is not None


def _check_value(spec: FactSpec, value, where: str, problems: list[Problem]) -> None:
    if value is None or spec.type == "any":
        return

    def bad(zh: str, en: str) -> None:
        problems.append(Problem(where, f"{spec.label}：{zh}，实际为 {value!r}", f"{en}, got {value!r}"))

    t = spec.type
    if t == "str" and not isinstance(value, str):
        bad("应为文本", "expected text")
    elif t == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        bad("应为整数", "expected an integer")
    elif t == "int" and abs(value) >= MAX_INT:
        bad(f"超出合理范围（绝对值应小于 {MAX_INT:,}）", f"out of range (below {MAX_INT:,} in size)")
    elif t == "number" and not _is_number(value):
        bad("应为有限数值（绝对值小于 10^15）", "expected a finite number below 1e15 in size")
    elif t == "bool" and not isinstance(value, bool):
        bad("应为 true 或 false", "expected true or false")
    elif t == "date" and as_date(value) is None:
        bad("应为日期（如 2024-05-01）", "expected a date such as 2024-05-01")
    elif t == "enum" and value not in (choices := spec.enum or {}):
        zh, en = did_you_mean(value, choices)
        allowed = "、".join(f"{k}（{v}）" for k, v in choices.items())
        bad(f"应为 {allowed} 之一{zh}", f"expected one of {', '.join(choices)}{en}")
    elif t == "str_list" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        bad("应为文本列表", "expected a list of texts")
    elif t == "by_year":
        if not isinstance(value, dict):
            bad('应为“年份: 数值”对象，如 {"2025": 230000000}', "expected an object of year: number")
            return
        for year, v in value.items():
            text = str(year)
            if not (len(text) == 4 and text.isdecimal()):  # what re's \d{4} matches
                problems.append(
                    Problem(
                        f"{where}.{year}", f"年份应为四位数字：{year!r}", f"a year has four digits: {year!r}"
                    )
                )
            elif v is not None and not _is_number(v):
                problems.append(
                    Problem(f"{where}.{year}", f"应为数值，实际为 {v!r}", f"expected a number, got {v!r}")
                )
    elif t == "record":
        if not isinstance(value, dict):
            bad("应为对象", "expected an object")
            return
        for key, v in value.items():
            if key not in spec.field_specs:
                zh, en = did_you_mean(key, spec.field_specs)
                problems.append(
                    Problem(f"{where}.{key}", f"未知的字段“{key}”{zh}", f"unknown field {key!r}{en}")
                )
            else:
                _check_value(spec.field_specs[key], v, f"{where}.{key}", problems)
    elif t == "records":
        if not isinstance(value, list) or not all(isinstance(el, dict) for el in value):
            bad("应为对象列表", "expected a list of objects")
            return
        for i, el in enumerate(value):
            for key, v in el.items():
                if key not in spec.field_specs:
                    zh, en = did_you_mean(key, spec.field_specs)
                    problems.append(
                        Problem(f"{where}[{i}].{key}", f"未知的字段“{key}”{zh}", f"unknown field {key!r}{en}")
                    )
                else:
                    _check_value(spec.field_specs[key], v, f"{where}[{i}].{key}", problems)


def _check_claims(value, problems: list[Problem]) -> None:
    """``claims`` is an object of claim id → true / false (null: not answered)."""
    if not isinstance(value, dict):
        problems.append(
            Problem(
                "$.claims", '申请人确认的事项应为对象，如 {"q1a2b3c4d5e": true}', "claims must be an object"
            )
        )
        return
    for key, v in value.items():
        if not _CLAIM_ID.fullmatch(str(key)):
            problems.append(
                Problem(f"$.claims.{key}", f"编号只能含字母和数字：{key!r}", f"bad claim id {key!r}")
            )
        elif v is not None and not isinstance(v, bool):
            problems.append(
                Problem(
                    f"$.claims.{key}",
                    f"应为 true 或 false，实际为 {v!r}",
                    f"expected true or false, got {v!r}",
                )
            )


def check_profile(profile: dict) -> list[Problem]:
    """The problems of a profile: unknown facts (with a suggestion) and values of the wrong type.

    Examples:
        >>> [str(p) for p in check_profile({"revnue": {"2025": 1}})]
        ["$.revnue: 未知的事实名称“revnue”，是否应为 “revenue”？ / unknown fact 'revnue' — did you mean 'revenue'?"]
    """
    if not isinstance(profile, dict):
        return [Problem("$", "企业画像必须是 JSON 对象", "a profile must be a JSON object")]
    problems: list[Problem] = []
    for key, value in profile.items():
        if key == "claims" and value is not None:
            _check_claims(value, problems)
            continue
        if key in FREE or key.startswith("_"):
            continue
        if key not in FACTS:
            zh, en = did_you_mean(key, FACTS)
            problems.append(Problem(f"$.{key}", f"未知的事实名称“{key}”{zh}", f"unknown fact {key!r}{en}"))
            continue
        _check_value(FACTS[key], value, f"$.{key}", problems)
    return problems


def validate_profile(profile: dict) -> dict:
    """``profile`` itself when it is valid; FactError listing every problem otherwise."""
    problems = check_profile(profile)
    if problems:
        raise FactError(problems)
    return profile


def fact_label(path: str) -> str:
    """A Chinese name for a concrete fact location (as found in ``missing``), for staff.

    Examples:
        >>> fact_label("revenue.2025")
        '2025年度营业收入'
        >>> fact_label("persons[1].birth_date")
        '人员第2人的出生日期'
        >>> fact_label("answers.q58cd195d"), fact_label("extra.first_voucher")
        ('申请人的回答', '补充信息 first_voucher')
    """
    root, _, rest = path.partition(".")
    if root == "answers":
        return "申请人的回答"
    if root == "claims":
        return CLAIM.label
    if root == "extra":
        return f"补充信息 {rest}" if rest else "补充信息"
    m = re.fullmatch(r"([A-Za-z_]\w*)\[(\d+)\]\.(\w+)", path)
    if m and m.group(1) in FACTS and FACTS[m.group(1)].fields:
        spec = FACTS[m.group(1)]
        f = spec.field_specs.get(m.group(3))
        return f"{spec.label}第{int(m.group(2)) + 1}{spec.item}的{f.label if f else m.group(3)}"
    try:
        return check_path(path).label or path
    except FactError:
        return path


def describe(value, spec: FactSpec, *, short: bool = True) -> str:
    """A profile or rule value in words, using the spec's enum labels and unit.

    Examples:
        >>> describe("national", RECOGNITION["level"]), describe(200000000, FACTS["employees"])
        ('国家级', '200,000,000人')
    """
    if spec.enum and isinstance(value, str):
        return spec.enum.get(value, value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "、".join(describe(v, spec, short=short) for v in value)
    return quantity(value, spec.unit, short=short)


__all__ = [
    "FACTS",
    "MISSING",
    "FactPath",
    "CountRange",
    "FactSpec",
    "Facts",
    "as_date",
    "check_path",
    "check_profile",
    "describe",
    "fact_label",
    "full_years",
    "parse_path",
    "resolve",
    "validate_profile",
]


_INDEX = re.compile(r"\[\d+\]")


def generic(location: str) -> str:
    """A concrete location with list indices dropped, to compare with :func:`locations`.

    Examples:
        >>> generic("persons[2].birth_date")
        'persons[].birth_date'
    """
    return _INDEX.sub("[]", location)


def generic_list(location: str) -> str:
    """A list location without its selectors: ``projects[kind=技术改造]`` → ``projects``."""
    return location.split("[", 1)[0] if "[" in location and not location.endswith("[]") else location


def locations(path: FactPath | str, on: date | None = None, prefix: str = "") -> set[str]:
    """Every generic location reading ``path`` may report as missing (relative years resolved when ``on``).

    Examples:
        >>> sorted(locations("projects[kind=技术改造].equipment_cost"))
        ['projects', 'projects[].equipment_cost', 'projects[].kind', 'projects[kind=技术改造]']
        >>> sorted(locations("revenue.last_year", date(2026, 1, 1)))
        ['revenue', 'revenue.2025']
    """
    p = parse_path(path) if isinstance(path, str) else path
    head = p.segs[0].name
    here = f"{prefix}.{head}" if prefix else head
    found = {here}
    if head in DERIVED:
        found.add(f"{prefix}.{DERIVED[head]}" if prefix else DERIVED[head])
    listed = False
    for seg in p.segs[1:]:
        if seg.kind == "year":
            here = f"{here}.{on.year + seg.offset}" if on else f"{here}.year{seg.offset:+d}"
        elif seg.kind == "select":
            listed = True
            found |= locations(seg.name, on, f"{here}[]")
            here = f"{here}[{seg.name}{seg.op}{seg.value}]"
            found.add(here)
            continue
        elif seg.kind == "agg" and seg.name != "count":
            listed = True
            found |= locations(seg.value, on, f"{generic_list(here)}[]")
            continue
        elif seg.kind == "agg":
            continue
        elif seg.kind == "key" and (
            listed or head in FACTS and FACTS[head].type == "records" and here == head
        ):
            found |= locations(seg.name, on, f"{generic_list(here)}[]")
            continue
        else:
            here = f"{here}.{seg.name}"
        found.add(here)
    return found
