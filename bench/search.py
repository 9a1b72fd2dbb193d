"""Search latency on a synthetic library of 1 000 000 clauses, on SQLite (FTS5) and on PostgreSQL.

The library is generated from real policy vocabulary, read at run time from the project's sample
gazettes (zhengcetong/samples/*.txt) and, when present, the seed gazettes (../shared/seeds/*.txt);
nothing of their text is stored in the repository. The project's own parser splits them into
documents and clauses; jieba (with the search dictionary) tags every word, and each real clause,
title and policy item becomes a *template*: function words, punctuation and numbers stay, content
words become slots of their part of speech. A synthetic document takes a real document as its
blueprint (its kind, clause tree and items) and fills every slot again: mostly from the words of the
blueprint and a few "focus" words of its own (so words cluster in documents as they do in real
ones), else from the whole corpus by real frequency, and sometimes from jieba's general dictionary
by its frequency (the long tail a large library has). Numbers, dates, cities, issuers, 文号, validity
periods, repeals and item statuses are drawn too. Everything is seeded: the same arguments give the
same library. It prints how it generated the library (counts, vocabulary, average clause length, the
rank-frequency slope of its words beside the real text's).

The rows go into the real tables and the index is built by the real indexer
(``zhengcetong.search.indexer`` + ``service.insert_entries``, analysis on every core), then
``service.sync`` must find nothing left to do, so the index is what production builds. Databases
are cached in /tmp/zct-bench/ (keyed by the arguments, the source texts and the indexing code), and
on PostgreSQL in the schema ``zct_bench``. Building the index outside ``sync`` is the one place
this script reaches past the face of ``zhengcetong.search`` (the analyser's tokenizer, the indexer,
``service.insert_entries`` and ``service._harvest``, and the in-memory columns' sizes); everything
else goes through it.

Then 1000 queries of a realistic mix (single words of every frequency, two-character words, several
words, exact phrases, OR, exclusions, filters) run through ``zhengcetong.search.search``
(top 20 with snippets and facets, as the result page asks), after a warm-up of other queries, and it
prints p50/p95/p99 and the mean per engine, per query type, and split into the top-20 query, the
facet query and the rest (parsing, the 文号 lookup, loading the hits, snippets). Figures only; this is
not a test.

    .venv/bin/python bench/search.py                      # 1 000 000 clauses (first build ~25 min)
    .venv/bin/python bench/search.py --clauses 100000     # a quick run
    .venv/bin/python bench/search.py --rebuild            # build the databases again
    .venv/bin/python bench/search.py --fts5-only          # no top lists, phrase index, in-memory facets
"""

from __future__ import annotations

import argparse
import bisect
import gc
import hashlib
import json
import math
import multiprocessing
import os
import pickle
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SAMPLES = REPO / "zhengcetong" / "samples"
SEEDS = REPO.parent / "shared" / "seeds"
CACHE = Path("/tmp/zct-bench")
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = "zct_bench"  # never zct_test_*: those belong to the test suite
GENERATOR = 1  # bump when the generator changes: the cache key includes it
TODAY = date(2026, 6, 1)  # "today" for validity; generated documents are dated up to 2026-05-31
DOCS_PER_GAZETTE = 20
DOCS_PER_CHUNK = 12 * DOCS_PER_GAZETTE
# Where a slot's word comes from: a focus word of the document, the blueprint's words, the corpus,
# jieba's dictionary (the long tail). The rest of the probability goes to the tail.
P_FOCUS, P_DOC, P_CORPUS = 0.06, 0.50, 0.36
SLOT_CLASSES = {"n", "ns", "nt", "nz", "vn", "v", "a", "l", "i", "j", "b", "x"}
FOCUS_CLASSES = {"n", "nz", "vn", "x"}
QUERY_MIX = {  # query type → share of the queries
    "common": 0.08,  # one very common word (企业, 补贴, …)
    "mid": 0.30,  # one mid-frequency content word
    "rare": 0.05,  # one rare word
    "two-char": 0.10,  # a two-character word (also found inside longer words)
    "words": 0.17,  # two or three words that occur together
    "phrase": 0.08,  # an exact phrase "…"
    "or": 0.06,  # A OR B
    "not": 0.06,  # A -B
    "filter": 0.10,  # a word with kind=item, a topic, a year or valid_on
}
_CJK_RE = re.compile(r"^[\u4e00-\u9fff]+$")
_DIGITS_RE = re.compile(r"(\d+)")
_CITY_RE = re.compile(r"^([\u4e00-\u9fff]{2,3}?)市(.*)$")
_NUMBER_RE = re.compile(r"^[\u4e00-\u9fff]([\u4e00-\u9fff]*)〔")


# --- vocabulary: templates and word pools from the real text ---------------------------------------


@dataclass
class Pool:
    """Words with cumulative weights, drawn by bisection."""

    words: list[str]
    cum: list[float]

    @classmethod
    def of(cls, counts: dict[str, float], power: float = 1.0) -> Pool:
        words = sorted(counts, key=lambda w: (-counts[w], w))
        cum, total = [], 0.0
        for w in words:
            total += counts[w] ** power
            cum.append(total)
        return cls(words, cum)

    def draw(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cum, rng.random() * self.cum[-1])]

    def __len__(self) -> int:
        return len(self.words)


# A template is a tuple of pieces: (0, literal text), (1, digits), (2, slot class).
Template = tuple


@dataclass
class ItemPrint:
    """A real policy item as a template."""

    clause: int  # index of its clause in the blueprint
    name: Template
    quote: Template
    condition: Template
    category: str
    benefit_kind: str
    amount: Decimal | None
    rate: Decimal | None
    per: str
    cap: Decimal | None
    months: int | None
    departments: list[str]
    time_limit_days: int | None


@dataclass
class Blueprint:
    """A real document as a template: kind, issuer, 文号 pattern, clause tree, items, its own words."""

    kind: str
    issuer_suffix: str  # after the city: 人民政府, 人民政府办公室, …
    number_type: str  # 政发, 政办字, … (None for chronicles)
    title: Template
    attached: list[Template]
    clauses: list[tuple[str, str, str, int, int | None, Template]]  # path, label, level, depth, parent, tpl
    items: list[ItemPrint]
    pools: dict[str, Pool] = field(default_factory=dict)


@dataclass
class Vocabulary:
    """Everything the generator draws from."""

    blueprints: list[Blueprint]
    corpus: dict[str, Pool]  # slot class → corpus words by real frequency
    tail: dict[str, Pool]  # slot class → jieba dictionary words by jieba's frequency
    cities: list[str]
    departments: list[str]  # bare department names (财政局)
    report: dict


