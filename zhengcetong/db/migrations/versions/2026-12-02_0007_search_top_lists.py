"""search top lists

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 22:30:00

SQLite only (see zhengcetong.search.backends.fts5.toplists): ``search_top`` (for each frequent word, the entries
where it weighs most), ``search_top_term`` (its document frequency and the weight no other entry
exceeds), ``search_top_state`` (row and token totals, the build's parameters, whether the lists are
built) and ``search_change``, where triggers log every change to an entry's tokens while the lists
are built. The next sync builds the lists; nothing is built here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_LOGGED = ("tok_title", "tok_body", "tok_extra", "ntokens")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "search_top",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("freq", sa.Float(), nullable=False),
        sa.Column("ntokens", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", "entry_id", name=op.f("pk_search_top")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "search_top_term",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_top_term")),
    )
    op.create_table(
        "search_top_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("built_rows", sa.Integer(), nullable=False),
        sa.Column("built_avgdl", sa.Float(), nullable=False),
        sa.Column("min_df", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("built", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_top_state")),
    )
    op.create_table(
        "search_change",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("sign", sa.Integer(), nullable=False),
        sa.Column("tok_title", sa.Text(), nullable=False),
        sa.Column("tok_body", sa.Text(), nullable=False),
        sa.Column("tok_extra", sa.Text(), nullable=False),
        sa.Column("ntokens", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_search_change")),
    )
    columns = ", ".join(_LOGGED)
    new = ", ".join(f"new.{c}" for c in _LOGGED)
    old = ", ".join(f"old.{c}" for c in _LOGGED)
    log = f"INSERT INTO search_change (entry_id, sign, {columns}) VALUES"
    when = "WHEN EXISTS (SELECT 1 FROM search_top_state WHERE built)"
    op.execute(
        f"CREATE TRIGGER search_entry_top_insert AFTER INSERT ON search_entry {when} "
        f"BEGIN {log} (new.id, 1, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER search_entry_top_delete AFTER DELETE ON search_entry {when} "
        f"BEGIN {log} (old.id, -1, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER search_entry_top_update AFTER UPDATE OF {columns} ON search_entry {when} "
        f"BEGIN {log} (old.id, -1, {old}); {log} (new.id, 1, {new}); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS search_entry_top_{name}")
    for table in ("search_change", "search_top_state", "search_top_term", "search_top"):
        op.drop_table(table)
