"""One typed settings object, read from the environment (prefix ``ZCT_``) and validated at start-up.

Each setting is a dataclass field that names its type, default, description and bounds (``setting``);
a value not given to the constructor comes from its ``ZCT_<NAME>`` variable (any case), else from the
default. Every problem is reported at once in a :class:`SettingsError` naming the variables. The
standard library does this: pydantic and pydantic-settings cost every ``zct`` process about 0.1 s of
imports, ``zct extract`` included, which uses no other pydantic model.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhengcetong.errors import ZctError

ENV_PREFIX = "ZCT_"
ENVIRONMENTS = ("development", "test", "production")
SECRET_FILE = "secret_key"  # the generated session secret, inside data_dir
DEMO_PASSWORD_FILE = "demo_password"  # the password of zct demo's reviewer account, beside the secret
MIN_SECRET_CHARS = 32
_TRUE = ("1", "true", "yes", "on", "t", "y")
_FALSE = ("0", "false", "no", "off", "f", "n")
_KIND_NAMES = {int: "整数", float: "数字", bool: "true 或 false"}


class SettingsError(ZctError, ValueError):
    """Settings that cannot be used; the message names every variable at fault and what it should be."""


def default_data_dir() -> Path:
    """The per-user data folder used when ZCT_DATA_DIR is unset: ``$XDG_DATA_HOME/zhengcetong``, or
    ``~/.local/share/zhengcetong`` — the same folder whichever directory a command runs in."""
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "zhengcetong"


def _from_environment(name: str) -> str | None:
    """The value of ``ZCT_<NAME>`` in any case (ZCT_DATA_DIR, zct_data_dir), or None when unset."""
    wanted = (ENV_PREFIX + name).upper()
    exact = os.environ.get(wanted)
    if exact is not None:
        return exact
    return next((v for k, v in os.environ.items() if k.upper() == wanted), None)


def setting(
    kind: type,
    default: Any = MISSING,
    description: str = "",
    *,
    factory: Callable[[], Any] | None = None,
    optional: bool = False,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
) -> Any:
    """A field of :class:`Settings`: its value comes from the constructor, else ``ZCT_<NAME>``, else
    ``default`` (or ``factory()``); ``optional`` allows None; numbers keep within ``gt``, ``ge``, ``lt``."""
    metadata = {"kind": kind, "description": description, "optional": optional, "gt": gt, "ge": ge, "lt": lt}
    make = factory if factory is not None else (lambda: default)
    return field(default=_UNSET, metadata={**metadata, "default": make})  # type: ignore[call-overload]


class _Unset:
    def __repr__(self) -> str:
        return "<from the environment or the default>"


_UNSET: Any = _Unset()


def _convert(name: str, value: Any, meta: dict) -> Any:
    """``value`` (from the constructor or a ZCT_ variable) as the setting's kind; ValueError says why not."""
    kind = meta["kind"]
    if value is None:
        if meta["optional"]:
            return None
        raise ValueError("不能为空")
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError(f"应为 {_KIND_NAMES[bool]}，实际为“{value}”")
    if kind in (int, float):
        try:
            if isinstance(value, bool) or (
                kind is int and isinstance(value, float) and not value.is_integer()
            ):
                raise ValueError
            number = kind(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError):
            raise ValueError(f"应为{_KIND_NAMES[kind]}，实际为“{value}”") from None
        for bound, holds, words in (
            (meta["gt"], lambda b: number > b, "大于"),
            (meta["ge"], lambda b: number >= b, "不小于"),
            (meta["lt"], lambda b: number < b, "小于"),
        ):
            if bound is not None and not holds(bound):
                raise ValueError(f"应{words} {bound:g}，实际为 {number}")
        return number
    if kind is Path:
        return value if isinstance(value, Path) else Path(str(value))
    return str(value)


