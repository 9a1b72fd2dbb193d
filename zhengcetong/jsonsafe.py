"""Reading JSON (and YAML) that users type or send, within limits: size, nesting depth, numbers, NUL.

Every place that parses user JSON goes through :func:`loads` (the calculator API, the staff console's
condition, formula and profile boxes, ``zct calc --profile``), so a hostile document gets one clear
Chinese :class:`~zhengcetong.errors.InputError` instead of a server error or a traceback:

- more than ``max_bytes`` of text;
- nesting deeper than ``max_depth`` arrays/objects, counted by a flat scan *before* parsing, since
  ``json.loads`` (and PyYAML) recurse once per level and 100,000 levels end in RecursionError;
- integers longer than :data:`MAX_DIGITS` digits (Python refuses to read 4,300 and more anyway),
  floats that are not finite (``1e400``), and ``NaN``/``Infinity``, which ``json.loads`` accepts by
  default but which are not JSON;
- NUL characters (``\\u0000``) in strings or keys: PostgreSQL refuses them in text and JSON columns.

A JSON syntax error is left as ``json.JSONDecodeError``: callers word it with its line and column.
No FastAPI here: ``match``, ``web`` and ``cli`` all import this module.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from zhengcetong.errors import InputError

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_DIGITS = 30  # far above any real amount (the evaluators stop at 10^15), far below Python's 4,300
MAX_NUMBER_CHARS = 64  # the longest number literal read at all (``0.000…1`` with thousands of zeros)

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_YAML_QUOTED = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'")


def _refuse(message: str, source: str) -> InputError:
    return InputError(message, source=source)


def depth_of(text: str, *, quoted: re.Pattern[str] = _STRING) -> int:
    """The deepest nesting of ``[``/``{`` in ``text`` outside strings, found without recursion.

    Examples:
        >>> depth_of('{"a": [1, {"b": "[[[["}]}')
        3
        >>> depth_of("[" * 100000 + "]" * 100000)
        100000
        >>> depth_of("42")
        0
    """
    depth = deepest = 0
    for match in _BRACKET.finditer(quoted.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _check_size(text: str | bytes, source: str, max_bytes: int) -> str:
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise _refuse(f"内容超过 {max_bytes} 字节的上限，请精简后再试", source)
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _refuse("内容应为 UTF-8 编码的文本", source) from exc
    return text


def _check_depth(text: str, source: str, max_depth: int, quoted: re.Pattern[str] = _STRING) -> None:
    if depth_of(text, quoted=quoted) > max_depth:
        raise _refuse(f"嵌套超过 {max_depth} 层，请检查内容（对象和数组最多嵌套 {max_depth} 层）", source)


def _too_big(literal: str, source: str) -> InputError:
    shown = literal if len(literal) <= 20 else literal[:12] + "…"
    return _refuse(
        f"数值 {shown} 过大或过长（整数最多 {MAX_DIGITS} 位，小数须为有限值），请检查是否多打了数字", source
    )


def loads(
    text: str | bytes, *, source: str = "JSON", max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> Any:
    """``json.loads`` within the limits above; InputError (in Chinese, naming ``source``) beyond them.

    Examples:
        >>> loads('{"employees": 420, "rate": 0.5}')
        {'employees': 420, 'rate': 0.5}
        >>> loads("[" * 65 + "]" * 65, source="profile")
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: profile: 嵌套超过 64 层，请检查内容（对象和数组最多嵌套 64 层）
        >>> loads('{"a": NaN}')
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: JSON: 不接受 NaN（JSON 没有这个值），请填写有限的数值
        >>> loads('{"a": "x\\\\u0000"}')
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: JSON: 文本中含有空字符（\\u0000），请删除后再试（位置 a）
    """
    text = _check_size(text, source, max_bytes)
    _check_depth(text, source, max_depth)

    def parse_int(literal: str) -> int:
        if len(literal.lstrip("-")) > MAX_DIGITS:
            raise _too_big(literal, source)
        return int(literal)

    def parse_float(literal: str) -> float:
        if len(literal) > MAX_NUMBER_CHARS:
            raise _too_big(literal, source)
        value = float(literal)
        if not math.isfinite(value):
            raise _too_big(literal, source)
        return value

    def parse_constant(name: str) -> float:
        raise _refuse(f"不接受 {name}（JSON 没有这个值），请填写有限的数值", source)

    data = json.loads(text, parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant)
    return check(data, source=source, max_depth=max_depth)


def check(data: Any, *, source: str = "JSON", max_depth: int = MAX_DEPTH) -> Any:
    """``data`` (parsed JSON or YAML) when it keeps the limits: depth, finite numbers of at most
    MAX_DIGITS digits, no NUL in strings or keys; walked with a stack, not recursion.

    Examples:
        >>> check({"a": [1, 2.5, "x"]})
        {'a': [1, 2.5, 'x']}
        >>> check({"a": float("inf")}, source="画像")
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: 画像: 数值 inf 过大或过长（整数最多 30 位，小数须为有限值），请检查是否多打了数字
    """
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, dict | list):
            if depth >= max_depth:
                raise _refuse(
                    f"嵌套超过 {max_depth} 层，请检查内容（对象和数组最多嵌套 {max_depth} 层）", source
                )
            pairs = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in pairs:
                if isinstance(key, str) and "\x00" in key:
                    raise _nul(source, where)
                stack.append((item, depth + 1, f"{where}.{key}" if where else str(key)))
        elif isinstance(value, str):
            if "\x00" in value:
                raise _nul(source, where)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if value.bit_length() > 100:  # about 30 digits: the same bound as parse_int, without str()
                raise _too_big(f"{'-' if value < 0 else ''}{'9' * MAX_DIGITS}…", source)
        elif isinstance(value, float) and not math.isfinite(value):
            raise _too_big(repr(value), source)
    return data


def _nul(source: str, where: str) -> InputError:
    at = f"（位置 {where}）" if where else ""
    return _refuse(f"文本中含有空字符（\\u0000），请删除后再试{at}", source)


def load_yaml(
    text: str | bytes, *, source: str = "YAML", max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> Any:
    """``yaml.safe_load`` within the same limits, without aliases (``*name``: a few lines of them
    expand to billions of nodes); ``yaml.YAMLError`` for a syntax error, as from yaml itself.

    Examples:
        >>> load_yaml("employees: 420\\nrevenue: {2025: 560000000}")
        {'employees': 420, 'revenue': {2025: 560000000}}
        >>> load_yaml("a: &x [1, 2]\\nb: *x")
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: YAML: 不支持 YAML 的锚点引用（*x），请把内容直接写出
    """
    import yaml

    text = _check_size(text, source, max_bytes)
    _check_depth(text, source, max_depth, quoted=_YAML_QUOTED)
    # block nesting is indentation: each level adds at least one column
    if any(len(line) - len(line.lstrip(" -")) > 4 * max_depth for line in text.splitlines()):
        raise _refuse(f"嵌套超过 {max_depth} 层，请检查内容（对象和数组最多嵌套 {max_depth} 层）", source)

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise _refuse(
                    f"不支持 YAML 的锚点引用（*{self.peek_event().anchor}），请把内容直接写出", source
                )
            return super().compose_node(parent, index)

    try:
        data = yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader without aliases
    except ValueError as exc:  # an integer beyond Python's digit limit, a date such as 2025-13-45
        if "digits" in str(exc):
            raise _refuse(
                f"数值过大或过长（整数最多 {MAX_DIGITS} 位），请检查是否多打了数字", source
            ) from exc
        raise _refuse(f"有无法识别的值（{exc}），请检查日期和数值", source) from exc
    return check(data, source=source, max_depth=max_depth)


__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_DIGITS", "check", "depth_of", "load_yaml", "loads"]