def _template(cut, stop: frozenset[str], text: str, words: Counter | None = None) -> Template:
    pieces: list[tuple[int, object]] = []
    for w in cut(text, HMM=False):
        word, flag = w.word, w.flag
        cls = flag if flag in SLOT_CLASSES else flag[:1]
        if len(word) >= 2 and cls in SLOT_CLASSES and _CJK_RE.match(word) and word not in stop:
            pieces.append((2, cls))
            if words is not None:
                words[(cls, word)] += 1
            continue
        for part in _DIGITS_RE.split(word):
            if not part:
                continue
            kind = 1 if part.isdigit() else 0
            if kind == 0 and pieces and pieces[-1][0] == 0:
                pieces[-1] = (0, pieces[-1][1] + part)
            else:
                pieces.append((kind, part))
    return tuple(pieces)


def source_files() -> list[Path]:
    """The real text the vocabulary comes from: the samples, and the seeds when present."""
    files = sorted(SAMPLES.glob("*.txt"))
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    return files


def _jieba_dictionary() -> dict[str, Counter]:
    import jieba

    tail: dict[str, Counter] = defaultdict(Counter)
    path = Path(jieba.__file__).parent / "dict.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        word, freq, flag = parts[0], int(parts[1]), parts[2]
        cls = flag if flag in SLOT_CLASSES else flag[:1]
        if cls in SLOT_CLASSES and 2 <= len(word) <= 4 and freq >= 20 and _CJK_RE.match(word):
            tail[cls][word] = freq
    return tail


def build_vocabulary(seed: int) -> Vocabulary:
    """Parse the real gazettes and turn them into templates and word pools."""
    import jieba.posseg

    from zhengcetong.ingest.measures import extract_items
    from zhengcetong.ingest.parse import parse_bytes
    from zhengcetong.search.analyzer import get_analyzer, stopwords

    analyzer = get_analyzer()
    cut = jieba.posseg.POSTokenizer(analyzer._tokenizer).cut
    stop = stopwords()
    corpus_words: Counter = Counter()
    blueprints: list[Blueprint] = []
    departments: Counter = Counter()
    city_names: set[str] = set()
    real_tokens: Counter = Counter()
    chars = clauses = 0
    files = source_files()
    for path in files:
        parsed = parse_bytes(path.read_bytes(), path.name)
        for doc in parsed.documents:
            doc_words: Counter = Counter()
            nodes = list(doc.all_clauses())
            index = {id(n): i for i, n in enumerate(nodes)}
            parents: dict[int, int | None] = {}

            def walk(children, parent, depth, parents=parents, index=index):
                for node in children:
                    parents[index[id(node)]] = (parent, depth)
                    walk(node.children, index[id(node)], depth + 1)

            walk(doc.clauses, None, 0)
            rows = []
            for i, node in enumerate(nodes):
                parent, depth = parents[i]
                rows.append(
                    (
                        node.path,
                        node.label,
                        node.level,
                        depth,
                        parent,
                        _template(cut, stop, node.text, doc_words),
                    )
                )
                chars += len(node.text)
                clauses += 1
                real_tokens.update(analyzer.tokens(node.text))
            paths = {node.path: i for i, node in enumerate(nodes)}
            items = []
            for item in extract_items(doc):
                if item.clause not in paths:
                    continue
                items.append(
                    ItemPrint(
                        clause=paths[item.clause],
                        name=_template(cut, stop, item.name, doc_words),
                        quote=_template(cut, stop, item.quote, doc_words),
                        condition=_template(cut, stop, item.condition, doc_words),
                        category=item.category,
                        benefit_kind=item.benefit_kind,
                        amount=item.amount_max_yuan,
                        rate=item.rate,
                        per=item.per,
                        cap=item.cap_yuan,
                        months=item.months_max,
                        departments=[d for d in item.departments if d],
                        time_limit_days=item.time_limit_days,
                    )
                )
                for d in item.departments:
                    if d.startswith("市") and re.search(r"(局|委|办|会)$", d) and _CJK_RE.match(d):
                        departments[d[1:]] += 1
            issuer = doc.issuer or ""
            m = _CITY_RE.match(issuer)
            if m:
                city_names.add(m.group(1))
            number = _NUMBER_RE.match(doc.doc_number or "")
            blueprints.append(
                Blueprint(
                    kind=doc.kind,
                    issuer_suffix=m.group(2) if m else "人民政府",
                    number_type=number.group(1) if number else "",
                    title=_template(cut, stop, doc.title, doc_words),
                    attached=[_template(cut, stop, t, doc_words) for t in doc.attached_titles],
                    clauses=rows,
                    items=items,
                    pools=_pools(doc_words),
                )
            )
            corpus_words.update(doc_words)
    corpus = _pools(corpus_words)
    tail = {cls: Pool.of(words) for cls, words in _jieba_dictionary().items()}
    rng = random.Random(f"{seed}:cities")
    firsts = sorted({c[0] for c in city_names} | set("临青聊东西南北安平清河阳丰德宁"))
    seconds = sorted({c[-1] for c in city_names} | set("城州阳宁山河原川安丰"))
    cities = sorted({rng.choice(firsts) + rng.choice(seconds) for _ in range(60)})[:24]
    bare = sorted(departments) or ["财政局", "科技局", "人力资源社会保障局", "工业和信息化局"]
    report = {
        "files": [p.name for p in files],
        "documents": len(blueprints),
        "clauses": clauses,
        "chars": chars,
        "templates": clauses + sum(len(b.items) * 3 + 1 + len(b.attached) for b in blueprints),
        "items": sum(len(b.items) for b in blueprints),
        "slot_words": len({w for _, w in corpus_words}),
        "slots": sum(corpus_words.values()),
        "classes": {cls: len(p) for cls, p in sorted(corpus.items())},
        "tail_words": sum(len(p) for p in tail.values()),
        "cities": len(cities),
        "departments": len(bare),
        "real_slope": zipf_slope(real_tokens),
        "real_distinct": len(real_tokens),
    }
    return Vocabulary(blueprints, corpus, tail, cities, bare, report)


def _pools(words: Counter) -> dict[str, Pool]:
    by_class: dict[str, Counter] = defaultdict(Counter)
    for (cls, word), n in words.items():
        by_class[cls][word] += n
    return {cls: Pool.of(counts) for cls, counts in by_class.items()}


