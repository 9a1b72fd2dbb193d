"""Portable column types: JSON is JSONB on PostgreSQL and JSON text on SQLite."""

from __future__ import annotations

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB

JsonType = JSON().with_variant(JSONB(), "postgresql")
