"""Set-based matching: every stored enterprise against every public item in one columnar run.

The per-pair evaluator (``Rule.evaluate``) walks one condition tree for one profile. Here each item's
condition and formula are compiled once into operations on columns over a chunk of enterprises:

- a fact path becomes a column: numbers a float array with NaN for unknown, other values integer codes
  of their distinct values (a comparison is then computed once per distinct value with the evaluator's
  own ``_compare``), with a per-row state saying which location is missing (``answers`` or
  ``answers.q…``, ``project`` or ``project.investment``);
- a condition is two boolean masks, known-true ``t`` and unknown ``u`` (Kleene: ``all`` ands the ``t``
  and ors the false parts, ``not`` swaps true and false);
- a list fact (``recognitions``, ``standards``, ``industries``) is an element table (owning row and the
  fields the conditions read); ``has`` evaluates its ``where`` over the elements and reduces per row by
  scattering into row masks;
- the missing facts of a pair are the unknown leaves under unknown ancestors, in tree order (the
  evaluator's ordered union), encoded as one integer signature per pair and decoded once per distinct
  signature;
- a formula is a float array (Decimal-exact after rounding to 分 for these magnitudes: a value that lands
  within 1e-6 of a half 分 is recomputed exactly).

Conditions or formulas the compiler does not know (``count``, ``sum``, ``cases``, dates, derived facts …)
make that item fall back to the per-pair evaluator (counted and reported). The missing facts of individual
list elements (``recognitions[2].first_time``) are named from the element table's own signatures, once per
distinct list; only rows with an element that is not an object, and a sum over elements some of which lack
the field, are recomputed per pair. Answers are the same as :func:`matching.match_facts`: a test compares
them.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import Connection, Text, cast, delete, select
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.db import bulk as db_bulk
from zhengcetong.db.engine import unmapped
from zhengcetong.errors import ZctError
from zhengcetong.match import bulk
from zhengcetong.match import conditions as cond
from zhengcetong.match import formulas as fm
from zhengcetong.match.enterprise import EXTRA, FIELDS, PROJECT_FIELDS, facts_of, is_person
from zhengcetong.match.matching import (
    REGION_FACT,
    Catalog,
    MatchItem,
    evaluate_pair,
    missing_entries,
    public_catalog,
    region_holds,
)
from zhengcetong.match.models import Enterprise, EnterpriseMatch
from zhengcetong.match.profile import ADDITIVE_FIELDS, DERIVED, FACTS, FREE, FactPath, Facts, FactSpec
from zhengcetong.match.text import to_decimal

CHUNK = 50_000
WRITE_ROWS = 10_000  # JSON lines joined into one text before writing
_POSSIBLY = '], "possibly": ['
_END = "]}\n"
_END_NONE_POSSIBLY = '], "possibly": []}\n'
SPECIAL = 255  # a missing code meaning "the elements of a list": recompute the pair one by one


class Unsupported(Exception):
    """A condition or formula the columnar compiler does not handle (the item is evaluated per pair)."""


# --- columns ----------------------------------------------------------------------------------------


class Scalar:
    """One fact path read from every row: present values (sparse), and which location is missing."""

    def __init__(self, text: str, root: str, kind: str, sub: Any, locs: dict[int, tuple[str, ...]]):
        self.text, self.root, self.kind, self.sub, self.locs = text, root, kind, sub, locs
        self.reset(0)

    def reset(self, n: int) -> None:
        self.rows: list[int] = []
        self.values: list[Any] = []
        self.state = np.ones(n, np.uint8)  # 0 present, 1 root missing, 2 leaf missing
        self._floats: np.ndarray | None = None
        self._codes: tuple[np.ndarray, list[Any]] | None = None

    def set(self, row: int, value: Any) -> None:
        self.rows.append(row)
        self.values.append(value)

    def finish(self, root_present: np.ndarray) -> None:
        self.state[root_present & (self.state == 1)] = 2
        if self.rows:
            self.state[np.asarray(self.rows, np.int64)] = 0

    def floats(self) -> np.ndarray:
        """The values as floats, NaN where missing (a value that is not a number is a ValueError)."""
        if self._floats is None:
            out = np.full(len(self.state), np.nan)
            if self.rows:
                if all(type(v) is int or type(v) is float for v in self.values):
                    nums = self.values  # what to_decimal reads exactly (ints below 2**53, floats by repr)
                else:
                    nums = []
                    for v in self.values:
                        d = to_decimal(v)
                        if d is None:
                            raise ValueError(f"{self.text}: not a number {v!r}")
                        nums.append(float(d))
                out[np.asarray(self.rows, np.int64)] = nums
            self._floats = out
        return self._floats

    def codes(self) -> tuple[np.ndarray, list[Any]]:
        """Codes of the distinct values (-1 where missing) and the distinct values."""
        if self._codes is None:
            self._codes = _factorise(len(self.state), self.rows, self.values)
        return self._codes


def _factorise(n: int, rows: list[int], values: list[Any]) -> tuple[np.ndarray, list[Any]]:
    codes = np.full(n, -1, np.int32)
    seen: dict = {}
    uniques: list[Any] = []
    out = []
    for v in values:
        key = (type(v), v)
        c = seen.get(key)
        if c is None:
            c = seen[key] = len(uniques)
            uniques.append(v)
        out.append(c)
    if rows:
        codes[np.asarray(rows, np.int64)] = out
    return codes, uniques


class Elements:
    """A list fact flattened: one entry per element with its owning row and the fields conditions read."""

    def __init__(self, root: str, spec: FactSpec):
        self.root, self.spec = root, spec
        self.fields: set[str] = set()
        self.reset(0)

    def reset(self, n: int) -> None:
        self.owner: list[int] = []
        self.data: dict[str, list[Any]] = {f: [] for f in self.fields}
        self.present = np.zeros(n, bool)
        self.odd = np.zeros(n, bool)  # rows with an element that is not an object
        self._cache: dict = {}

    def add(self, row: int, value: Any) -> None:
        self.present[row] = True
        if self.spec.type == "str_list":
            for el in value:
                self.owner.append(row)
                self.data["value"].append(el)
            return
        for el in value:
            self.owner.append(row)
            if isinstance(el, dict):
                for f, col in self.data.items():
                    col.append(el.get(f))
            else:
                self.odd[row] = True
                for col in self.data.values():
                    col.append(None)

    def owners(self) -> np.ndarray:
        if "owner" not in self._cache:
            self._cache["owner"] = np.asarray(self.owner, np.int64)
        return self._cache["owner"]

    def places(self) -> np.ndarray:
        """Each element's place in its row's list (0, 1, …)."""
        if "place" not in self._cache:
            owner = self.owners()
            starts = np.ones(len(owner), bool)
            starts[1:] = owner[1:] != owner[:-1]
            index = np.arange(len(owner))
            self._cache["place"] = index - np.maximum.accumulate(np.where(starts, index, 0))
        return self._cache["place"]

    def column(self, name: str) -> Scalar:
        """A field of the elements as a Scalar over elements (state 2 where the element lacks it)."""
        if name not in self._cache:
            col = Scalar(name, name, "element", None, {2: (name,)})
            col.reset(len(self.owner))
            values = self.data[name]
            col.rows = [i for i, v in enumerate(values) if v is not None]
            col.values = [values[i] for i in col.rows]
            col.finish(np.ones(len(self.owner), bool))
            self._cache[name] = col
        return self._cache[name]


class Table:
    """The columns one run reads, filled from a chunk of profiles in one pass over each profile's facts."""

    def __init__(self, on: date):
        self.on = on
        self.scalars: dict[str, Scalar] = {}
        self.lists: dict[str, Elements] = {}
        self.roots: dict[str, list] = {}  # root -> [Scalar ...] / Elements
        self.n = 0

    def scalar(self, path: FactPath) -> Scalar:
        """The column of a top-level path; Unsupported for shapes other than name, name.year,
        record.field and answers.key / extra.key."""
        if path.text in self.scalars:
            return self.scalars[path.text]
        segs = path.segs
        root = segs[0].name
        if root in DERIVED:
            raise Unsupported(f"derived fact {root}")
        spec = FACTS.get(root)
        if len(segs) == 1:
            if root in FREE or spec is None or spec.type in ("records", "record", "by_year", "str_list"):
                raise Unsupported(f"path {path.text}")
            col = Scalar(path.text, root, "top", None, {1: (root,)})
        elif len(segs) == 2:
            seg = segs[1]
            if spec is not None and spec.type == "by_year":
                if seg.kind == "year":
                    year = self.on.year + seg.offset
                elif seg.kind == "key" and seg.name.isdigit():
                    year = int(seg.name)
                else:
                    raise Unsupported(f"path {path.text}")
                loc = (f"{root}.{year}",)
                col = Scalar(path.text, root, "year", year, {1: loc, 2: loc})
            elif (
                seg.kind == "key"
                and not seg.name.isdigit()
                and (root in FREE or (spec is not None and spec.type == "record" and seg.name not in DERIVED))
            ):
                col = Scalar(path.text, root, "field", seg.name, {1: (root,), 2: (f"{root}.{seg.name}",)})
            else:
                raise Unsupported(f"path {path.text}")
        else:
            raise Unsupported(f"path {path.text}")
        if self.lists.get(root):
            raise Unsupported(f"{root} read both as a list and a value")
        self.scalars[path.text] = col
        self.roots.setdefault(root, []).append(col)
        return col

    def elements(self, root: str) -> Elements:
        spec = FACTS.get(root)
        if spec is None or spec.type not in ("records", "str_list"):
            raise Unsupported(f"list {root}")
        if root in self.roots and root not in self.lists:
            raise Unsupported(f"{root} read both as a list and a value")
        if root not in self.lists:
            self.lists[root] = Elements(root, spec)
            self.roots[root] = [self.lists[root]]
            if spec.type == "str_list":
                self.lists[root].fields.add("value")
        return self.lists[root]

    def load(self, documents: list[Any]) -> np.ndarray:
        """Fill the columns from profile ``documents`` (one per row, read the way ``facts_of`` maps them onto
        facts, without building the facts); returns the rows to evaluate per pair instead: malformed values,
        and documents ``facts_of`` would read differently (a ``facts`` key shadowing a field of its own)."""
        n = self.n = len(documents)
        for cols in self.roots.values():
            for c in cols:
                c.reset(n)
        present = {root: np.zeros(n, bool) for root in self.roots}
        bad = np.zeros(n, bool)
        handlers: dict[str, Callable] = {}
        for root, cols in self.roots.items():
            handlers[root] = self._handler(root, cols, present[root], bad)
        by_key: dict[str, Callable] = {}
        for key, (fact, _) in FIELDS.items():
            h = handlers.get(fact)
            if h is not None:
                by_key[key] = _renamed_projects(h, bad) if key == "projects" else h

        def extra(row: int, value: Any) -> None:
            if not isinstance(value, dict):
                return
            for key, v in value.items():
                if key in SHADOWED:
                    bad[row] = True
                    continue
                h = handlers.get(key)
                if h is not None and v is not None:
                    h(row, v)

        by_key[EXTRA] = extra
        get = by_key.get
        for row, document in enumerate(documents):
            if not isinstance(document, dict):
                continue  # no facts (``_facts``)
            if is_person(document):  # a person's facts are laid out differently: per pair
                bad[row] = True
                continue
            for key, value in document.items():
                if value is not None:
                    h = get(key)
                    if h is not None:
                        h(row, value)
        for root, cols in self.roots.items():
            for c in cols:
                if isinstance(c, Scalar):
                    c.finish(present[root])
        return bad

    def _handler(self, root: str, cols: list, present: np.ndarray, bad: np.ndarray) -> Callable:
        if isinstance(cols[0], Elements):
            el = cols[0]

            def add_list(row, value):
                if not isinstance(value, list):
                    bad[row] = True
                    return
                el.add(row, value)

            return add_list
        tops = [c for c in cols if c.kind == "top"]
        years = [(c, c.sub) for c in cols if c.kind == "year"]
        fields = {c.sub: c for c in cols if c.kind == "field"}

        def handle(row, value):
            present[row] = True
            for c in tops:
                c.set(row, value)
            if years:
                if not isinstance(value, dict):
                    bad[row] = True
                    return
                for c, year in years:
                    v = value.get(str(year))
                    if v is None:
                        v = value.get(year)
                    if v is not None:
                        c.set(row, v)
            if fields:
                if not isinstance(value, dict):
                    bad[row] = True
                    return
                if len(fields) < len(value):
                    for name, c in fields.items():
                        v = value.get(name)
                        if v is not None:
                            c.set(row, v)
                else:
                    for name, v in value.items():
                        c = fields.get(name)
                        if c is not None and v is not None:
                            c.set(row, v)

        return handle