def zipf_slope(counts: Counter, low: int = 10, high: int = 5000) -> float:
    """Least-squares slope of log(frequency) over log(rank) for ranks low..high (Zipf: about -1)."""
    freqs = sorted((n for w, n in counts.items() if _CJK_RE.match(w)), reverse=True)[low - 1 : high]
    if len(freqs) < 10:
        return float("nan")
    xs = [math.log(r) for r in range(low, low + len(freqs))]
    ys = [math.log(f) for f in freqs]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


# --- generation ------------------------------------------------------------------------------------

_VOCAB: Vocabulary | None = None


def _init_generator(vocab: Vocabulary) -> None:
    global _VOCAB
    _VOCAB = vocab


def _fill(tpl: Template, rng: random.Random, pools: dict[str, Pool], focus: list[str]) -> str:
    vocab = _VOCAB
    out = []
    for kind, value in tpl:
        if kind == 0:
            out.append(value)
        elif kind == 1:
            if len(value) == 4 and value[:2] in ("19", "20"):
                out.append(str(rng.randint(2015, 2026)))
            else:
                out.append(str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in value[1:]))
        else:
            r = rng.random()
            if r < P_FOCUS and value in FOCUS_CLASSES:
                out.append(focus[int(r / P_FOCUS * len(focus))])
            elif r < P_FOCUS + P_DOC and value in pools:
                out.append(pools[value].draw(rng))
            elif r < P_FOCUS + P_DOC + P_CORPUS or value not in vocab.tail:
                out.append(vocab.corpus[value].draw(rng))
            else:
                out.append(vocab.tail[value].draw(rng))
    return "".join(out)


def plan(vocab: Vocabulary, clauses: int, seed: int) -> list[dict]:
    """The documents to generate (blueprint, clause count), in chunks with their first ids."""
    rng = random.Random(f"{seed}:plan")
    docs: list[tuple[int, int, int]] = []
    total = 0
    usable = [i for i, b in enumerate(vocab.blueprints) if b.clauses]
    while total < clauses:
        b = rng.choice(usable)
        n = min(len(vocab.blueprints[b].clauses), clauses - total)
        items = sum(1 for it in vocab.blueprints[b].items if it.clause < n)
        docs.append((b, n, items))
        total += n
    chunks, doc_id, clause_id, item_id = [], 1, 1, 1
    for start in range(0, len(docs), DOCS_PER_CHUNK):
        part = docs[start : start + DOCS_PER_CHUNK]
        chunks.append(
            {
                "index": len(chunks),
                "docs": part,
                "doc_id": doc_id,
                "clause_id": clause_id,
                "item_id": item_id,
                "seed": seed,
            }
        )
        doc_id += len(part)
        clause_id += sum(n for _, n, _ in part)
        item_id += sum(k for _, _, k in part)
    return chunks


def _date(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randrange((high - low).days + 1))


def generate_chunk(args: tuple[dict, Path]) -> dict:
    """Generate one chunk of the library (gazettes, documents, clauses, items, relations) to a file."""
    from zhengcetong.library import doc_number_slug

    spec, out_path = args
    vocab = _VOCAB
    rng = random.Random(f"{spec['seed']}:chunk:{spec['index']}")
    rows: dict[str, list[dict]] = defaultdict(list)
    clause_id, item_id = spec["clause_id"], spec["item_id"]
    now = datetime(2026, 5, 31, tzinfo=UTC)
    chars = 0
    for k, (b, n, _) in enumerate(spec["docs"]):
        bp = vocab.blueprints[b]
        doc_id = spec["doc_id"] + k
        gazette_id = (doc_id - 1) // DOCS_PER_GAZETTE + 1
        focus = [vocab.corpus[c].draw(rng) for c in ("n", "n", "vn", "nz") if c in vocab.corpus]
        focus += [vocab.tail["n"].draw(rng) for _ in range(2) if "n" in vocab.tail]
        city = rng.choice(vocab.cities)
        issued = _date(rng, date(2015, 1, 1), date(2026, 5, 31))
        if bp.kind in ("notice", "opinion", "decision", "other") and rng.random() < 0.4:
            department = rng.choice(vocab.departments)
            issuer, number_type = f"{city}市{department}", f"{department[0]}发"
        else:
            issuer, number_type = f"{city}市{bp.issuer_suffix}", bp.number_type
        doc_number = f"{city[0]}{number_type}〔{issued.year}〕{doc_id}号" if number_type else None
        title = _fill(bp.title, rng, bp.pools, focus)
        texts = [_fill(c[5], rng, bp.pools, focus) for c in bp.clauses[:n]]
        body, offsets, cursor = "\n".join(texts), [], 0
        for t in texts:
            offsets.append((cursor, cursor + len(t)))
            cursor += len(t) + 1
        chars += sum(len(t) for t in texts)
        uid = (
            doc_number_slug(doc_number)
            if doc_number
            else f"{'dsj' if bp.kind == 'chronicle' else 'doc'}-{hashlib.sha1(f'{doc_id}'.encode()).hexdigest()[:12]}"
        )
        effective_from = issued + timedelta(days=rng.randint(0, 60)) if rng.random() < 0.5 else None
        effective_until = None
        if rng.random() < 0.35:
            start = effective_from or issued
            years = rng.choice([1, 2, 3, 5])
            effective_until = date(start.year + years, start.month, min(start.day, 28)) - timedelta(days=1)
        if (doc_id - 1) % DOCS_PER_GAZETTE == 0:
            rows["gazette"].append(
                {
                    "id": gazette_id,
                    "content_sha256": hashlib.sha256(f"bench:{gazette_id}".encode()).hexdigest(),
                    "source_name": f"bench-{gazette_id:06d}.txt",
                    "issue": f"{issued.year}年第{gazette_id % 12 + 1}期",
                    "encoding": "utf-8",
                    "script": "simplified",
                    "size_bytes": 0,
                    "toc": [],
                    "findings": [],
                    "ingested_at": now,
                    "ingested_by": "bench",
                }
            )
        document = {
            "id": doc_id,
            "uid": uid,
            "gazette_id": gazette_id,
            "position": (doc_id - 1) % DOCS_PER_GAZETTE,
            "doc_number": doc_number,
            "issuer": issuer,
            "title": title,
            "kind": bp.kind,
            "addressees": ["各县（市、区）人民政府，市属开发区管委会", "市政府有关部门、直属机构"],
            "date": issued,
            "published": None,
            "effective_from": effective_from,
            "effective_until": effective_until,
            "signature": issuer,
            "attached_titles": [_fill(t, rng, bp.pools, focus) for t in bp.attached],
            "tables": [],
            "body": body,
            "line_start": 0,
            "line_end": 0,
            "continued_from": [],
            "created_at": now,
        }
        rows["document"].append(document)
        first = clause_id
        for i, ((path, label, level, depth, parent, _), text) in enumerate(
            zip(bp.clauses[:n], texts, strict=True)
        ):
            rows["clause"].append(
                {
                    "id": clause_id,
                    "document_id": doc_id,
                    "parent_id": first + parent if parent is not None else None,
                    "position": i,
                    "depth": depth,
                    "path": path,
                    "label": label,
                    "level": level,
                    "text": text,
                    "start": offsets[i][0],
                    "end": offsets[i][1],
                }
            )
            clause_id += 1
        earlier = [d for d in rows["document"][:-1] if d["date"] < issued]
        if earlier and rng.random() < 0.03:
            target = rng.choice(earlier)
            rows["document_relation"].append(
                {
                    "source_document_id": doc_id,
                    "target_document_id": target["id"],
                    "target_doc_number": target["doc_number"],
                    "target_title": target["title"],
                    "action": "repeal",
                    "effective_on": effective_from or issued,
                    "quote": f"《{target['title']}》同时废止。",
                }
            )
        position = 0
        for item in bp.items:
            if item.clause >= n:
                continue
            status = rng.choices(["published", "draft", "withdrawn"], [0.9, 0.08, 0.02])[0]
            factor = Decimal(rng.choice(["0.2", "0.5", "1", "1", "2", "5"]))
            quote = _fill(item.quote, rng, bp.pools, focus)
            rows["policy_item"].append(
                {
                    "id": item_id,
                    "key": hashlib.sha1(f"bench:{item_id}".encode()).hexdigest()[:12],
                    "document_id": doc_id,
                    "position": position,
                    "clause_path": bp.clauses[item.clause][0],
                    "status": status,
                    "version": 1 if status == "draft" else 2,
                    "name": _fill(item.name, rng, bp.pools, focus),
                    "category": item.category,
                    "condition": _fill(item.condition, rng, bp.pools, focus),
                    "conditions": {},
                    "formula": None,
                    "benefit_kind": item.benefit_kind,
                    "amount_max_yuan": (item.amount * factor).quantize(Decimal("1")) if item.amount else None,
                    "rate": item.rate,
                    "per": item.per,
                    "cap_yuan": (item.cap * factor).quantize(Decimal("1")) if item.cap else None,
                    "months_max": item.months,
                    "departments": item.departments,
                    "time_limit_days": item.time_limit_days,
                    "quote": quote,
                    "start": 0,
                    "end": len(quote),
                    "published_at": now if status != "draft" else None,
                    "published_by": "bench" if status != "draft" else None,
                    "created_at": now,
                }
            )
            item_id += 1
            position += 1
    _dump(out_path, dict(rows))
    return {
        "chars": chars,
        **{
            name: len(rows.get(name, []))
            for name in ("document", "clause", "policy_item", "document_relation")
        },
    }


