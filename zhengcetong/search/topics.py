"""Topic classification (主题分类) of documents and items by a documented weighted-keyword model.

The model is data (``topics.yaml``): each topic has keywords with weights; see the file's header for
the scoring rule. Topics are stored in the index as a bit mask (bit *i* = the *i*-th topic), so a
facet count is one pass over the hits.

Examples:
    >>> [t.name for t in classify("关于进一步做好高校毕业生就业创业工作的通知", "…稳岗补贴…就业见习…")]
    ['就业创业']
    >>> names(mask_of(["人才", "科技创新"]))
    ['科技创新', '人才']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, WithJsonSchema

MODEL = Path(__file__).resolve().parent / "topics.yaml"


@dataclass(frozen=True)
class Topic:
    """A topic with its bit and weighted keywords."""

    bit: int
    name: str
    keywords: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Scored:
    """A topic and the score a text gave it."""

    name: str
    score: float


@dataclass(frozen=True)
class Model:
    """The whole topic model."""

    topics: tuple[Topic, ...]
    threshold: float
    relative: float
    max_topics: int


@lru_cache(maxsize=1)
def model() -> Model:
    """The topic model from topics.yaml (checked: at most 31 topics, positive weights)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a tenth of the pure-Python time
    data = yaml.load(MODEL.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    topics = []
    for bit, entry in enumerate(data["topics"]):
        keywords = tuple((str(k), float(w)) for k, w in entry["keywords"].items())
        if any(w <= 0 for _, w in keywords):
            raise ValueError(
                f"{MODEL}: topic {entry['name']} has a keyword with a weight that is not positive"
            )
        topics.append(Topic(bit=bit, name=entry["name"], keywords=keywords))
    if len(topics) > 31:
        raise ValueError(f"{MODEL}: at most 31 topics fit the index's bit mask")
    return Model(tuple(topics), float(data["threshold"]), float(data["relative"]), int(data["max_topics"]))


def topic_names() -> list[str]:
    """Every topic name, in bit order."""
    return [t.name for t in model().topics]


def known_topic(value: str) -> str:
    """``value`` when it names a topic; ValueError listing the topics otherwise.

    Examples:
        >>> known_topic("人才")
        '人才'
    """
    if value not in topic_names():
        raise ValueError(f"没有“{value}”这个主题，可选：{'、'.join(topic_names())}")
    return value


TopicName = Annotated[
    str,
    AfterValidator(known_topic),
    WithJsonSchema({"type": "string", "enum": topic_names(), "description": "主题（见 /api/v1/topics）"}),
]
"""A query parameter or field naming a topic: validated, and an enum of the names in the API spec."""


def score(title: str, body: str) -> list[Scored]:
    """Every topic's score for a text, best first (zero scores left out)."""
    out = []
    for topic in model().topics:
        total = 0.0
        for word, weight in topic.keywords:
            count = body.count(word)
            if count:
                total += weight * (1 + math.log(count))
            if word in title:
                total += weight * 3
        if total > 0:
            out.append(Scored(topic.name, round(total, 4)))
    return sorted(out, key=lambda s: (-s.score, s.name))


def classify(title: str, body: str) -> list[Scored]:
    """The topics assigned to a text (see topics.yaml for the rule)."""
    m = model()
    scored = score(title, body)
    if not scored:
        return []
    best = scored[0].score
    chosen = [s for s in scored if s.score >= m.threshold and s.score >= m.relative * best]
    return (chosen or scored[:1])[: m.max_topics]


def mask_of(names: list[str]) -> int:
    """The bit mask of topic names (unknown names are an error)."""
    bits = {t.name: t.bit for t in model().topics}
    mask = 0
    for name in names:
        if name not in bits:
            raise KeyError(f"unknown topic {name!r}; topics are {', '.join(bits)}")
        mask |= 1 << bits[name]
    return mask


def names(mask: int) -> list[str]:
    """The topic names of a bit mask, in bit order."""
    return [t.name for t in model().topics if mask >> t.bit & 1]
