"""``zct search ...``: query the index, rebuild it, and manage the library's dictionary terms."""

from __future__ import annotations

from zhengcetong import clock
from zhengcetong.cli._common import (
    PLAIN,
    library_session,
    note_if_empty,
    print_table,
    reading_session,
    stdout_json,
)
from zhengcetong.errors import InputError

TERM_SOURCES = {"issuer": "发文机关", "department": "责任部门", "staff": "人工添加"}  # --json keeps the codes


def run_query(q: str, *, kinds: list[str], limit: int, valid: bool, as_json: bool) -> None:
    """Search and print the hits (what the portal's search page shows)."""

    from rich.console import Console
    from rich.text import Text

    from zhengcetong import search
    from zhengcetong.config import get_settings
    from zhengcetong.search import KIND_NAMES, SearchRequest, backend_for, check_length

    unknown = [k for k in kinds if k not in KIND_NAMES]
    if unknown:
        raise InputError(f"类型“{'、'.join(unknown)}”无效，应为 {'、'.join(KIND_NAMES)}", source="--kind")
    check_length(q)
    request = SearchRequest(q=q, kind=kinds, limit=limit, valid_on=clock.today() if valid else None)
    with reading_session() as session:
        note_if_empty(session)
        backend = backend_for(session, get_settings().search_backend, resident=False)  # one search
        page = search.search(db_session=session, request=request, backend=backend)
    if as_json:
        stdout_json(page.model_dump(mode="json"))
        return
    console = Console()
    if page.exact:
        console.print(
            f"文号匹配：{page.exact.doc_number} {page.exact.title}（{page.exact.status or '不适用'}）",
            **PLAIN,
        )
    if page.ignored:
        console.print(f"已忽略过于常见的词：{'、'.join(page.ignored)}", **PLAIN)
    console.print(f"共 {page.total} 条，{page.took_ms:.0f} 毫秒（{page.engine}）", **PLAIN)
    for n, hit in enumerate(page.hits, 1):
        snippet = Text()
        for segment in hit.snippet:
            snippet.append(segment.text, style="bold yellow" if segment.hit else None)
        console.print(Text.assemble(f"{n}. [{KIND_NAMES.get(hit.kind, hit.kind)}] ", (hit.title, "bold")))
        console.print(Text.assemble("   ", snippet))
        console.print(f"   {hit.url}  score {hit.score:.3f}", **PLAIN)


def run_rebuild(*, actor: str) -> None:
    """Drop and rebuild the whole index."""
    from zhengcetong.search import rebuild

    with library_session() as session:
        result = rebuild(db_session=session, actor=actor)
    print(
        f"检索索引已重建：{result.documents} 篇文件，共 {result.entries} 条文件和条款，{result.items} 项事项"
    )


def run_terms(*, as_json: bool) -> None:
    """List the dictionary terms taken from the library."""
    from zhengcetong.search import list_terms

    with reading_session() as session:
        rows = list_terms(db_session=session)
        data = [
            {"term": t.term, "source": t.source, "added_by": t.added_by, "added_at": t.added_at} for t in rows
        ]
    if as_json:
        stdout_json(data)
        return
    print_table(
        "分词词典中的库内词语",
        ("词语", "来源", "添加人", "添加时间"),
        (
            (
                d["term"],
                TERM_SOURCES.get(d["source"], d["source"]),
                d["added_by"],
                clock.china_time(d["added_at"]),
            )
            for d in data
        ),
    )


def run_add_terms(words: list[str], *, actor: str) -> None:
    """Add words to the dictionary; entries containing them are re-analysed in the same transaction."""
    from zhengcetong.errors import InputError
    from zhengcetong.search import add_terms

    bad = [w for w in words if not (2 <= len(w.strip()) <= 100)]
    if bad:
        raise InputError(f"词语应为 2 到 100 个字：{'、'.join(bad)}", source="terms")
    with library_session() as session:
        added, reanalysed = add_terms(
            db_session=session, terms={w.strip(): "staff" for w in words}, actor=actor
        )
    if not added:
        print("这些词已在词典中，未做改动")
        return
    print(f"已添加 {len(added)} 个词：{'、'.join(added)}；重新分词 {reanalysed} 条索引")
