"""Who can apply for a policy item: an enterprise or other unit, a person, or a public body.

A measure names its beneficiary in its condition ("对首次认定的高新技术企业", "新入站的全职博士后",
"各县（市、区）人民政府"). A public body (a government, a department, a 街道, 乡镇, 村 or 社区) applies for
its own funds and is not offered to enterprises; neither is a public facility that governments build
("对按期建成并通过验收的口袋公园…给予奖补") when no enterprise, unit or person is named beside it.
The codes are those of ``library.labels.APPLICANT_NAMES``.
"""

from __future__ import annotations

import re

UNIT, PERSON, PUBLIC = "unit", "person", "public"

PUBLIC_BODY_RE = re.compile(
    r"人民政府|政府|管委会|管理委员会|街道办事处|街道|乡镇|乡（镇）|村委会|居委会|村（社区）|行政村|社区"
    r"|部门|县（市、区）|县市区|区县|各县|各区|主管部门|机关"
)
PUBLIC_WORKS_RE = re.compile(
    r"口袋公园|城市公园|公园|广场|绿道|公共厕所|公厕|市政道路|农村公路|示范村|美丽乡村|和美乡村|村庄|公共设施"
)
UNIT_RE = re.compile(
    r"企业|公司|单位|机构|组织|中心|基地|园区|平台|工厂|车间|团队|合作社|个体工商户|服务商|供应商|孵化器"
    r"|学校|医院|工作室|工作站|经营者|业主|主体"
)
PERSON_RE = re.compile(
    r"(?:人员|人才|博士后|博士|硕士|毕业生|残疾人|创业者|劳动者|职工|农户|农民|居民|个人|学生|退役军人|老年人"
    r"|家庭|青年)$"
)


def applicant_of(condition: str, name: str = "") -> str:
    """``unit``, ``person`` or ``public``: who can apply, read from the beneficiary the condition (or,
    when it names none, the item's name) ends with.

    Examples:
        >>> applicant_of("按期建成并通过验收的口袋公园"), applicant_of("对示范街道", "示范街道奖补")
        ('public', 'public')
        >>> applicant_of("首次认定的高新技术企业"), applicant_of("新入站（基地）的全职博士后")
        ('unit', 'person')
        >>> applicant_of("吸纳高校毕业生就业的企业"), applicant_of("自主创业的残疾人")
        ('unit', 'person')
        >>> applicant_of("入驻社区的养老服务机构"), applicant_of("专精特新企业新引进的全职博士")
        ('unit', 'unit')
        >>> applicant_of("租赁场地的企业，由所在县（市、区）"), applicant_of("校车服务提供者")
        ('unit', 'unit')
    """
    text = re.sub(r"（[^（）]{0,20}）|\([^()]{0,20}\)", "", condition or name)  # "入站（基地）"
    head = _beneficiary(text)
    if PUBLIC_BODY_RE.search(head) and not UNIT_RE.search(head):
        return PUBLIC
    if PERSON_RE.search(head) and not UNIT_RE.search(text):  # "专精特新企业新引进的全职博士": the enterprise
        return PERSON
    if UNIT_RE.search(text):
        return UNIT
    if PUBLIC_WORKS_RE.search(text) and not PERSON_RE.search(text):
        return PUBLIC
    return UNIT


def _beneficiary(text: str) -> str:
    """The last comma segment of a condition after its last 的 (where Chinese puts the beneficiary); a
    segment that says who pays or how ("由所在县（市、区）", "按…") is not one."""
    parts = [p for p in re.split(r"[，,；;]", text.strip("，,。 ")) if p and not p.startswith(("由", "按"))]
    last = parts[-1] if parts else text
    last = re.sub(r"^(?:对于|对)", "", last)
    return last.rsplit("的", 1)[-1] if "的" in last else last
