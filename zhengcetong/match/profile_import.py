"""Importing enterprise profiles from files: JSON (one object or a list), JSON Lines, CSV and XLSX.

Rows are read one at a time and upserted in batches (one SELECT of the existing credit codes per batch,
one multi-row INSERT of the new ones), so a file of 200 000 rows needs neither the whole file nor every
document in memory at once. Every problem of every row is collected (file, row, column for CSV and
XLSX, the reason in Chinese); when there is any, nothing is written (the caller rolls back).

CSV and XLSX columns (the header row names them; the Chinese labels of the fields work too):

- the document's scalar fields by name: ``name``, ``credit_code``, ``region``, ``scale``, ``employees``,
  ``mu_efficiency_grade``, ``contact_email``;
- ``industries``: several separated by 、 ; , (or their full-width forms);
- ``revenue_yuan.2025``: a by-year value, one column per year;
- ``recognitions``, ``projects``, ``facts``: JSON text.

An empty cell leaves the field as it is (imports never remove a field).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from zhengcetong.errors import InputError
from zhengcetong.match import bulk, profiles
from zhengcetong.match.enterprise import LABELS, PERSON_FIELDS, PERSON_LABELS
from zhengcetong.match.errors import Problem, did_you_mean
from zhengcetong.match.profiles import normalise_credit_code, profile_key

FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
SCALAR_COLUMNS = (
    "name",
    "credit_code",
    "region",
    "scale",
    "employees",
    "mu_efficiency_grade",
    "contact_email",
)
LIST_COLUMNS = ("industries",)
JSON_COLUMNS = ("recognitions", "projects", "facts")
BY_YEAR = ("revenue_yuan",)
INT_COLUMNS = ("employees",)
PERSON_COLUMNS = ("kind", "id_number", *PERSON_FIELDS)  # a person's row: kind "person" (README 企业画像)
COLUMNS = (*SCALAR_COLUMNS, *LIST_COLUMNS, *JSON_COLUMNS, *PERSON_COLUMNS)
ALIASES = {
    **{PERSON_LABELS[name]: name for name in ("name", *PERSON_COLUMNS) if name in PERSON_LABELS},
    **{LABELS[name]: name for name in (*COLUMNS, *BY_YEAR) if name in LABELS},
    "画像类型": "kind",
}
YES_NO = {"是": True, "否": False, "true": True, "false": False, "True": True, "False": False}
SEPARATORS = re.compile(r"[、;；,，]")
BATCH = 2000
MAX_PROBLEMS = 200  # reported at most; the count of the rest is given


@dataclass
class Row:
    """One document read from a file, with where it came from and what was wrong with its cells."""

    source: str
    number: int  # row (CSV, XLSX: as the spreadsheet numbers it), line (JSON Lines) or position (JSON)
    document: Any
    problems: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → column as shown ("D（scale）")

    def where(self) -> str:
        unit = {"json": "第 {} 项", "jsonl": "第 {} 行"}.get(self.kind, "第 {} 行")
        return f"{self.source} {unit.format(self.number)}"

    kind: str = "csv"

    def problem_line(self, problem: Problem) -> str:
        """A problem of this row's document, with the column it came from when there is one."""
        path = problem.where[2:] if problem.where.startswith("$.") else ""
        head = re.match(r"[^.\[]+", path)
        column = None
        if head:
            year = re.match(r"[^.\[]+\.(\d{4})", path)
            column = self.columns.get(f"{head.group(0)}.{year.group(1)}" if year else head.group(0))
            column = column or self.columns.get(head.group(0))
        if column:
            return f"{self.where()}，列 {column}：{problem.zh}"
        return f"{self.where()}：{path + '：' if path else ''}{problem.zh}"