SHADOWED = frozenset(fact for fact, _ in FIELDS.values())  # facts with a field of their own in the document


def _renamed_projects(handle: Callable, bad: np.ndarray) -> Callable:
    """``projects`` of a document read as the ``projects`` fact (element fields renamed as ``facts_of`` does)."""

    def renamed(row: int, value: Any) -> None:
        if not isinstance(value, list):
            handle(row, value)
            return
        if not all(isinstance(el, dict) for el in value):
            bad[row] = True
            return
        handle(row, [{PROJECT_FIELDS.get(k, k): v for k, v in el.items()} for el in value])

    return renamed


# --- conditions -------------------------------------------------------------------------------------


@dataclass
class V:
    """A three-valued vector: known true ``t`` and unknown ``u`` (false is neither)."""

    t: np.ndarray
    u: np.ndarray


class CNode:
    """A compiled condition over columns (rows of the table, or elements of a list inside ``has``)."""

    def ev(self, table: Table, scope: Elements | None) -> V:
        raise NotImplementedError

    def leaves(self, mask: np.ndarray, out: list) -> None:
        """Append ``(codes, locs)`` of the unknown leaves under ``mask`` (rows where every ancestor is unknown)."""
        raise NotImplementedError


class CConst(CNode):
    def __init__(self, value: bool):
        self.value = value

    def ev(self, table, scope):
        n = len(scope.owner) if scope is not None else table.n
        return V(np.full(n, self.value), np.zeros(n, bool))

    def leaves(self, mask, out):
        pass


class CJunction(CNode):
    def __init__(self, is_all: bool, items: list[CNode]):
        self.is_all, self.items = is_all, items

    def ev(self, table, scope):
        vs = [item.ev(table, scope) for item in self.items]
        self._vs = vs
        n = len(scope.owner) if scope is not None else table.n
        if not vs:
            return V(np.full(n, self.is_all), np.zeros(n, bool))
        if self.is_all:
            t = np.logical_and.reduce([v.t for v in vs])
            f = np.logical_or.reduce([~v.t & ~v.u for v in vs])
        else:
            t = np.logical_or.reduce([v.t for v in vs])
            f = np.logical_and.reduce([~v.t & ~v.u for v in vs])
        return V(t, ~t & ~f)

    def leaves(self, mask, out):
        for item, v in zip(self.items, self._vs, strict=True):
            item.leaves(mask & v.u, out)


class CNot(CNode):
    def __init__(self, item: CNode):
        self.item = item

    def ev(self, table, scope):
        v = self.item.ev(table, scope)
        return V(~v.t & ~v.u, v.u)

    def leaves(self, mask, out):
        self.item.leaves(mask, out)


