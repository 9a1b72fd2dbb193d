"""Snippets: marked spans at the right offsets, the best window, plain segments (the page escapes them)."""

from __future__ import annotations

from zhengcetong.search.snippets import find_spans, snippet


def test_spans_prefer_longer_words_and_fold_width_and_case():
    assert find_spans("高新技术企业和企业", ["企业", "高新技术企业"]) == [(0, 6), (7, 9)]
    assert find_spans("ＡＢＣ类企业", ["abc类"]) == [(0, 4)]


def test_the_window_holds_the_most_distinct_words():
    text = "甲" * 300 + "对首次认定的企业给予奖励" + "乙" * 300
    segments = snippet(text, ["首次", "奖励"], width=60)
    joined = "".join(s.text for s in segments)
    assert segments[0].text.startswith("…") and segments[-1].text.endswith("…")
    assert [s.text for s in segments if s.hit] == ["首次", "奖励"]
    assert len(joined) <= 60 + 2


def test_markup_in_text_stays_text():
    segments = snippet("<script>alert(1)</script> 给予奖励", ["奖励"])
    assert segments[0].text.startswith("<script>") and not segments[0].hit
