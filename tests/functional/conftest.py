"""Fixtures for end-to-end tests: a database with the sample gazette ingested, and the app on it.

The sample library is built once per worker and backend (see ``prepared_library`` in tests/conftest.py):
``sample_library`` is a copy of it for a test to change, ``client`` serves it to a test that only reads.
"""

from __future__ import annotations

import pytest

from zhengcetong.samples import SINGLE_NOTICE, sample_path


def ingest_files(url: str, files: list[tuple[bytes, str]]) -> None:
    """Migrate the database at ``url`` and ingest ``files`` (bytes, name) in one transaction, as
    ``zct ingest`` does: documents, their policy items as drafts, and the search index."""
    from tests.factories.ingest import ingest_file
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.db.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        for data, name in files:
            ingest_file(session, data, name)
    engine.dispose()


def build_sample(url: str) -> None:
    """Migrate and ingest the sample gazette and the single notice (their items as drafts)."""
    ingest_files(
        url,
        [
            (sample_path().read_bytes(), "qinghe_2026_03.txt"),
            (sample_path(SINGLE_NOTICE).read_bytes(), "single.txt"),
        ],
    )


def build_published(url: str) -> None:
    """The sample library with every item published, as a reviewer would."""
    build_sample(url)
    publish_everything(url)


def publish_everything(url: str) -> None:
    """Publish every item of the library at ``url``, as a reviewer would."""
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.library import items as policy_items

    engine = make_engine(url)
    with session_scope(engine) as session:
        policy_items.publish_items(
            db_session=session, items=policy_items.list_items(db_session=session), actor="reviewer"
        )
    engine.dispose()


@pytest.fixture
def sample_library(prepared_library):
    """The database URL of a copy of the sample library (the sample gazette and the single notice
    ingested), the test's own to change."""
    return prepared_library("sample", build_sample)


def serve(url: str):
    """A TestClient on the app serving the database at ``url`` (use it in a ``with``)."""
    from fastapi.testclient import TestClient

    from zhengcetong.config import Settings
    from zhengcetong.web import create_app

    return TestClient(create_app(Settings(database_url=url)))


@pytest.fixture
def client(prepared_library):
    """A TestClient on the app serving the sample library; for tests that change nothing in it."""
    with serve(prepared_library("sample", build_sample, writes=False)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def browser():
    """Debian's headless chromium through Playwright (browser tests skip when it is absent)."""
    from playwright.sync_api import sync_playwright

    from tests.functional.test_browser import CHROMIUM

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()
