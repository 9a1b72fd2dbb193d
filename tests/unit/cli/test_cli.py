"""The zct command's wiring: fast help, one-line Chinese errors with exit code 2, plain-text output.

Most tests run ``zhengcetong.cli.main`` in-process (fast); the import-weight and timing checks and one
error path use a subprocess, as a user runs the command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import zhengcetong.ingest.flows as ingest_flows
from zhengcetong.cli import main
from zhengcetong.errors import InputError
from zhengcetong.samples import SINGLE_NOTICE, sample_path

HEAVY = ("sqlalchemy", "fastapi", "starlette", "uvicorn", "alembic", "jieba", "pydantic_settings")


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run ``zct *args`` in-process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["zct", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """Settings pointing at an empty SQLite file and data folder under tmp_path."""
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine

    monkeypatch.setenv("ZCT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ZCT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield tmp_path
    get_engine.cache_clear()
    get_settings.cache_clear()


# --- help ------------------------------------------------------------------------------------------


def test_importing_the_cli_pulls_in_no_heavy_module():
    code = f"import sys, zhengcetong.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_and_usage_errors_speak_chinese(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--help")
    assert code == 0 and "用法：" in out and "选项" in out and "命令" in out and "显示本帮助并退出" in out
    for english in ("Usage:", "Options", "Commands", "Show this message"):
        assert english not in out
    code, _, err = run(monkeypatch, capsys, "extract")
    assert code == 2 and "缺少参数" in err and "错误" in err and "Missing" not in err
    code, _, err = run(monkeypatch, capsys, "no-such-command")
    assert code == 2 and "没有命令" in err


def test_help_lists_every_command_in_chinese(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--help")
    assert code == 0
    for command in ("extract", "ingest", "docs", "db", "serve", "demo"):
        assert command in out
    assert "政策通" in out
    code, out, _ = run(monkeypatch, capsys, "docs", "list", "--help")
    assert code == 0 and "--valid-on" in out and "有效性" in out
    for sub in (["db", "--help"], ["serve", "--help"], ["demo", "--help"], ["ingest", "--help"]):
        assert run(monkeypatch, capsys, *sub)[0] == 0


# --- bad input: exit 2, one Chinese line naming the file, never a traceback --------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "文件为空"),
        (bytes(range(256)) * 20, "二进制文件"),
        ("这是一段普通文字，没有公文。\n第二行也不是公文。\n".encode("gb18030"), "没有找到可识别的公文"),
    ],
    ids=["empty", "binary", "gb18030-without-document"],
)
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_bad_input_exits_2_with_a_clear_message(monkeypatch, capsys, isolated, command, content, expected):
    bad = isolated / "坏文件.txt"
    bad.write_bytes(content)
    code, out, err = run(monkeypatch, capsys, command, str(bad))
    assert code == 2
    assert "\n错误：" in "\n" + err and expected in err and "坏文件.txt" in err
    assert "Traceback" not in out + err
    if command == "ingest":
        assert "全部文件均未写入" in err
        assert not (isolated / "cli.db").exists() or _document_count(isolated / "cli.db") == 0


def _document_count(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        tables = {name for (name,) in conn.execute("select name from sqlite_master where type='table'")}
        return conn.execute("select count(*) from document").fetchone()[0] if "document" in tables else 0


def test_missing_file_and_directory(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, "extract", str(tmp_path / "不存在.txt"))
    assert code == 2 and "文件不存在" in err and "不存在.txt" in err
    code, _, err = run(monkeypatch, capsys, "extract", str(tmp_path))
    assert code == 2 and "目录" in err and str(tmp_path) in err


def test_the_parsers_line_number_reaches_the_user(monkeypatch, capsys, tmp_path):
    def broken(data: bytes, source: str):
        raise InputError("第 12 行的文号无法识别", source=source, line=12)

    monkeypatch.setattr(ingest_flows, "parse_bytes", broken)
    gazette = tmp_path / "gazette.txt"
    gazette.write_text("任意内容", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "extract", str(gazette))
    assert code == 2 and f"{gazette}:12" in err and "文号无法识别" in err


def test_an_unreadable_file_is_reported(monkeypatch, capsys, tmp_path):
    def denied(self):
        raise PermissionError(13, "Permission denied")

    gazette = tmp_path / "locked.txt"
    gazette.write_text("x", encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", denied)
    code, _, err = run(monkeypatch, capsys, "extract", str(gazette))
    assert code == 2 and "没有读取权限" in err and "locked.txt" in err


def test_error_messages_are_plain_text_not_markup(monkeypatch, capsys, tmp_path):
    def broken(data: bytes, source: str):
        raise InputError("文号“聊政办字 [2023] 16号”后缺少标题 [/b]", source=source, line=3)

    monkeypatch.setattr(ingest_flows, "parse_bytes", broken)
    gazette = tmp_path / "g.txt"
    gazette.write_text("x", encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "extract", str(gazette))
    assert code == 2 and "[2023] 16号" in err and "[/b]" in err and "Traceback" not in out + err


def test_bad_option_values_exit_2(monkeypatch, capsys, isolated):
    code, _, err = run(monkeypatch, capsys, "docs", "list", "--valid-on", "2026-13-01")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(monkeypatch, capsys, "docs", "show", "没有这篇")
    assert code == 2 and "没有这篇" in err


def test_a_real_failure_in_a_subprocess_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = subprocess.run(
        [sys.executable, "-m", "zhengcetong.cli", "extract", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 2 and "bad.txt" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# --- output ----------------------------------------------------------------------------------------


def test_extract_json_keeps_chinese_and_pretty_indents(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "extract", str(sample_path(SINGLE_NOTICE)), "--json")
    assert code == 0 and "\\u" not in out and out.count("\n") == 1
    data = json.loads(out)
    assert data["documents"] and data["documents"][0]["title"]
    code, pretty, _ = run(
        monkeypatch, capsys, "extract", str(sample_path(SINGLE_NOTICE)), "--json", "--pretty"
    )
    assert code == 0 and json.loads(pretty) == data and pretty.count("\n") > 10


def test_extract_table_is_not_truncated_when_piped(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "extract", str(sample_path()))
    assert code == 0
    for column in ("文号", "标题", "成文日期", "类型", "施行日期", "有效期至"):
        assert column in out
    assert "关于印发青禾市科技创新券管理办法的通知" in out and "青政发〔2026〕11号" in out
    assert "2031-03-31" in out
    assert "通知" in out and "notice" not in out and "other" not in out  # kinds are named in Chinese


def test_print_table_shows_brackets_literally(capsys):
    from zhengcetong.cli._common import print_table

    print_table("[bold]标题[/]", ("文号",), [("聊政办字 [2023] 16号",), ("[/x]",), (None,)])
    out = capsys.readouterr().out
    assert "[bold]标题[/]" in out and "聊政办字 [2023] 16号" in out and "[/x]" in out and "—" in out


def test_ingest_wiring_writes_all_files_in_one_transaction(monkeypatch, capsys, isolated):
    gazette, notice = str(sample_path()), str(sample_path(SINGLE_NOTICE))
    code, out, err = run(monkeypatch, capsys, "ingest", gazette, notice, "--actor", "张三")
    assert code == 0, err
    assert f"{gazette}：新增 9 篇" in out and f"{notice}：新增 1 篇" in out
    assert "解析" in err  # the progress bar names the files on stderr
    code, out, _ = run(monkeypatch, capsys, "ingest", gazette)
    assert code == 0 and f"{gazette}：已入库，未改变" in out
    code, out, _ = run(monkeypatch, capsys, "docs", "list", "--json")
    assert json.loads(out)["total"] == 10


def test_demo_without_serving_prints_the_address(monkeypatch, capsys, isolated):
    code, out, err = run(monkeypatch, capsys, "demo", "--no-serve", "--port", "8123")
    assert code == 0, err
    assert "http://127.0.0.1:8123/" in out and "新增 9 篇" in out
    assert (isolated / "data" / "qinghe_2026_03.txt").exists()


def test_serve_passes_the_factory_and_workers_to_uvicorn(monkeypatch, capsys, isolated):
    monkeypatch.setattr("zhengcetong.cli._common.check_port", lambda *args, **kwargs: None)
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: calls.append((args, kwargs)))
    code, out, _ = run(monkeypatch, capsys, "serve", "--port", "8765", "--workers", "3")
    assert code == 0 and "http://127.0.0.1:8765/" in out
    (target,), options = calls[0]
    assert target == "zhengcetong.web.app:create_app" and options["factory"] is True
    assert options["port"] == 8765 and options["workers"] == 3


def test_serve_takes_workers_from_settings_in_production(monkeypatch, capsys, isolated):
    from zhengcetong.config import get_settings

    monkeypatch.setenv("ZCT_ENV", "production")
    monkeypatch.setenv("ZCT_SECRET_KEY", "a-real-secret-for-this-test-0123456789abcdef")
    monkeypatch.setenv("ZCT_WORKERS", "4")
    get_settings.cache_clear()
    monkeypatch.setattr(
        "zhengcetong.cli._common.check_port", lambda *args, **kwargs: None
    )  # 8000 may be busy
    calls = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: calls.append(kwargs))
    assert run(monkeypatch, capsys, "serve")[0] == 0
    assert calls[0]["workers"] == 4 and calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000


def test_bad_settings_and_an_unusable_database_are_one_line_errors(monkeypatch, capsys, isolated):
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine

    monkeypatch.setenv("ZCT_WORKERS", "many")
    get_settings.cache_clear()
    code, out, err = run(monkeypatch, capsys, "docs", "list")
    assert code == 2 and "配置有误" in err and "ZCT_WORKERS" in err and "Traceback" not in out + err
    monkeypatch.delenv("ZCT_WORKERS")
    monkeypatch.setenv("ZCT_DATABASE_URL", "nosuchdb://somewhere/x")
    get_settings.cache_clear()
    get_engine.cache_clear()
    code, _, err = run(monkeypatch, capsys, "docs", "list")
    assert code == 2 and "ZCT_DATABASE_URL" in err


def test_a_bug_still_shows_its_traceback(monkeypatch, capsys, tmp_path):
    def bug(data: bytes, source: str):
        raise RuntimeError("a bug in the parser")

    monkeypatch.setattr(ingest_flows, "parse_bytes", bug)
    gazette = tmp_path / "g.txt"
    gazette.write_text("x", encoding="utf-8")
    with pytest.raises(RuntimeError, match="a bug in the parser"):
        run(monkeypatch, capsys, "extract", str(gazette))


# --- which database -----------------------------------------------------------------------------------


def test_without_settings_every_folder_opens_the_same_per_user_library(monkeypatch, capsys, tmp_path):
    """Issue #17: run outside the project folder, zct made a new empty ./data and answered "0 results"."""
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine

    monkeypatch.delenv("ZCT_DATA_DIR", raising=False)
    monkeypatch.delenv("ZCT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        code, out, err = run(monkeypatch, capsys, "docs", "list")
        library = tmp_path / "share" / "zhengcetong" / "zhengcetong.db"
        assert code == 0 and library.exists() and not (elsewhere / "data").exists()
        assert f"打开的数据库 {library.resolve()} 中还没有任何政策文件" in err
        assert "zct ingest" in err and "ZCT_DATA_DIR" in err
    finally:
        get_engine.cache_clear()
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "command",
    [
        ("docs", "list"),
        ("items", "list"),
        ("review", "queue"),
        ("search", "query", "人才"),
    ],
)
def test_read_commands_on_an_empty_library_name_the_database(monkeypatch, capsys, isolated, command):
    code, out, err = run(monkeypatch, capsys, *command)
    assert code == 0 and f"{isolated / 'cli.db'} 中还没有任何政策文件" in err
    assert "还没有任何政策文件" not in out  # stdout stays the answer alone (for pipes and --json)


