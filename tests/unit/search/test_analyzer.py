"""The analyzer: the same tokens at index and query time, sub-words for short queries, stable dictionary."""

from __future__ import annotations

from zhengcetong.search.analyzer import compact, get_analyzer, normalise_query, stopwords


def test_domain_words_stay_whole_and_their_parts_become_extra_tokens():
    a = get_analyzer()
    analysis = a.analyse("对认定为专精特新中小企业的，由市工业和信息化局给予奖补")
    assert "专精特新中小企业" in analysis.tokens
    assert "工业和信息化局" in analysis.tokens
    assert {"专精特新", "中小企业", "企业"} <= set(analysis.extra)


def test_punctuation_and_stop_words_are_dropped_and_mixed_runs_split():
    tokens = get_analyzer().tokens("（一）对C类企业，按3.5%的比例给予补贴。")
    assert not set(tokens) & stopwords()
    assert all(t.isalnum() for t in tokens)
    assert "c" in tokens and "补贴" in tokens and "3" in tokens and "5" in tokens


def test_a_query_is_analysed_like_the_text_it_occurs_in():
    a = get_analyzer()
    text = "对首次认定为国家级专精特新“小巨人”企业的，给予最高50万元一次性奖励"
    indexed = set(a.analyse(text).tokens) | set(a.analyse(text).extra)
    for query in ("专精特新", "小巨人", "奖励", "一次性奖励", "50", "万元", "首次认定"):
        assert set(a.tokens(query)) <= indexed, query


def test_traditional_full_width_and_case_are_normalised_for_queries():
    assert normalise_query("  高新技術企業　ＡＢＣ ") == "高新技术企业 abc"
    assert compact("Ｃ类 企业") == "c类企业"


def test_library_terms_change_only_text_that_contains_them():
    base = get_analyzer()
    with_term = get_analyzer(["临川市数据资源局"])
    assert with_term.fingerprint != base.fingerprint
    assert "临川市数据资源局" in with_term.tokens("由临川市数据资源局负责")
    other = "对首次认定的高新技术企业给予奖励，由市财政局拨付资金"
    assert with_term.tokens(other) == base.tokens(other)
