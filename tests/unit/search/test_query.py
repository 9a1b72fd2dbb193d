"""The query language: AND, OR, exclusion, exact phrases, synonyms, 文号, limits."""

from __future__ import annotations

import pytest

from zhengcetong.errors import InputError
from zhengcetong.search.query import MAX_QUERY_CHARS, parse


def test_words_are_and_ed_and_synonyms_or_ed():
    q = parse("高企 补贴")
    assert len(q.groups) == 2
    assert {a.tokens for a in q.groups[0]} >= {("高企",), ("高新技术企业",)}
    assert {a.tokens for a in q.groups[1]} >= {("补贴",), ("补助",)}
    assert q.fts5().count(" AND ") >= 1 and "OR" in q.fts5()


def test_or_joins_neighbours_and_minus_excludes():
    q = parse("瞪羚企业 OR 独角兽企业 -培训")
    assert len(q.groups) == 1 and {a.tokens for a in q.groups[0]} == {("瞪羚企业",), ("独角兽企业",)}
    assert [a.tokens for a in q.exclude] == [("培训",)]
    assert q.fts5().endswith('NOT ("培训")') and q.tsquery().endswith("& !('培训')")


def test_quoted_text_is_an_exact_phrase_unless_or_ed():
    assert parse("“首次 认定” 奖励").phrases == ["首次认定"]
    assert parse('"首次认定" OR 奖励').phrases == []
    assert parse("「軟件工程」").phrases == ["软件工程"]  # traditional script, 「」 quotes


def test_engine_terms_follow_the_expression_order():
    q = parse("技改 -奖励")
    assert q.terms() == ["技改", "技术改造", "奖励"]
    assert q.fts5().index("技改") < q.fts5().index("技术改造") < q.fts5().index("奖励")


def test_stop_words_alone_leave_nothing_to_match():
    q = parse("的 和 对")
    assert q.empty and q.ignored == ["的", "和", "对"]
    assert parse("-奖励").empty  # only an exclusion


def test_a_doc_number_is_recognised_in_any_bracket_style():
    assert parse("聊政办发[2023]7号 奖励").doc_number == "聊政办发〔2023〕7号"
    assert parse("聊政办发〔2023〕7号").empty


def test_limits_are_clear_errors():
    with pytest.raises(InputError, match="检索词太长"):
        parse("补" * (MAX_QUERY_CHARS + 1))
    with pytest.raises(InputError, match="检索词太多"):
        parse(" ".join(["人才", "补贴", "奖励", "企业", "资金", "项目"] * 3))


@pytest.mark.parametrize(
    "q", ["青政办发2026年8号", "青政办发 2026 8号", "青政办发（2026）8号", "青政办发[2026]8号"]
)
def test_a_doc_number_written_loosely_is_recognised_and_leaves_nothing_else(q):
    query = parse(q)
    assert query.doc_number == "青政办发〔2026〕8号" and query.empty


def test_a_year_in_a_query_is_not_a_doc_number():
    assert parse("2026年 补贴").doc_number is None
