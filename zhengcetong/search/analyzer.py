"""Chinese text analysis for search: one analyzer, used identically at index time and at query time.

Text is normalised (NFKC, lower case; queries in traditional script are converted to simplified),
segmented by jieba in precise mode without HMM (so segmentation depends on the dictionary only),
filtered (punctuation and stop words dropped, mixed runs split into letter-and-digit runs), and every
multi-character token also yields the dictionary words it contains ("高新技术企业" → 高新, 技术, 企业,
高新技术, …): those go to a separate *extra* field so that a two-character query such as 补贴 or 人才
finds them inside longer words without disturbing the main token sequence.

The dictionary is jieba's own, plus ``dictionary.txt`` (department names, recognitions, policy terms),
plus terms harvested from the library (issuers, responsible departments), stored in the database.
jieba's total frequency is pinned to the base dictionary's, so adding a word changes the segmentation
of text that contains the word and nothing else; the index therefore only has to re-analyse rows
that contain a new term (``zhengcetong.search.service.add_terms``).

Examples:
    >>> a = get_analyzer()
    >>> a.tokens("对首次认定为高新技术企业的，给予一次性奖励")
    ['首次', '认定', '高新技术企业', '给予', '一次性奖励']
    >>> a.extra_tokens(["一次性奖励"])
    ['一次', '奖励', '一次性']
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import types
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
DICTIONARY = HERE / "dictionary.txt"
STOPWORDS = HERE / "stopwords.txt"
SYNONYMS = HERE / "synonyms.txt"
DOMAIN_FREQ = 200_000  # frequency given to domain words: high enough to win over their parts
_ALNUM_RUN_RE = re.compile(r"[^\W_]+")
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC and lower case: full-width letters and digits become ASCII (the analyzer's first step).

    Examples:
        >>> normalise("ＡＢＣ　１２３％")
        'abc 123%'
    """
    return unicodedata.normalize("NFKC", text).lower()


def normalise_query(text: str) -> str:
    """A query as the library stores text: simplified script, NFKC, lower case, single spaces.

    Examples:
        >>> normalise_query("  高新技術企業  補貼 ")
        '高新技术企业 补贴'
    """
    text = _SPACE_RE.sub(" ", normalise(text)).strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        from zhengcetong.chinese import to_simplified

        text = to_simplified(text)
    return text


def compact(text: str) -> str:
    """The form used for exact phrase matching: normalised, every whitespace removed.

    Examples:
        >>> compact("第 一 条　Ｃ类")
        '第一条c类'
    """
    return _SPACE_RE.sub("", normalise(text))


def _load_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words dropped at index and query time (function words that match nearly every clause)."""
    return frozenset(w for line in _load_lines(STOPWORDS) for w in line.split())


@lru_cache(maxsize=1)
def domain_words() -> tuple[tuple[str, int], ...]:
    """The shipped domain dictionary: dictionary.txt, then every word of synonyms.txt (word, frequency)."""
    words: dict[str, int] = {}
    for line in _load_lines(DICTIONARY):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else DOMAIN_FREQ
        words.setdefault(normalise(parts[0]), freq)
    for line in _load_lines(SYNONYMS):
        for word in re.split(r"=>|,", line):
            word = normalise(word.strip())
            if word and word.isalnum():  # "首台(套)" stays a phrase of its tokens
                words.setdefault(word, DOMAIN_FREQ)
    return tuple(words.items())


def dictionary_fingerprint(extra: Iterable[str]) -> str:
    """A short hash of the dictionary in force (shipped words + library terms)."""
    digest = hashlib.sha256()
    for word, freq in domain_words():
        digest.update(f"{word}\t{freq}\n".encode())
    for word in sorted(set(extra)):
        digest.update(f"+{word}\n".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Analysis:
    """Tokens of one text: the main sequence and the extra sub-words."""

    tokens: list[str]
    extra: list[str]


_import_lock = threading.Lock()


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its attributes is used, then loads the real one in its place."""

    def __init__(self, name: str, path: list[str]):
        super().__init__(name)
        self._zct_path = path

    def __getattr__(self, attribute: str):
        import importlib.machinery
        import importlib.util
        import sys

        spec = importlib.machinery.PathFinder.find_spec(self.__name__, self._zct_path)
        if spec is None or spec.loader is None:
            raise AttributeError(attribute)
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.__name__] = module
        spec.loader.exec_module(module)
        self.__dict__.update(module.__dict__)  # whoever holds the stand-in sees the real names from now on
        return getattr(module, attribute)