def progress(message: str, started: float) -> None:
    """A progress line on stderr (overwritten in place)."""
    print(f"\r  {message} ({time.perf_counter() - started:.0f} s)\033[K", end="", file=sys.stderr, flush=True)


def _dump(path: Path, value) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def _load(path: Path):
    with path.open("rb") as f:
        return pickle.load(f)


# --- analysis (the real indexer, in worker processes) ---------------------------------------------

_ANALYZER = None


def _init_analyser(terms: list[str]) -> None:
    global _ANALYZER
    from zhengcetong.search.analyzer import get_analyzer

    _ANALYZER = get_analyzer(terms)


def chunk_entries(rows: dict, analyzer) -> list[dict]:
    """The index entries of generated rows, by the real indexer (as ``service.sync`` makes them)."""
    from zhengcetong.library import Clause, Document, PolicyItem
    from zhengcetong.search.indexer import document_entries, item_entry

    clauses: dict[int, list] = defaultdict(list)
    for row in rows.get("clause", []):
        clauses[row["document_id"]].append(Clause(**row))
    documents = {row["id"]: Document(**row) for row in rows["document"]}
    entries: list[dict] = []
    masks: dict[int, int] = {}
    for doc_id, document in documents.items():
        first = len(entries)
        entries.extend(document_entries(analyzer, document, clauses[doc_id]))
        masks[doc_id] = entries[first]["topics"]
    for row in rows.get("policy_item", []):
        item = PolicyItem(**row)
        item.document = documents[row["document_id"]]
        entries.append(item_entry(analyzer, item, masks[row["document_id"]]))
    return entries


def analyse_chunk(args: tuple[Path, Path]) -> dict:
    """Index entries of one chunk, written to a file; returns token statistics."""
    source, target = args
    started = time.process_time()
    entries = chunk_entries(_load(source), _ANALYZER)
    df_main: Counter = Counter()
    df_all: Counter = Counter()
    for e in entries:
        main = set(e["tok_title"][1:-1].split("||")) | set(e["tok_body"][1:-1].split("||"))
        main.discard("")
        df_main.update(main)
        df_all.update(main | set(e["tok_extra"][1:-1].split("||")) - {""})
    _dump(target, entries)
    return {
        "entries": len(entries),
        "kinds": Counter(e["kind"] for e in entries),
        "tokens": sum(e["ntokens"] for e in entries),
        "df_main": df_main,
        "df_all": df_all,
        "cpu": time.process_time() - started,
    }


# --- databases --------------------------------------------------------------------------------------


def cache_key(clauses: int, seed: int) -> str:
    """The cache key: arguments, generator version, source texts and the dictionaries.

    The indexing code is not in the key (others edit it for unrelated reasons); instead
    ``Builder.stale`` indexes a sample again with the current code and compares.
    """
    digest = hashlib.sha256(f"{GENERATOR}|{clauses}|{seed}".encode())
    search = REPO / "zhengcetong" / "search"
    data = [search / name for name in INDEX_DATA if (search / name).exists()]
    for path in sorted(source_files()) + data:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"c{clauses}-s{seed}-{digest.hexdigest()[:10]}"


INDEX_DATA = ("dictionary.txt", "stopwords.txt", "synonyms.txt", "topics.yaml")
LIBRARY_TABLES = ("gazette", "document", "clause", "document_relation", "policy_item")


def insert_library(engine, chunk_files: list[Path]) -> None:
    """INSERT the generated rows into the library's own tables, chunk by chunk."""
    from sqlalchemy import insert

    from zhengcetong.db.base import Base
    from zhengcetong.db.engine import session_scope

    for path in chunk_files:
        rows = _load(path)
        with session_scope(engine) as session:
            for name in LIBRARY_TABLES:
                if rows.get(name):
                    session.execute(insert(Base.metadata.tables[name]), rows[name])


