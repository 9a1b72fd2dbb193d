"""Shared helpers of the CLI: error reporting, consoles, reading files."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from zhengcetong.errors import InputError, ZctError


def run_app(app: typer.Typer) -> None:
    """Run the typer app; turn user errors into a one-line Chinese message and exit code 2."""
    try:
        app(standalone_mode=True)
    except ZctError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("已中断")


def fail(message: str, code: int = 2) -> None:
    """Print an error line to stderr and exit."""
    from rich.console import Console

    Console(stderr=True, highlight=False).print(f"[bold red]错误[/]：{message}", markup=True, soft_wrap=True)
    raise SystemExit(code)


def read_input(path_text: str, max_bytes: int | None = None) -> bytes:
    """Read a file's bytes, turning OS errors into InputError with a clear message."""
    path = Path(path_text)
    try:
        if path.is_dir():
            raise InputError("这是一个目录，不是公报文本文件", source=path_text)
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(
                f"文件有 {size} 字节，超过上限 {max_bytes} 字节（ZCT_MAX_UPLOAD_BYTES）", source=path_text
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("文件不存在", source=path_text) from exc
    except PermissionError as exc:
        raise InputError("没有读取权限", source=path_text) from exc


def stdout_json(data, pretty: bool = False) -> None:
    """Write JSON (UTF-8, Chinese unescaped) to stdout."""
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2 if pretty else None, default=str))
    sys.stdout.write("\n")
