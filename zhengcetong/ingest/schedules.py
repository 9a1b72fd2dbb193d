"""Schedules of a benefit over time: "前三年…、后两年…", "第1年至第3年…", "前两年全额、后三年减半".

A schedule is one item per stage (``stages_of``); a one-off amount paid in instalments ("五年内分三次发放，
第一年…") and a tax relief in stages (三免三减半) are not schedules. ``relief_months`` is the length of a
relief granted for one stated period ("免征…五年").

Every pattern is bounded, so reading a sentence is linear in its length.
"""

from __future__ import annotations

import re

from zhengcetong.ingest.cues import RELIEF_RE
from zhengcetong.ingest.numbers import find_durations, parse_number

__all__ = ["INSTALMENTS_RE", "STAGE_RE", "relief_months", "stages_of"]

# a stage of a schedule: 前三年, 后两年, 第1年, 第2至第3年, 第4-5年
STAGE_RE = re.compile(
    r"(?<![0-9一二两三四五六七八九十年])(前|后|第)([0-9一二两三四五六七八九十]{1,2})"
    r"(?:年?(?:至|到|-|—|~|、)第?([0-9一二两三四五六七八九十]{1,2}))?个?年(?:度)?(?!以上|以下|内)"
)
# a one-off amount paid in instalments ("五年内分三次发放，第一年…"): one item, not a schedule
INSTALMENTS_RE = re.compile(
    r"分[0-9一二两三四五六七八九十]{1,2}(?:次|期|批)|分[0-9一二两三四五六七八九十]{1,2}年(?:兑现|拨付|发放|支付)"
)
STAGE_VALUE_RE = re.compile(r"[0-9.]+(?:亿|万|千)?元|[%％‰]|全额|减半|百分之")


def stages_of(sentence: str) -> list[tuple[int, str, int | None]]:
    """The stages of a grant schedule in a sentence: (offset, label, months), or [] when there are fewer
    than two stages, or one states no value of its own, or the sentence is a tax relief (三免三减半 and
    第1至第3年免征… are one relief).

    Examples:
        >>> stages_of("连续补贴5年，前三年补贴0.35元/千瓦时，后两年0.2元/千瓦时")
        [(7, '前三年', 36), (22, '后两年', 24)]
        >>> stages_of("第1年至第3年免征企业所得税，第4年至第5年减半征收")
        []
    """
    found = list(STAGE_RE.finditer(sentence))
    if len(found) < 2 or RELIEF_RE.search(sentence) or INSTALMENTS_RE.search(sentence):
        return []
    out = []
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(sentence)
        if not STAGE_VALUE_RE.search(sentence[m.end() : end]):
            return []
        try:
            first = int(parse_number(m.group(2)))
            last = int(parse_number(m.group(3))) if m.group(3) else None
        except ValueError:
            return []
        if m.group(1) == "第":
            years = (last - first + 1) if last else 1
        else:
            years = first
        out.append((m.start(), m.group(0), years * 12 if years > 0 else None))
    return out


def relief_months(phrase: str) -> int | None:
    """The period of a relief for one stated span ("免征…地方分享部分五年", "免除3年的租金"); None for a
    relief in stages (三免三减半, 第1至第3年免征…).

    Examples:
        >>> relief_months("免征企业所得税地方分享部分五年"), relief_months("给予三免三减半优惠")
        (60, None)
    """
    if STAGE_RE.search(phrase) or re.search(r"[一二三四五两]免[一二三四五两]减半", phrase):
        return None
    for d in find_durations(phrase):
        if d.months and not re.search(r"[第前后至]$", phrase[max(0, d.start - 1) : d.start]):
            return d.months
    return None
