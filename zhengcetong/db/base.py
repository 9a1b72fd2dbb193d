"""Declarative base with a naming convention so Alembic migrations name constraints stably."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def engine_specific(*, tables: tuple[str, ...] = (), columns: tuple[str, ...] = (), indexes=()) -> None:
    """Declare schema objects a migration creates on one engine only (an FTS5 table, a tsvector column
    written as ``table.column``), so that schema comparison does not report them as drift."""
    skip = Base.metadata.info.setdefault("engine_specific", set())
    skip.update(tables, columns, indexes)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: leave out the engine-specific objects declared with ``engine_specific``."""
    skip = Base.metadata.info.get("engine_specific", set())
    if type_ == "table":
        return not any(name == t or name.startswith(f"{t}_") for t in skip if "." not in t)
    if type_ == "column":
        return f"{obj.table.name}.{name}" not in skip
    if type_ == "index":
        return name not in skip
    return True
