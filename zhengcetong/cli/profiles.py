"""``zct profiles``: import enterprise profiles (JSON, JSON Lines, CSV, XLSX), show and list them."""

from __future__ import annotations

from zhengcetong.cli._common import PLAIN, library_session, print_table, reading_session, stdout_json
from zhengcetong.config import get_settings

IMPORT_SOURCES = ("staff", "exchange")


def run_import(files: list[str], *, source: str, actor: str, match: bool = True) -> None:
    """Upsert every file's enterprises in one transaction: all or nothing, with a progress bar; then (with
    ``match``) recompute the stored matches of the profiles that changed, in the same transaction."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from zhengcetong.errors import InputError
    from zhengcetong.match import profile_import

    if source not in IMPORT_SOURCES:
        raise InputError(
            f"来源“{source}”无效，导入时应为 staff（工作人员导入）或 exchange（数据交换）；"
            "enterprise（企业填报）只来自企业本人在门户上的填写",
            source="--source",
        )
    settings = get_settings()
    for file in files:  # refuse unknown types and oversized files before touching the database
        profile_import.file_format(file)
    estimates = [profile_import.count_rows(f) for f in files]
    total = sum(e for e in estimates if e is not None) if all(e is not None for e in estimates) else None
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("导入企业画像", total=total)

        def on_row(path: str, rows: int) -> None:
            if rows % 500 == 0:
                progress.update(task, completed=rows, description=f"导入 {path}")

        with library_session() as session:
            report = profile_import.import_files(
                db_session=session,
                paths=files,
                source=source,
                actor=actor,
                max_bytes=settings.max_upload_bytes,
                on_row=on_row,
            )
            progress.update(task, completed=report.rows, total=report.rows)
            if match and report.changed_keys:  # bulk writes pass the session hooks: refresh here
                from zhengcetong.match import batch

                progress.update(task, description="更新匹配结果")
                batch.refresh_enterprises(db_session=session, keys=report.changed_keys)
    Console().print(
        f"共 {report.rows} 行：新增 {report.created} 份画像，更新 {report.updated} 份，未改变 {report.unchanged} 份"
        + ("" if match or not report.changed_keys else "；保存的匹配结果未更新，请运行 zct match --all"),
        **PLAIN,
    )


def run_show(credit_code: str, *, as_json: bool) -> None:
    """Print one enterprise's profile and where each field came from."""
    import json

    from zhengcetong.match import profiles
    from zhengcetong.match.enterprise import LABELS, PERSON_LABELS, is_person

    with reading_session() as session:
        data = profiles.to_dict(profiles.get(db_session=session, credit_code=credit_code))
    if as_json:
        stdout_json(data, pretty=True)
        return
    labels = (
        {**PERSON_LABELS, "kind": "画像类型"}
        if is_person(data["document"])
        else {**LABELS, "kind": "画像类型"}
    )
    rows = []
    for key, value in data["document"].items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append((labels.get(key, key), key, text, profiles.provenance_text(data["provenance"].get(key))))
    print_table(
        f"{data['name']}（{data['credit_code']}）第 {data['version']} 版",
        ["字段", "字段名", "值", "来源"],
        rows,
    )


def run_list(*, q: str | None, region: str | None, limit: int, as_json: bool) -> None:
    """List enterprises (and persons): credit code (a person's 公民身份号码), name, region, version, last change."""
    from zhengcetong import clock
    from zhengcetong.match import profiles
    from zhengcetong.match.enterprise import is_person

    with reading_session() as session:
        found, total = profiles.list_enterprises(db_session=session, q=q, region=region, limit=limit)
        data = [profiles.to_dict(e) for e in found]
        shown = [
            (
                e.credit_code,
                "个人" if is_person(e.profile) else "企业",
                e.name,
                e.region,
                e.version,
                clock.china_time(e.updated_at),
                e.updated_by,
            )
            for e in found
        ]
    if as_json:
        stdout_json({"total": total, "enterprises": data})
        return
    print_table(
        f"企业（共 {total} 家{'，显示前 ' + str(len(shown)) + ' 家' if total > len(shown) else ''}）",
        ["统一社会信用代码 / 公民身份号码", "类型", "名称", "所在地区", "版本", "更新时间", "更新人"],
        shown,
    )