def _import_jieba():
    """jieba, imported without what the analyser never uses.

    - pkg_resources (0.17 s of a process's start): while jieba imports, ``import pkg_resources`` raises
      ImportError, so jieba's ``_compat`` opens its data files next to its modules (the same files) —
      only when neither is imported yet, under a lock, and undone even when the import fails.
    - its HMM model: ``jieba.finalseg`` imports 1.3 MB of probabilities as a Python module (about 0.1 s)
      for segmenting unknown words, which the analyser switches off (``cut(..., HMM=False)``); a
      stand-in loads the real module on first use, so ``HMM=True`` elsewhere still works.
    """
    import sys

    if "jieba" not in sys.modules:
        with _import_lock:
            if "jieba" not in sys.modules:
                _import_jieba_lightly(sys)
    import jieba

    return jieba


def _import_jieba_lightly(sys) -> None:
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # "import" raises ImportError
    if spec is not None and spec.submodule_search_locations and "jieba.finalseg" not in sys.modules:
        sys.modules["jieba.finalseg"] = _DeferredModule(
            "jieba.finalseg", list(spec.submodule_search_locations)
        )
    try:
        import jieba  # noqa: F401
    except BaseException:
        if isinstance(sys.modules.get("jieba.finalseg"), _DeferredModule):
            del sys.modules["jieba.finalseg"]
        raise
    finally:
        if block and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]


