"""Issue #17: `make test` rewrote the tracked screenshots in docs/screenshots/, leaving the tree dirty."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.functional.screenshots import DOCUMENTED, screenshot_dir, shot

REPO = Path(__file__).resolve().parents[2]


class FakePage:
    def __init__(self):
        self.paths: list[str] = []

    def screenshot(self, *, path: str, full_page: bool) -> None:
        self.paths.append(path)
        Path(path).write_bytes(b"png")


def test_test_runs_write_screenshots_outside_the_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv("ZCT_UPDATE_SCREENSHOTS", raising=False)
    monkeypatch.delenv("ZCT_TEST_ARTIFACTS", raising=False)
    assert REPO not in screenshot_dir().resolve().parents
    monkeypatch.setenv("ZCT_TEST_ARTIFACTS", str(tmp_path))
    page = FakePage()
    assert shot(page, "home") == tmp_path / "screenshots" / "home.png"
    assert page.paths == [str(tmp_path / "screenshots" / "home.png")]


def test_the_documented_screenshots_are_updated_only_on_request(monkeypatch):
    monkeypatch.setenv("ZCT_UPDATE_SCREENSHOTS", "1")
    assert screenshot_dir() == DOCUMENTED == REPO / "docs" / "screenshots"
    dry = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-stamp", "screenshots"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert dry.returncode == 0 and "ZCT_UPDATE_SCREENSHOTS=1" in dry.stdout
    test = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-stamp", "-o", "typecheck", "test"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert "ZCT_UPDATE_SCREENSHOTS" not in test.stdout


def test_no_browser_test_writes_into_docs():
    for module in (REPO / "tests" / "functional").glob("test_*.py"):
        source = module.read_text(encoding="utf-8")
        assert ".screenshot(path" not in source, f"{module.name}: take screenshots with screenshots.shot"
