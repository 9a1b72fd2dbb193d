"""``zct extract`` and ``zct ingest``."""

from __future__ import annotations

from zhengcetong.cli._common import read_input, stdout_json
from zhengcetong.config import get_settings
from zhengcetong.errors import InputError
from zhengcetong.ingest.parse import parse_bytes


def run_extract(file: str, *, as_json: bool, pretty: bool) -> None:
    """Parse one file and print it (JSON export or a table)."""
    from zhengcetong.ingest.measures import extract_items, items_to_json

    parsed = parse_bytes(read_input(file, get_settings().max_upload_bytes), file)
    items = {id(doc): extract_items(doc) for doc in parsed.documents}
    if as_json:
        data = parsed.to_json()
        data["items"] = items_to_json([item for doc in parsed.documents for item in items[id(doc)]])
        stdout_json(data, pretty=pretty)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{file}  {parsed.issue or '单篇公文'}", show_lines=False)
    for column in ("文号", "标题", "成文日期", "类型", "施行日期", "有效期至", "行", "事项"):
        table.add_column(column)
    for doc in parsed.documents:
        table.add_row(
            doc.doc_number or "—",
            doc.title,
            str(doc.date or "—"),
            doc.kind,
            str(doc.effective_from or "—"),
            str(doc.effective_until or "—"),
            f"{doc.line_start}–{doc.line_end}",
            str(len(items[id(doc)])),
        )
    console = Console()
    console.print(table)
    for finding in parsed.findings:
        where = f"第{finding.line}行 " if finding.line else ""
        console.print(f"[{finding.level}] {where}{finding.message}", markup=False)


def run_ingest(files: list[str], *, actor: str) -> None:
    """Parse every file, then store them all in one transaction (all or nothing)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.ingest.measures import extract_items
    from zhengcetong.library import service

    console = Console(stderr=True)
    settings = get_settings()
    parsed = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("解析", total=len(files))
        for file in files:
            progress.update(task, description=f"解析 {file}")
            data = read_input(file, settings.max_upload_bytes)
            gazette = parse_bytes(data, file)
            parsed.append((file, data, gazette, [extract_items(doc) for doc in gazette.documents]))
            progress.advance(task)
        engine = get_engine()
        upgrade(engine)
        store = progress.add_task("入库", total=len(parsed))
        results = []
        with session_scope(engine) as session:
            for file, data, gazette, items in parsed:
                progress.update(store, description=f"入库 {file}")
                try:
                    result = service.ingest_gazette(
                        db_session=session,
                        parsed=gazette,
                        content=data,
                        source_name=file,
                        actor=actor,
                        items=items,
                    )
                except InputError:
                    raise
                except Exception as exc:  # a database error names the file; the transaction rolls back
                    raise InputError(
                        f"入库失败，全部文件均未写入：{exc.__class__.__name__}: {exc}", source=file
                    ) from exc
                results.append((file, gazette, result))
                progress.advance(store)
    out = Console()
    for file, gazette, result in results:
        if result.created:
            extra = f"，{len(result.skipped)} 篇已在库中" if result.skipped else ""
            issue = gazette.issue or "单篇公文"
            count = result.items
            out.print(
                f"{file}：新增 {result.documents} 篇{extra}，{count} 项政策事项待审核（{issue}）",
                markup=False,
            )
        else:
            out.print(f"{file}：已入库，未改变", markup=False)
        for finding in gazette.findings:
            if finding.level != "info":
                where = f"第{finding.line}行 " if finding.line else ""
                out.print(f"  [{finding.level}] {where}{finding.message}", markup=False)
