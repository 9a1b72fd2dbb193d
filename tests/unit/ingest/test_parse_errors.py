"""Bad input gets a clear InputError naming the source (and line when known), never a traceback."""

from __future__ import annotations

import pytest

from zhengcetong.errors import InputError
from zhengcetong.ingest.parse import parse_bytes, parse_text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "文件为空"),
        (b"   \n\n\t \r\n", "文件为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "二进制文件"),
        ("今天天气很好，我们去公园散步。\n明天也许会下雨。\n".encode("gb18030"), "没有找到可识别的公文"),
        (("Lorem ipsum dolor sit amet\n" * 20).encode(), "没有找到可识别的公文"),
    ],
    ids=["empty", "blank", "binary", "gb18030-no-document", "english-text"],
)
def test_bad_input_is_refused_with_a_clear_message(data, words):
    with pytest.raises(InputError) as caught:
        parse_bytes(data, "upload/bad.txt")
    message = str(caught.value)
    assert message.startswith("upload/bad.txt")
    assert words in message


def test_undecodable_bytes_name_the_line():
    data = "第一行\n第二行\n".encode() + b"\xff\xfe\xfd\x80\x81 broken\n"
    with pytest.raises(InputError) as caught:
        parse_bytes(data, "x.txt")
    assert caught.value.line == 3


def test_gb18030_document_is_read():
    text = "青禾市人民政府文件\n青政发〔2026〕1号\n青禾市人民政府 关于印发某办法的通知\n各县（市、区）人民政府：\n现将《某办法》印发给你们，请认真贯彻执行。\n青禾市人民政府\n2026年1月5日\n"
    gazette = parse_bytes(text.encode("gb18030"), "g.txt")
    assert gazette.encoding == "gb18030"
    (doc,) = gazette.documents
    assert (doc.doc_number, doc.title, doc.date.isoformat()) == (
        "青政发〔2026〕1号",
        "关于印发某办法的通知",
        "2026-01-05",
    )
    assert doc.addressees == ["各县（市、区）人民政府"]
    assert doc.attached_titles == ["某办法"]


def test_single_document_as_a_website_shows_it():
    text = "\n".join(
        [
            "索引号：11370000/2026-00012",
            "发文机关：青禾市人民政府办公室",
            "成文日期：2026年03月02日",
            "标题：青禾市人民政府办公室关于做好春季防火工作的通知",
            "发文字号：青政办字〔2026〕9号",
            "发布日期：2026年03月05日",
            "青禾市人民政府办公室关于做好春季防火工作的通知",
            "青政办字〔2026〕9号",
            "各县（市、区）人民政府，市政府各部门：",
            "为切实做好春季防火工作，现将有关事项通知如下：",
            "一、压实责任",
            "各地要落实属地责任，加强巡查。",
            "二、本通知自印发之日起施行，有效期2年。",
            "青禾市人民政府办公室",
            "2026年3月2日",
        ]
    )
    (doc,) = parse_text(text, "web.txt").documents
    assert doc.doc_number == "青政办字〔2026〕9号"
    assert doc.issuer == "青禾市人民政府办公室"
    assert doc.title == "关于做好春季防火工作的通知"
    assert doc.addressees == ["各县（市、区）人民政府，市政府各部门"]
    assert doc.published.isoformat() == "2026-03-05"
    assert doc.effective_from.isoformat() == "2026-03-02" and doc.effective_until.isoformat() == "2028-03-01"
    assert [c.path for c in doc.all_clauses()] == ["¶1", "一", "二"]
    assert doc.body.startswith("为切实做好春季防火工作")


@pytest.mark.parametrize(
    "text",
    ["青政发〔2026〕3号\n", "\n\n青政发〔2026〕3号\n\n", "青禾市人民政府文件\n青政发〔2026〕3号\n"],
    ids=["bare-number", "bare-number-after-blank-lines", "red-header-and-number"],
)
def test_a_document_number_without_title_or_body_is_not_a_document(text):
    with pytest.raises(InputError) as caught:
        parse_bytes(text.encode(), "upload/number.txt")
    message = str(caught.value)
    assert message.startswith("upload/number.txt:")
    assert "没有找到可识别的公文" in message and "青政发〔2026〕3号" in message
    assert caught.value.line == next(k for k, ln in enumerate(text.split("\n"), 1) if ln.strip())


def test_an_empty_start_beside_real_documents_is_dropped_with_a_warning():
    text = "\n".join(
        [
            "青禾市人民政府文件",
            "青政发〔2026〕1号",
            "青禾市人民政府 关于印发某办法的通知",
            "各县（市、区）人民政府：",
            "现将《某办法》印发给你们，请认真贯彻执行。",
            "青禾市人民政府",
            "2026年1月5日",
            "青政发〔2026〕3号",
        ]
    )
    gazette = parse_text(text, "two.txt")
    assert [d.doc_number for d in gazette.documents] == ["青政发〔2026〕1号"]
    (finding,) = [f for f in gazette.findings if f.code == "empty_document"]
    assert finding.level == "warning" and finding.line == 8 and "青政发〔2026〕3号" in finding.message


def test_a_bare_number_before_a_red_header_does_not_swallow_the_next_document():
    text = "\n".join(
        [
            "青政发〔2026〕3号",
            "青禾市人民政府文件",
            "青政发〔2026〕4号",
            "青禾市人民政府",
            "关于做好防汛工作的通知",
            "各区人民政府：",
            "　　一、对按期完成的，给予最高5万元奖励。",
            "青禾市人民政府",
            "2026年3月1日",
        ]
    )
    gazette = parse_text(text, "red.txt")
    (document,) = gazette.documents
    assert (document.doc_number, document.title) == ("青政发〔2026〕4号", "关于做好防汛工作的通知")
    assert document.issuer == "青禾市人民政府"
    (finding,) = [f for f in gazette.findings if f.code == "empty_document"]
    assert finding.line == 1


def test_a_date_with_no_such_day_is_left_empty_with_a_warning():
    text = "\n".join(
        [
            "青禾市人民政府",
            "青政发〔2026〕9号",
            "青禾市人民政府 关于做好防汛工作的通知",
            "各区人民政府：",
            "　　一、做好防汛。",
            "青禾市人民政府",
            "2026年2月30日",
        ]
    )
    gazette = parse_text(text, "day.txt")
    (document,) = gazette.documents
    (finding,) = [f for f in gazette.findings if f.code == "invalid_date"]
    assert document.date is None and finding.line == 7 and "2026年2月30日" in finding.message
