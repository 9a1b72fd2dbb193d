"""Where the browser tests' screenshots go: a scratch folder outside the checkout on every run, and the
documented ones in docs/screenshots/ only on request (``make screenshots``, or ZCT_UPDATE_SCREENSHOTS=1),
so ``make test`` leaves the working tree as it found it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DOCUMENTED = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE_VARIABLE = "ZCT_UPDATE_SCREENSHOTS"
ARTIFACTS_VARIABLE = "ZCT_TEST_ARTIFACTS"  # a folder the screenshots of a test run go to (CI can keep it)


def screenshot_dir() -> Path:
    """docs/screenshots when ZCT_UPDATE_SCREENSHOTS=1; otherwise ZCT_TEST_ARTIFACTS/screenshots, or
    zhengcetong-screenshots in the system's temporary folder."""
    if os.environ.get(UPDATE_VARIABLE, "").strip() == "1":
        return DOCUMENTED
    artifacts = os.environ.get(ARTIFACTS_VARIABLE, "").strip()
    return (
        Path(artifacts) / "screenshots"
        if artifacts
        else Path(tempfile.gettempdir()) / "zhengcetong-screenshots"
    )


def shot(page, name: str) -> Path:
    """Save a full-page screenshot of ``page`` as ``name``.png in ``screenshot_dir()``; the path."""
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