def _column(table: Table, scope: Elements | None, path: FactPath) -> Scalar:
    if scope is None:
        return table.scalar(path)
    if len(path.segs) != 1 or path.segs[0].kind != "key" or path.segs[0].name in DERIVED:
        raise Unsupported(f"element path {path.text}")
    scope.fields.add(path.segs[0].name)
    return _Deferred(scope, path.segs[0].name)  # type: ignore[return-value]


class _Deferred:
    """An element field, resolved to its column once the chunk is loaded."""

    def __init__(self, scope: Elements, name: str):
        self.scope, self.name = scope, name

    def get(self) -> Scalar:
        return self.scope.column(self.name)


def _resolve(col) -> Scalar:
    return col.get() if isinstance(col, _Deferred) else col


class CLeaf(CNode):
    """``{"fact", "op", "value"}`` on a column: numbers as floats, anything else through distinct values."""

    def __init__(self, leaf: cond.Leaf, table: Table, scope: Elements | None, elementwise: bool):
        if leaf.op == "exists" or leaf.how == "date":
            raise Unsupported(f"operator {leaf.op} on {leaf.path.text}")
        self.leaf, self.elementwise = leaf, elementwise
        self.col = _column(table, scope, leaf.path)
        self.ref = None
        value = leaf.value
        if isinstance(value, cond.FactRef):
            if scope is not None or leaf.how != "number" or cond._norm_for(value.spec) != "number":
                raise Unsupported("a fact-valued comparison other than numbers")
            self.ref = table.scalar(value.path)
            self.target = None
        elif isinstance(value, cond.YearRef):
            self.target = Decimal(table.on.year + value.offset)
        else:
            self.target = value
        if leaf.how == "number" and leaf.op in ("contains", "contains_any"):
            raise Unsupported("contains on a number")

    def ev(self, table, scope):
        col = _resolve(self.col)
        leaf = self.leaf
        present = col.state == 0
        if leaf.how == "number":
            x = col.floats()
            if self.ref is not None:
                y = self.ref.floats()
                present_y = self.ref.state == 0
                known = present & present_y
                res = _float_compare(leaf.op, x, y)
                codes = col.state.astype(np.int16) * 3 + self.ref.state
                self._codes = codes
                self._locs = {
                    a * 3 + b: tuple(dict.fromkeys((*col.locs.get(a, ()), *self.ref.locs.get(b, ()))))
                    for a in range(3)
                    for b in range(3)
                    if a or b
                }
                return V(known & res, ~known)
            if leaf.op in ("in", "not_in"):
                targets = np.asarray([float(t) for t in self.target])
                res = np.isin(x, targets)
                res = res if leaf.op == "in" else ~res
            else:
                res = _float_compare(leaf.op, x, float(self.target))
        else:
            codes, uniques = col.codes()
            table_res = np.zeros(len(uniques) + 1, bool)  # the last slot is for code -1 (missing)
            for i, value in enumerate(uniques):
                table_res[i] = cond._compare(leaf.op, _normed(value, leaf), self.target)
            res = table_res[codes]
        self._codes = col.state
        self._locs = col.locs
        return V(present & res, ~present)

    def leaves(self, mask, out):
        out.append((np.where(mask, self._codes, 0), self._locs))


def _normed(value, leaf: cond.Leaf):
    if isinstance(value, list) and leaf.op in ("contains", "contains_any"):
        return value if leaf.how == "raw" else [cond._norm(a, leaf.how, leaf.path.text) for a in value]
    return cond._norm(value, leaf.how, leaf.path.text)


def _float_compare(op: str, x, y) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        if op == "==":
            return x == y
        if op == "!=":
            return x != y
        if op == ">":
            return x > y
        if op == ">=":
            return x >= y
        if op == "<":
            return x < y
        if op == "<=":
            return x <= y
    raise Unsupported(f"operator {op} on numbers")


class CHas(CNode):
    """``{"has": list, "where": C}`` over an element table, reduced per row."""

    def __init__(self, node: cond.Quantified, table: Table):
        if node.kind != "has":
            raise Unsupported("count")
        self.root = node.path.segs[0].name
        self.els = table.elements(self.root)
        self.where = _compile(node.where, table, self.els) if node.where is not None else None
        self.locs = {1: (self.root,)}

    def ev(self, table, scope):
        n = table.n
        els = self.els
        owner = els.owners()
        if self.where is None:
            te = np.ones(len(owner), bool)
            ue = np.zeros(len(owner), bool)
        else:
            v = self.where.ev(table, els)
            te, ue = v.t, v.u
        t_row = np.zeros(n, bool)
        t_row[owner[te]] = True
        u_row = np.zeros(n, bool)
        u_row[owner[ue]] = True
        present = els.present
        t = present & t_row
        u = ~present | (~t_row & u_row)
        self._codes = np.where(~present, 1, np.where(u, SPECIAL, 0)).astype(np.int16)
        self._unknown = ue
        return V(t, u)

    def leaves(self, mask, out):
        codes = np.where(mask, self._codes, 0).astype(np.int64)
        locs = self.locs
        rows = np.flatnonzero((codes == SPECIAL) & ~self.els.odd)
        if len(rows) and self.where is not None:
            codes, locs = self._element_missing(codes, rows)
        out.append((codes, locs))

    def _element_missing(self, codes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, dict]:
        return element_missing(self.els, self.where, self._unknown, self.locs, codes, rows)


def element_missing(
    els: Elements, where: CNode | None, unknown: np.ndarray, own: dict, codes: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, dict]:
    """The rows where no element holds and some are unknown: the facts missing from each unknown
    element (``recognitions[2].first_time``, as the evaluator names them), one code per distinct list;
    ``own`` are the codes of the list fact itself (absent: 1)."""
    owner, place = els.owners(), els.places()
    parts: list = []
    where.leaves(unknown.copy(), parts)  # type: ignore[union-attr]  # where is not None here
    sig = np.zeros(len(owner), np.int64)
    radix = []
    for part, part_locs in parts:
        base = max(max(part_locs, default=0), 1) + 1
        sig = sig * base + part
        radix.append((base, part_locs))
    names: dict[int, tuple[str, ...]] = {}
    wanted = np.zeros(len(codes), bool)
    wanted[rows] = True
    picked = np.flatnonzero(unknown & wanted[owner])  # in row order, and in list order within a row
    by_row: dict[int, list[str]] = {}
    for row, at, signature in zip(
        owner[picked].tolist(), place[picked].tolist(), sig[picked].tolist(), strict=True
    ):
        found = names.get(signature)
        if found is None:
            found = names[signature] = _decode(signature, radix)
        prefix = f"{els.root}[{at}]."
        by_row.setdefault(row, []).extend(prefix + name for name in found)
    locs: dict[int, tuple[str, ...]] = dict(own)
    known: dict[tuple[str, ...], int] = {}
    for row, missing in by_row.items():
        key = tuple(dict.fromkeys(missing))
        code = known.get(key)
        if code is None:
            code = known[key] = max(locs) + (2 if max(locs) + 1 == SPECIAL else 1)
            locs[code] = key
        codes[row] = code
    return codes, locs


class CStrList(CNode):
    """``industries contains X`` / ``contains_any`` over the element table of a list of texts."""

    def __init__(self, leaf: cond.Leaf, table: Table):
        self.leaf = leaf
        self.root = leaf.path.segs[0].name
        self.els = table.elements(self.root)
        self.locs = {1: (self.root,)}

    def ev(self, table, scope):
        els = self.els
        col = els.column("value")
        codes, uniques = col.codes()
        wanted = self.leaf.value if self.leaf.op == "contains_any" else (self.leaf.value,)
        hit = np.zeros(len(uniques) + 1, bool)
        for i, v in enumerate(uniques):
            hit[i] = v in wanted
        t_row = np.zeros(table.n, bool)
        t_row[els.owners()[hit[codes]]] = True
        present = els.present
        self._codes = np.where(present, 0, 1).astype(np.int16)
        return V(present & t_row, ~present)

    def leaves(self, mask, out):
        out.append((np.where(mask, self._codes, 0), self.locs))


