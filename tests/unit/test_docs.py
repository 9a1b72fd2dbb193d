"""The README documents every setting and every command (a new one without documentation fails here)."""

from __future__ import annotations

from pathlib import Path

from zhengcetong.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table():
    for name in Settings.names():
        assert f"`ZCT_{name.upper()}`" in README, f"ZCT_{name.upper()} is not documented in README.md"


def test_every_command_is_in_the_readme():
    from typer.main import get_command

    from zhengcetong.cli import app

    root = get_command(app)
    for name, command in root.commands.items():
        subcommands = getattr(command, "commands", None)
        for full in [f"zct {name} {sub}" for sub in subcommands] if subcommands else [f"zct {name}"]:
            assert full in README, f"`{full}` is not documented in README.md"


def test_quick_start_is_the_two_make_commands():
    assert "make demo" in README and "make test" in README
