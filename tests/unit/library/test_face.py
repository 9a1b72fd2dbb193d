"""The face of zhengcetong.library: every public name loads, and importing the package loads nothing."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import pytest

import zhengcetong.library as face
from zhengcetong.library import models, records

HEAVY = ("sqlalchemy", "pydantic", "zhengcetong.library.models", "zhengcetong.library.service")
SERVICES = ("backoffice", "catalog", "interpretations", "items", "publication", "review", "service", "users")


def test_importing_the_face_pulls_in_no_heavy_module():
    code = f"import sys, zhengcetong.library; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_parsed_record_loads_without_the_tables():
    """Ingest names the records it hands over; that does not load SQLAlchemy (``zct extract`` stays light)."""
    code = "import sys; from zhengcetong.library import ParsedGazette; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", face.__all__)
def test_every_public_name_loads(name):
    assert getattr(face, name) is not None
    assert name in dir(face)


@pytest.mark.parametrize("name", SERVICES)
def test_the_service_modules_are_on_the_face(name):
    assert isinstance(getattr(face, name), ModuleType)
    assert getattr(face, name).__name__ == f"zhengcetong.library.{name}"


def test_the_clause_table_and_the_parsed_clause_are_told_apart():
    assert face.Clause is models.Clause
    assert face.ParsedClause is records.Clause
    assert face.ParsedTable is records.Table


def test_register_models_names_the_library_tables():
    assert {"document", "clause", "policy_item", "app_user", "audit_event"} <= set(face.register_models())
    assert not any(name.startswith("search_") for name in face.register_models())


def test_a_private_name_is_not_on_the_face():
    with pytest.raises(AttributeError, match="has no attribute 'content_hash'"):
        face.content_hash  # noqa: B018
