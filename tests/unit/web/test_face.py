"""The face of zhengcetong.web: ``create_app`` loads, and importing the package loads nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

import zhengcetong.web as face

HEAVY = ("fastapi", "sqlalchemy", "jinja2", "zhengcetong.web.app")


def test_importing_the_face_pulls_in_no_heavy_module():
    code = f"import sys, zhengcetong.web; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_face_is_create_app_the_one_uvicorn_is_given():
    from uvicorn.importer import import_from_string

    assert face.__all__ == ["create_app"]
    assert face.create_app is import_from_string("zhengcetong.web.app:create_app")
    assert "create_app" in dir(face)


def test_a_private_name_is_not_on_the_face():
    with pytest.raises(AttributeError, match="has no attribute 'templates'"):
        face.templates  # noqa: B018
