"""The Chinese names of the library's codes, shared by the portal, the API facets and the CLI."""

from __future__ import annotations

DOCUMENT_KIND_NAMES = {
    "notice": "通知",
    "opinion": "意见",
    "decision": "决定",
    "appointment": "任免",
    "chronicle": "大事记",
    "text": "文本",  # policy text without a header of its own: a web article, a news report, an excerpt
    "other": "其他",
}
BENEFIT_NAMES = {
    "award": "奖励",
    "subsidy": "补贴",
    "insurance_subsidy": "保险补贴",
    "funding": "资金支持",
    "loan_interest": "贷款贴息",
    "voucher": "创新券（服务券）",
    "tax": "税费减免",
    "other": "其他",
}
APPLICANT_NAMES = {"unit": "企业（单位）", "person": "个人", "public": "政府部门"}  # who can apply
PER_NAMES = {"once": "一次性", "year": "每年", "month": "每月", "person": "每人"}
ITEM_CATEGORIES = ("奖补", "减免", "权益", "资质")  # what a policy item gives
