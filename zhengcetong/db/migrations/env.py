"""Alembic environment: runs on the connection handed over by zhengcetong.db.migrate (or a URL)."""

from __future__ import annotations

from alembic import context

import zhengcetong.match.models  # noqa: F401  (registers the tables)
from zhengcetong import library, notify, search
from zhengcetong.db.base import Base, include_object

library.register_models()
search.register_models()
notify.register_models()

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from zhengcetong.db.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _configure_and_run(conn)
        engine.dispose()
        return
    _configure_and_run(connection)


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
