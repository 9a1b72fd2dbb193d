"""The two seed gazettes parse with every document found, with the right 文号, title, date and boundaries.

The seeds live in ../shared/seeds (read, never copied); the tests skip with that reason when absent.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import seed_path
from zhengcetong.ingest.parse import parse_bytes

pytestmark = pytest.mark.seeds

D = date.fromisoformat

# 文号, kind, 成文日期, first and last source line of the document's own area, effective from/until
ISSUE_5 = [
    ("聊政发〔2023〕3号", "notice", "2023-05-05", 77, 298, "2023-06-10", "2028-06-09"),
    ("聊政发〔2023〕4号", "notice", "2023-05-09", 300, 426, "2023-07-01", "2028-06-30"),
    ("聊政字〔2023〕6号", "notice", "2023-05-09", 428, 497, None, None),
    ("聊政字〔2023〕7号", "opinion", "2023-05-17", 499, 606, None, None),
    ("聊政字〔2023〕9号", "notice", "2023-05-22", 608, 913, "2023-07-01", "2028-06-30"),
    ("聊政办字〔2023〕13号", "notice", "2023-05-25", 915, 1004, None, None),
    ("聊政任〔2023〕8号", "appointment", "2023-05-17", 1006, 1118, None, None),
    ("聊政任〔2023〕9号", "appointment", "2023-05-26", 1124, 1158, None, None),
    (None, "chronicle", None, 1160, 1222, None, None),
]
ISSUE_6_7 = [
    ("聊政发〔2023〕5号", "notice", "2023-06-23", 81, 125, None, None),
    ("聊政办发〔2023〕6号", "notice", "2023-06-15", 127, 256, None, None),
    ("聊政办发〔2023〕7号", "notice", "2023-07-11", 258, 588, None, None),
    ("聊政办发〔2023〕8号", "notice", "2023-07-20", 590, 779, "2023-09-01", "2028-08-31"),
    ("聊政办发〔2023〕9号", "notice", "2023-07-25", 781, 864, None, None),
    ("聊政办字〔2023〕16号", "notice", "2023-06-27", 866, 974, None, None),
    ("聊政办字〔2023〕17号", "notice", "2023-07-06", 976, 1215, "2023-08-10", "2025-08-09"),
    ("聊政任〔2023〕10号", "appointment", "2023-06-17", 1217, 1261, None, None),
    ("聊政任〔2023〕11号", "appointment", "2023-06-26", 1271, 1285, None, None),
    ("聊政任〔2023〕12号", "appointment", "2023-07-25", 1308, 1338, None, None),
    (None, "chronicle", None, 1360, 1392, None, None),
    (None, "chronicle", None, 1394, 1450, None, None),
]

TITLES_5 = {
    "聊政发〔2023〕3号": "关于印发聊城市地方储备粮管理办法的通知",
    "聊政发〔2023〕4号": "关于印发聊城市城乡建设档案管理办法的通知",
    "聊政字〔2023〕6号": "关于印发聊城市制造业数字化转型行动方案的通知",
    "聊政字〔2023〕7号": "关于加快推进聊城市城市更新工作的意见",
    "聊政字〔2023〕9号": "关于印发聊城市校车安全管理的通知",
    "聊政办字〔2023〕13号": "关于印发聊城市加快惠企便民政策通晓直达全面优化政策服务实施方案的通知",
    "聊政任〔2023〕8号": "关于任免柳振方等工作人员职务的通知",
    "聊政任〔2023〕9号": "关于任免刘瑞峰等工作人员职务的通知",
}
TITLES_6_7 = {
    "聊政发〔2023〕5号": "关于调整一批行政权力事项的通知",
    "聊政办发〔2023〕6号": "关于印发聊城市促进残疾人就业行动实施方案的通知",
    "聊政办发〔2023〕8号": "关于印发聊城市博士后工作管理办法的通知",
    "聊政办发〔2023〕9号": "关于印发聊城市2023年政务公开工作要点的通知",
    "聊政办字〔2023〕16号": "关于印发聊城市黄河防汛职责的通知",
    "聊政办字〔2023〕17号": "关于印发聊城市行政检查管理暂行办法的通知",
    "聊政任〔2023〕10号": "关于任免王新等工作人员职务的通知",
    "聊政任〔2023〕11号": "关于任命高恒业和徐公义职务的通知",
    "聊政任〔2023〕12号": "关于任免高绪斌等工作人员职务的通知",
}
ARTICLE_COUNTS = {"聊政发〔2023〕3号": 40, "聊政发〔2023〕4号": 26, "聊政字〔2023〕9号": 54}
ARTICLE_COUNTS_6_7 = {"聊政办发〔2023〕8号": 37, "聊政办字〔2023〕17号": 47}
CN = "一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1..99 in Chinese numerals (the article numbering)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN[tens - 1] + "十")
    return head + (CN[ones - 1] if ones else "")


@pytest.fixture(scope="module")
def issue5():
    path = seed_path("5")
    return parse_bytes(path.read_bytes(), str(path))


@pytest.fixture(scope="module")
def issue67():
    path = seed_path("6-7")
    return parse_bytes(path.read_bytes(), str(path))


def by_number(gazette):
    return {d.doc_number: d for d in gazette.documents if d.doc_number}


@pytest.mark.parametrize(("fixture", "expected"), [("issue5", ISSUE_5), ("issue67", ISSUE_6_7)])
def test_every_document_found_with_number_kind_date_and_boundaries(request, fixture, expected):
    gazette = request.getfixturevalue(fixture)
    got = [
        (
            d.doc_number,
            d.kind,
            d.date.isoformat() if d.date else None,
            d.line_start,
            d.line_end,
            d.effective_from.isoformat() if d.effective_from else None,
            d.effective_until.isoformat() if d.effective_until else None,
        )
        for d in gazette.documents
    ]
    assert got == expected


def test_issue_and_toc(issue5, issue67):
    assert issue5.issue == "2023年第5期"
    assert issue67.issue == "2023年第6-7期"
    assert len(issue5.toc) == 9 and len(issue67.toc) == 12
    assert issue5.toc[0].doc_number == "聊政发〔2023〕3号" and issue5.toc[0].page == 2
    assert issue67.toc[-1].doc_number is None and issue67.toc[-1].page == 44
    for gazette in (issue5, issue67):
        assert not [f for f in gazette.findings if f.code == "toc_missing"]


def test_toc_cross_check_reports_title_differences(issue5):
    differs = [f.message for f in issue5.findings if f.code == "toc_title_differs"]
    assert len(differs) == 2
    assert any("聊政发〔2023〕4号" in m and "暂行办法" in m for m in differs)


@pytest.mark.parametrize(("fixture", "titles"), [("issue5", TITLES_5), ("issue67", TITLES_6_7)])
def test_titles_are_the_notices_own_without_spaces_or_issuer(request, fixture, titles):
    docs = by_number(request.getfixturevalue(fixture))
    for number, title in titles.items():
        assert docs[number].title == title


def test_title_broken_over_header_line(issue67):
    doc = by_number(issue67)["聊政办发〔2023〕7号"]
    assert doc.title.startswith("印发关于支持新一代信息技术产业新能源产业钢管产业")
    assert doc.title.endswith("高质量发展的若干措施的通知")
    assert doc.issuer == "聊城市人民政府办公室"
    assert len(doc.attached_titles) == 4
    assert [c.label for c in doc.clauses if c.level == "attachment"] == ["附件1", "附件2", "附件3", "附件4"]


def test_chronicles_are_titled_by_month(issue5, issue67):
    assert [d.title for d in issue5.documents if d.kind == "chronicle"] == [
        "聊城市人民政府大事记（2023年5月）"
    ]
    assert [d.title for d in issue67.documents if d.kind == "chronicle"] == [
        "聊城市人民政府大事记（2023年6月）",
        "聊城市人民政府大事记（2023年7月）",
    ]


def test_addressees_signature_and_issuer(issue5, issue67):
    doc = by_number(issue5)["聊政发〔2023〕3号"]
    assert doc.addressees == ["各县（市、区）人民政府，市属开发区管委会", "市政府有关部门、直属机构"]
    assert doc.signature == "聊城市人民政府" and doc.issuer == "聊城市人民政府"
    appointment = by_number(issue67)["聊政任〔2023〕11号"]
    assert appointment.addressees == ["各县（市、区）人民政府，市属开发区管委会", "市政府各部门、直属机构"]
    assert appointment.body.startswith("市人民政府决定，任命：")


@pytest.mark.parametrize(
    ("fixture", "number", "start"),
    [
        (
            "issue5",
            "聊政办字〔2023〕13号",
            "《聊城市加快惠企便民政策通晓直达全面优化政策服务实施方案》已经市政府同意，现印发给你们",
        ),
        ("issue67", "聊政办发〔2023〕8号", "《聊城市博士后工作管理办法》已经市政府同意，现印发给你们"),
        ("issue67", "聊政办字〔2023〕16号", "《聊城市黄河防汛职责》已经市政府同意，现印发给你们"),
        (
            "issue67",
            "聊政办发〔2023〕6号",
            "《聊城市促进残疾人就业行动实施方案》已经市政府同意，现印发给你们，请认真贯彻执行。",
        ),
    ],
)
def test_jumbled_cover_letters_are_put_back_in_order(request, fixture, number, start):
    doc = by_number(request.getfixturevalue(fixture))[number]
    assert doc.body.startswith(start)
    assert doc.addressees[0] == "各县（市、区）人民政府，市属开发区管委会"
    assert "执行。" not in doc.addressees[0]


def test_continued_document_gets_its_continuation_and_the_host_loses_it(issue67):
    docs = by_number(issue67)
    flood = docs["聊政办字〔2023〕16号"]
    host = docs["聊政任〔2023〕10号"]
    assert "防洪工程和设施的电力保障" in flood.body  # joined across the page jump, mid-word
    assert flood.body.rstrip().endswith("等重要信息。")
    assert "力保障" not in host.body and "中国移动" not in host.body
    assert flood.continued_from == [1265]


def test_continuation_brings_articles_and_validity(issue67):
    docs = by_number(issue67)
    inspection = docs["聊政办字〔2023〕17号"]
    assert "未按要求落实行政检查制度或在行政检查中" in inspection.body
    paths = [c.path for c in inspection.all_clauses()]
    assert "第七章/第四十七条" in paths and "第六章/第四十六条/（四）" in paths
    host = docs["聊政任〔2023〕11号"]
    assert "第四十四条" not in host.body
    assert inspection.effective_until == D("2025-08-09")


def test_chronicle_continuation_printed_before_its_document(issue67):
    june, july = [d for d in issue67.documents if d.kind == "chronicle"]
    assert "出席会议并讲话。刘文强、王刚、郭守印参加会议。" in june.body
    assert june.continued_from == [1340]
    assert "郭守印参加会议" not in by_number(issue67)["聊政任〔2023〕12号"].body
    assert july.body.startswith("3日，")


def test_chronicle_continuation_in_issue_5(issue5):
    chronicle = issue5.documents[-1]
    assert chronicle.continued_from == [1120]
    assert "谢兆村出席。会议以视频形式召开" in chronicle.body
    assert "会议以视频形式召开" not in by_number(issue5)["聊政任〔2023〕8号"].body


def test_no_markers_or_markdown_left_in_any_body(issue5, issue67):
    for gazette in (issue5, issue67):
        for doc in gazette.documents:
            assert not re.search(r"下转第|上接第|\*\*|^#|~~~", doc.body, re.M), doc.doc_number
            assert "\n\n" not in doc.body


@pytest.mark.parametrize(("fixture", "counts"), [("issue5", ARTICLE_COUNTS), ("issue67", ARTICLE_COUNTS_6_7)])
def test_articles_are_complete_and_in_sequence(request, fixture, counts):
    docs = by_number(request.getfixturevalue(fixture))
    for number, count in counts.items():
        articles = [c for c in docs[number].all_clauses() if c.level == "article"]
        assert [a.label for a in articles] == [f"第{cn_numeral(i)}条" for i in range(1, count + 1)], number
        for article in articles:
            assert article.text.startswith(article.label)
            assert docs[number].body[article.start : article.end] == article.text


def test_broken_lines_are_joined(issue5, issue67):
    grain = by_number(issue5)["聊政发〔2023〕3号"]
    article4 = next(c for c in grain.all_clauses() if c.label == "第四条")
    assert "拟订本的调控意见" not in article4.text and "报本级人民政府批准后实施。" in article4.text
    assert "\n" in article4.text  # its second and third paragraphs stay paragraphs
    appointment = by_number(issue5)["聊政任〔2023〕9号"]
    assert "刘瑞峰的聊城市农业技术推广服务中心（聊城市绿色农业发展服务中心）主任职务；" in appointment.body


def test_measures_tree_and_spacing_repairs(issue67):
    measures = by_number(issue67)["聊政办发〔2023〕7号"]
    paths = {c.path: c for c in measures.all_clauses()}
    first = paths["附件1/三/（一）"]
    assert "分别给予最高30万元、10万元一次性奖励" in first.text
    assert paths["附件1/二/（一）"].text == "（一）做强光纤线缆产业"  # "(一) " repaired
    assert "附件1/二/（一）/1" in paths


def test_table_with_19_rows(issue67):
    doc = by_number(issue67)["聊政发〔2023〕5号"]
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.header == ["序号", "事项名称", "权力类型"]
    assert len(table.rows) == 19 and table.rows[0][0] == "1" and table.rows[-1][0] == "19"
    assert table.caption == "调整实施的行政权力事项"
    assert doc.attached_titles == ["调整实施的行政权力事项"]


def test_clause_offsets_point_into_the_body(issue5, issue67):
    for gazette in (issue5, issue67):
        for doc in gazette.documents:
            for clause in doc.all_clauses():
                assert doc.body[clause.start : clause.end] == clause.text


def test_gb18030_and_traditional_script_give_the_same_documents(issue5):
    import opencc

    path = seed_path("5")
    text = path.read_text(encoding="utf-8")
    gb = parse_bytes(text.encode("gb18030"), "gb.txt")
    assert gb.encoding == "gb18030"
    assert [d.to_json() for d in gb.documents] == [d.to_json() for d in issue5.documents]
    traditional = opencc.OpenCC("s2t").convert(text)
    assert traditional != text
    parsed = parse_bytes(traditional.encode("utf-8"), "trad.txt")
    assert parsed.script == "traditional"
    summary = [(d.doc_number, d.date, d.kind, d.line_start, d.line_end) for d in parsed.documents]
    assert summary == [(d.doc_number, d.date, d.kind, d.line_start, d.line_end) for d in issue5.documents]
    assert [d.title for d in parsed.documents] == [d.title for d in issue5.documents]


def test_json_export_shape(issue5):
    data = issue5.to_json()
    assert data["issue"] == "2023年第5期"
    assert set(data["toc"][0]) == {"title", "doc_number", "page"}
    doc = data["documents"][0]
    for key in (
        "doc_number",
        "issuer",
        "title",
        "addressees",
        "date",
        "kind",
        "attached_titles",
        "effective_from",
        "effective_until",
        "body",
        "clauses",
        "tables",
    ):
        assert key in doc
    assert doc["date"] == "2023-05-05"
    assert set(doc["clauses"][0]) >= {"label", "path", "text", "children"}


def test_a_document_the_parser_misses_is_reported_from_the_toc():
    path = seed_path("5")
    lines = path.read_text(encoding="utf-8").split("\n")
    # damage the header of 聊政字〔2023〕6号 so that no document starts there
    damaged = [("聊政字〔2023〕6 号 附" if line.strip() == "聊政字〔2023〕6号" else line) for line in lines]
    assert damaged != lines
    parsed = parse_bytes("\n".join(damaged).encode(), "damaged.txt")
    assert "聊政字〔2023〕6号" not in {d.doc_number for d in parsed.documents}
    missing = [f for f in parsed.findings if f.code == "toc_missing"]
    assert len(missing) == 1 and "聊政字〔2023〕6号" in missing[0].message and missing[0].level == "error"
