"""Who can apply for an item: an enterprise (unit), a person, or a public body (政府部门)."""

from __future__ import annotations

import pytest

from tests.cases.quality import clause_document
from zhengcetong.ingest import flows
from zhengcetong.ingest.measures import extract_items
from zhengcetong.samples import sample_path


def test_the_sample_gazette_s_park_award_is_for_public_bodies():
    prepared = flows.prepare(sample_path().read_bytes(), "qinghe_2026_03.txt")
    kinds = {item.name: item.applicant for items in prepared.items or [] for item in items}
    assert kinds.pop("按期建成并通过验收的口袋公园奖补") == "public"
    assert set(kinds.values()) == {"unit"}  # the 全职博士's allowance is the enterprise's to apply for


@pytest.mark.parametrize(
    ("text", "applicant"),
    [
        ("对获评省级示范街道的，给予街道办事处一次性奖励50万元。", "public"),
        ("对新入站的全职博士后，每人每月给予5000元生活补贴。", "person"),
        ("对招用高校毕业生的小微企业，按每人1000元给予一次性吸纳就业补贴。", "unit"),
        ("对首次认定的高新技术企业，给予一次性奖励20万元。", "unit"),
    ],
)
def test_the_beneficiary_named_decides_who_applies(text, applicant):
    (item,) = extract_items(clause_document(text))
    assert item.applicant == applicant and item.to_json()["applicant"] == applicant
