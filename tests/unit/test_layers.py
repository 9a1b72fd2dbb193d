"""Imports point one way (STYLE, "Layout"), and other packages reach a faced package only through its
face (STYLE habit 13).

A pure AST check: every module under zhengcetong/ is parsed, none is imported. Each import (at any
depth, ``TYPE_CHECKING`` blocks included) is an arrow from the importing module to a top-level part
of zhengcetong (a package such as ``search``, or a module such as ``config``).

Wrong arrows that exist today are listed in KNOWN_WRONG_ARROWS and KNOWN_FACE_BYPASSES, each with why
and who fixes it. The test fails on any other wrong arrow, and also on a listed one that no longer
occurs, so that the lists only shrink: delete the line when the fix lands.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "zhengcetong"

# Everything may import these.
BASE = {"config", "errors", "clock", "db", "chinese", "decimals", "jsonsafe", "faces"}  # neutral helpers
# What each part may import besides BASE and itself. Domains import only downward; nothing imports
# web or cli (the shells).
DOMAINS = {
    "library": set(),
    "ingest": {"library", "match"},  # extraction writes rules in match's language (match.amounts)
    "search": {"library"},
    "match": {"library"},
    "apply": {"match", "library"},
    # push: told of items by their stored matches (match) and by the topics the search index gives them
    "notify": {"match", "library", "search"},
    "samples": {"library", "ingest"},  # the bundled sample gazette and the helpers that load it
}
SHELLS = {"web", "cli"}

# Packages with a face: outside them, only ``zhengcetong.<package>`` itself and the names in its
# ``__init__``'s ``__all__`` may be imported or used (``from zhengcetong.search import search``).
FACED = {"library", "notify", "search", "web"}

# The migrations register every table: Alembic must see the models of each domain (the tables of
# library and search through their faces' ``register_models``). By design, not to be fixed.
ALLOWED_ARROWS = {
    ("zhengcetong.db.migrate", "library"),
    ("zhengcetong.db.migrate", "search"),
    ("zhengcetong.db.migrations.env", "library"),
    ("zhengcetong.db.migrations.env", "search"),
    ("zhengcetong.db.migrate", "match"),
    ("zhengcetong.db.migrations.env", "match"),
    ("zhengcetong.db.migrate", "notify"),
    ("zhengcetong.db.migrations.env", "notify"),
}

# Today's wrong arrows, (importing module, part it must not import). Delete a line when its fix lands.
KNOWN_WRONG_ARROWS: set[tuple[str, str]] = set()  # none left: add one only with why and who fixes it

# Today's imports past a face, (importing module, what it imports). Delete a line when its fix lands.
KNOWN_FACE_BYPASSES: set[tuple[str, str]] = set()  # none left


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(ROOT.rglob("*.py")):
        yield _module_name(path), path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` names (resolving relative imports)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _part(module: str) -> str | None:
    """The top-level part of zhengcetong a module belongs to (None outside zhengcetong)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "zhengcetong" and len(parts) > 1 else None


def _face_names(package: str) -> set[str]:
    """The names in ``zhengcetong/<package>/__init__.py``'s ``__all__`` (read, not imported)."""
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError(f"zhengcetong/{package}/__init__.py has no __all__")


