"""The search query language, parsed once and rendered for each engine.

What people type:

- words: ``技术改造 补贴`` finds entries with both (after segmentation: ``科技创新券`` is 科技创新 + 券);
- ``"…"`` or ``“…”``: an exact phrase (the characters in this order, spaces and case ignored);
- ``A OR B`` (also ``A | B``, ``A 或 B``): either;
- ``-word``: entries without it;
- synonyms and abbreviations expand automatically (``高企`` also finds 高新技术企业, see synonyms.txt);
- a 文号 anywhere in the query (``聊政发〔2023〕3号``, ``聊政发[2023]3号``, ``聊政发2023年3号``) pins that
  document first; a query of only a 文号 lists that document, its items and its clauses.

The parse is an AND of groups; a group is an OR of alternatives; an alternative is an AND of tokens
(usually one). ``fts5()`` and ``tsquery()`` render the same tree, and ``terms()`` lists its tokens in
the order both engines count them for BM25 (one entry per occurrence, duplicates included).

Examples:
    >>> q = parse("技改 -奖励")
    >>> q.fts5()
    '("技改" OR "技术改造") NOT ("奖励")'
    >>> q.tsquery()
    "('技改' | '技术改造') & !('奖励')"
    >>> parse('"首次 认定" OR 瞪羚').phrases
    []
    >>> parse('“首次认定” 奖励').phrases
    ['首次认定']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from zhengcetong.errors import InputError
from zhengcetong.search.analyzer import SYNONYMS, Analyzer, compact, get_analyzer, normalise, normalise_query

MAX_QUERY_CHARS = 200
MAX_GROUPS = 12
_CHUNK_RE = re.compile(r'-?"[^"]*"|-?“[^”]*”|-?「[^」]*」|\S+')
_OR_WORDS = {"or", "|", "或", "或者"}
# A 文号 written loosely in a query: without brackets or with 年 instead (青政办发2026年8号).
_LOOSE_DOC_NUMBER_RE = re.compile(
    r"(?P<head>[\u3400-\u9fff]{1,12}?)\s*(?P<year>(?:19|20)\d{2})\s*年?\s*(?P<serial>\d{1,4})\s*号"
)


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, tuple[str, ...]]:
    """word → the other words a query for it also looks for (normalised)."""
    table: dict[str, list[str]] = {}
    for raw in SYNONYMS.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources = [normalise(w.strip()) for w in left.split(",") if w.strip()]
            targets = [normalise(w.strip()) for w in right.split(",") if w.strip()]
        else:
            sources = targets = [normalise(w.strip()) for w in line.split(",") if w.strip()]
        for source in sources:
            bucket = table.setdefault(source, [])
            for target in targets:
                if target != source and target not in bucket:
                    bucket.append(target)
    return {k: tuple(v) for k, v in table.items()}


@dataclass(frozen=True)
class Alternative:
    """An AND of tokens (one word as analysed) and the surface text it came from."""

    tokens: tuple[str, ...]
    surface: str


@dataclass
class ParsedQuery:
    """A query ready for an engine."""

    text: str
    groups: list[list[Alternative]] = field(default_factory=list)
    exclude: list[Alternative] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)  # compact() forms that must occur verbatim
    doc_number: str | None = None
    ignored: list[str] = field(default_factory=list)  # chunks with nothing to look for (stop words)

    @property
    def empty(self) -> bool:
        """True when there is nothing to match (only stop words, or only exclusions)."""
        return not self.groups

    def highlights(self) -> list[str]:
        """Surface strings to mark in snippets, longest first."""
        words = {a.surface for g in self.groups for a in g if a.surface}
        words |= {t for g in self.groups for a in g for t in a.tokens}
        words |= set(self.phrases)
        return sorted(words, key=lambda w: (-len(w), w))

    def terms(self) -> list[str]:
        """Every token in engine order (FTS5 phrase order), duplicates included."""
        out = [t for g in self.groups for a in g for t in a.tokens]
        out += [t for a in self.exclude for t in a.tokens]
        return out

    def _render(self, quote: str, and_: str, or_: str, and_not: str) -> str:
        """The tree in an engine's syntax: the same structure and token order for every engine."""

        def alt(a: Alternative) -> str:
            inner = and_.join(f"{quote}{t}{quote}" for t in a.tokens)
            return f"({inner})" if len(a.tokens) > 1 else inner

        must = and_.join("(" + or_.join(alt(a) for a in g) + ")" for g in self.groups)
        if self.exclude:
            must += and_not + "(" + or_.join(alt(a) for a in self.exclude) + ")"
        return must

    def fts5(self) -> str:
        """The FTS5 MATCH expression."""
        return self._render('"', " AND ", " OR ", " NOT ")

    def tsquery(self) -> str:
        """The PostgreSQL tsquery text (lexemes quoted; read with a cast, no configuration applied)."""
        return self._render("'", " & ", " | ", " & !")