def _compile(node: cond.Node, table: Table, scope: Elements | None = None) -> CNode:
    if isinstance(node, cond.Const):
        return CConst(bool(node.value))
    if isinstance(node, cond.Junction):
        return CJunction(node.is_all, [_compile(i, table, scope) for i in node.items])
    if isinstance(node, cond.Not):
        return CNot(_compile(node.item, table, scope))
    if isinstance(node, cond.Quantified):
        if scope is not None:
            raise Unsupported("a list inside a list")
        return CHas(node, table)
    if isinstance(node, cond.Leaf):
        root = node.path.segs[0].name
        spec = FACTS.get(root)
        if scope is None and spec is not None and spec.type == "str_list" and len(node.path.segs) == 1:
            if node.op not in ("contains", "contains_any"):
                raise Unsupported(f"{node.op} on a list")
            return CStrList(node, table)
        return CLeaf(node, table, scope, elementwise=scope is not None)
    raise Unsupported(type(node).__name__)


# --- formulas ---------------------------------------------------------------------------------------


class FNode:
    def ev(self, table: Table) -> np.ndarray:
        raise NotImplementedError

    def leaves(self, out: list) -> None:
        pass


class FConst(FNode):
    def __init__(self, value: Decimal):
        self.value = float(value)

    def ev(self, table):
        return np.full(table.n, self.value)


class FFact(FNode):
    def __init__(self, node: fm.Fact, table: Table):
        self.col = table.scalar(node.path)

    def ev(self, table):
        return self.col.floats()

    def leaves(self, out):
        out.append((self.col.state, self.col.locs))


class FListField(FNode):
    """``{"fact": "insurance.premium"}``: a field of every element of a list, added up (``profile._list_field``)."""

    def __init__(self, node: fm.Fact, table: Table):
        segs = node.path.segs
        self.root, self.name = segs[0].name, segs[1].name
        spec = FACTS[self.root]
        if self.name not in ADDITIVE_FIELDS or self.name in DERIVED or self.name not in (spec.fields or {}):
            raise Unsupported(f"path {node.path.text}")
        self.els = table.elements(self.root)
        self.els.fields.add(self.name)
        self.locs = {1: (self.root,), 2: (self.root,)}

    def ev(self, table):
        els = self.els
        col = els.column(self.name)
        owner = els.owners()
        counts = np.bincount(owner, minlength=table.n)
        lacking = np.bincount(owner, weights=(col.state != 0), minlength=table.n) > 0
        total = np.bincount(owner, weights=np.nan_to_num(col.floats()), minlength=table.n)
        present = els.present
        empty = present & (counts == 0)
        self.codes = np.where(~present, 1, np.where(empty, 2, np.where(lacking, SPECIAL, 0))).astype(np.int16)
        return np.where(self.codes == 0, total, np.nan)

    def leaves(self, out):
        out.append((self.codes, self.locs))


class FListCount(FNode):
    """``{"fact": "persons.count"}``: how many elements a list has; missing when the list is."""

    def __init__(self, node: fm.Fact, table: Table):
        self.root = node.path.segs[0].name
        self.els = table.elements(self.root)
        self.locs = {1: (self.root,)}

    def ev(self, table):
        counts = np.bincount(self.els.owners(), minlength=table.n).astype(float)
        present = self.els.present
        self.codes = np.where(present, 0, 1).astype(np.int16)
        return np.where(present, counts, np.nan)

    def leaves(self, out):
        out.append((self.codes, self.locs))


class FCountWhere(FNode):
    """``{"count": "persons", "where": C}``: how many elements satisfy C; a row with an element that
    cannot be told is recomputed one by one (its missing facts name the element)."""

    def __init__(self, node: fm.Count, table: Table):
        self.root = node.path.segs[0].name
        self.els = table.elements(self.root)
        self.where = _compile(node.where, table, self.els) if node.where is not None else None
        self.locs = {1: (self.root,)}

    def ev(self, table):
        owner = self.els.owners()
        if self.where is None:
            te, ue = np.ones(len(owner), bool), np.zeros(len(owner), bool)
        else:
            v = self.where.ev(table, self.els)
            te, ue = v.t, v.u
        self._ue = ue
        counts = np.bincount(owner, weights=te, minlength=table.n)
        unknown = np.bincount(owner, weights=ue, minlength=table.n) > 0
        present = self.els.present
        self.codes = np.where(~present, 1, np.where(unknown, SPECIAL, 0)).astype(np.int16)
        return np.where(self.codes == 0, counts, np.nan)

    def leaves(self, out):
        codes = self.codes.astype(np.int64)
        rows = np.flatnonzero((codes == SPECIAL) & ~self.els.odd)
        if len(rows) and self.where is not None:
            out.append(element_missing(self.els, self.where, self._ue, self.locs, codes, rows))
            return
        out.append((codes, self.locs))


class FArith(FNode):
    def __init__(self, node: fm.Arith, table: Table):
        if node.op == "/":
            raise Unsupported("division")
        self.op = node.op
        self.args = [_formula(a, table) for a in node.args]

    def ev(self, table):
        vals = [a.ev(table) for a in self.args]
        out = vals[0]
        for v in vals[1:]:
            if self.op == "+":
                out = out + v
            elif self.op == "-":
                out = out - v
            elif self.op == "*":
                out = out * v
            elif self.op == "min":
                out = np.minimum(out, v)
            else:
                out = np.maximum(out, v)
        return out

    def leaves(self, out):
        for a in self.args:
            a.leaves(out)


class FRate(FNode):
    def __init__(self, node: fm.Rate, table: Table):
        self.rate, self.base = _formula(node.rate, table), _formula(node.base, table)
        self.cap = _formula(node.cap, table) if node.cap is not None else None

    def ev(self, table):
        out = self.rate.ev(table) * self.base.ev(table)
        return np.minimum(out, self.cap.ev(table)) if self.cap is not None else out

    def leaves(self, out):
        for part in (self.rate, self.base, self.cap):
            if part is not None:
                part.leaves(out)


class FPer(FNode):
    """per × min(times, max_times): 每月 × 月数, 每人 × 人数."""

    def __init__(self, node: fm.Per, table: Table):
        self.per, self.times = _formula(node.per, table), _formula(node.times, table)
        self.max_times = _formula(node.max_times, table) if node.max_times is not None else None

    def ev(self, table):
        times = self.times.ev(table)
        if self.max_times is not None:
            times = np.minimum(times, self.max_times.ev(table))
        return self.per.ev(table) * times

    def leaves(self, out):
        for part in (self.per, self.times, self.max_times):
            if part is not None:
                part.leaves(out)


class FGrade(FNode):
    def __init__(self, node: fm.Grade, table: Table):
        self.col = table.scalar(node.path)
        self.table = {}
        for key, f in node.table.items():
            if not isinstance(f, fm.Const):
                raise Unsupported("a grade table of formulas")
            self.table[key] = float(f.value)
        if node.otherwise is not None and not isinstance(node.otherwise, fm.Const):
            raise Unsupported("a grade table of formulas")
        self.otherwise = float(node.otherwise.value) if node.otherwise is not None else 0.0

    def ev(self, table):
        codes, uniques = self.col.codes()
        lookup = np.array([self.table.get(str(u), self.otherwise) for u in uniques] + [np.nan])
        return lookup[codes]

    def leaves(self, out):
        out.append((self.col.state, self.col.locs))


