"""search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 11:30:00

The tables of zhengcetong.search.models, plus what exists on one engine only:
SQLite gets the FTS5 table ``search_fts`` (external content on search_entry, ``ascii`` tokenizer over
the analyser's ``|token|`` strings) and the triggers that keep it in step; PostgreSQL gets the
generated ``tsv`` column with its GIN index and the statement-level triggers that keep the BM25
statistics (``search_df``: entries per token, ``search_stats``: entries and tokens) exact.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TOKEN_COLUMNS = ("tok_title", "tok_body", "tok_extra")


def upgrade() -> None:
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.String(length=400), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("source_version", sa.Integer(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.Column("anchor", sa.String(length=300), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("doc_kind", sa.String(length=20), nullable=True),
        sa.Column("doc_date", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("topics", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=True),
        sa.Column("benefit_kind", sa.String(length=30), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("departments", sa.Text(), nullable=False),
        sa.Column("tok_title", sa.Text(), nullable=False),
        sa.Column("tok_body", sa.Text(), nullable=False),
        sa.Column("tok_extra", sa.Text(), nullable=False),
        sa.Column("ntokens", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_search_entry_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["policy_item.id"],
            name=op.f("fk_search_entry_item_id_policy_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
        sa.UniqueConstraint("ref", name=op.f("uq_search_entry_ref")),
    )
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entry_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_issuer"), ["issuer"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_entry_year"), ["year"], unique=False)
        batch_op.create_index("ix_search_entry_kind_public", ["kind", "public"], unique=False)
    op.create_table(
        "search_term",
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_term")),
    )
    op.create_table(
        "search_df",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_df")),
    )
    op.create_table(
        "search_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_stats")),
    )
    op.execute("INSERT INTO search_stats (id, rows, tokens) VALUES (1, 0, 0)")
    if op.get_bind().dialect.name == "postgresql":
        _postgres_index()
    else:
        _sqlite_index()


def _sqlite_index() -> None:
    columns = ", ".join(TOKEN_COLUMNS)
    new = ", ".join(f"new.{c}" for c in TOKEN_COLUMNS)
    old = ", ".join(f"old.{c}" for c in TOKEN_COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({columns}, content='search_entry', "
        "content_rowid='id', tokenize='ascii')"
    )
    op.execute(
        f"CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN "
        f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF {columns} ON search_entry BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new}); END"
    )


def _postgres_index() -> None:
    op.execute(
        "ALTER TABLE search_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        "(array_to_tsvector(array_remove(string_to_array(tok_title || tok_body || tok_extra, '|'), ''))) "
        "STORED"
    )
    op.execute("CREATE INDEX ix_search_entry_tsv ON search_entry USING gin (tsv)")
    add = """
        INSERT INTO search_df (term, df)
            SELECT t, count(*) FROM (SELECT unnest(tsvector_to_array(tsv)) AS t FROM new_rows) x GROUP BY t
            ON CONFLICT (term) DO UPDATE SET df = search_df.df + EXCLUDED.df;
        UPDATE search_stats SET rows = rows + (SELECT count(*) FROM new_rows),
            tokens = tokens + (SELECT coalesce(sum(ntokens), 0) FROM new_rows) WHERE id = 1;
    """
    remove = """
        UPDATE search_df SET df = search_df.df - x.n
            FROM (SELECT t, count(*) AS n FROM (SELECT unnest(tsvector_to_array(tsv)) AS t FROM old_rows) y
                  GROUP BY t) x
            WHERE search_df.term = x.t;
        DELETE FROM search_df WHERE df <= 0;
        UPDATE search_stats SET rows = rows - (SELECT count(*) FROM old_rows),
            tokens = tokens - (SELECT coalesce(sum(ntokens), 0) FROM old_rows) WHERE id = 1;
    """
    for name, body in (("insert", add), ("delete", remove), ("update", remove + add)):
        op.execute(
            f"CREATE FUNCTION search_entry_stats_{name}() RETURNS trigger AS $$ "
            f"BEGIN {body} RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
    op.execute(
        "CREATE TRIGGER search_entry_stats_insert AFTER INSERT ON search_entry "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entry_stats_insert()"
    )
    op.execute(
        "CREATE TRIGGER search_entry_stats_delete AFTER DELETE ON search_entry "
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_entry_stats_delete()"
    )
    op.execute(
        "CREATE TRIGGER search_entry_stats_update AFTER UPDATE ON search_entry "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_entry_stats_update()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_entry_stats_{name} ON search_entry")
            op.execute(f"DROP FUNCTION IF EXISTS search_entry_stats_{name}()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_entry_fts_{name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_stats")
    op.drop_table("search_df")
    op.drop_table("search_term")
    with op.batch_alter_table("search_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_search_entry_kind_public")
        batch_op.drop_index(batch_op.f("ix_search_entry_year"))
        batch_op.drop_index(batch_op.f("ix_search_entry_issuer"))
        batch_op.drop_index(batch_op.f("ix_search_entry_item_id"))
        batch_op.drop_index(batch_op.f("ix_search_entry_document_id"))
    op.drop_table("search_entry")
