"""The face of zhengcetong.search: every public name loads, and importing the package loads nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

import zhengcetong.search as face

HEAVY = ("sqlalchemy", "numpy", "jieba", "pydantic", "yaml", "zhengcetong.search.service")


def test_importing_the_face_pulls_in_no_heavy_module():
    code = f"import sys, zhengcetong.search; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", face.__all__)
def test_every_public_name_loads(name):
    assert getattr(face, name) is not None
    assert name in dir(face)


def test_a_private_name_is_not_on_the_face():
    with pytest.raises(AttributeError, match="has no attribute 'insert_entries'"):
        face.insert_entries  # noqa: B018