def _formula(node: fm.F, table: Table) -> FNode:
    if isinstance(node, fm.Const):
        return FConst(node.value)
    if isinstance(node, fm.Fact):
        segs = node.path.segs
        spec = FACTS.get(segs[0].name)
        if spec is not None and spec.type == "records" and len(segs) == 2 and segs[1].kind == "key":
            return FListField(node, table)
        if spec is not None and spec.type == "records" and len(segs) == 2 and segs[1].kind == "agg":
            if segs[1].name == "count":
                return FListCount(node, table)
        return FFact(node, table)
    if isinstance(node, fm.UpTo):
        return _formula(node.arg, table)
    if isinstance(node, fm.Arith):
        return FArith(node, table)
    if isinstance(node, fm.Rate):
        return FRate(node, table)
    if isinstance(node, fm.Grade):
        return FGrade(node, table)
    if isinstance(node, fm.Per):
        return FPer(node, table)
    if isinstance(node, fm.Count):
        return FCountWhere(node, table)
    raise Unsupported(f"formula {type(node).__name__}")


# --- one run ----------------------------------------------------------------------------------------


@dataclass
class Compiled:
    """An item compiled to columns, or None (evaluated per pair) with the reason."""

    entry: MatchItem
    condition: CNode | None = None
    formula: FNode | None = None
    reason: str = ""


@dataclass
class Report:
    """What a run did: sizes, the items evaluated per pair (with why) and the pairs recomputed one by one."""

    enterprises: int = 0
    items: int = 0
    pairs: int = 0
    fallback_items: dict[str, str] = field(default_factory=dict)
    fallback_pairs: int = 0
    bad_rows: int = 0
    broken: list[str] = field(default_factory=list)
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # read, evaluate, write: where the time goes

    def spent(self, stage: str, since: float) -> float:
        """Add the CPU time since ``since`` (``time.process_time()``) to ``stage``; returns the time now."""
        now = time.process_time()
        self.cpu_seconds[stage] = self.cpu_seconds.get(stage, 0.0) + now - since
        return now