def test_a_filled_library_prints_no_notice(monkeypatch, capsys, isolated):
    assert run(monkeypatch, capsys, "demo", "--no-serve")[0] == 0
    code, out, err = run(monkeypatch, capsys, "docs", "list")
    assert code == 0 and "还没有任何政策文件" not in err


# --- the demo: its port and its reviewer account ---------------------------------------------------------


@pytest.fixture
def busy_port():
    """A port on 127.0.0.1 that another program is listening on."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_demo_on_a_busy_port_says_so_in_chinese_before_anything_else(
    monkeypatch, capsys, isolated, busy_port
):
    """Issue #17: make demo told the user to open :8000, then failed with uvicorn's English error."""
    served = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: served.append(kwargs))
    code, out, err = run(monkeypatch, capsys, "demo", "--port", str(busy_port))
    assert code == 2 and not served and out == ""
    assert f"端口 {busy_port} 已被占用" in err and f"make demo PORT={busy_port + 1}" in err
    assert "Traceback" not in err and not (isolated / "data").exists()  # nothing ingested


def test_serve_on_a_busy_port_says_so_in_chinese(monkeypatch, capsys, isolated, busy_port):
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("uvicorn should not start"))
    code, out, err = run(monkeypatch, capsys, "serve", "--port", str(busy_port))
    assert code == 2 and f"端口 {busy_port} 已被占用" in err and "zct serve --port" in err and out == ""


