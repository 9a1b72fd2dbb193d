"""INSERT … ON CONFLICT DO UPDATE for the database underneath (SQLite and PostgreSQL spell it alike)."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.engine import Connection


def insert(connection: Connection, table: Table):
    """An INSERT into ``table`` of the connection's dialect, which has ``on_conflict_do_update``."""
    if connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    return dialect_insert(table)