@dataclass
class ImportReport:
    """What an import did (or would have done): rows read and enterprises created, updated, unchanged."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_keys: list[str] = field(default_factory=list)  # of the profiles created or updated


class ImportProblems(InputError):
    """Problems found in the files of an import; nothing was written. ``lines`` lists each one."""

    def __init__(self, lines: list[str], total: int):
        self.lines = lines
        shown = "\n".join(f"  - {line}" for line in lines)
        more = f"\n  …另有 {total - len(lines)} 处问题未列出" if total > len(lines) else ""
        super().__init__(f"共发现 {total} 处问题，未写入任何内容：\n{shown}{more}", source="导入企业画像")


def file_format(path: str) -> str:
    """``json``, ``jsonl``, ``csv`` or ``xlsx`` by the file's extension, or InputError."""
    kind = FORMATS.get(Path(path).suffix.lower())
    if kind is None:
        raise InputError(
            f"不认识的文件类型“{Path(path).suffix}”，应为 .json、.jsonl、.csv 或 .xlsx", source=path
        )
    return kind


def _check_size(path: str, max_bytes: int | None) -> int:
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("这是一个目录，不是文件", source=path)
        size = p.stat().st_size
    except FileNotFoundError as exc:
        raise InputError("文件不存在", source=path) from exc
    except PermissionError as exc:
        raise InputError("没有读取权限", source=path) from exc
    if max_bytes is not None and size > max_bytes:
        raise InputError(
            f"文件有 {size} 字节，超过上限 {max_bytes} 字节（ZCT_MAX_UPLOAD_BYTES）", source=path
        )
    return size


def count_rows(path: str) -> int | None:
    """About how many rows the file holds (for a progress bar), or None when that is not cheap to know."""
    kind = file_format(path)
    if kind in ("csv", "jsonl"):
        with open(path, "rb") as f:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        return max(lines - (1 if kind == "csv" else 0), 0)
    return None


# --- reading ------------------------------------------------------------------------------------------


def _text_stream(path: str) -> io.TextIOWrapper:
    """The file as text: UTF-8 (with or without BOM), or GB18030 when its start is not UTF-8 (as some
    spreadsheet programs save CSV)."""
    raw = open(path, "rb")  # noqa: SIM115 - closed through the wrapper
    head = raw.read(1 << 16)
    raw.seek(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def _read_json(path: str) -> Iterator[Row]:
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError("不是 UTF-8 编码的 JSON 文件", source=path) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"不是有效的 JSON：{exc.msg}", source=path, line=exc.lineno) from exc
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items, 1):
        yield Row(path, i, item, kind="json")


def _read_jsonl(path: str) -> Iterator[Row]:
    with _text_stream(path) as f:
        number = 0
        while True:
            try:
                line = f.readline()
            except UnicodeDecodeError as exc:
                raise InputError("无法解码（应为 UTF-8）", source=path, line=number + 1) from exc
            if not line:
                return
            number += 1
            if not line.strip():
                continue
            try:
                yield Row(path, number, bulk.loads(line), kind="jsonl")
            except json.JSONDecodeError as exc:
                yield Row(
                    path, number, None, [f"{path} 第 {number} 行：不是有效的 JSON（{exc.msg}）"], kind="jsonl"
                )


def _header(cells: list[Any], path: str, letters: bool) -> tuple[list[str | None], list[str]]:
    """The field each column holds (None for an empty header cell), and the problems of the header."""
    names: list[str | None] = []
    problems = []
    known = (*COLUMNS, *(f"{b}.2025" for b in BY_YEAR))
    for i, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        where = f"列 {_letter(i)}" if letters else f"第 {i + 1} 列"
        if not text:
            names.append(None)
            continue
        head, dot, rest = text.partition(".")
        head = ALIASES.get(head, head)
        name = f"{head}{dot}{rest}"
        if head in BY_YEAR and dot and re.fullmatch(r"\d{4}", rest):
            pass
        elif head in BY_YEAR:
            problems.append(f"{path} 第 1 行，{where}：列名“{text}”应写成 {head}.年份，如 {head}.2025")
        elif dot or head not in COLUMNS:
            zh, _ = did_you_mean(text, known)
            problems.append(f"{path} 第 1 行，{where}：不认识的列名“{text}”{zh}")
        if name in names:
            problems.append(f"{path} 第 1 行，{where}：列名“{text}”重复")
        names.append(name)
    if "credit_code" not in names and "id_number" not in names:
        problems.append(f"{path} 第 1 行：缺少 credit_code（统一社会信用代码）列（个人画像为 id_number 列）")
    return names, problems


