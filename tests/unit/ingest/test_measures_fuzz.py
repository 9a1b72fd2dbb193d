"""Random and adversarial text never crashes the parser or the item extractor, and CPU time stays linear."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.quality import clause_document
from zhengcetong.errors import InputError
from zhengcetong.ingest.measures import extract_items
from zhengcetong.ingest.parse import parse_text

ALPHABET = st.sampled_from(
    list(
        "对给予分别最高万元亿、，。；（）()的首次认定为国家级省级和或及%１２3４5六七八九十按照比例每人每月个月第条章一二\n\t 元"
    )
)
PIECES = st.sampled_from(
    [
        "对首次认定为国家级、省级",
        "的，分别给予最高",
        "30万元、10万元",
        "一次性奖励；",
        "按照不超过设备实际购置金额10%的比例给予支持，",
        "每人每月5000元，最多不超过24个月。",
        "（责任单位：市财政局）",
        "第一条 ",
        "（一）",
        "聊政发〔2023〕3号\n",
        "（下转第4页）\n",
        "（上接第2页）",
        "\n",
    ]
)


def run_both(text: str) -> None:
    extract_items(clause_document(text))
    try:
        parse_text(text, "fuzz.txt")
    except InputError:
        pass  # no document in random text is a clear, expected answer


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=600))
def test_random_text_never_crashes(text):
    run_both(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=80).map("".join))
def test_recombined_policy_fragments_never_crash(text):
    run_both(text)


def timed(text: str) -> float:
    """CPU seconds (not wall time: other processes on the machine must not make this test flaky)."""
    t0 = time.process_time()
    run_both(text)
    return time.process_time() - t0


def _tracing_slowdown() -> float:
    """How much slower code runs here than in a plain process: ``make test`` measures branch coverage,
    whose tracer roughly doubles CPU time; the budget below is for untraced code."""
    try:
        import coverage
    except ImportError:
        return 1.0
    return 3.0 if coverage.Coverage.current() is not None else 1.0


def test_adversarial_inputs_stay_linear():
    cases = {
        "long line": "对首次认定的企业给予最高5万元奖励，" * 3000,
        "deep nesting": "（" * 20000 + "对" + "）" * 20000,
        "many numbers": "、".join(str(i) + "万元" for i in range(100_000)),
        "repeated distributive": "对国家级、省级的，分别给予最高1万元、2万元。" * 2000,
        "no punctuation": "给予" * 30000,
        "tiers": "对营业收入超过1亿元的企业，给予最高1万元奖励；低于1亿元的，给予5000元；" * 1500,
        "rights": "对残疾人，可不受限制，" * 5000,
        "digit run": "给予" + "1" * 60000 + "元",
        "spaced digits": "给予" + "1 " * 30000 + "元",
        "numeral run": "给予" + "五" * 60000 + "万元",
        "rates": "按照10%的比例给予补贴，" * 3000,
    }
    for name, text in cases.items():
        small = timed(text[: len(text) // 10])
        full = timed(text)
        kb = len(text.encode()) / 1024
        assert full < 2.0 * max(kb / 100, 1) * _tracing_slowdown(), f"{name}: {full:.2f}s for {kb:.0f} KB"
        assert full < 25 * max(small, 0.005), f"{name}: {full:.3f}s vs {small:.3f}s for a tenth: not linear"
