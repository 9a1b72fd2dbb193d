"""The project's own tricky sample: every layout artefact is repaired (no seeds needed)."""

from __future__ import annotations

import re

import pytest

from zhengcetong.ingest.parse import parse_bytes
from zhengcetong.samples import SINGLE_NOTICE, sample_path

EXPECTED = [
    # 文号, kind, date, title, effective_from, effective_until
    (
        "青政发〔2026〕11号",
        "notice",
        "2026-02-10",
        "关于印发青禾市科技创新券管理办法的通知",
        "2026-04-01",
        "2031-03-31",
    ),
    ("青政发〔2026〕12号", "notice", "2026-02-12", "关于公布市级行政许可事项清单的通知", None, None),
    (
        "青政字〔2026〕4号",
        "opinion",
        "2026-02-18",
        "关于推进青禾市口袋公园建设的意见",
        "2026-02-18",
        "2029-02-17",
    ),
    (
        "青政办发〔2026〕8号",
        "notice",
        "2026-02-26",
        "印发关于支持专精特新企业高质量发展的若干措施的通知",
        None,
        None,
    ),
    ("青政办字〔2026〕15号", "notice", "2026-03-02", "关于印发青禾市河道汛期巡查职责的通知", None, None),
    (
        "青政办字〔2026〕16号",
        "notice",
        "2026-03-03",
        "关于印发青禾市涉企行政检查规范暂行办法的通知",
        "2026-04-01",
        "2028-03-31",
    ),
    ("青政任〔2026〕3号", "appointment", "2026-02-20", "关于任免林晓舟等工作人员职务的通知", None, None),
    ("青政任〔2026〕4号", "appointment", "2026-02-27", "关于任命周若溪职务的通知", None, None),
    (None, "chronicle", None, "青禾市人民政府大事记（2026年2月）", None, None),
]


@pytest.fixture(scope="module")
def gazette():
    return parse_bytes(sample_path().read_bytes(), "qinghe.txt")


def docs(gazette):
    return {d.doc_number or d.kind: d for d in gazette.documents}


def iso(value):
    return value.isoformat() if value else None


def test_every_document_with_number_kind_date_title_and_validity(gazette):
    got = [
        (d.doc_number, d.kind, iso(d.date), d.title, iso(d.effective_from), iso(d.effective_until))
        for d in gazette.documents
    ]
    assert got == EXPECTED
    assert gazette.issue == "2026年第3期"
    assert [(t.doc_number, t.page) for t in gazette.toc][:3] == [
        ("青政发〔2026〕11号", 2),
        ("青政发〔2026〕12号", 4),
        ("青政字〔2026〕4号", 5),
    ]


def test_page_furniture_is_removed_even_mid_sentence(gazette):
    article3 = next(c for c in docs(gazette)["青政发〔2026〕11号"].all_clauses() if c.label == "第三条")
    assert article3.text.endswith("负责本辖区企业的初审和服务跟踪。")
    for doc in gazette.documents:
        assert "公报" not in doc.body and not re.search(r"—\s*\d+\s*—", doc.body)


def test_continuations_go_home_including_two_on_one_page(gazette):
    d = docs(gazette)
    assert "通知沿河乡镇组织撤离转移工作。" in d["青政办字〔2026〕15号"].body
    assert d["青政办字〔2026〕15号"].body.endswith("先行处置。")
    assert "离转移" not in d["青政任〔2026〕3号"].body
    inspection = d["青政办字〔2026〕16号"]
    assert "依法不予处罚的不得处罚。" in inspection.body
    assert [c.label for c in inspection.all_clauses() if c.level == "article"][-2:] == ["第五条", "第六条"]
    assert "第五条" not in d["青政任〔2026〕4号"].body and "座谈" not in d["青政任〔2026〕4号"].body
    chronicle = d["chronicle"]
    assert "企业负责人和企业家代表座谈。" in chronicle.body and chronicle.body.endswith("植树造林工作。")
    assert not [f for f in gazette.findings if f.code.startswith("continuation")]


def test_jumbled_cover_letter_and_broken_header_title(gazette):
    measures = docs(gazette)["青政办发〔2026〕8号"]
    assert measures.body.startswith(
        "《关于支持专精特新企业高质量发展的若干措施》已经市政府同意，现印发给你们，请认真贯彻执行。"
    )
    assert measures.addressees == ["各县（市、区）人民政府，青禾高新区管委会", "市政府各部门、直属机构"]
    assert measures.signature == "青禾市人民政府办公室"
    assert any(f.code == "cover_reordered" for f in gazette.findings)
    assert docs(gazette)["青政办字〔2026〕16号"].attached_titles == ["青禾市涉企行政检查规范暂行办法"]


def test_markdown_and_half_width_items_are_repaired(gazette):
    vouchers = docs(gazette)["青政发〔2026〕11号"]
    paths = [c.path for c in vouchers.all_clauses()]
    assert "第二章/第五条/（三）" in paths and "第三章/第七条" in paths
    assert not re.search(r"\*\*|^#|^- ", vouchers.body, re.M)
    first = docs(gazette)["青政办发〔2026〕8号"]
    award = next(c for c in first.all_clauses() if c.path == "一/（一）")
    assert "分别给予最高50万元、10万元一次性奖励" in award.text  # spaces inside numbers removed
    assert "（责任单位：市工业和信息化局、市财政局）" in award.text


def test_table_and_repeal(gazette):
    listing = docs(gazette)["青政发〔2026〕12号"]
    (table,) = listing.tables
    assert table.header == ["序号", "事项名称", "实施部门"] and len(table.rows) == 11
    assert table.caption == "青禾市市级行政许可事项清单"
    (repeal,) = docs(gazette)["青政发〔2026〕11号"].repeals
    assert repeal["doc_number"] == "青政办发〔2021〕5号" and repeal["title"] == "青禾市科技创新券管理办法"
    assert repeal["effective_on"] == "2026-04-01"


def test_toc_title_difference_is_reported(gazette):
    (finding,) = [f for f in gazette.findings if f.code == "toc_title_differs"]
    assert "青政办字〔2026〕16号" in finding.message
    assert not [f for f in gazette.findings if f.level == "error"]


def test_single_traditional_web_notice():
    parsed = parse_bytes(sample_path(SINGLE_NOTICE).read_bytes(), "single.txt")
    assert parsed.script == "traditional" and parsed.issue is None
    (doc,) = parsed.documents
    assert doc.doc_number == "青政办字〔2026〕18号"
    assert doc.title == "关于做好2026年春季森林防火工作的通知"
    assert doc.published.isoformat() == "2026-03-09" and doc.date.isoformat() == "2026-03-06"
    assert doc.effective_until.isoformat() == "2026-06-30"
    assert [c.path for c in doc.all_clauses()] == ["¶1", "一", "二", "二/（一）", "二/（二）", "三"]
