"""``zct calc``: the benefit an enterprise would get from one policy item (试算), step by step."""

from __future__ import annotations

import sys
from datetime import date

from zhengcetong import clock
from zhengcetong.cli._common import PLAIN, note_if_empty, read_input, reading_session, stdout_json
from zhengcetong.errors import InputError

MAX_PROFILE_BYTES = 1_000_000
VERDICT_STYLES = {"eligible": "bold green", "possibly": "bold yellow", "ineligible": "bold red"}


def _on(text: str | None) -> date:
    return clock.parse_date(text, "--on") or clock.today()


def _profile_text(path: str) -> tuple[str, str]:
    """The profile's text and the name to report it by (``-`` reads standard input)."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)
        name = "<stdin>"
        if len(data) > MAX_PROFILE_BYTES:
            raise InputError(f"企业画像超过 {MAX_PROFILE_BYTES} 字节", source=name)
    else:
        data, name = read_input(path, MAX_PROFILE_BYTES), path
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise InputError("企业画像应为 UTF-8 编码的 JSON 或 YAML 文本", source=name) from exc


def run_calc(*, item: str, profile: str, on: str | None, version: int | None, as_json: bool) -> None:
    """Evaluate one item for the profile and print the verdict, amount, reasons, steps and source."""

    from zhengcetong.match import service

    when = _on(on)
    if version is not None and version < 1:
        raise InputError("版本号应为正整数", source="--version")
    text, name = _profile_text(profile)
    facts = service.parse_profile(text, source=name)
    with reading_session() as session:
        note_if_empty(session)
        calc = service.calculate(
            db_session=session, item_ref=item, profile=facts, on=when, version=version, source=name
        )
        data = calc.to_dict()
        session.rollback()  # a calculation writes nothing
    if as_json:
        stdout_json(data, pretty=True)
        return
    print_calculation(data)


def print_calculation(data: dict) -> None:
    """The calculation for people: item, status, verdict, amount, reasons, steps, missing facts, source."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    item = data["item"]

    def line(*parts) -> None:
        console.print(Text.assemble(*parts), soft_wrap=True)

    line(
        (data["name"], "bold"),
        f"（事项 {item['id']} · {item['key']} · 第 {data['version']} 版 · {item['status_zh']}）",
    )
    for warning in data["warnings"]:
        line(("注意：", "bold yellow"), warning)
    line("评估日期：", data["on"])
    line("结论：", (data["eligible_zh"], VERDICT_STYLES[data["eligible"]]))
    if data["eligible"] != "ineligible":
        line("金额：", data["amount_text"])
    if data["reasons"]:
        console.print("理由：", **PLAIN)
        for reason in data["reasons"]:
            console.print(f"  - {reason}", **PLAIN)
    if data["steps"]:
        console.print("计算过程：", **PLAIN)
        for n, step in enumerate(data["steps"], 1):
            console.print(f"  {n}. {step}", **PLAIN)
    if data["missing_labels"]:
        console.print("待补充的信息：", **PLAIN)
        for label, fact in zip(data["missing_labels"], _facts_for(data), strict=False):
            console.print(f"  - {label}" + (f"（{fact}）" if fact else ""), **PLAIN)
    ref = data["reference"]
    cite = " ".join(v for v in (ref.get("doc_number"), ref.get("clause")) if v)
    console.print(f"依据：{cite}" + (f"《{ref['title']}》" if ref.get("title") else ""), **PLAIN)
    if ref.get("quote"):
        console.print(f"  “{ref['quote']}”", **PLAIN)


def _facts_for(data: dict) -> list[str]:
    """The fact path beside each missing label, when one label names one fact."""
    missing = data["missing"]
    return missing if len(missing) == len(data["missing_labels"]) else [""] * len(data["missing_labels"])