def _letter(i: int) -> str:
    """The spreadsheet letter of a 0-based column.

    Examples:
        >>> _letter(0), _letter(25), _letter(26)
        ('A', 'Z', 'AA')
    """
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _number(value: Any, *, integer: bool) -> Any:
    """A cell as a number when it reads as one; otherwise the cell as typed, for the check to refuse.

    Examples:
        >>> _number("1,200", integer=True), _number("3.5", integer=False), _number(420.0, integer=True)
        (1200, 3.5, 420)
        >>> _number("abc", integer=False), _number("3.5", integer=True)
        ('abc', '3.5')
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    text = str(value).strip().replace(",", "").replace("，", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if not integer and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return float(text)
    return value


def _columns(
    names: list[str | None], letters: bool
) -> tuple[list[tuple[int, str, str, str]], dict[str, str]]:
    """How to read each column, worked out once per file: (index, field, year, kind) for every named
    column, and the column label of every field, as problems show it ("D（scale）" in XLSX)."""
    plan = []
    labels: dict[str, str] = {}
    for i, name in enumerate(names):
        if name is None:
            continue
        column = f"{_letter(i)}（{name}）" if letters else name
        labels[name] = column
        head, _, year = name.partition(".")
        if head in BY_YEAR:
            kind = "by_year"
            labels.setdefault(head, column)
        elif head in INT_COLUMNS:
            kind = "int"
        elif head in LIST_COLUMNS:
            kind = "list"
        elif head in JSON_COLUMNS:
            kind = "json"
        elif head in ("credit_code", "id_number"):
            kind = "code"
        elif head in PERSON_FIELDS and PERSON_FIELDS[head].type in ("bool", "int", "number"):
            kind = PERSON_FIELDS[head].type
        else:
            kind = "text"
        plan.append((i, head, year, kind))
    return plan, labels


def _cell_document(cells, plan: list[tuple[int, str, str, str]], row: Row) -> None:
    """Fill ``row.document`` from a row's cells (``row.problems`` gets what cannot be read)."""
    document: dict[str, Any] = {}
    size = len(cells)
    for i, head, year, kind in plan:
        if i >= size:
            continue
        value = cells[i]
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        if kind == "text":
            document[head] = value if isinstance(value, str) else str(value)
        elif kind == "by_year":
            document.setdefault(head, {})[year] = _number(value, integer=False)
        elif kind == "int":
            document[head] = _number(value, integer=True)
        elif kind == "code":
            document[head] = normalise_credit_code(
                str(int(value)) if isinstance(value, int | float) else value
            )
        elif kind == "bool":
            document[head] = YES_NO.get(str(value), value) if not isinstance(value, bool) else value
        elif kind == "number":
            document[head] = _number(value, integer=False)
        elif kind == "list":
            document[head] = [p.strip() for p in SEPARATORS.split(str(value)) if p.strip()]
        else:
            try:
                document[head] = json.loads(str(value))
            except json.JSONDecodeError as exc:
                row.problems.append(
                    f"{row.where()}，列 {row.columns[head]}：不是有效的 JSON（{exc.msg}，第 {exc.colno} 个字符）"
                )
    row.document = document


def _read_csv(path: str) -> Iterator[Row]:
    with _text_stream(path) as f:
        reader = csv.reader(f)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"无法读取表头：{exc}", source=path, line=1) from exc
        if header is None:
            raise InputError("文件是空的，第 1 行应为列名", source=path)
        names, problems = _header(header, path, letters=False)
        if problems:
            raise ImportProblems(problems, len(problems))
        plan, labels = _columns(names, letters=False)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise InputError(
                    "无法解码（应为 UTF-8 或 GB18030）", source=path, line=reader.line_num + 1
                ) from exc
            except csv.Error as exc:
                raise InputError(f"CSV 格式有误：{exc}", source=path, line=reader.line_num) from exc
            if not any(c.strip() for c in cells):
                continue
            row = Row(path, reader.line_num, None, [], labels, "csv")
            if len(cells) > len(names):
                row.problems.append(f"{row.where()}：有 {len(cells)} 个单元格，多于表头的 {len(names)} 列")
            _cell_document(cells, plan, row)
            yield row


