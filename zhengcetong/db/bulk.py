"""Writing many rows at once, as fast as the database underneath allows: COPY on PostgreSQL, one
``executemany`` on SQLite. Rows are plain dicts of column values (no ORM objects, no per-row events);
JSON columns are serialised with orjson (:func:`json_text`), other values through the column type's own
bind processing, so what is stored reads back exactly as if the ORM had written it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, Table
from sqlalchemy.engine import Connection


def json_text(value: Any) -> str:
    """JSON text of a value, as ``json.dumps`` would read back (orjson; ``json.dumps`` for what orjson writes
    differently: NaN and infinities, which orjson turns into null, integers beyond 64 bits, non-text keys).

    Examples:
        >>> json_text({"a": [1, 2.5, "甲"], "b": True}), json_text({"x": float("nan")})
        ('{"a":[1,2.5,"甲"],"b":true}', '{"x": NaN}')
    """
    try:
        text = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value)
    if b"null" in text:  # perhaps a NaN or an infinity: let json.dumps decide
        return json.dumps(value)
    return text.decode()


def _converters(connection: Connection, table: Table, columns: Sequence[str]) -> list[Callable | None]:
    out: list[Callable | None] = []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, JSON):
            out.append(json_text)
        else:
            out.append(column_type.dialect_impl(connection.dialect).bind_processor(connection.dialect))
    return out


def _convert(rows: Iterable[tuple], converters: list[Callable | None]) -> list[tuple]:
    """The rows as tuples of bound values (None stays NULL, except in JSON columns: JSON null, as the ORM
    writes it)."""
    if all(convert is None for convert in converters):
        return list(rows)
    out = []
    last: list[tuple[Any, Any]] = [(None, None)] * len(converters)  # the same object converts once
    for row in rows:
        values = []
        for i, (value, convert) in enumerate(zip(row, converters, strict=True)):
            if convert is not None and (value is not None or convert is json_text):
                seen, converted = last[i]
                if value is not seen or value is None:
                    converted = convert(value)
                    if not isinstance(value, dict | list):
                        last[i] = (value, converted)
                value = converted
            values.append(value)
        out.append(tuple(values))
    return out


def _tuples(rows: Sequence[dict], columns: Sequence[str], converters: list[Callable | None]) -> list[tuple]:
    return _convert((tuple(row[name] for name in columns) for row in rows), converters)


def _table(model: type) -> Table:
    table = getattr(model, "__table__", None)
    assert isinstance(table, Table)  # a mapped class of zhengcetong.db.Base
    return table


def insert_rows(connection: Connection, model: type, rows: Sequence[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) into the table of ``model`` in the connection's transaction."""
    if rows:
        columns = list(rows[0])
        insert_values(connection, model, columns, [tuple(row[name] for name in columns) for row in rows])


def binder(connection: Connection, model: type, column: str) -> Callable[[Any], Any]:
    """What a value of ``column`` is bound as (for :func:`insert_values` with ``bound=True``)."""
    convert = _converters(connection, _table(model), [column])[0]
    if convert is None:
        return lambda value: value
    if convert is json_text:
        return convert
    return lambda value: None if value is None else convert(value)


def insert_values(
    connection: Connection, model: type, columns: Sequence[str], rows: Iterable[tuple], *, bound: bool = False
) -> None:
    """Insert ``rows`` (tuples of the ``columns``' values) into the table of ``model``; with ``bound`` the
    values are already what :func:`binder` makes of them (no conversion per row)."""
    table = _table(model)
    values = list(rows) if bound else _convert(rows, _converters(connection, table, columns))
    if not values:
        return
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        assert raw is not None  # a live connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)


def update_rows(connection: Connection, model: type, rows: Sequence[dict], key: str = "id") -> None:
    """Update the rows of ``model``'s table whose ``key`` is each dict's ``key`` with its other values."""
    if not rows:
        return
    table = _table(model)
    columns = [c for c in rows[0] if c != key]
    values = _tuples(rows, [*columns, key], _converters(connection, table, [*columns, key]))
    postgres = connection.dialect.name == "postgresql"
    mark = "%s" if postgres else "?"

    def slot(name: str) -> str:
        if postgres and isinstance(table.c[name].type, JSON):
            return f"CAST({mark} AS JSONB)"
        return mark

    sets = ", ".join(f"{name} = {slot(name)}" for name in columns)
    connection.exec_driver_sql(f"UPDATE {table.name} SET {sets} WHERE {key} = {mark}", values)


__all__ = ["binder", "insert_rows", "insert_values", "json_text", "update_rows"]
