"""One typed settings object, read from the environment (prefix ``ZCT_``) and validated at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-change-me"


class Settings(BaseSettings):
    """Every setting of zhengcetong; each is documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="ZCT_", extra="ignore")

    env: str = Field("development", description="development, test or production")
    data_dir: Path = Field(Path("data"), description="where the embedded SQLite database and samples live")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default is SQLite under data_dir")
    secret_key: str = Field(DEFAULT_SECRET, description="signs sessions and CSRF tokens")
    review_working_days: int = Field(
        7, description="working days staff have to review a new document's items"
    )
    review_holidays: str = Field("", description="comma-separated ISO dates that are not working days")
    max_upload_bytes: int = Field(20 * 1024 * 1024, description="largest gazette file accepted")
    search_backend: str = Field("auto", description="auto, fts5, postgres or null")
    workers: int = Field(1, description="server worker processes for zct serve in production")
    forwarded_allow_ips: str = Field(
        "", description="proxies trusted for X-Forwarded-For (comma-separated IPs); empty trusts none"
    )

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Settings:
        if self.env == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("ZCT_SECRET_KEY must be set to a real secret when ZCT_ENV=production")
        return self

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()