def _read_xlsx(path: str) -> Iterator[Row]:
    from zipfile import BadZipFile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError("不是有效的 .xlsx 文件（请在表格软件中另存为 Excel 工作簿）", source=path) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError("第一张工作表是空的，第 1 行应为列名", source=path)
        names, problems = _header(list(header), path, letters=True)
        if problems:
            raise ImportProblems(problems, len(problems))
        plan, labels = _columns(names, letters=True)
        for number, cells in enumerate(rows, 2):
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            row = Row(path, number, None, [], labels, "xlsx")
            _cell_document(cells, plan, row)
            yield row
    finally:
        book.close()


READERS: dict[str, Callable[[str], Iterator[Row]]] = {
    "json": _read_json,
    "jsonl": _read_jsonl,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
}


def read_rows(path: str, *, max_bytes: int | None = None) -> Iterator[Row]:
    """The rows of one file, one at a time (InputError for a file that cannot be read at all)."""
    reader = READERS[file_format(path)]
    _check_size(path, max_bytes)
    return reader(path)


# --- importing ----------------------------------------------------------------------------------------


def import_files(
    *,
    db_session: Session,
    paths: list[str],
    source: str,
    actor: str,
    max_bytes: int | None = None,
    on_row: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Upsert the enterprises of every file (fields a row leaves out are kept), all or nothing:
    ImportProblems lists every problem (file, row, column, reason) and then nothing has been written
    (the caller rolls the session back). ``on_row(path, rows_read)`` reports progress."""
    if source not in profiles.SOURCES:
        raise InputError(f"来源“{source}”无效，应为 {' / '.join(profiles.SOURCES)}", source="--source")
    for path in paths:
        file_format(path)
        _check_size(path, max_bytes)
    with bulk.paused_gc():  # rows make no reference cycles; the collector's passes cost a third of the time
        return _import(
            db_session=db_session, paths=paths, source=source, actor=actor, max_bytes=max_bytes, on_row=on_row
        )


def _import(*, db_session, paths, source, actor, max_bytes, on_row) -> ImportReport:
    report = ImportReport()
    found_lines: list[tuple[int, int, int, str]] = []  # (file, row, order found, line)
    total_problems = 0
    seen: dict[str, str] = {}  # credit code → where it was first read
    batch: list[Row] = []

    def problem(row: Row, line: str) -> None:
        nonlocal total_problems
        total_problems += 1
        if len(found_lines) < MAX_PROBLEMS:
            found_lines.append((paths.index(row.source), row.number, total_problems, line))

    def flush() -> None:
        outcomes, found = profiles.upsert_many(
            db_session=db_session,
            documents=[r.document for r in batch],
            source=source,
            actor=actor,
            write=total_problems == 0,
        )
        for i, problems in found.items():
            for p in problems:
                problem(batch[i], batch[i].problem_line(p))
        for row, status in zip(batch, outcomes, strict=True):
            if status is not None:
                setattr(report, status, getattr(report, status) + 1)
                if status != "unchanged":
                    report.changed_keys.append(profile_key(row.document))
        batch.clear()

    for path in paths:
        for row in read_rows(path, max_bytes=max_bytes):
            report.rows += 1
            if on_row:
                on_row(path, report.rows)
            for line in row.problems:
                problem(row, line)
            if row.problems:
                continue
            if not isinstance(row.document, dict):
                problem(row, f"{row.where()}：企业画像必须是 JSON 对象")
                continue
            code = profile_key(row.document)
            if isinstance(code, str) and code:
                if code in seen:
                    what = "公民身份号码" if row.document.get("kind") == "person" else "统一社会信用代码"
                    problem(row, f"{row.where()}：{what} {code} 与 {seen[code]}重复")
                    continue
                seen[code] = row.where()
            batch.append(row)
            if len(batch) >= BATCH:
                flush()
    if batch:
        flush()
    if total_problems:
        raise ImportProblems([line for *_, line in sorted(found_lines)], total_problems)
    return report