def harvest_terms(engine) -> list[str]:
    """What ``service.sync`` does first: add the library's issuers and departments to the dictionary."""
    from zhengcetong.db.engine import session_scope
    from zhengcetong.search import service

    with session_scope(engine) as session:
        service.add_terms(db_session=session, terms=service._harvest(session), actor="bench")
    with session_scope(engine) as session:
        return service.library_terms(db_session=session)


def insert_index(engine, entries: list[dict]) -> None:
    """INSERT entries through the service (the engines' triggers index them)."""
    from zhengcetong.db.engine import session_scope
    from zhengcetong.search import service

    with session_scope(engine) as session:
        service.insert_entries(session, entries)


def build_top_lists(engine) -> dict | None:
    """What the first sync after a bulk load does: build the top lists of frequent words (SQLite)."""
    from zhengcetong.db.engine import session_scope
    from zhengcetong.search import refresh_engine

    with session_scope(engine) as session:
        result = refresh_engine(db_session=session)
    return {"s": result.seconds, "lists": result.lists} if result.built else None


def check_sync(engine) -> float:
    """``service.sync`` must find nothing to index: the bench built what production builds."""
    from zhengcetong.db.engine import session_scope
    from zhengcetong.search import sync

    started = time.perf_counter()
    with session_scope(engine) as session:
        result = sync(db_session=session, actor="bench")
        if result.changed:
            raise SystemExit(f"the bench index differs from what service.sync builds: {result}")
    return time.perf_counter() - started


class Builder:
    """Builds (or finds in the cache) the library and its index on each engine."""

    def __init__(self, args, key: str):
        self.args = args
        self.dir = CACHE / key
        self.key = key
        self.library_dir = self.dir / "library"
        self.entries_dir = self.dir / "entries"
        self.meta_path = self.dir / "meta.json"
        self.meta = json.loads(self.meta_path.read_text()) if self.meta_path.exists() else {}
        self.vocab: Vocabulary | None = None

    def stale(self) -> str | None:
        """Why the cached index is not what the current indexing code builds (None when it is)."""
        from zhengcetong.search.analyzer import get_analyzer

        if "analysed" not in self.meta:
            return None
        rows = _load(self.library_dir / "00000.pkl")
        keep = {d["id"] for d in rows["document"][:40]}
        sample = {
            "document": rows["document"][:40],
            "clause": [r for r in rows.get("clause", []) if r["document_id"] in keep],
            "policy_item": [r for r in rows.get("policy_item", []) if r["document_id"] in keep],
        }
        fresh = chunk_entries(sample, get_analyzer(self.meta["analysed"]["terms"]))
        stored = {e["ref"]: e for e in _load(self.entries_dir / "00000.pkl")}
        for entry in fresh:
            old = stored.get(entry["ref"])
            if old != entry:
                changed = sorted(k for k in entry if old is None or old.get(k) != entry[k])
                return f"the indexer now makes {entry['ref']} differently ({', '.join(changed)})"
        return None

    def save_meta(self) -> None:
        self.meta_path.write_text(json.dumps(self.meta, ensure_ascii=False, indent=1, default=str))

    def chunk_files(self, directory: Path) -> list[Path]:
        return [directory / f"{i:05d}.pkl" for i in range(self.meta["chunks"])]

    def generate(self) -> None:
        """The library rows, generated in parallel (skipped when cached)."""
        if "generated" in self.meta:
            return
        started = time.perf_counter()
        self.vocab = build_vocabulary(self.args.seed)
        vocab_s = time.perf_counter() - started
        chunks = plan(self.vocab, self.args.clauses, self.args.seed)
        self.library_dir.mkdir(parents=True, exist_ok=True)
        totals: Counter = Counter()
        with multiprocessing.get_context("fork").Pool(
            self.args.workers, initializer=_init_generator, initargs=(self.vocab,)
        ) as pool:
            jobs = [(c, self.library_dir / f"{c['index']:05d}.pkl") for c in chunks]
            for stats in pool.imap_unordered(generate_chunk, jobs):
                totals.update(stats)
                progress(f"generated {totals['clause']:,} clauses", started)
        self.meta.update(
            chunks=len(chunks),
            vocabulary=self.vocab.report,
            generated={**totals, "vocabulary_s": vocab_s, "wall_s": time.perf_counter() - started},
        )
        self.save_meta()

    def analyse(self, terms: list[str], on_chunk=None) -> None:
        """Index entries of every chunk by the real indexer on every core; ``on_chunk`` gets each file."""
        done = self.meta.get("analysed")
        if done and done["terms"] == terms:
            if on_chunk:
                for path in self.chunk_files(self.entries_dir):
                    on_chunk(path)
            return
        shutil.rmtree(self.entries_dir, ignore_errors=True)
        self.entries_dir.mkdir(parents=True)
        started = time.perf_counter()
        totals = {"entries": 0, "tokens": 0, "cpu": 0.0, "kinds": Counter()}
        df_main: Counter = Counter()
        df_all: Counter = Counter()
        jobs = list(zip(self.chunk_files(self.library_dir), self.chunk_files(self.entries_dir), strict=True))
        with multiprocessing.get_context("fork").Pool(
            self.args.workers, initializer=_init_analyser, initargs=(terms,)
        ) as pool:
            for (_, target), stats in zip(jobs, pool.imap(analyse_chunk, jobs), strict=True):
                for name in ("entries", "tokens", "cpu"):
                    totals[name] += stats[name]
                totals["kinds"].update(stats["kinds"])
                df_main.update(stats["df_main"])
                df_all.update(stats["df_all"])
                if on_chunk:
                    on_chunk(target)
                progress(f"analysed and indexed {target.stem} of {len(jobs)} chunks", started)
        _dump(self.dir / "df.pkl", {"main": df_main, "all": df_all})
        self.meta["analysed"] = {
            **totals,
            "kinds": dict(totals["kinds"]),
            "terms": terms,
            "wall_s": time.perf_counter() - started,
            "distinct_terms": len(df_all),
            "distinct_main": len(df_main),
            "slope": zipf_slope(df_main),
        }
        self.save_meta()

    def sqlite(self):
        """The SQLite file database (WAL), built when missing."""
        from sqlalchemy import text

        from zhengcetong.db.engine import make_engine
        from zhengcetong.db.migrate import upgrade

        path = self.dir / "sqlite.db"
        url = f"sqlite:///{path}"
        if "sqlite" in self.meta and path.exists():
            engine = make_engine(url)
            upgrade(engine)  # a migration added since the build (nothing when up to date)
            built = build_top_lists(engine)  # lists added by migration 0007, built once
            if built:
                self.meta["sqlite"]["top_lists"] = built
                self.save_meta()
            return engine
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        engine = make_engine(url)
        upgrade(engine)
        times = self._build(engine)
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        self.meta["sqlite"] = times
        self.save_meta()
        return engine

    def postgres(self):
        """The PostgreSQL schema zct_bench, built when missing or stale; None when unreachable."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from zhengcetong.db.engine import make_engine
        from zhengcetong.db.migrate import upgrade

        admin = make_engine(self.args.postgres_url)
        try:
            with admin.connect() as conn:
                comment = conn.execute(
                    text("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = :s"),
                    {"s": SCHEMA},
                ).scalar()
        except Exception as exc:  # noqa: BLE001 - any connection failure means "skip PostgreSQL"
            print(
                f"\nPostgreSQL skipped: cannot connect to {self.args.postgres_url} ({type(exc).__name__}: {exc})"
            )
            admin.dispose()
            return None
        url = make_url(self.args.postgres_url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
        url = url.render_as_string(hide_password=False)
        if comment == self.key and "postgresql" in self.meta and not self.args.rebuild:
            admin.dispose()
            engine = make_engine(url)
            upgrade(engine)
            return engine
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
        engine = make_engine(url)
        upgrade(engine)
        times = self._build(engine)
        started = time.perf_counter()
        with engine.connect() as conn:
            for name in ("gazette", "document", "clause", "document_relation", "policy_item"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                    )
                )
            conn.commit()
            autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
            for (name,) in autocommit.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": SCHEMA}
            ).all():
                autocommit.execute(text(f'VACUUM ANALYZE "{SCHEMA}"."{name}"'))
        times["vacuum_analyze_s"] = time.perf_counter() - started
        with admin.begin() as conn:
            conn.execute(text(f"COMMENT ON SCHEMA \"{SCHEMA}\" IS '{self.key}'"))
        admin.dispose()
        self.meta["postgresql"] = times
        self.save_meta()
        return engine

    def _build(self, engine) -> dict:
        started = time.perf_counter()
        insert_library(engine, self.chunk_files(self.library_dir))
        library_s = time.perf_counter() - started
        started = time.perf_counter()
        terms = harvest_terms(engine)
        terms_s = time.perf_counter() - started
        inserted = {"s": 0.0}

        def insert(path: Path) -> None:
            t0 = time.perf_counter()
            insert_index(engine, _load(path))
            inserted["s"] += time.perf_counter() - t0

        started = time.perf_counter()
        self.analyse(terms, on_chunk=insert)
        index_wall = time.perf_counter() - started
        top_lists = build_top_lists(engine)
        sync_s = check_sync(engine)
        return {
            "top_lists": top_lists,
            "library_s": library_s,
            "terms_s": terms_s,
            "terms": len(terms),
            "index_insert_s": inserted["s"],
            "index_wall_s": index_wall,
            "sync_check_s": sync_s,
        }


def sqlite_sizes(engine) -> tuple[int, list[tuple[str, int]]]:
    """File size and the largest tables and indexes (dbstat)."""
    from sqlalchemy import text

    path = Path(engine.url.database)
    total = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8")
            ).all()
    except Exception:  # noqa: BLE001 - dbstat is optional in SQLite builds
        rows = []
    return total, [(r[0], r[1]) for r in rows]


def postgres_sizes(engine) -> tuple[int, list[tuple[str, int]]]:
    """The schema's size and its largest tables (with indexes and TOAST)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :s AND c.relkind = 'r' ORDER BY 2 DESC"
            ),
            {"s": SCHEMA},
        ).all()
    return sum(r[1] for r in rows), [(r[0], r[1]) for r in rows[:6]]