@lru_cache(maxsize=1)
def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own prefix dictionary (word → frequency) and total, loaded once per process (~1 s)."""
    jieba = _import_jieba()

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ, tokenizer.total


BASE_CACHE_VERSION = 1
EAGER_AFTER_CHARS = 20_000  # text analysed before a lazily read dictionary is loaded whole


def _jieba_dictionary_file() -> Path:
    jieba = _import_jieba()
    return Path(jieba.__file__).resolve().parent / "dict.txt"


def base_cache_path(cache_dir: Path) -> Path:
    """Where the compiled base dictionary lives in ``cache_dir`` (named by jieba's dict.txt)."""
    source = _jieba_dictionary_file()
    stat = source.stat()
    tag = hashlib.sha256(f"{BASE_CACHE_VERSION}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return cache_dir / f"jieba-{tag.hexdigest()[:12]}.sqlite"


def compile_base_dictionary(cache_dir: Path) -> Path:
    """Write jieba's prefix dictionary (word → frequency, and the total) as an SQLite file in
    ``cache_dir``, once: a process then reads only the words it looks up. Nothing is downloaded."""
    import os
    import sqlite3
    import tempfile

    path = base_cache_path(cache_dir)
    if path.exists():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    freq, total = _base_dictionary()
    fd, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    os.close(fd)
    try:
        with sqlite3.connect(temporary) as db:
            db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
            db.execute("INSERT INTO meta VALUES (?)", (total,))
        db.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


class LazyDictionary:
    """jieba's prefix dictionary read from the compiled SQLite file word by word, as jieba looks words
    up (``in``, ``[]``, ``get``); words added (``[]=``) are kept in memory. A query needs a few dozen
    words, so a process that searches once does not load 600 000 of them (about a second)."""

    def __init__(self, path: Path):
        import sqlite3

        self._db = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True, check_same_thread=False)
        self.total: int = self._db.execute("SELECT total FROM meta").fetchone()[0]
        self._lock = threading.Lock()
        self._read: dict[str, int | None] = {}
        self._added: dict[str, int] = {}

    def get(self, word: str, default=None):
        """The word's frequency (0 for a prefix of a word), or ``default`` when jieba does not know it."""
        value = self._added.get(word)
        if value is None:
            try:
                value = self._read[word]
            except KeyError:
                with self._lock:
                    row = self._db.execute("SELECT freq FROM freq WHERE word = ?", (word,)).fetchone()
                value = self._read[word] = row[0] if row else None
        return default if value is None else value

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __setitem__(self, word: str, freq: int) -> None:
        self._added[word] = freq

    def whole(self) -> dict[str, int]:
        """Every word as a plain dict (words added included), for analysing much text; the process
        then holds the base dictionary, and later analysers copy it."""
        freq = dict(_base_dictionary()[0])
        freq.update(self._added)
        return freq


def _lazy_base(cache_dir: Path | None) -> LazyDictionary | None:
    """The base dictionary read lazily from ``cache_dir`` (compiled there on first use), or None when
    there is no cache folder or it cannot be written."""
    import sqlite3

    if cache_dir is None:
        return None
    try:
        return LazyDictionary(compile_base_dictionary(cache_dir))
    except (OSError, sqlite3.Error) as error:
        logging.getLogger(__name__).warning("jieba dictionary cache unavailable: %s", error)
        return None


class Analyzer:
    """jieba with the domain dictionary; thread-safe after construction.

    With a ``cache_dir``, in a process that has not loaded it yet, the base dictionary is read word by
    word from a compiled file there (a short query costs milliseconds instead of a second's load)
    until EAGER_AFTER_CHARS of text have been analysed, then it is loaded whole; otherwise it is
    loaded (or copied) whole at once. The tokens are the same either way.
    """

    def __init__(self, library_terms: Iterable[str] = (), cache_dir: Path | None = None):
        jieba = _import_jieba()
        tokenizer = jieba.Tokenizer()
        # A process that holds the dictionary already (a server, a test run) copies it: that is faster.
        loaded = _base_dictionary.cache_info().currsize > 0
        lazy = None if loaded else _lazy_base(cache_dir)
        if lazy is not None:
            base_total = lazy.total
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = lazy, base_total, True
        else:
            base_freq, base_total = _base_dictionary()
            # A copy of the loaded base dictionary instead of a second load from disk: FREQ, total and
            # initialized are what Tokenizer.initialize() sets.
            tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base_freq), base_total, True
        self._lazy = lazy
        self._chars = 0
        self.library_terms = frozenset(normalise(t) for t in library_terms if t and t.strip())
        for word, freq in domain_words():
            tokenizer.add_word(word, freq)
        for word in sorted(self.library_terms):
            tokenizer.add_word(word, DOMAIN_FREQ)
        # Pin the total: a word's presence then changes only the segmentation of text containing it.
        tokenizer.total = base_total
        self._tokenizer = tokenizer
        self._freq = tokenizer.FREQ
        self._stop = stopwords()
        self.fingerprint = dictionary_fingerprint(self.library_terms)

    def load_whole(self) -> None:
        """Hold the whole dictionary in memory (a server, or much text to analyse)."""
        lazy = self._lazy
        if lazy is not None:
            freq = lazy.whole()
            self._tokenizer.FREQ = self._freq = freq
            self._lazy = None

    def _raw(self, text: str) -> list[str]:
        if self._lazy is not None:
            self._chars += len(text)
            if self._chars > EAGER_AFTER_CHARS:
                self.load_whole()
        out = []
        for word in self._tokenizer.cut(normalise(text), HMM=False):
            if word.isalnum():
                if word not in self._stop:
                    out.append(word)
                continue
            for run in _ALNUM_RUN_RE.findall(word):  # "c类", "3.5" -> runs of letters and digits
                if run not in self._stop:
                    out.append(run)
        return out

    def tokens(self, text: str) -> list[str]:
        """The main token sequence of ``text`` (stop words and punctuation dropped)."""
        return self._raw(text)

    def extra_tokens(self, tokens: Iterable[str]) -> list[str]:
        """Dictionary words inside each longer token (all lengths from 2 to len-1), in order."""
        freq, stop = self._freq, self._stop
        extra = []
        for token in tokens:
            size = len(token)
            if size < 3:
                continue
            for n in range(2, size):
                for i in range(size - n + 1):
                    part = token[i : i + n]
                    if freq.get(part) and part not in stop:
                        extra.append(part)
        return extra

    def analyse(self, text: str) -> Analysis:
        """Tokens and extra sub-words of ``text``."""
        tokens = self._raw(text)
        return Analysis(tokens, self.extra_tokens(tokens))

    def is_word(self, text: str) -> bool:
        """True when ``text`` is a dictionary word."""
        return bool(self._freq.get(normalise(text)))


_lock = threading.Lock()
_analyzers: dict[frozenset[str], Analyzer] = {}


def get_analyzer(library_terms: Iterable[str] = (), cache_dir: Path | None = None) -> Analyzer:
    """The process-wide analyzer for this set of library terms (built once: about a second, or a few
    milliseconds when the dictionary is read lazily from ``cache_dir``)."""
    key = frozenset(normalise(t) for t in library_terms if t and t.strip())
    analyzer = _analyzers.get(key)
    if analyzer is None:
        with _lock:
            analyzer = _analyzers.get(key)
            if analyzer is None:
                analyzer = Analyzer(key, cache_dir)
                while len(_analyzers) >= 4:  # a few dictionaries (one per database served), oldest out
                    _analyzers.pop(next(iter(_analyzers)))
                _analyzers[key] = analyzer
    return analyzer