@dataclass(kw_only=True)
class Settings:
    """Every setting of zhengcetong; each is documented in the README's settings table."""

    env: str = setting(str, "development", "development, test or production")
    data_dir: Path = setting(
        Path,
        factory=default_data_dir,
        description="where the embedded SQLite database, samples and secrets live; "
        "default $XDG_DATA_HOME/zhengcetong or ~/.local/share/zhengcetong",
    )
    database_url: str | None = setting(
        str, None, "SQLAlchemy URL; default is SQLite under data_dir", optional=True
    )
    secret_key: str | None = setting(
        str,
        None,
        "signs sessions and CSRF tokens; required in production, otherwise generated once "
        "and kept in data_dir/secret_key",
        optional=True,
    )
    review_working_days: int = setting(int, 7, "working days staff have to review a new document's items")
    review_holidays: str = setting(str, "", "comma-separated ISO dates that are not working days")
    max_upload_bytes: int = setting(int, 20 * 1024 * 1024, "largest gazette file accepted")
    search_backend: str = setting(str, "auto", "auto, fts5, postgres or null")
    workers: int = setting(int, 1, "server worker processes for zct serve in production")
    header_timeout: float = setting(
        float, 10.0, "seconds a client has to send a request's line and headers (then 408)", gt=0
    )
    body_timeout: float = setting(float, 60.0, "seconds a client has to send a request's body", gt=0)
    forwarded_allow_ips: str = setting(
        str, "", "proxies trusted for X-Forwarded-For (comma-separated IPs); empty trusts none"
    )
    public_url: str = setting(
        str, "http://127.0.0.1:8000", "the portal's address as seen by readers of emails (links)"
    )
    smtp_host: str = setting(str, "", "SMTP server that sends notification emails; empty sends none")
    smtp_port: int = setting(int, 25, "SMTP server port", gt=0, lt=65536)
    smtp_user: str = setting(str, "", "SMTP login; empty logs in as no one")
    smtp_password: str = setting(str, "", "SMTP password")
    smtp_sender: str = setting(str, "zhengcetong@localhost", "From address of notification emails")
    smtp_starttls: bool = setting(bool, False, "upgrade the SMTP connection with STARTTLS")
    smtp_timeout: float = setting(float, 10.0, "seconds to wait for the SMTP server", gt=0)
    notify_interval: float = setting(
        float, 60.0, "seconds between outbox runs inside zct serve (0: none; needs smtp_host)", ge=0
    )
    notify_lease_seconds: int = setting(
        int, 300, "a claimed email not sent within this many seconds is pending again", gt=0
    )
    notify_retry_seconds: int = setting(int, 60, "wait before the first retry; doubles each time", gt=0)
    notify_max_attempts: int = setting(int, 8, "attempts before an email is given up as failed", gt=0)

    def __post_init__(self) -> None:
        problems: list[str] = []
        for f in fields(self):
            given = getattr(self, f.name)
            if given is _UNSET:
                found = _from_environment(f.name)
                given = f.metadata["default"]() if found is None else found
            try:
                setattr(self, f.name, _convert(f.name, given, dict(f.metadata)))
            except ValueError as exc:
                problems.append(f"{ENV_PREFIX}{f.name.upper()}：{exc}")
                setattr(self, f.name, None)
        if self.env is not None and self.env not in ENVIRONMENTS:
            problems.append(
                f"{ENV_PREFIX}ENV：“{self.env}”不是可用的运行环境，应为 {'、'.join(ENVIRONMENTS)} 之一（区分大小写）"
            )
        if self.secret_key is not None and len(self.secret_key) < MIN_SECRET_CHARS:
            problems.append(f"ZCT_SECRET_KEY 太短：至少 {MIN_SECRET_CHARS} 个字符的随机字符串")
        if self.env == "production" and self.secret_key is None:
            problems.append("ZCT_ENV=production 时必须设置 ZCT_SECRET_KEY（至少 32 个字符的随机字符串）")
        if problems:
            raise SettingsError("配置有误，请检查 ZCT_ 开头的环境变量：" + "；".join(problems))

    @classmethod
    def names(cls) -> list[str]:
        """Every setting's name, in order (``ZCT_<NAME>`` in upper case)."""
        return [f.name for f in fields(cls)]

    def session_secret(self) -> str:
        """The key that signs sessions: ZCT_SECRET_KEY, or a random one generated on first use and kept in
        ``data_dir/secret_key`` (readable by the owner only), so every process on this data directory
        shares it and nobody can sign a session with a key written in the source."""
        if self.secret_key is not None:
            return self.secret_key
        return _stored_secret(self.data_dir / SECRET_FILE)

    def demo_password(self) -> str:
        """The password of ``zct demo``'s reviewer account: random, generated once per data directory and
        kept in ``data_dir/demo_password`` (readable by the owner only). Never in production."""
        if self.env == "production":
            raise ValueError("生产环境（ZCT_ENV=production）没有演示账号")
        return _stored_secret(
            self.data_dir / DEMO_PASSWORD_FILE, make=lambda: secrets.token_urlsafe(12), minimum=16
        )

    @property
    def holidays(self) -> frozenset:
        """The review holidays as dates."""
        from datetime import date

        return frozenset(date.fromisoformat(d.strip()) for d in self.review_holidays.split(",") if d.strip())

    @property
    def effective_database_url(self) -> str:
        """The database URL in force: ZCT_DATABASE_URL or the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'zhengcetong.db').as_posix()}"

    @property
    def database_label(self) -> str:
        """The database in force as a user should read it: the SQLite file's path, or the URL without
        its password."""
        from sqlalchemy.engine import make_url

        url = make_url(self.effective_database_url)
        if url.get_backend_name() == "sqlite" and url.database:
            return str(Path(url.database).expanduser().resolve())
        return url.render_as_string(hide_password=True)


def _stored_secret(
    path: Path, make=lambda: secrets.token_urlsafe(48), minimum: int = MIN_SECRET_CHARS
) -> str:
    """The secret in ``path``, made by ``make`` and created atomically (first writer wins) when absent."""
    try:
        return _read_secret(path, minimum)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(make() + "\n")
    try:
        os.link(candidate, path)  # fails if another process got there first: then its secret is the one
    except FileExistsError:
        pass
    finally:
        candidate.unlink()
    return _read_secret(path, minimum)


def _read_secret(path: Path, minimum: int = MIN_SECRET_CHARS) -> str:
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < minimum:
        raise ValueError(f"{path} 中的会话密钥太短或为空；删除该文件后会重新生成")
    return secret


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()
