"""Fixtures for end-to-end tests: a database with the sample gazette ingested, and the app on it."""

from __future__ import annotations

import pytest

from zhengcetong.samples import SINGLE_NOTICE, sample_path


def ingest_files(url: str, files: list[tuple[bytes, str]]) -> None:
    """Migrate the database at ``url`` and ingest ``files`` (bytes, name) in one transaction, as
    ``zct ingest`` does: documents, their policy items as drafts, and the search index."""
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.ingest.measures import extract_items
    from zhengcetong.ingest.parse import parse_bytes
    from zhengcetong.library import service

    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        for data, name in files:
            parsed = parse_bytes(data, name)
            service.ingest_gazette(
                db_session=session,
                parsed=parsed,
                content=data,
                source_name=name,
                actor="test",
                items=[extract_items(d) for d in parsed.documents],
            )
    engine.dispose()


@pytest.fixture
def sample_library(database_url):
    """The database URL, with the sample gazette and the single notice ingested."""
    ingest_files(
        database_url,
        [
            (sample_path().read_bytes(), "qinghe_2026_03.txt"),
            (sample_path(SINGLE_NOTICE).read_bytes(), "single.txt"),
        ],
    )
    return database_url


@pytest.fixture
def client(sample_library):
    """A TestClient on the app serving the sample library."""
    from fastapi.testclient import TestClient

    from zhengcetong.config import Settings
    from zhengcetong.web.app import create_app

    with TestClient(create_app(Settings(database_url=sample_library))) as test_client:
        yield test_client
