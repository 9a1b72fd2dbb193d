"""One typed settings object, read from the environment (prefix ``ZCT_``) and validated at start-up."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENVIRONMENTS = ("development", "test", "production")
SECRET_FILE = "secret_key"  # the generated session secret, inside data_dir
DEMO_PASSWORD_FILE = "demo_password"  # the password of zct demo's reviewer account, beside the secret
MIN_SECRET_CHARS = 32


def default_data_dir() -> Path:
    """The per-user data folder used when ZCT_DATA_DIR is unset: ``$XDG_DATA_HOME/zhengcetong``, or
    ``~/.local/share/zhengcetong`` — the same folder whichever directory a command runs in."""
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "zhengcetong"


class Settings(BaseSettings):
    """Every setting of zhengcetong; each is documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="ZCT_", extra="ignore")

    env: Literal["development", "test", "production"] = Field(
        "development", description="development, test or production"
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="where the embedded SQLite database, samples and secrets live; "
        "default $XDG_DATA_HOME/zhengcetong or ~/.local/share/zhengcetong",
    )
    database_url: str | None = Field(None, description="SQLAlchemy URL; default is SQLite under data_dir")
    secret_key: str | None = Field(
        None,
        description="signs sessions and CSRF tokens; required in production, otherwise generated once "
        "and kept in data_dir/secret_key",
    )
    review_working_days: int = Field(
        7, description="working days staff have to review a new document's items"
    )
    review_holidays: str = Field("", description="comma-separated ISO dates that are not working days")
    max_upload_bytes: int = Field(20 * 1024 * 1024, description="largest gazette file accepted")
    search_backend: str = Field("auto", description="auto, fts5, postgres or null")
    workers: int = Field(1, description="server worker processes for zct serve in production")
    header_timeout: float = Field(
        10.0, gt=0, description="seconds a client has to send a request's line and headers (then 408)"
    )
    body_timeout: float = Field(60.0, gt=0, description="seconds a client has to send a request's body")
    forwarded_allow_ips: str = Field(
        "", description="proxies trusted for X-Forwarded-For (comma-separated IPs); empty trusts none"
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="the portal's address as seen by readers of emails (links)"
    )
    smtp_host: str = Field("", description="SMTP server that sends notification emails; empty sends none")
    smtp_port: int = Field(25, gt=0, lt=65536, description="SMTP server port")
    smtp_user: str = Field("", description="SMTP login; empty logs in as no one")
    smtp_password: str = Field("", description="SMTP password")
    smtp_sender: str = Field("zhengcetong@localhost", description="From address of notification emails")
    smtp_starttls: bool = Field(False, description="upgrade the SMTP connection with STARTTLS")
    smtp_timeout: float = Field(10.0, gt=0, description="seconds to wait for the SMTP server")
    notify_interval: float = Field(
        60.0, ge=0, description="seconds between outbox runs inside zct serve (0: none; needs smtp_host)"
    )
    notify_lease_seconds: int = Field(
        300, gt=0, description="a claimed email not sent within this many seconds is pending again"
    )
    notify_retry_seconds: int = Field(60, gt=0, description="wait before the first retry; doubles each time")
    notify_max_attempts: int = Field(8, gt=0, description="attempts before an email is given up as failed")

    @field_validator("env", mode="before")
    @classmethod
    def _known_environment(cls, value: object) -> object:
        if value not in ENVIRONMENTS:
            raise ValueError(
                f"“{value}”不是可用的运行环境，应为 {'、'.join(ENVIRONMENTS)} 之一（区分大小写）"
            )
        return value

    @model_validator(mode="after")
    def _real_secret_in_production(self) -> Settings:
        if self.secret_key is not None and len(self.secret_key) < MIN_SECRET_CHARS:
            raise ValueError(f"ZCT_SECRET_KEY 太短：至少 {MIN_SECRET_CHARS} 个字符的随机字符串")
        if self.env == "production" and self.secret_key is None:
            raise ValueError("ZCT_ENV=production 时必须设置 ZCT_SECRET_KEY（至少 32 个字符的随机字符串）")
        return self

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
