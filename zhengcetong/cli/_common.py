"""Shared helpers of the CLI: error reporting, consoles, reading files."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import typer

from zhengcetong.errors import InputError, ZctError

# Console.print options for lines meant to be read or piped whole: no markup, no wrapping at 80 columns.
PLAIN = {"markup": False, "highlight": False, "soft_wrap": True}


def run_app(app: typer.Typer) -> None:
    """Run the typer app; turn user errors into a one-line Chinese message and exit code 2."""
    try:
        app(standalone_mode=True)
    except ZctError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("已中断", code=130)
    except OSError as exc:
        fail(os_error_message(exc))
    except Exception as exc:
        message = environment_error_message(exc)
        if message is None:
            raise  # a bug: the traceback is what a maintainer needs
        fail(message)


def fail(message: str, code: int = 2) -> None:
    """Print an error line to stderr and exit."""
    from rich.console import Console
    from rich.text import Text

    line = Text.assemble(("错误", "bold red"), "：", message)  # the message is plain text, never markup
    Console(stderr=True, highlight=False).print(line, soft_wrap=True)
    raise SystemExit(code)


OS_ERRORS = {
    FileNotFoundError: "文件或目录不存在",
    IsADirectoryError: "这是一个目录，不是文件",
    NotADirectoryError: "路径中有一段不是目录",
    PermissionError: "没有权限读写",
}


def os_error_message(exc: OSError) -> str:
    """A Chinese line for a file-system error, naming the path.

    Examples:
        >>> os_error_message(PermissionError(13, "Permission denied", "data/zhengcetong.db"))
        'data/zhengcetong.db: 没有权限读写，请检查文件权限或换一个 ZCT_DATA_DIR'
        >>> os_error_message(OSError(28, "No space left on device", "data"))
        'data: 读写文件出错（No space left on device）'
    """
    where = f"{exc.filename}: " if exc.filename else ""
    for kind, text in OS_ERRORS.items():
        if isinstance(exc, kind):
            hint = "，请检查文件权限或换一个 ZCT_DATA_DIR" if kind is PermissionError else ""
            return f"{where}{text}{hint}"
    return f"{where}读写文件出错（{exc.strerror or exc}）"


DATABASE_ERRORS = ("OperationalError", "InterfaceError", "ArgumentError", "NoSuchModuleError")


def environment_error_message(exc: Exception) -> str | None:
    """A Chinese line for errors of the environment rather than the code: an unreachable database (bad
    settings are a ``SettingsError``, a ZctError that says which ZCT_ variable to fix).

    Recognised by module so the CLI need not import SQLAlchemy to catch them.
    """
    module = type(exc).__module__
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if module.startswith("sqlalchemy") and type(exc).__name__ in DATABASE_ERRORS:
        return f"无法使用数据库，请检查 ZCT_DATABASE_URL 和数据库服务：{first_line}"
    return None


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Print a table to stdout; cells are plain text (a 文号 like "[2023] 16号" is not rich markup).

    ``None`` shows as "—"; a ``rich.text.Text`` cell keeps its style. Piped into a file or another program,
    the table keeps its natural width instead of squeezing cells to 80 columns.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title, style="bold"))
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(v if isinstance(v, Text) else Text("—" if v is None else str(v)) for v in row))
    Console(width=None if sys.stdout.isatty() else 1000).print(table)


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


def browser_address(host: str, port: int) -> str:
    """The address to open in a browser (a wildcard host is shown as 127.0.0.1).

    Examples:
        >>> browser_address("127.0.0.1", 8000), browser_address("0.0.0.0", 8080), browser_address("::1", 9000)
        ('http://127.0.0.1:8000/', 'http://127.0.0.1:8080/', 'http://[::1]:9000/')
    """
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def check_port(host: str, port: int, *, retry: str) -> None:
    """Fail with a Chinese line, before anything is announced, when ``host:port`` cannot be listened on
    (another server holds it); ``retry`` names the command to try instead, with ``{port}`` for a free port.
    """
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: TIME_WAIT does not count
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                spare = port + 1
                raise ZctError(
                    f"端口 {port} 已被占用（可能另一个 zct serve 或 make demo 还在运行）。"
                    f"请先停止占用它的程序，或换一个端口：{retry.format(port=spare)}"
                ) from exc
            if exc.errno == errno.EACCES:
                raise ZctError(
                    f"没有权限监听端口 {port}（1024 以下的端口需要管理员权限），请换一个端口"
                ) from exc
            raise ZctError(
                f"无法监听 {host}:{port}（{exc.strerror or exc}），请检查 --host 和 --port"
            ) from exc


def reading_session():
    """A session on the configured, migrated database for a command that only reads: no write hooks are
    installed (nor their modules imported: match, notify), and it is rolled back, so it writes nothing."""
    from zhengcetong.db.engine import get_engine, read_scope
    from zhengcetong.db.migrate import upgrade

    engine = get_engine()
    upgrade(engine)
    return read_scope(engine)


def library_session():
    """A session on the configured, migrated database whose commits keep the search index in step."""
    from zhengcetong import notify, search
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.match import hooks as match_hooks

    search.install()  # a write reaches the search index in the same transaction
    match_hooks.install()  # ... and the stored matches of enterprises
    notify.install()  # ... and tells enterprises of items published or changed
    engine = get_engine()
    upgrade(engine)
    return session_scope(engine)


def note_if_empty(session) -> bool:
    """When the library holds no document, tell the user on stderr which database this command opened and
    how to fill it (an answer of "0 results" from the wrong database looks like a real answer). True if empty.
    """
    from sqlalchemy import func, select

    from zhengcetong.config import get_settings
    from zhengcetong.library import Document

    if session.scalar(select(func.count()).select_from(Document)):
        return False
    from rich.console import Console
    from rich.text import Text

    settings = get_settings()
    line = Text.assemble(
        ("提示", "bold yellow"),
        f"：打开的数据库 {settings.database_label} 中还没有任何政策文件。"
        "用 zct ingest 公报.txt 导入公报，或运行 zct demo --no-serve 导入示例公报；"
        "要用别处的政策文件库，请设置 ZCT_DATA_DIR 或 ZCT_DATABASE_URL。",
    )
    Console(stderr=True, highlight=False).print(line, soft_wrap=True)
    return True
