"""Migrations run from code (no alembic.ini needed): ``upgrade``, ``current``, ``check_drift``, ``revision``."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from zhengcetong.db.engine import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (and every revision script it loads) costs a read-only command about 0.15 s; a database
# already at the newest revision is recognised without it.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION_FILE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}_(\d{4})_\w*\.py$")


def alembic_config(connection=None, url: str | None = None, directory: Path | None = None) -> Config:
    """An Alembic Config pointing at the packaged migrations (date-named revision files)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(directory or MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s")
    if url:
        config.set_main_option("sqlalchemy.url", url)
    if connection is not None:
        config.attributes["connection"] = connection
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff:  # new revision files are formatted on creation
        config.set_section_option("post_write_hooks", "hooks", "ruff_format")
        config.set_section_option("post_write_hooks", "ruff_format.type", "exec")
        config.set_section_option("post_write_hooks", "ruff_format.executable", ruff)
        config.set_section_option(
            "post_write_hooks", "ruff_format.options", "format REVISION_SCRIPT_FILENAME"
        )
    return config


def _engine(engine_or_url: Engine | str) -> tuple[Engine, bool]:
    if isinstance(engine_or_url, str):
        return make_engine(engine_or_url), True
    return engine_or_url, False


def newest_packaged() -> str | None:
    """The newest revision, from the names of the packaged revision files (numbered in order).

    The files are named by date and number (``2026-12-07_0013_….py``), one line of history, so the
    highest number is Alembic's head; a test checks that they agree.
    """
    numbers = [
        m.group(1) for p in (MIGRATIONS / "versions").glob("*.py") if (m := _REVISION_FILE_RE.match(p.name))
    ]
    return max(numbers) if numbers else None


def at_head(engine: Engine) -> bool:
    """True when the database is at the newest packaged revision (read without loading Alembic)."""
    newest = newest_packaged()
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:  # never migrated
        return False
    return newest is not None and found == [newest]


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (default: the newest; nothing to do, and Alembic
    not even loaded, when the database is there already)."""
    engine, own = _engine(engine_or_url)
    try:
        if revision == "head" and at_head(engine):
            return
        from alembic import command

        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        if own:
            engine.dispose()


def downgrade(engine_or_url: Engine | str, revision: str) -> None:
    """Take the database schema back to ``revision`` ("base" removes every table)."""
    from alembic import command

    engine, own = _engine(engine_or_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)
    finally:
        if own:
            engine.dispose()


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head(directory: Path | None = None) -> str:
    """The newest revision in the packaged migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(directory=directory)).get_current_head()  # type: ignore[return-value]


def check_drift(engine: Engine) -> list:
    """Differences between the models and the migrated schema (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import zhengcetong.match.models  # noqa: F401
    from zhengcetong import library, notify, search
    from zhengcetong.db.base import Base, include_object

    library.register_models()
    search.register_models()
    notify.register_models()

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, Base.metadata)


def revision(engine: Engine, message: str, *, directory: Path | None = None) -> Path:
    """Write a new revision autogenerated from the models against ``engine`` (which must be at head).

    The file is named by date (``2026-11-23_0003_<slug>.py``), numbered after the newest revision and
    formatted with ruff when it is installed. Returns the new file's path.
    """
    from alembic import command

    latest = head(directory)
    rev_id = f"{int(latest) + 1:04d}" if latest and latest.isdigit() else None
    with engine.begin() as connection:
        script = command.revision(
            alembic_config(connection, directory=directory), message, autogenerate=True, rev_id=rev_id
        )
    return Path(script.path)  # type: ignore[union-attr]
