"""``zct extract`` and ``zct ingest``."""

from __future__ import annotations

from zhengcetong.cli._common import PLAIN, print_table, read_input, stdout_json
from zhengcetong.config import get_settings
from zhengcetong.errors import InputError

LEVEL_NAMES = {"info": "提示", "warning": "警告", "error": "错误"}


def level_name(level: str) -> str:
    """A finding's level as people read it (``--json`` keeps info, warning, error).

    Examples:
        >>> level_name("warning"), level_name("other")
        ('警告', 'other')
    """
    return LEVEL_NAMES.get(level, level)


def run_extract(file: str, *, as_json: bool, pretty: bool) -> None:
    """Parse one file and print it (JSON export or a table)."""
    from zhengcetong.ingest.flows import prepare
    from zhengcetong.ingest.measures import items_to_json
    from zhengcetong.library import DOCUMENT_KIND_NAMES

    prepared = prepare(read_input(file, get_settings().max_upload_bytes), file)
    parsed = prepared.gazette
    items = {id(doc): found for doc, found in zip(parsed.documents, prepared.items, strict=True)}
    if as_json:
        data = parsed.to_json()
        data["items"] = items_to_json([item for doc in parsed.documents for item in items[id(doc)]])
        stdout_json(data, pretty=pretty)
        return
    print_table(
        f"{file}  {parsed.issue or '单篇公文'}",
        ("文号", "标题", "成文日期", "类型", "施行日期", "有效期至", "行", "事项"),
        (
            (
                doc.doc_number,
                doc.title or "（无标题）",
                doc.date,
                DOCUMENT_KIND_NAMES.get(doc.kind, doc.kind),
                doc.effective_from,
                doc.effective_until,
                f"{doc.line_start}–{doc.line_end}",
                len(items[id(doc)]),
            )
            for doc in parsed.documents
        ),
    )
    from rich.console import Console

    console = Console()
    for finding in parsed.findings:
        where = f"第{finding.line}行 " if finding.line else ""
        console.print(f"[{level_name(finding.level)}] {where}{finding.message}", **PLAIN)


def run_ingest(files: list[str], *, actor: str) -> None:
    """Parse every file, then store them all in one transaction (all or nothing)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from zhengcetong import search
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.ingest import flows

    search.install()
    console = Console(stderr=True)
    settings = get_settings()
    prepared = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("解析", total=len(files))
        for file in files:
            progress.update(task, description=f"解析 {file}")
            try:
                prepared.append(flows.prepare(read_input(file, settings.max_upload_bytes), file))
            except InputError as exc:
                raise flows.nothing_written(exc, file) from exc
            progress.advance(task)
        engine = get_engine()
        upgrade(engine)
        store = progress.add_task("入库", total=len(prepared))
        with session_scope(engine) as session:
            stored = flows.store(
                db_session=session,
                prepared=prepared,
                actor=actor,
                on_stored=lambda one: progress.update(
                    store, advance=1, description=f"入库 {one.prepared.source_name}"
                ),
            )
            index = progress.add_task("建立检索索引", total=1)
            indexed = search.sync(db_session=session, actor=actor)
            progress.advance(index)
    results = [(one.prepared.source_name, one.prepared.gazette, one.result) for one in stored]
    out = Console()
    for file, gazette, result in results:
        if result.created:
            extra = f"，{len(result.skipped)} 篇已在库中" if result.skipped else ""
            issue = gazette.issue or "单篇公文"
            count = result.items
            out.print(
                f"{file}：新增 {result.documents} 篇{extra}，{count} 项政策事项待审核（{issue}）",
                **PLAIN,
            )
        else:
            reason = getattr(result, "skipped_reason", None)  # names the file stored earlier
            same_file = not reason or f"“{file}”" in reason
            out.print(f"{file}：已入库，未改变" + ("" if same_file else f"（{reason}）"), **PLAIN)
        for finding in gazette.findings:
            if finding.level != "info":
                where = f"第{finding.line}行 " if finding.line else ""
                out.print(f"  [{level_name(finding.level)}] {where}{finding.message}", **PLAIN)
    if indexed.changed:
        out.print(f"检索索引：新增 {indexed.entries} 条文件和条款、{indexed.items} 项事项", **PLAIN)