def engine_settings(engine) -> str:
    """The settings that matter for these figures (SQLite pragmas, PostgreSQL server memory)."""
    from sqlalchemy import text

    if engine.dialect.name == "sqlite":
        names = ("mmap_size", "cache_size", "journal_mode")
        with engine.connect() as conn:
            return ", ".join(f"{n}={conn.execute(text(f'PRAGMA {n}')).scalar()}" for n in names)
    names = ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "jit")
    with engine.connect() as conn:
        return ", ".join(f"{n}={conn.execute(text(f'SHOW {n}')).scalar()}" for n in names)


# --- queries ------------------------------------------------------------------------------------------


@dataclass
class Query:
    """One benchmark query: its type, what is typed, and the filters."""

    type: str
    q: str
    filters: dict = field(default_factory=dict)

    def __str__(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.filters.items())
        return f"{self.q}  {extra}".strip()


def make_queries(builder: Builder, count: int, seed: str) -> list[Query]:
    """A realistic mix (QUERY_MIX) drawn from the index's own term statistics."""
    from zhengcetong.search import topic_names

    df = _load(builder.dir / "df.pkl")
    df_main, df_all = df["main"], df["all"]
    entries_total = builder.meta["analysed"]["entries"]
    rng = random.Random(seed)
    words = {w: n for w, n in df_main.items() if len(w) >= 2 and _CJK_RE.match(w)}
    ranked = sorted(words, key=lambda w: (-words[w], w))
    common = Pool.of({w: words[w] for w in ranked[:40]}, power=0.5)
    low, high = max(5, entries_total // 5000), max(50, entries_total // 100)
    mid = Pool.of({w: n for w, n in words.items() if low <= n <= high}, power=0.5)
    rare_words = sorted(w for w, n in words.items() if n <= 20)
    two = Pool.of(
        {w: n for w, n in df_all.items() if len(w) == 2 and _CJK_RE.match(w) and n >= low}, power=0.5
    )
    sample = []
    files = builder.chunk_files(builder.entries_dir)
    for path in random.Random(seed).sample(files, min(3, len(files))):
        sample.extend(e for e in _load(path) if e["kind"] in ("clause", "item"))
    topics = topic_names()

    def cooccurring() -> str:
        for _ in range(100):
            e = rng.choice(sample)
            tokens = [t for t in dict.fromkeys(e["tok_body"][1:-1].split("||")) if words.get(t, 0) >= 20]
            if len(tokens) >= 2:
                return " ".join(rng.sample(tokens, min(len(tokens), rng.choice([2, 2, 3]))))
        return mid.draw(rng)

    def phrase() -> str:
        for _ in range(200):
            e = rng.choice(sample)
            tokens = e["tok_body"][1:-1].split("||")
            if len(tokens) < 2:
                continue
            i = rng.randrange(len(tokens) - 1)
            text = tokens[i] + tokens[i + 1]
            if len(text) >= 4 and _CJK_RE.match(text) and text in e["text"]:
                return f'"{text}"'
        return f'"{mid.draw(rng)}"'

    types, weights = zip(*QUERY_MIX.items(), strict=True)
    out = []
    for _ in range(count):
        kind = rng.choices(types, weights)[0]
        filters: dict = {}
        if kind == "common":
            q = common.draw(rng)
        elif kind == "mid":
            q = mid.draw(rng)
        elif kind == "rare":
            q = rng.choice(rare_words) if rare_words else mid.draw(rng)
        elif kind == "two-char":
            q = two.draw(rng)
        elif kind == "words":
            q = cooccurring()
        elif kind == "phrase":
            q = phrase()
        elif kind == "or":
            q = f"{mid.draw(rng)} OR {mid.draw(rng)}"
        elif kind == "not":
            q = f"{(common if rng.random() < 0.5 else mid).draw(rng)} -{mid.draw(rng)}"
        else:
            q = (common if rng.random() < 0.4 else mid).draw(rng)
            which = rng.choice(["kind", "topic", "year", "valid_on"])
            if which == "kind":
                filters["kind"] = ["item"]
            elif which == "topic":
                filters["topic"] = rng.choice(topics)
            elif which == "year":
                filters["year"] = rng.randint(2016, 2026)
            else:
                filters["valid_on"] = _date(rng, date(2018, 1, 1), date(2026, 5, 31))
        out.append(Query(kind, q, filters))
    return out


class Timed:
    """A search backend wrapper that times the top-N query and the facets (query and counting)."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.top_s = self.facets_s = 0.0

    def top(self, *args):
        t0 = time.perf_counter()
        try:
            return self.inner.top(*args)
        finally:
            self.top_s = time.perf_counter() - t0

    def facets(self, *args):
        t0 = time.perf_counter()
        try:
            tally = self.inner.facets(*args)
            shown = tally.facets()  # what the page shows, counted here so that it is timed
            tally.facets = lambda: shown
            return tally
        finally:
            self.facets_s = time.perf_counter() - t0


@dataclass
class Timing:
    """One query's timings (seconds) and hit count."""

    query: Query
    total: float
    top: float
    facets: float
    hits: int


def run_queries(engine, backend_name: str, queries: list[Query], shortcuts: bool = True) -> list[Timing]:
    """Each query in its own session (as a web request), through service.search."""
    from zhengcetong.db.engine import session_scope
    from zhengcetong.search import SearchRequest, backend_for, search

    out = []
    for query in queries:
        request = SearchRequest(q=query.q, limit=20, **query.filters)
        t0 = time.perf_counter()
        with session_scope(engine) as session:
            timed = Timed(backend_for(session, backend_name, shortcuts=shortcuts))
            page = search(db_session=session, request=request, backend=timed, today=TODAY)
        total = time.perf_counter() - t0
        out.append(Timing(query, total, timed.top_s, timed.facets_s, page.total))
    return out


def pct(values: list[float], p: int) -> float:
    """The p-th percentile (inclusive method), in milliseconds."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def report(label: str, timings: list[Timing]) -> None:
    """Percentiles overall and per query type, split into top-20, facets and the rest."""
    print(
        f"\n{label}: {len(timings)} queries, top 20 with snippets and facets (ms; facets = their query and"
        " counting, no-facets = the rest of the search)"
    )
    print(
        f"  {'type':9} {'n':>4} {'hits p50':>8} | {'p50':>6} {'p95':>6} {'p99':>6} {'mean':>6} |"
        f" {'top20 p50':>9} {'p95':>6} | {'facets p50':>10} {'p95':>6} | {'no-facets p50':>13} {'p95':>6}"
    )
    groups = {"all": timings}
    for t in QUERY_MIX:
        groups[t] = [x for x in timings if x.query.type == t]
    for name, group in groups.items():
        if not group:
            continue
        total = [x.total for x in group]
        top = [x.top for x in group]
        facets = [x.facets for x in group]
        rest = [x.total - x.facets for x in group]
        hits = statistics.median(x.hits for x in group)
        print(
            f"  {name:9} {len(group):4} {hits:8.0f} | {pct(total, 50):6.1f} {pct(total, 95):6.1f}"
            f" {pct(total, 99):6.1f} {statistics.fmean(total) * 1000:6.1f} | {pct(top, 50):9.1f}"
            f" {pct(top, 95):6.1f} | {pct(facets, 50):10.1f} {pct(facets, 95):6.1f} |"
            f" {pct(rest, 50):13.1f} {pct(rest, 95):6.1f}"
        )
    spent = sum(x.total for x in timings)
    print(
        f"  time spent: top-20 query {sum(x.top for x in timings) / spent:.0%}, facets"
        f" {sum(x.facets for x in timings) / spent:.0%}, the rest (session, parse, hits, snippets)"
        f" {1 - (sum(x.top for x in timings) + sum(x.facets for x in timings)) / spent:.0%}"
    )
    print("  slowest:")
    for x in sorted(timings, key=lambda x: -x.total)[:6]:
        print(
            f"    {x.total * 1000:7.1f} ms (top {x.top * 1000:.1f}, facets {x.facets * 1000:.1f})"
            f" {x.hits:8} hits  [{x.query.type}] {x.query}"
        )


# --- main ------------------------------------------------------------------------------------------


def load_columns(engine) -> None:
    """Load the in-memory facet columns (as the first search of a process does) and time it."""
    from zhengcetong.db.engine import session_scope
    from zhengcetong.search.backends.fts5 import columns  # its arrays' sizes: the engine's internals

    t0 = time.perf_counter()
    with session_scope(engine) as session:
        snapshot = columns.snapshot_for(session)
    if snapshot is None:
        print("\nin-memory facet columns: not available")
        return
    size = sum(a.nbytes for a in (snapshot.present, snapshot.public, snapshot.document))
    size += sum(c.codes.nbytes for c in snapshot.columns.values())
    print(
        f"\nin-memory facet columns: {snapshot.present.sum():,} entries, {mb(size)},"
        f" loaded in {time.perf_counter() - t0:.1f} s (once per process; then only what the log names)"
    )


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def describe(builder: Builder) -> None:
    """How the library was generated, and what it took to build."""
    m = builder.meta
    v, g, a = m["vocabulary"], m["generated"], m["analysed"]
    print("Synthetic library (generated from recombined real vocabulary):")
    print(
        f"  source text: {', '.join(v['files'])} → {v['documents']} documents, {v['clauses']} clauses,"
        f" {v['chars']:,} characters, {v['items']} policy items"
    )
    print(
        f"  templates: {v['templates']:,} (every real clause, title, attachment title and item name/"
        f"condition/quote) with {v['slots']:,} content-word slots; corpus vocabulary {v['slot_words']:,}"
        f" words by part of speech ({', '.join(f'{k} {n}' for k, n in v['classes'].items())})"
    )
    print(
        f"  slots filled: {P_FOCUS:.0%} the document's own focus words, {P_DOC:.0%} the blueprint"
        f" document's words, {P_CORPUS:.0%} the corpus by real frequency,"
        f" {1 - P_FOCUS - P_DOC - P_CORPUS:.0%} jieba's dictionary by its frequency ({v['tail_words']:,}"
        f" words); {v['cities']} synthetic cities × {v['departments']} departments as issuers"
    )
    print(
        f"  generated: {g['document']:,} documents, {g['clause']:,} clauses, {g['policy_item']:,} items,"
        f" {g['document_relation']:,} repeals; average clause {g['chars'] / max(g['clause'], 1):.1f}"
        f" characters (real: {v['chars'] / max(v['clauses'], 1):.1f})"
    )
    print(
        f"  index: {a['entries']:,} entries ({', '.join(f'{k} {n:,}' for k, n in sorted(a['kinds'].items()))}),"
        f" {a['tokens']:,} tokens, {a['distinct_main']:,} distinct words ({a['distinct_terms']:,} with"
        f" sub-words); rank-frequency slope {a['slope']:.2f} (real text: {v['real_slope']:.2f},"
        f" {v['real_distinct']:,} distinct words)"
    )
    print(
        f"  build: vocabulary {g['vocabulary_s']:.1f} s, generation {g['wall_s']:.0f} s; analysis (jieba,"
        f" {builder.args.workers} processes) {a['wall_s']:.0f} s wall, {a['cpu']:.0f} s CPU"
        f" ({a['tokens'] / max(a['cpu'], 1e-9) / 1000:.0f}K tokens/s per core)"
    )
    for name in ("sqlite", "postgresql"):
        t = m.get(name)
        if t:
            extra = f", VACUUM ANALYZE {t['vacuum_analyze_s']:.0f} s" if "vacuum_analyze_s" in t else ""
            if t.get("top_lists"):
                extra += (
                    f", top lists of {t['top_lists']['lists']} frequent words {t['top_lists']['s']:.0f} s"
                )
            print(
                f"  {name}: library rows {t['library_s']:.0f} s, {t['terms']} library terms {t['terms_s']:.1f} s,"
                f" index insert {t['index_insert_s']:.0f} s (pipelined with the analysis:"
                f" {t['index_wall_s']:.0f} s wall), sync check {t['sync_check_s']:.1f} s{extra}"
            )


def warm_page_cache(path: Path) -> None:
    """Read the SQLite file once, as the page cache of a server that uses it would hold it (the kernel
    of these machines pages out what stayed idle for about a minute, so a cold file reads from disk)."""
    started = time.perf_counter()
    size = 0
    with path.open("rb", buffering=0) as f:
        while chunk := f.read(16 << 20):
            size += len(chunk)
    print(f"\nread the SQLite file into the page cache: {mb(size)} in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clauses", type=int, default=1_000_000, help="clauses to generate (default 1 000 000)"
    )
    parser.add_argument("--queries", type=int, default=1000, help="measured queries (default 1000)")
    parser.add_argument("--warmup", type=int, default=200, help="warm-up queries, not measured (default 200)")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="analysis processes")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help=f"default {DEFAULT_POSTGRES}")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--fts5-only",
        action="store_true",
        help="FTS5 ranks and counts every query: no top lists, trigram phrase index nor in-memory facets",
    )
    args = parser.parse_args()

    from zhengcetong.search import search  # noqa: F401 - load the search code once, before the long build

    key = cache_key(args.clauses, args.seed)
    if args.rebuild:
        shutil.rmtree(CACHE / key, ignore_errors=True)
    builder = Builder(args, key)
    reason = builder.stale()
    if reason:
        print(f"rebuilding the cached library: {reason}")
        shutil.rmtree(builder.dir)
        args.rebuild = True
        builder = Builder(args, key)
    builder.dir.mkdir(parents=True, exist_ok=True)
    print(f"cache: {builder.dir}")
    builder.generate()
    engines = {"fts5": builder.sqlite()}
    if not args.no_postgres:
        pg = builder.postgres()
        if pg is not None:
            engines["postgres"] = pg
    describe(builder)
    size, parts = sqlite_sizes(engines["fts5"])
    print(f"\nSQLite database: {mb(size)} ({', '.join(f'{n} {mb(s)}' for n, s in parts)})")
    print(f"  {engine_settings(engines['fts5'])}")
    if "postgres" in engines:
        size, parts = postgres_sizes(engines["postgres"])
        print(f"PostgreSQL schema {SCHEMA}: {mb(size)} ({', '.join(f'{n} {mb(s)}' for n, s in parts)})")
        print(f"  {engine_settings(engines['postgres'])}")

    warmup = make_queries(builder, args.warmup, f"{args.seed}:warmup")
    queries = make_queries(builder, args.queries, f"{args.seed}:queries")
    print("\nquery mix: " + ", ".join(f"{t} {s:.0%}" for t, s in QUERY_MIX.items()))
    print("  e.g. " + " · ".join(str(q) for q in queries[:12]))
    for name, engine in engines.items():
        if name == "fts5":
            warm_page_cache(Path(engine.url.database))
        shortcuts = not args.fts5_only
        if name == "fts5" and shortcuts:
            load_columns(engine)
        run_queries(engine, name, warmup, shortcuts)
        gc.collect()
        gc.freeze()  # as the server does after its warm-up (zhengcetong.web.app._warm_up)
        timings = run_queries(engine, name, queries, shortcuts)
        report("SQLite FTS5" if name == "fts5" else "PostgreSQL", timings)
        if name == "fts5":
            p95 = pct([x.total - x.facets for x in timings], 95)
            full = pct([x.total for x in timings], 95)
            print(
                f"  target p95 < 30 ms for the top 20 with snippets: {p95:.1f} ms without facets,"
                f" {full:.1f} ms with them ({'met' if full < 30 else 'not met'} for the whole page)"
            )
    for engine in engines.values():
        engine.dispose()


if __name__ == "__main__":
    main()