class Engine:
    """A catalog compiled once for an evaluation date; :meth:`chunk` evaluates a list of profiles."""

    def __init__(self, catalog: Catalog, on: date):
        self.catalog, self.on = catalog, on
        self.table = Table(on)
        self.compiled: list[Compiled] = []
        self.report = Report(items=len(catalog.items), broken=list(catalog.broken))
        for entry in catalog.items:
            c = Compiled(entry)
            rule = entry.rule
            try:
                c.condition = _compile(rule.condition, self.table)
                c.formula = _formula(rule.formula, self.table) if rule.formula is not None else None
            except Unsupported as exc:
                c.condition = c.formula = None
                c.reason = str(exc)
                self.report.fallback_items[entry.item.key] = c.reason
            self.compiled.append(c)
        self.region = self.table.scalar(_path(REGION_FACT)) if any(e.region for e in catalog.items) else None
        m = len(catalog.items)
        self.position = np.arange(m)
        maxes = [e.amount_max for e in catalog.items]
        self.max_known = np.array([v is not None for v in maxes], dtype=bool)
        self.max_value = np.array([float(v) if v is not None else 0.0 for v in maxes])
        self.static = np.lexsort((self.position, -self.max_value, ~self.max_known))  # by max, then position
        self.rank = np.empty_like(self.static)
        self.rank[self.static] = np.arange(m)
        self.keys = [e.item.key for e in catalog.items]
        self.key_json = [json.dumps(k, ensure_ascii=False) for k in self.keys]
        self.fragments: dict[tuple, int] = {}
        self.fragment_data: list[tuple] = []  # (status, item index, amount text, missing list)
        self._texts: list[str] = []
        self._buffers: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def fragment(self, status: int, item: int, amount: str | None, missing: tuple[str, ...]) -> int:
        key = (status, item, amount, missing)
        found = self.fragments.get(key)
        if found is None:
            found = self.fragments[key] = len(self.fragment_data)
            self.fragment_data.append(key)
        return found

    def pieces(self) -> np.ndarray:
        """The JSON text of every fragment so far in the three forms a line joins them in (an object array
        indexed by fragment id × 3 + form): first of the eligible list, after another entry (``", "`` in
        front), first of the possibly list (closing the eligible list in front); an empty text last."""
        for status, item, amount, missing in self.fragment_data[len(self._texts) // 3 :]:
            key = self.key_json[item]
            if status == 1:
                shown = "null" if amount is None else f'"{amount}"'
                text = f'{{"item_id": {key}, "estimated_amount_yuan": {shown}}}'
            else:
                facts = [
                    m["fact"] for m in missing_entries(list(missing), self.catalog.items[item].questions)
                ]
                shown = json.dumps(facts, ensure_ascii=False)
                text = f'{{"item_id": {key}, "missing": {shown}}}'
            self._texts.extend((text, ", " + text, _POSSIBLY + text))
        out = np.empty(len(self._texts) + 1, object)
        out[:-1] = self._texts
        out[-1] = ""
        return out

    def chunk(self, documents: list[Any]) -> ChunkResult:
        """Evaluate every item for ``documents`` (one enterprise profile document per enterprise); the
        result's arrays are reused by the next call of the same size."""
        table = self.table
        bad = table.load(documents)
        n, m = len(documents), len(self.compiled)
        status, amount, frag = self._arrays(n, m)
        exact: list[tuple[int, int]] = []  # pairs evaluated one by one
        region_vals = self._regions(n) if self.region is not None else None
        for j, c in enumerate(self.compiled):
            entry = c.entry
            if c.condition is None or not entry.rule.in_force(self.on):
                if c.condition is None:
                    exact.extend((i, j) for i in range(n))
                continue
            try:
                v = c.condition.ev(table, None)
                amt = c.formula.ev(table) if c.formula is not None else np.full(n, np.nan)
            except (ValueError, ZctError):
                exact.extend((i, j) for i in range(n))
                continue
            st = np.where(v.t, 1, np.where(v.u, 2, 0)).astype(np.int8)
            leaves: list = []
            c.condition.leaves(v.u.copy(), leaves)
            if c.formula is not None:
                fl: list = []
                c.formula.leaves(fl)
                unknown_amount = np.isnan(amt)
                leaves.extend((np.where(unknown_amount, codes, 0), locs) for codes, locs in fl)
            if entry.region is not None:
                assert region_vals is not None  # read whenever an item has a region
                holds = region_vals[entry.region]  # 1 true, 0 false, 2 unknown
                live = st != 0
                st = np.where(live & (holds == 0), 0, st)
                st = np.where(live & (holds == 2), 2, st).astype(np.int8)
                leaves.insert(0, (np.where(live & (holds == 2), 1, 0), {1: (REGION_FACT,)}))
            live = st != 0
            amt = np.where(live, amt, np.nan)
            # signatures of the missing facts
            sig = np.zeros(n, np.int64)
            special = np.zeros(n, bool)
            radix = []
            width = 1
            for codes, locs in leaves:
                codes = np.where(live, codes, 0)
                special |= codes == SPECIAL
                base = max(max(locs, default=0), 1) + 1
                sig = sig * base + np.where(codes == SPECIAL, 0, codes)
                radix.append((base, locs))
                width *= base
            if width >= 2**62:  # signatures too wide for 64 bits: every live pair one by one
                sig[:] = 0
                radix = [(1, {})]
                special |= live
            fen, off = _fen(amt)
            special |= off & live
            status[:, j] = st
            amount[:, j] = np.where(np.isnan(fen), np.nan, fen)
            self._fragments(j, st, fen, sig, radix, frag)
            for i in np.flatnonzero(special & ~bad):
                exact.append((int(i), j))
        for i in np.flatnonzero(bad):
            exact.extend((int(i), j) for j in range(m) if self.compiled[j].condition is not None)
        self._exact(documents, exact, status, amount, frag)
        self._tiers(status, amount)
        self.report.enterprises += n
        self.report.pairs += n * m
        self.report.bad_rows += int(bad.sum())
        return ChunkResult(self, status, amount, frag)

    def _arrays(self, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Status (0 ineligible, 1 eligible, 2 possibly), amount (分, NaN unknown) and fragment (-1 none) of
        each pair, reset; the memory is the previous chunk's when the size is the same (fresh pages of
        arrays this large cost more to fault in than to fill)."""
        if self._buffers is None or self._buffers[0].shape != (n, m):
            self._buffers = (np.empty((n, m), np.int8), np.empty((n, m)), np.empty((n, m), np.int64))
        status, amount, frag = self._buffers
        status.fill(0)
        amount.fill(np.nan)
        frag.fill(-1)
        return status, amount, frag

    def _regions(self, n: int) -> dict[str, np.ndarray]:
        assert self.region is not None  # called only when an item has a region
        codes, uniques = self.region.codes()
        out = {}
        for name in {e.region for e in self.catalog.items if e.region}:
            lookup = np.array([{True: 1, False: 0, None: 2}[region_holds(name, u)] for u in uniques] + [2])
            out[name] = lookup[codes]
        return out

    def _fragments(self, j, st, fen, sig, radix, frag) -> None:
        """The fragment of every live pair of item ``j``: one per distinct (status, signature, amount)."""
        live = np.flatnonzero(st != 0)
        if not len(live):
            return
        fen_live = fen[live]
        fen_key = np.where(np.isnan(fen_live), 0, fen_live + 1).astype(np.int64)  # 0: unknown
        sig_live, st_live = sig[live], st[live]
        head = sig_live * 3 + st_live
        fen_bits = int(fen_key.max()).bit_length()
        if int(head.max()).bit_length() + fen_bits <= 62:
            key = (head << fen_bits) | fen_key
            uniq, inverse = _distinct(key)
        else:  # a very wide signature: rows of (status and signature, amount)
            combo = np.stack([head, fen_key], axis=1)
            uniq, inverse = np.unique(combo, axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
        some = np.empty(len(uniq), np.int64)  # a pair of each distinct key (any one: they are alike)
        some[inverse] = np.arange(len(inverse))
        ids = np.empty(len(uniq), np.int64)
        for k, i in enumerate(some.tolist()):
            f = int(fen_key[i])
            ids[k] = self.fragment(
                int(st_live[i]), j, None if f == 0 else _fen_text(f - 1), _decode(int(sig_live[i]), radix)
            )
        frag[live, j] = ids[inverse]

    def _exact(self, documents, pairs, status, amount, frag) -> None:
        self.report.fallback_pairs += len(pairs)
        if not pairs:
            return
        shared: dict[int, Facts] = {}
        code = {"ineligible": 0, "eligible": 1, "possibly": 2}
        for i, j in pairs:
            f = shared.get(i)
            if f is None:
                f = shared[i] = Facts(_facts(documents[i]), self.on)
            out = evaluate_pair(self.compiled[j].entry, f, self.on, explain=False)
            s = code[out.eligible]
            status[i, j] = s
            amount[i, j] = np.nan if out.amount is None or s == 0 else int(out.amount * 100)
            frag[i, j] = (
                -1
                if s == 0
                else self.fragment(
                    s, j, None if out.amount is None else f"{out.amount:.2f}", tuple(out.missing)
                )
            )

    def _tiers(self, status, amount) -> None:
        groups: dict[int, list[int]] = {}
        for j, c in enumerate(self.compiled):
            if c.entry.group is not None:
                groups.setdefault(c.entry.group, []).append(j)
        for members in groups.values():
            best = np.full(status.shape[0], -1)
            for j in members:
                elig = status[:, j] == 1
                better = elig & ((best < 0) | self._better(amount, j, best))
                best = np.where(better, j, best)
            for j in members:
                status[(status[:, j] == 1) & (best != j), j] = 0

    def _better(self, amount, j, best) -> np.ndarray:
        """Rows where item ``j`` sorts before the current best (sort_key: amount, then max, then position)."""
        rows = np.arange(amount.shape[0])
        b = np.where(best < 0, 0, best)
        a_j, a_b = amount[:, j], amount[rows, b]
        kj, kb = ~np.isnan(a_j), ~np.isnan(a_b)
        aj, ab = np.nan_to_num(a_j), np.nan_to_num(a_b)
        mj, mb = self.max_known[j], self.max_known[b]
        xj, xb = self.max_value[j], self.max_value[b]
        key_j = np.stack([~kj, -aj, np.full_like(aj, not mj), np.full_like(aj, -xj), np.full_like(aj, j)])
        key_b = np.stack([~kb, -ab, ~mb, -xb, b.astype(float)]).astype(float)
        key_j = key_j.astype(float)
        less = np.zeros(len(rows), bool)
        equal = np.ones(len(rows), bool)
        for lj, lb in zip(key_j, key_b, strict=True):
            less |= equal & (lj < lb)
            equal &= lj == lb
        return less


def _path(text: str) -> FactPath:
    from zhengcetong.match.profile import parse_path

    return parse_path(text)


def _distinct(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of non-negative integers and where each one's value is among them (as
    ``np.unique(..., return_inverse=True)``; a lookup table instead of a sort when the values are small).

    Examples:
        >>> [a.tolist() for a in _distinct(np.array([5, 2, 5, 9]))]
        [[2, 5, 9], [1, 0, 1, 2]]
    """
    top = int(key.max())
    if top < 8 * len(key) + 4096:
        seen = np.zeros(top + 1, bool)
        seen[key] = True
        uniq = np.flatnonzero(seen)
        lookup = np.empty(top + 1, np.int64)
        lookup[uniq] = np.arange(len(uniq))
        return uniq, lookup[key]
    uniq, inverse = np.unique(key, return_inverse=True)
    return uniq, inverse.reshape(-1)


def _fen(amount: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Amounts rounded half up to whole 分 (as floats, NaN unknown), and where float rounding is unsafe."""
    cents = np.maximum(amount, 0.0) * 100.0
    with np.errstate(invalid="ignore"):
        rounded = np.floor(cents + 0.5)
        frac = cents - np.floor(cents)
        off = (np.abs(frac - 0.5) < 1e-6) | (cents > 2.0**50)
    return rounded, off & ~np.isnan(amount)


def _json_text(text: str) -> str:
    r"""A JSON string (credit codes are plain letters and digits: no escaping needed).

    Examples:
        >>> _json_text("91330100799655058B"), _json_text("甲 1")
        ('"91330100799655058B"', '"\\u7532 1"')
    """
    if text.isascii() and text.isalnum():
        return f'"{text}"'
    return json.dumps(text)


def _fen_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _decode(sig: int, radix: list[tuple[int, dict]]) -> tuple[str, ...]:
    codes = []
    for base, _ in reversed(radix):
        codes.append(sig % base)
        sig //= base
    codes.reverse()
    names: list[str] = []
    for code, (_, locs) in zip(codes, radix, strict=True):
        if code:
            names.extend(locs[code])
    return tuple(dict.fromkeys(names))


@dataclass
class ChunkResult:
    """The outcome of one chunk: status, amount (分) and the fragment of each (enterprise, item) pair."""

    engine: Engine
    status: np.ndarray
    amount: np.ndarray
    frag: np.ndarray

    def order(self) -> np.ndarray:
        """Per row, the item indices: eligible, then possibly, then the rest, each in the order of
        ``matching.sort_key`` (amount, then the item's maximum, then its position).

        The three keys are packed into one integer per pair and each row sorted in place (a third of the
        time of a lexsort); amounts too large to pack fall back to the lexsort."""
        e = self.engine
        status, amount = self.status, self.amount
        group = np.where(status == 1, 0, np.where(status == 2, 1, 2))
        unknown = np.isnan(amount)
        fen = np.where(unknown, 0.0, amount)
        top = float(fen.max(initial=0.0))
        rank_bits = max(len(e.static) - 1, 1).bit_length()
        if top < 2.0**52 and fen.min(initial=0.0) >= 0 and 3 + int(top).bit_length() + rank_bits <= 62:
            whole = fen.astype(np.int64)
            if (whole == fen).all():
                fen_bits = int(top).bit_length()
                key = (group * 2 + unknown) << (fen_bits + rank_bits)
                key |= (int(top) - whole) << rank_bits
                key |= e.rank
                key.sort(axis=-1)
                return e.static[key & ((1 << rank_bits) - 1)]
        key1 = -amount
        key1[unknown] = np.inf
        return np.lexsort((np.broadcast_to(e.rank, amount.shape), key1, group), axis=-1)

    def jsonl(self, codes: list[str], rows: int = WRITE_ROWS, keys: list[str] | None = None) -> Iterator[str]:
        """The JSON lines of the chunk (``codes`` the rows' credit codes, or a person's 公民身份号码 where
        ``keys`` names the row's key ``id_number``), a block of ``rows`` lines at a time.

        Vectorised: the fragments of every (row, item) pair in line order are gathered into one object array
        of texts between each line's head and end, and joined once per block."""
        pieces = self.engine.pieces()
        empty = len(pieces) - 1
        for start in range(0, len(codes), rows):
            stop = min(start + rows, len(codes))
            names = keys[start:stop] if keys is not None else ["credit_code"] * (stop - start)
            yield self._block(codes[start:stop], names, start, stop, pieces, empty)

    def _block(
        self, codes: list[str], names: list[str], start: int, stop: int, pieces: np.ndarray, empty: int
    ) -> str:
        status, frag = self.status[start:stop], self.frag[start:stop]
        order = ChunkResult(self.engine, status, self.amount[start:stop], frag).order()
        st = np.take_along_axis(status, order, axis=1)
        fr = np.take_along_axis(frag, order, axis=1)
        n, m = st.shape
        eligible = (st == 1).sum(axis=1)
        place = np.arange(m)
        form = np.where((place == 0) & (st == 1), 0, np.where((place == eligible[:, None]) & (st == 2), 2, 1))
        out = np.empty((n, m + 2), object)  # head, the pairs in line order (empty texts last), end
        out[:, 0] = [f'{{"{k}": {_json_text(c)}, "eligible": [' for k, c in zip(names, codes, strict=True)]
        out[:, 1:-1] = pieces[np.where(st != 0, fr * 3 + form, empty)]
        ends = np.empty(2, object)
        ends[:] = [_END_NONE_POSSIBLY, _END]
        out[:, -1] = ends[((st == 2).any(axis=1)).astype(np.int64)]
        return "".join(out.ravel().tolist())

    def summaries(self) -> list[dict]:
        """Per row, the same dict as ``matching.summary`` (for tests and small runs)."""
        out = []
        for block in self.jsonl([""] * len(self.status)):
            for line in block.splitlines():
                data = json.loads(line)
                del data["credit_code"]
                out.append(data)
        return out


# --- running over the stored enterprises -------------------------------------------------------------


def _enterprise_rows(
    connection: Connection, where: Any, limit: int | None = None
) -> list[tuple[int, str, Any]]:
    """(id, credit code, profile document) of the enterprises ``where`` selects, in id order.

    The documents are read as JSON text (one Core query, no ORM rows, no per-row type processor) and decoded
    with orjson."""
    table = Enterprise.__table__
    query = (
        select(table.c.id, table.c.credit_code, cast(table.c.profile, Text)).where(where).order_by(table.c.id)
    )
    rows = connection.execute(query.limit(limit) if limit else query).all()
    return [(r[0], r[1], bulk.loads(r[2])) for r in rows]


def _enterprise_chunks(db_session: Session, size: int) -> Iterator[list[tuple[int, str, Any]]]:
    """Every enterprise's (id, credit code, profile document), ``size`` at a time in id order."""
    connection = db_session.connection()
    last = 0
    with unmapped(connection):
        while True:
            rows = _enterprise_rows(connection, Enterprise.__table__.c.id > last, size)
            if not rows:
                return
            last = rows[-1][0]
            yield rows


ID_SLICE = 10_000  # ids per IN list (SQLite allows 32 766 variables in a statement)


def _chunks_of(db_session: Session, ids: Sequence[int], size: int) -> Iterator[list[tuple[int, str, Any]]]:
    """The (id, credit code, profile document) of the enterprises ``ids``, in id order, ``size`` at a time."""
    connection = db_session.connection()
    ordered = sorted(set(ids))
    with unmapped(connection):
        rows: list[tuple[int, str, Any]] = []
        for start in range(0, len(ordered), ID_SLICE):
            part = ordered[start : start + ID_SLICE]
            rows.extend(_enterprise_rows(connection, Enterprise.__table__.c.id.in_(part)))
            while len(rows) >= size:
                yield rows[:size]
                rows = rows[size:]
        if rows:
            yield rows


def _id_ranges(db_session: Session, size: int) -> list[tuple[int, int]]:
    """The stored enterprises as inclusive id ranges of ``size`` enterprises each."""
    connection = db_session.connection()
    with unmapped(connection):
        ids = connection.execute(select(Enterprise.__table__.c.id).order_by("id")).scalars().all()
    return [(ids[k], ids[min(k + size, len(ids)) - 1]) for k in range(0, len(ids), size)]


def _keys(rows: list[tuple[int, str, Any]]) -> list[str]:
    """The key of each row's JSON line: ``credit_code``, or ``id_number`` for a person."""
    return ["id_number" if is_person(d) else "credit_code" for _, _, d in rows]


def _facts(document: Any) -> dict:
    return facts_of(document) if isinstance(document, dict) else {}


def run(
    *,
    db_session: Session,
    on: date | None = None,
    sink: Callable[[list[tuple[int, str, dict]], ChunkResult], None],
    chunk: int = CHUNK,
    catalog: Catalog | None = None,
    enterprise_ids: Sequence[int] | None = None,
) -> Report:
    """Evaluate every stored enterprise (or those of ``enterprise_ids``) against every public item (or the
    items of ``catalog``), ``chunk`` enterprises at a time."""
    on = on or clock.today()
    engine = Engine(catalog if catalog is not None else public_catalog(db_session=db_session), on)
    report = engine.report
    with bulk.paused_gc(), bulk.retained_memory():
        clock_at = time.process_time()
        chunks = (
            _enterprise_chunks(db_session, chunk)
            if enterprise_ids is None
            else _chunks_of(db_session, enterprise_ids, chunk)
        )
        for rows in chunks:
            clock_at = report.spent("read", clock_at)
            result = engine.chunk([doc for _, _, doc in rows])
            clock_at = report.spent("evaluate", clock_at)
            sink(rows, result)
            clock_at = report.spent("write", clock_at)
    return report


def run_to_jsonl(
    *, db_session: Session, out, on: date | None = None, chunk: int = CHUNK, workers: int = 1
) -> Report:
    """Write one JSON line per stored enterprise: its eligible and possibly items (README 匹配).

    With ``workers`` > 1 the chunks are evaluated by that many forked processes, each reading its chunks
    through its own connection (so only what is committed is seen; the caller's session must have nothing
    pending), and the lines are written here in id order. At most two chunks per worker are in flight, so
    memory stays bounded by the chunk size."""
    if workers > 1:
        return _parallel_jsonl(db_session=db_session, out=out, on=on or clock.today(), workers=workers)

    def sink(rows, result: ChunkResult) -> None:
        for block in result.jsonl([code for _, code, _ in rows], keys=_keys(rows)):
            out.write(block)

    return run(db_session=db_session, on=on, sink=sink, chunk=chunk)


PARALLEL_CHUNK = 25_000  # enterprises per task of a worker process
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else None  # where workers leave their lines
_FORKED: dict[str, Any] = {}  # what the parent leaves to the workers it forks: the engine and the database


def _parallel_jsonl(*, db_session: Session, out, on: date, workers: int) -> Report:
    import multiprocessing
    from collections import deque

    if db_session.new or db_session.dirty or db_session.deleted:
        raise ValueError("parallel batch matching reads committed data only: commit the session first")
    ranges = _id_ranges(db_session, PARALLEL_CHUNK)
    if len(ranges) < 2:  # nothing to share out
        return run_to_jsonl(db_session=db_session, out=out, on=on)
    engine = Engine(public_catalog(db_session=db_session), on)
    report = engine.report
    _FORKED.update(
        engine=engine, url=db_session.connection().engine.url.render_as_string(hide_password=False)
    )
    binary = getattr(out, "buffer", None)
    try:
        with (
            bulk.paused_gc(),
            bulk.retained_memory(),
            multiprocessing.get_context("fork").Pool(workers) as pool,
        ):
            todo = iter(ranges)
            pending: deque = deque(pool.apply_async(_work, (r,)) for r in itertools.islice(todo, 2 * workers))
            while pending:
                path, done = pending.popleft().get()
                following = next(todo, None)
                if following is not None:
                    pending.append(pool.apply_async(_work, (following,)))
                try:
                    with open(path, "rb") as part:
                        if binary is not None:
                            out.flush()
                            shutil.copyfileobj(part, binary, 1 << 22)
                        else:
                            out.write(part.read().decode())
                finally:
                    os.unlink(path)
                for key in ("enterprises", "pairs", "fallback_pairs", "bad_rows"):
                    setattr(report, key, getattr(report, key) + getattr(done, key))
                for stage, seconds in done.cpu_seconds.items():
                    report.cpu_seconds[stage] = report.cpu_seconds.get(stage, 0.0) + seconds
    finally:
        _FORKED.clear()
    return report


def _work(bounds: tuple[int, int]) -> tuple[str, Report]:
    """(In a worker process) a file of the JSON lines of the enterprises with ids in ``bounds`` (in shared
    memory where there is one: a result this large through the pool's pipe costs more than computing it),
    and what it took."""
    from zhengcetong.db.engine import make_engine

    if "db" not in _FORKED:
        _FORKED["db"] = make_engine(_FORKED["url"])
    engine: Engine = _FORKED["engine"]
    engine.report = report = Report()
    started = time.process_time()
    with _FORKED["db"].connect() as connection, unmapped(connection):
        rows = _enterprise_rows(connection, Enterprise.__table__.c.id.between(*bounds))
    started = report.spent("read", started)
    result = engine.chunk([doc for _, _, doc in rows])
    started = report.spent("evaluate", started)
    handle, path = tempfile.mkstemp(prefix="zct-batch-", suffix=".jsonl", dir=_SCRATCH)
    with open(handle, "w", encoding="utf-8") as part:
        for block in result.jsonl([code for _, code, _ in rows], keys=_keys(rows)):
            part.write(block)
    report.spent("write", started)
    return path, report


def refresh_all(*, db_session: Session, on: date | None = None, chunk: int = CHUNK) -> Report:
    """Recompute every stored match (``EnterpriseMatch``) set-based: rows for eligible and possibly pairs,
    written in bulk (COPY on PostgreSQL, executemany on SQLite: ``db.bulk``)."""
    db_session.execute(delete(EnterpriseMatch))
    return run(db_session=db_session, on=on, sink=_match_writer(db_session), chunk=chunk)


def refresh_items(
    *, db_session: Session, item_ids: Iterable[int], on: date | None = None, chunk: int = CHUNK
) -> int:
    """Recompute the stored matches of these items (with the other tiers of their tier groups) for every
    stored enterprise, set-based like :func:`refresh_all`; rows of items no longer public go. The same
    answers as ``matching.refresh_for_items``, which walks the pairs one by one. Returns the pairs."""
    ids = set(item_ids)
    if not ids:
        return 0
    catalog = public_catalog(db_session=db_session, item_ids=ids)
    affected = ids | {e.item.id for e in catalog.items}
    db_session.execute(delete(EnterpriseMatch).where(EnterpriseMatch.item_id.in_(affected)))
    if not catalog.items:
        return 0
    report = run(db_session=db_session, on=on, sink=_match_writer(db_session), chunk=chunk, catalog=catalog)
    return report.pairs


def refresh_enterprises(
    *, db_session: Session, keys: Iterable[str], on: date | None = None, chunk: int = CHUNK
) -> int:
    """Recompute the stored matches of the enterprises (and persons) with these keys (``credit_code``)
    against every public item, set-based: what an import that wrote rows in bulk, past the session hooks,
    owes to ``EnterpriseMatch``. Returns the pairs evaluated."""
    wanted = sorted(set(keys))
    if not wanted:
        return 0
    table = Enterprise.__table__
    ids: list[int] = []
    for start in range(0, len(wanted), ID_SLICE):
        part = wanted[start : start + ID_SLICE]
        ids.extend(db_session.execute(select(table.c.id).where(table.c.credit_code.in_(part))).scalars())
    for start in range(0, len(ids), ID_SLICE):
        db_session.execute(
            delete(EnterpriseMatch).where(EnterpriseMatch.enterprise_id.in_(ids[start : start + ID_SLICE]))
        )
    report = run(
        db_session=db_session, on=on, sink=_match_writer(db_session), chunk=chunk, enterprise_ids=ids
    )
    return report.pairs


def _match_writer(db_session: Session) -> Callable[[list[tuple[int, str, dict]], ChunkResult], None]:
    """A sink of :func:`run` that inserts the eligible and possibly pairs of each chunk as stored matches."""
    now = clock.now()
    connection = db_session.connection()
    table = Enterprise.__table__
    columns = (
        "enterprise_id",
        "profile_version",
        "item_id",
        "item_version",
        "result",
        "estimated_amount_yuan",
        "missing",
        "computed_at",
    )
    stored: dict[int, tuple] = {}  # fragment → (result, amount, missing) as bound
    amount_of = db_bulk.binder(connection, EnterpriseMatch, "estimated_amount_yuan")
    missing_of = db_bulk.binder(connection, EnterpriseMatch, "missing")
    computed_at = db_bulk.binder(connection, EnterpriseMatch, "computed_at")(now)

    def sink(rows, result: ChunkResult) -> None:
        e = result.engine
        versions = dict(
            connection.execute(
                select(table.c.id, table.c.version).where(table.c.id.between(rows[0][0], rows[-1][0]))
            ).all()
        )
        enterprise = [(r[0], versions[r[0]]) for r in rows]
        items = [(c.entry.item.id, c.entry.item.version) for c in e.compiled]
        live_rows, live_items = np.nonzero(result.status)
        live_frags = result.frag[live_rows, live_items]
        for f in np.unique(live_frags).tolist():
            if f not in stored:
                status, _, amount, missing = e.fragment_data[f]
                stored[f] = (
                    "eligible" if status == 1 else "possibly",
                    amount_of(None if amount is None else Decimal(amount)),
                    missing_of(list(missing)),
                )
        db_bulk.insert_values(
            connection,
            EnterpriseMatch,
            columns,
            (
                (*enterprise[i], *items[j], *stored[f], computed_at)
                for i, j, f in zip(live_rows.tolist(), live_items.tolist(), live_frags.tolist(), strict=True)
            ),
            bound=True,
        )

    return sink


def match_documents(
    *, catalog: Catalog, documents: Iterable[dict], on: date, chunk: int = CHUNK, report: Report | None = None
) -> list[dict]:
    """The short answers (``matching.summary``) of profile documents, set-based (tests, benchmarks);
    ``report``, when given, receives the run's report."""
    engine = Engine(catalog, on)
    out: list[dict] = []
    docs = list(documents)
    for start in range(0, len(docs), chunk):
        out.extend(engine.chunk(docs[start : start + chunk]).summaries())
    if report is not None:
        report.__dict__.update(engine.report.__dict__)
    return out


__all__ = ["CHUNK", "Engine", "Report", "match_documents", "refresh_all", "run", "run_to_jsonl"]
