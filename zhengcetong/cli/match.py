"""``zct match``: every public policy item one enterprise may get (``--profile``), or all stored
enterprises at once (``--all``, set-based: ``zhengcetong.match.batch``)."""

from __future__ import annotations

import sys

from zhengcetong.cli._common import PLAIN, library_session, note_if_empty, stdout_json
from zhengcetong.cli.calc import _on, _profile_text
from zhengcetong.errors import InputError


def _document(text: str, name: str):
    """The profile document from JSON or YAML text (ProfileError naming the fields otherwise)."""
    import json

    from zhengcetong.match import matching
    from zhengcetong.match.errors import Problem
    from zhengcetong.match.service import ProfileError
    from zhengcetong.match.text import json_ready

    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        import yaml

        try:
            data = json_ready(yaml.safe_load(text))
        except yaml.YAMLError as exc:
            raise ProfileError(
                [Problem("$", "不是有效的 JSON 或 YAML", "invalid JSON or YAML")], source=name
            ) from exc
    return matching.parse_document(data, source=name)


def run_match(
    *,
    profile: str | None,
    match_all: bool,
    on: str | None,
    as_json: bool,
    jsonl: str | None,
    workers: int | None = None,
) -> None:
    """Match one profile document, or every stored enterprise (to JSONL or the stored matches)."""
    when = _on(on)
    if match_all == (profile is not None):
        raise InputError("请指定 --profile 画像文件，或 --all（全部已存企业）之一", source="match")
    if workers is not None and not jsonl:
        raise InputError("--workers 只用于 --all --jsonl", source="--workers")
    if match_all:
        _run_all(when, jsonl, workers)
        return
    if jsonl:
        raise InputError("--jsonl 只用于 --all", source="--jsonl")
    from zhengcetong.match import matching

    text, name = _profile_text(profile)
    document = _document(text, name)
    with library_session() as session:
        note_if_empty(session)
        result = matching.match_profile(db_session=session, document=document, on=when, source=name)
        session.rollback()  # matching one profile writes nothing
    for problem in result.broken:
        print(f"注意：{problem}", file=sys.stderr)
    if as_json:
        stdout_json(result.to_dict(), pretty=True)
        return
    print_result(result.to_dict())


def _run_all(when, jsonl: str | None, workers: int | None) -> None:
    import os
    import time

    from zhengcetong.match import batch

    started = time.perf_counter()
    with library_session() as session:
        if jsonl:
            workers = workers or min(os.cpu_count() or 1, 2)
            with open(jsonl, "w", encoding="utf-8") as out:
                report = batch.run_to_jsonl(db_session=session, on=when, out=out, workers=workers)
        else:
            report = batch.refresh_all(db_session=session, on=when)
    took = time.perf_counter() - started
    print(
        f"匹配完成：{report.enterprises} 家企业 × {report.items} 个事项 = {report.pairs} 对，"
        f"用时 {took:.1f} 秒；逐对计算的事项 {len(report.fallback_items)} 个，逐对计算的对数 {report.fallback_pairs}",
        file=sys.stderr,
    )
    for key, why in report.fallback_items.items():
        print(f"  逐对计算：{key}（{why}）", file=sys.stderr)


def _amount(entry: dict) -> str:
    from zhengcetong.match.text import yuan

    if entry["estimated_amount_yuan"] is not None:
        return ("最高 " if entry["up_to"] else "") + yuan(entry["estimated_amount_yuan"])
    if entry["amount_max_yuan"] is not None:
        return f"待定（{entry['benefit']}）"
    return "金额待定"


def print_result(data: dict) -> None:
    """The match as a readable Chinese table: eligible, then possibly with the facts still needed."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    console.print(
        f"评估日期：{data['on']}　符合 {len(data['eligible'])} 项　可能符合 {len(data['possibly'])} 项　"
        f"不符合 {data['ineligible_count']} 项",
        **PLAIN,
    )
    for title, key in (("符合", "eligible"), ("可能符合", "possibly")):
        rows = data[key]
        if not rows:
            continue
        table = Table(title=f"{title}的政策事项", show_lines=True, title_justify="left")
        for column in ("事项", "依据", "金额", "理由" if key == "eligible" else "待补充的信息"):
            table.add_column(column, overflow="fold")
        for entry in rows:
            cite = f"{entry['doc_number']} {entry['clause']}"
            if key == "eligible":
                detail = "\n".join(entry["reasons"])
            else:
                detail = "\n".join(f"{m['label']}（{m['path']}）" for m in entry.get("missing", []))
            table.add_row(entry["name"], cite, _amount(entry), detail)
        console.print(table)
