"""The analyzer: the same tokens at index and query time, sub-words for short queries, stable dictionary."""

from __future__ import annotations

import pytest

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


LAZY_TEXTS = [
    "对首次认定为高新技术企业的，给予一次性奖励",
    "专精特新企业新引进的全职博士生活补贴",
    "市人力资源和社会保障局负责残疾人就业 C类 3.5万元 abc123",
    "青政办发〔2026〕8号 技改 OR 设备 -培训",
]


def _lazy(cache_dir, terms=()):
    """An analyzer that reads the dictionary lazily (as in a process that has not loaded it)."""
    from zhengcetong.search.analyzer import Analyzer, _base_dictionary

    _base_dictionary.cache_clear()
    return Analyzer(terms, cache_dir=cache_dir)


@pytest.fixture(autouse=True)
def _dictionary_stays_loaded():
    """Leave the process holding the dictionary, as the other tests expect (analysers copy it)."""
    yield
    from zhengcetong.search.analyzer import _base_dictionary

    _base_dictionary()


def test_the_dictionary_read_lazily_from_the_cache_segments_the_same(tmp_path):
    """Issue #17: a CLI search loaded the whole jieba dictionary (about a second) for a few words."""
    from zhengcetong.search.analyzer import Analyzer, LazyDictionary, base_cache_path

    lazy = _lazy(tmp_path / "cache", ["青禾市财政局"])  # compiles the cache file
    again = _lazy(tmp_path / "cache")  # reads the file written above
    eager = Analyzer(["青禾市财政局"])  # no cache folder: the whole dictionary
    assert isinstance(Analyzer(cache_dir=tmp_path / "cache")._freq, dict)  # loaded now: copied
    assert base_cache_path(tmp_path / "cache").exists()
    assert isinstance(lazy._freq, LazyDictionary) and isinstance(again._freq, LazyDictionary)
    assert isinstance(eager._freq, dict)
    for text in LAZY_TEXTS:
        assert lazy.analyse(text) == eager.analyse(text), text
    assert lazy.is_word("青禾市财政局") and not lazy.is_word("青禾市财") and not again.is_word("青禾市财政局")
    assert lazy.fingerprint == eager.fingerprint
    assert again.tokens(LAZY_TEXTS[1]) == Analyzer().tokens(LAZY_TEXTS[1])
    lazy.load_whole()
    assert isinstance(lazy._freq, dict)
    assert [lazy.analyse(t) for t in LAZY_TEXTS] == [eager.analyse(t) for t in LAZY_TEXTS]


def test_much_text_loads_the_whole_dictionary(tmp_path):
    from zhengcetong.search.analyzer import EAGER_AFTER_CHARS

    lazy = _lazy(tmp_path)
    lazy.tokens("补贴" * (EAGER_AFTER_CHARS // 2 + 1))
    assert isinstance(lazy._freq, dict)


def test_an_unwritable_cache_folder_falls_back_to_loading_the_dictionary(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    analyzer = _lazy(blocked / "cache")
    assert isinstance(analyzer._freq, dict) and analyzer.tokens("一次性奖励") == ["一次性奖励"]


JIEBA_IMPORT = """
import sys
from zhengcetong.search.analyzer import _import_jieba

jieba = _import_jieba()
light = ["jieba.finalseg.prob_emit" in sys.modules, "pkg_resources" in sys.modules]
jieba.setLogLevel(60)
words = jieba.lcut("林晓舟任青禾市副市长", HMM=True)  # an unknown name needs the HMM model
print(light, "林晓舟" in words, "jieba.finalseg.prob_emit" in sys.modules)
"""


def test_jieba_is_imported_without_pkg_resources_or_its_hmm_model_which_still_loads_when_used():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", JIEBA_IMPORT], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "[False, False] True True"
