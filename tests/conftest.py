"""Shared fixtures: the seed gazettes (skipped with a reason when absent) and the project's samples."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Settings built by a test without its own ZCT_DATA_DIR keep their generated session secret here, not in
# ./data of the checkout.
os.environ.setdefault("ZCT_DATA_DIR", tempfile.mkdtemp(prefix="zct-test-data-"))

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO.parent / "shared" / "seeds"
SEED_FILES = {"5": "003_738f173c5080c7d5.txt", "6-7": "000_f1ae18fef47921e0.txt"}


def seed_path(issue: str) -> Path:
    """The seed gazette of ``issue`` ("5" or "6-7"); skip the test when ../shared/seeds is absent."""
    path = SEEDS_DIR / SEED_FILES[issue]
    if not path.exists():
        pytest.skip(f"seed gazette {path} is absent (it lives in ../shared/seeds beside the checkout)")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of seed gazettes; skips when absent."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"{SEEDS_DIR} is absent (the seed gazettes live in ../shared/seeds beside the checkout)")
    return SEEDS_DIR


# --- databases -------------------------------------------------------------------------------------
#
# Every database test runs on SQLite and, when ZCT_TEST_POSTGRES_URL is set, again on PostgreSQL.
# Each pytest-xdist worker gets its own SQLite file and its own PostgreSQL schema.

import itertools  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
from collections.abc import Callable  # noqa: E402
from contextlib import closing  # noqa: E402

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from zhengcetong.search import install as install_search_hooks  # noqa: E402

install_search_hooks()  # as in the app and the CLI: a commit that changed the library syncs the search index
from zhengcetong.match import hooks as match_hooks  # noqa: E402

match_hooks.install()  # ... and recomputes the stored matches of the items and enterprises it changed
from zhengcetong import notify  # noqa: E402

notify.install()  # ... and tells enterprises of the items published or changed (inbox and outbox)

POSTGRES_URL = os.environ.get("ZCT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_counter = itertools.count()


def _postgres_schema_url(schema: str) -> str:
    """The PostgreSQL test URL with ``schema`` first on the search path (created empty)."""
    from zhengcetong.db.engine import make_engine

    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return _with_options(POSTGRES_URL, f"-csearch_path={schema}")


def _with_options(url: str, options: str) -> str:
    """``url`` with libpq's ``options`` (server settings for every connection) set to ``options``."""
    return make_url(url).update_query_dict({"options": options}).render_as_string(hide_password=False)


def _drop_postgres_schema(schema: str) -> None:
    from zhengcetong.db.engine import make_engine

    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def empty_database(backend: str, tmp_path) -> tuple[str, callable]:
    """A fresh, empty database of ``backend``: (url, cleanup)."""
    n = next(_counter)
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'zct-{WORKER}-{n}.db'}", lambda: None
    schema = f"zct_test_{WORKER}_{os.getpid()}_{n}"
    return _postgres_schema_url(schema), lambda: _drop_postgres_schema(schema)


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request, tmp_path_factory):
    """A migrated database per backend and worker, shared by the tests of a session."""
    from zhengcetong.db.engine import make_engine
    from zhengcetong.db.migrate import upgrade

    url, cleanup = empty_database(request.param, tmp_path_factory.mktemp("db"))
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()
    cleanup()


@pytest.fixture
def db_session(engine):
    """A session inside one transaction that is rolled back after the test (its commits are savepoints)."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    from tests.factories.library import bind_session

    bind_session(session)  # the model factories of tests/factories/library.py add to this session
    try:
        yield session
    finally:
        bind_session(None)
        session.close()
        transaction.rollback()
        connection.close()


def _configured(url: str, tmp_path, monkeypatch):
    """Make ``url`` the configured database (ZCT_DATABASE_URL) while the test runs; dispose of it after."""
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine

    monkeypatch.setenv("ZCT_DATABASE_URL", url)
    monkeypatch.setenv("ZCT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    for engine_ in [get_engine(url)]:
        engine_.dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path, monkeypatch):
    """An empty database for code that opens its own connections (CLI, server): ZCT_DATABASE_URL is set."""
    url, cleanup = empty_database(request.param, tmp_path)
    yield from _configured(url, tmp_path, monkeypatch)
    cleanup()


# --- prepared libraries ------------------------------------------------------------------------------
#
# A library that many tests start from (the sample gazette ingested, say) is built once per worker
# and backend, then handed out: on SQLite every test gets its own copy of the file (SQLite's backup
# API, a few milliseconds); on PostgreSQL, where a schema cannot be copied cheaply, a test that only
# reads shares the built schema through connections that refuse to write, and a test that writes
# gets a library built afresh in a schema of its own.

Build = Callable[[str], None]  # builds a library into the empty, unmigrated database at a URL


def _copy_sqlite(template_url: str, tmp_path) -> str:
    """A copy of the SQLite database at ``template_url`` in ``tmp_path``, as a fresh database of its own.

    Migration 0009 starts ``search_entry_log``'s sequence at a random number so that two databases
    never share sequence numbers (the search columns in memory follow that log); a byte copy would
    share its template's, so the copy's log is moved to a random base of its own.
    """
    target = tmp_path / f"zct-{WORKER}-{next(_counter)}.db"
    with closing(sqlite3.connect(make_url(template_url).database)) as source:
        with closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            low, high = copy.execute("SELECT min(seq), max(seq) FROM search_entry_log").fetchone()
            shift = (high or 0) - (low or 0) + 1 + random.getrandbits(52)  # past every current number
            copy.execute("UPDATE search_entry_log SET seq = seq + ?", (shift,))
            copy.execute("UPDATE sqlite_sequence SET seq = seq + ? WHERE name = 'search_entry_log'", (shift,))
            copy.commit()
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def _built_libraries(tmp_path_factory):
    """Libraries built once in this worker: (backend, name, build) -> the template's URL."""
    built: dict[tuple[str, str], str] = {}
    cleanups: list[Callable[[], None]] = []

    def template(backend: str, name: str, build: Build) -> str:
        if (backend, name) not in built:
            url, cleanup = empty_database(backend, tmp_path_factory.mktemp(f"library-{name}"))
            cleanups.append(cleanup)
            build(url)
            built[backend, name] = url
        return built[backend, name]

    yield template
    for cleanup in cleanups:
        cleanup()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database backend of a test that uses a prepared library: "sqlite", then "postgresql"."""
    return request.param


@pytest.fixture
def prepared_library(backend, _built_libraries, tmp_path, monkeypatch):
    """``prepared_library(name, build, writes=...)``: the URL of a library built by ``build`` once per
    worker and backend, configured as ZCT_DATABASE_URL. Pass ``writes=False`` only when the test does
    not change the library: on PostgreSQL it then shares the one built library, read-only."""
    cleanups: list[Callable[[], None]] = []
    configured = []

    def prepare(name: str, build: Build, *, writes: bool = True) -> str:
        template = _built_libraries(backend, name, build)
        if backend == "sqlite":
            url = _copy_sqlite(template, tmp_path)
        elif writes:
            url, cleanup = empty_database(backend, tmp_path)
            cleanups.append(cleanup)
            build(url)
        else:
            url = _with_options(
                template, make_url(template).query["options"] + " -cdefault_transaction_read_only=on"
            )
        configuration = _configured(url, tmp_path, monkeypatch)
        configured.append(configuration)
        return next(configuration)

    yield prepare
    for configuration in configured:
        next(configuration, None)
    for cleanup in cleanups:
        cleanup()
