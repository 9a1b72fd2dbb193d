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

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from zhengcetong.match import hooks as match_hooks  # noqa: E402
from zhengcetong.search import hooks  # noqa: E402

hooks.install()  # as in the app and the CLI: a commit that changed the library syncs the search index
match_hooks.install()  # ... and recomputes the stored matches of the items and enterprises it changed

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
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


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


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path, monkeypatch):
    """An empty database for code that opens its own connections (CLI, server): ZCT_DATABASE_URL is set."""
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine

    url, cleanup = empty_database(request.param, tmp_path)
    monkeypatch.setenv("ZCT_DATABASE_URL", url)
    monkeypatch.setenv("ZCT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield url
    for engine_ in [get_engine(url)]:
        engine_.dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()
    cleanup()