def test_make_demo_and_serve_take_the_port_from_make():
    repo = Path(__file__).resolve().parents[3]
    for target in ("demo", "serve"):
        dry = subprocess.run(
            ["make", "-n", "-o", ".venv/.installed-stamp", target, "PORT=8123"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "--port 8123" in dry.stdout, dry.stdout


def test_demo_prints_a_working_reviewer_login(monkeypatch, capsys, isolated):
    """Issue #17: the demo created no staff account and said nothing about one."""
    import re
    import stat

    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.library import users

    code, out, err = run(monkeypatch, capsys, "demo", "--no-serve")
    assert code == 0, err
    found = re.search(r"演示审核账号：用户名 demo，密码 (\S+)（", out)
    assert found and "/staff/login" in out and "zct users add" in out
    password = found.group(1)
    stored = isolated / "data" / "demo_password"
    assert stored.read_text().strip() == password and stat.S_IMODE(stored.stat().st_mode) == 0o600
    with session_scope(get_engine()) as session:
        user = users.authenticate(db_session=session, username="demo", password=password)
        assert user.role == "reviewer"
        users.reset_password(db_session=session, username="demo", password="changed-by-someone", actor="t")
    code, again, _ = run(monkeypatch, capsys, "demo", "--no-serve")  # the printed login works again
    assert code == 0 and f"密码 {password}（" in again
    with session_scope(get_engine()) as session:
        assert users.authenticate(db_session=session, username="demo", password=password).username == "demo"


def test_each_demo_data_folder_has_its_own_password(tmp_path):
    from zhengcetong.config import Settings

    first = Settings(data_dir=tmp_path / "a").demo_password()
    assert first == Settings(data_dir=tmp_path / "a").demo_password()
    assert first != Settings(data_dir=tmp_path / "b").demo_password() and len(first) >= 16


def test_the_demo_is_refused_in_production(monkeypatch, capsys, isolated):
    from zhengcetong.config import Settings, get_settings

    monkeypatch.setenv("ZCT_ENV", "production")
    monkeypatch.setenv("ZCT_SECRET_KEY", "a-real-secret-for-this-test-0123456789abcdef")
    get_settings.cache_clear()
    code, out, err = run(monkeypatch, capsys, "demo", "--no-serve")
    assert code == 2 and "生产环境" in err and "zct users add" in err and "密码" not in out
    assert not (isolated / "data" / "demo_password").exists()
    with pytest.raises(ValueError):
        Settings(env="production", secret_key="x" * 40, data_dir=isolated).demo_password()


def test_the_cli_shows_times_only_through_the_beijing_clock():
    """Issue #17: CLI times were UTC while the web shows Beijing time. Every time a command prints goes
    through zhengcetong.clock.china_time; no command formats a datetime itself."""
    import re

    cli = Path(__file__).resolve().parents[3] / "zhengcetong" / "cli"
    for module in cli.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"\.strftime\(|\[:16\]|\[:19\]", source), f"{module.name} formats a time itself"


def test_make_help_is_in_chinese():
    """Issue #17: every target's description in `make help` is Chinese."""
    import re

    repo = Path(__file__).resolve().parents[3]
    described = re.findall(r"^([a-zA-Z_-]+):.*?## (.*)$", (repo / "Makefile").read_text(), re.M)
    assert len(described) >= 10
    for target, text in described:
        assert re.search(r"[\u4e00-\u9fff]", text), f"make {target}: {text}"


def test_finding_levels_are_in_chinese(monkeypatch, capsys, tmp_path):
    from zhengcetong.cli.ingest import level_name

    assert [level_name(x) for x in ("info", "warning", "error")] == ["提示", "警告", "错误"]
    code, out, _ = run(monkeypatch, capsys, "extract", str(sample_path()))
    assert code == 0 and "[info]" not in out and "[warning]" not in out


# --- what a command imports (issue #17: a process's start-up was most of every command) --------------

MODULES_AFTER = """
import os, sys
from zhengcetong.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
with open(os.environ["ZCT_TEST_MODULES"], "w") as out:
    out.write("\\n".join(sys.modules))
"""


def modules_after(tmp_path: Path, *args: str) -> set[str]:
    """The modules a whole ``zct *args`` process imported (in a fresh interpreter), once the data folder
    exists (the first command of all migrates a new database: Alembic and every model)."""
    listing = tmp_path / "modules.txt"
    env = {
        **{k: v for k, v in __import__("os").environ.items() if not k.startswith("ZCT_")},
        "ZCT_DATA_DIR": str(tmp_path / "data"),
        "ZCT_TEST_MODULES": str(listing),
    }
    for _ in range(2):
        subprocess.run([sys.executable, "-c", MODULES_AFTER, *args], env=env, capture_output=True, check=True)
    return set(listing.read_text().split())


def test_extract_imports_no_database_no_pydantic_and_no_rule_language(tmp_path):
    loaded = modules_after(tmp_path, "extract", str(sample_path()))
    for heavy in (
        "sqlalchemy",
        "pydantic",
        "jieba",
        "yaml",
        "zhengcetong.match.conditions",
        "zhengcetong.config",
    ):
        assert heavy not in loaded or heavy == "zhengcetong.config", heavy
    assert "zhengcetong.ingest.parse" in loaded  # it did extract


@pytest.mark.parametrize("args", [("search", "query", "专精特新"), ("docs", "list")])
def test_read_only_commands_install_no_write_hooks(tmp_path, args):
    loaded = modules_after(tmp_path, *args)
    assert "sqlalchemy" in loaded  # it did read the library
    for unneeded in (
        "zhengcetong.match.hooks",
        "zhengcetong.notify",
        "zhengcetong.match.conditions",
        "pydantic_settings",
        "pkg_resources",
        "jieba.finalseg.prob_emit",  # the HMM model the analyser never uses
        "numpy",
    ):
        assert unneeded not in loaded, unneeded
