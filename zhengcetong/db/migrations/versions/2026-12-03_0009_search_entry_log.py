"""search entry log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00

SQLite only (see zhengcetong.search.backends.fts5.columns): ``search_entry_log``, one row per search entry and
per document inserted, updated or deleted (a document also when a repeal of it is recorded), written
by triggers. Each process keeps the entries' facet and filter columns and the documents' validity
dates in memory and follows this log to stay in step; sync keeps its newest rows only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# table → the log column and the key it records
_LOGGED = (
    ("search_entry", "entry_id", "id"),
    ("document", "document_id", "id"),
    ("document_relation", "document_id", "target_document_id"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "search_entry_log",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_search_entry_log")),
        sqlite_autoincrement=True,  # a sequence number is never used twice, even after pruning
    )
    # Start at a random number, so that two databases (a file deleted and created again under the
    # same name) do not share sequence numbers.
    op.execute(
        "INSERT INTO sqlite_sequence (name, seq) VALUES ('search_entry_log', random() & ((1 << 52) - 1))"
    )
    for table, column, key in _LOGGED:
        log = f"INSERT INTO search_entry_log ({column}) SELECT"
        op.execute(f"CREATE TRIGGER {table}_log_insert AFTER INSERT ON {table} BEGIN {log} new.{key}; END")
        op.execute(f"CREATE TRIGGER {table}_log_delete AFTER DELETE ON {table} BEGIN {log} old.{key}; END")
        op.execute(
            f"CREATE TRIGGER {table}_log_update AFTER UPDATE ON {table} BEGIN "
            f"{log} old.{key}; {log} new.{key} WHERE new.{key} IS NOT old.{key}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, _, _ in _LOGGED:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_log_{name}")
    op.drop_table("search_entry_log")
