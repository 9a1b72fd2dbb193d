"""Shared fixtures: the seed gazettes (skipped with a reason when absent) and the project's samples."""

from __future__ import annotations

from pathlib import Path

import pytest

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