def _scopes(tree: ast.Module) -> Iterator[tuple[ast.AST, ast.AST]]:
    """Each import node with the scope it binds its names in (its function, or the module)."""

    def visit(node: ast.AST, scope: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, scope
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else scope
            yield from visit(child, inner)

    yield from visit(tree, tree)


def _imports(module: str, path: Path, tree: ast.Module) -> Iterator[tuple[str, ast.AST, ast.AST]]:
    """Every module or name imported, as a dotted path, with its import node and scope."""
    for node, scope in _scopes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node, scope
        else:
            source = _absolute(module, path, node)
            for alias in node.names:
                yield f"{source}.{alias.name}", node, scope


@cache
def _arrows() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(wrong arrows between parts, imports past a face) found in the source."""
    faces = {package: _face_names(package) for package in FACED}
    wrong: set[tuple[str, str]] = set()
    bypasses: set[tuple[str, str]] = set()
    for module, path, tree in _modules():
        source = _part(module)
        if source is None:
            continue
        for imported, node, scope in _imports(module, path, tree):
            target = _part(imported)
            if target is None or target == source:
                continue
            if not _allowed(source, target) and (module, target) not in ALLOWED_ARROWS:
                wrong.add((module, target))
            if target in faces:
                bypasses |= _past_face(module, imported, node, scope, target, faces[target])
    return wrong, bypasses


def _allowed(source: str, target: str) -> bool:
    if target in SHELLS:
        return False
    if target in BASE or source in SHELLS:
        return True
    if source in BASE:
        return False  # the base imports no domain (the migrations are in ALLOWED_ARROWS)
    if source not in DOMAINS or target not in DOMAINS:
        raise AssertionError(
            f"zhengcetong.{source if source not in DOMAINS else target} is in no layer: add it to BASE,"
            " DOMAINS or SHELLS in tests/unit/test_layers.py"
        )
    return target in DOMAINS[source]


def _past_face(
    module: str, imported: str, node: ast.AST, scope: ast.AST, package: str, face: set[str]
) -> set[tuple[str, str]]:
    """What this import reaches past the face of ``zhengcetong.<package>`` (empty when nothing)."""
    face_module = f"zhengcetong.{package}"
    if imported == face_module:
        if isinstance(node, ast.ImportFrom):  # from zhengcetong import search [as alias]
            alias = next(a for a in node.names if a.name == package)
            return _attributes_past_face(alias.asname or package, scope, face_module, face, module)
        return set()  # import zhengcetong.search: its uses are attributes of zhengcetong, not checked
    rest = imported.removeprefix(face_module + ".")
    name = rest.split(".")[0]
    from_face = isinstance(node, ast.ImportFrom) and imported.rpartition(".")[0] == face_module
    if from_face and name in face:
        return set()
    return {(module, f"{face_module}.{name}")}


def _attributes_past_face(
    alias: str, scope: ast.AST, face_module: str, face: set[str], module: str
) -> set[tuple[str, str]]:
    """``alias.<name>`` uses in the scope of the import, for names not on the face."""
    return {
        (module, f"{face_module}.{node.attr}")
        for node in ast.walk(scope)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == alias
        and node.attr not in face
    }


def test_imports_point_one_way():
    wrong, _ = _arrows()
    new = sorted(wrong - KNOWN_WRONG_ARROWS)
    assert not new, "imports that point the wrong way (see STYLE, Layout):\n" + "\n".join(
        f"  {module} imports zhengcetong.{target}" for module, target in new
    )
    fixed = sorted(KNOWN_WRONG_ARROWS - wrong)
    assert not fixed, "fixed, delete from KNOWN_WRONG_ARROWS:\n" + "\n".join(
        f"  {module} → zhengcetong.{target}" for module, target in fixed
    )


def test_faced_packages_are_reached_only_through_their_face():
    _, bypasses = _arrows()
    new = sorted(bypasses - KNOWN_FACE_BYPASSES)
    assert not new, "imports past a package's face (import the name from the package instead):\n" + "\n".join(
        f"  {module} uses {what}" for module, what in new
    )
    fixed = sorted(KNOWN_FACE_BYPASSES - bypasses)
    assert not fixed, "fixed, delete from KNOWN_FACE_BYPASSES:\n" + "\n".join(
        f"  {module} → {what}" for module, what in fixed
    )


@pytest.mark.parametrize("package", sorted(FACED))
def test_a_face_names_only_what_it_can_load(package):
    """Every name in ``__all__`` has a loader in ``_EXPORTS`` and a ``TYPE_CHECKING`` import, and back."""
    tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
    exports: set[str] = set()
    typed: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "_EXPORTS":
            exports = set(ast.literal_eval(node.value))
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            typed = {a.asname or a.name for n in node.body if isinstance(n, ast.ImportFrom) for a in n.names}
    face = _face_names(package)
    assert exports == face
    assert typed == face


def test_the_check_sees_wrong_arrows():
    """The walker finds what it is meant to find, on made-up modules."""
    sample = ast.parse(
        "from zhengcetong.search.service import search\n"
        "from zhengcetong.search import hooks, SearchRequest\n"
        "def f():\n"
        "    from zhengcetong import search\n"
        "    return search.service, search.sync\n"
    )
    path = ROOT / "web" / "made_up.py"
    faces = _face_names("search")
    found = set()
    for imported, node, scope in _imports("zhengcetong.web.made_up", path, sample):
        found |= _past_face("zhengcetong.web.made_up", imported, node, scope, "search", faces)
    assert found == {
        ("zhengcetong.web.made_up", "zhengcetong.search.service"),
        ("zhengcetong.web.made_up", "zhengcetong.search.hooks"),
    }
    assert not _allowed("library", "ingest") and not _allowed("search", "web") and not _allowed("db", "cli")
    assert _allowed("search", "library") and _allowed("web", "search") and _allowed("ingest", "errors")