def _alternatives(analyzer: Analyzer, word: str, *, expand: bool) -> list[Alternative]:
    tokens = tuple(analyzer.tokens(word))
    if not tokens:
        return []
    seen = {tokens}
    found = [Alternative(tokens, word)]
    if expand:
        table = synonym_table()
        keys = [normalise(word)] + ([tokens[0]] if len(tokens) == 1 else [])
        for key in keys:
            for other in table.get(key, ()):
                other_tokens = tuple(analyzer.tokens(other))
                if other_tokens and other_tokens not in seen:
                    seen.add(other_tokens)
                    found.append(Alternative(other_tokens, other))
    return found


def check_length(text: str) -> None:
    """Refuse a query longer than MAX_QUERY_CHARS (an InputError saying how long it is)."""
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"检索词太长（{len(text)} 字），请控制在 {MAX_QUERY_CHARS} 字以内", source="q")


def parse(text: str, analyzer: Analyzer | None = None) -> ParsedQuery:
    """Parse what a person typed; raises InputError for an over-long query."""
    from zhengcetong.chinese import DOC_NUMBER_RE, normalise_doc_number

    check_length(text)
    analyzer = analyzer or get_analyzer()
    query = ParsedQuery(text=text.strip())
    raw = text
    number = DOC_NUMBER_RE.search(raw.replace("［", "[").replace("］", "]"))
    loose = None if number else _LOOSE_DOC_NUMBER_RE.search(raw)
    if number:
        query.doc_number = normalise_doc_number(number.group(0))
    elif loose:
        head, year, serial = loose.group("head", "year", "serial")
        query.doc_number = normalise_doc_number(f"{head}〔{year}〕{int(serial)}号")
        number = loose
    if number:
        raw = raw.replace(number.group(0), " ")
    chunks = _CHUNK_RE.findall(normalise_query(raw))
    group_phrase: dict[int, str] = {}  # group index -> its exact phrase
    pending_or = False
    for chunk in chunks:
        if chunk in _OR_WORDS:
            pending_or = bool(query.groups)
            continue
        negative = chunk.startswith("-") and len(chunk) > 1
        body = chunk[1:] if negative else chunk
        quoted = body[:1] in '"“「' and len(body) >= 2
        word = body[1:-1].strip() if quoted else body
        alternatives = _alternatives(analyzer, word, expand=not quoted and not negative)
        if not alternatives:
            if word.strip():
                query.ignored.append(word)
            pending_or = False
            continue
        if negative:
            query.exclude.extend(alternatives)
        elif pending_or:  # an OR makes the group's phrase optional: it is no longer a filter
            group = query.groups[-1]
            group.extend(a for a in alternatives if a not in group)
            group_phrase.pop(len(query.groups) - 1, None)
        else:
            query.groups.append(alternatives)
            if quoted and len(compact(word)) > 1:
                group_phrase[len(query.groups) - 1] = compact(word)
        pending_or = False
    query.phrases = [group_phrase[i] for i in sorted(group_phrase)]
    if len(query.groups) > MAX_GROUPS:
        raise InputError(f"检索词太多（{len(query.groups)} 个），请控制在 {MAX_GROUPS} 个以内", source="q")
    return query


def highlights(text: str) -> list[str]:
    """The words a search for ``text`` marks (shipped dictionary); InputError when a search would
    refuse ``text``.

    Examples:
        >>> highlights("科技创新券 -培训")
        ['科技创新券']
    """
    return parse(text, get_analyzer()).highlights()
