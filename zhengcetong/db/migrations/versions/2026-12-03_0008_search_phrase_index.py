"""search phrase index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:40:00

SQLite only (see zhengcetong.search.backends.fts5.phrases): ``search_norm``, an FTS5 table with the trigram
tokenizer over ``search_entry.norm`` (external content, no positions), kept in step by triggers and
filled here from the entries already indexed.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_norm USING fts5(norm, content='search_entry', content_rowid='id', "
        "tokenize='trigram', detail='none')"
    )
    op.execute(
        "CREATE TRIGGER search_entry_norm_insert AFTER INSERT ON search_entry BEGIN "
        "INSERT INTO search_norm(rowid, norm) VALUES (new.id, new.norm); END"
    )
    op.execute(
        "CREATE TRIGGER search_entry_norm_delete AFTER DELETE ON search_entry BEGIN "
        "INSERT INTO search_norm(search_norm, rowid, norm) VALUES ('delete', old.id, old.norm); END"
    )
    op.execute(
        "CREATE TRIGGER search_entry_norm_update AFTER UPDATE OF norm ON search_entry BEGIN "
        "INSERT INTO search_norm(search_norm, rowid, norm) VALUES ('delete', old.id, old.norm); "
        "INSERT INTO search_norm(rowid, norm) VALUES (new.id, new.norm); END"
    )
    op.execute("INSERT INTO search_norm(search_norm) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS search_entry_norm_{name}")
    op.execute("DROP TABLE IF EXISTS search_norm")
