"""Engines and sessions. SQLite gets WAL mode and foreign keys; PostgreSQL is used as is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MMAP_SIZE = 0x7FFF0000  # SQLite's default SQLITE_MAX_MMAP_SIZE; a larger value is capped to it


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Read through a memory map (up to SQLite's usual 2 GiB ceiling): pages come straight from the
    # OS page cache, shared by every connection, instead of a read() per page into each connection's
    # small cache. Searching a large library touches many pages per query.
    cursor.execute(f"PRAGMA mmap_size={MMAP_SIZE}")
    cursor.close()


@contextmanager
def unmapped(connection: Connection) -> Iterator[None]:
    """Read without SQLite's memory map for the block (other databases: nothing changes).

    For reading a whole large table once (batch matching): mapped pages stay resident in the process and
    count as its memory (the profiles of a million enterprises map 1.5 GB), while pages read into SQLite's
    own cache are recycled as the scan goes on."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA mmap_size=0")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA mmap_size={MMAP_SIZE}")


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine for ``url``; for a SQLite file, create its folder and switch on WAL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    if url is None:
        from zhengcetong.config import get_settings

        url = get_settings().effective_database_url
    return make_engine(url)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error (the CLI's unit of work)."""
    session = make_sessionmaker(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction that only reads: always rolled back, so nothing it touches is ever written."""
    session = make_sessionmaker(engine or get_engine())()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
