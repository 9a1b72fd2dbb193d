"""The safe JSON/YAML reader: every limit refuses with a Chinese InputError, never a RecursionError,
a ValueError or a NaN let through; what keeps the limits reads as json.loads and yaml.safe_load do."""

from __future__ import annotations

import json

import pytest
import yaml

from zhengcetong import jsonsafe
from zhengcetong.errors import InputError


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "嵌套超过 64 层"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "嵌套超过 64 层"),
        ("[" * 65 + "]" * 65, "嵌套超过 64 层"),
        ("[" * 100_000, "嵌套超过 64 层"),  # unclosed: refused before json.loads sees it
        ("1" * 4400, "过大或过长"),
        ('{"a": -' + "1" * 31 + "}", "过大或过长"),
        ('{"a": 1e400}', "过大或过长"),
        ('{"a": -1e400}', "过大或过长"),
        ('{"a": 0.' + "0" * 100 + "1}", "过大或过长"),
        ('{"a": NaN}', "不接受 NaN"),
        ('{"a": [Infinity]}', "不接受 Infinity"),
        ('{"a": -Infinity}', "不接受 -Infinity"),
        ('{"a": "x\\u0000y"}', "空字符"),
        ('{"a\\u0000": 1}', "空字符"),
        ('{"a": "' + "x" * 1_000_001 + '"}', "字节的上限"),
        (b'{"a": "\xff"}', "UTF-8"),
    ],
)
def test_limits_refuse_with_a_chinese_input_error(text, words):
    with pytest.raises(InputError) as caught:
        jsonsafe.loads(text, source="画像")
    assert words in caught.value.detail and caught.value.source == "画像"


def test_what_keeps_the_limits_reads_as_json_loads_does():
    text = json.dumps({"a": [1, -2.5, "x", None, True, {"b": "[[[{{{"}], "c": "9" * 30, "n": -(10**29)})
    deep = "[" * 64 + "]" * 64
    assert jsonsafe.loads(text) == json.loads(text)
    assert jsonsafe.loads(deep) == json.loads(deep)
    assert jsonsafe.loads(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}  # a UTF-8 byte-order mark is skipped
    with pytest.raises(json.JSONDecodeError):  # syntax errors stay JSONDecodeError for their line/column
        jsonsafe.loads("{oops")


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"a": "[" * 1000, "b": '\\"[[[' * 100})
    assert jsonsafe.depth_of(text) == 1 and jsonsafe.loads(text) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: " + "[" * 100_000 + "]" * 100_000, "嵌套超过 64 层"),
        ("".join(" " * (2 * i) + f"k{i}:\n" for i in range(300)), "嵌套超过 64 层"),
        ("a: " + "1" * 4400, "过大或过长"),
        ("a: " + "1" * 40, "过大或过长"),
        ("a: .nan", "过大或过长"),
        ("a: -.inf", "过大或过长"),
        ('a: "x\\0y"', "空字符"),
        ("a: 2025-13-45", "无法识别的值"),
        ("a: &x [1, 2]\nb: *x", "锚点"),
    ],
)
def test_yaml_limits_refuse_with_a_chinese_input_error(text, words):
    with pytest.raises(InputError) as caught:
        jsonsafe.load_yaml(text, source="画像.yaml")
    assert words in caught.value.detail


def test_yaml_that_keeps_the_limits_reads_as_safe_load_does():
    text = "founded: 2017-03-01\nrevenue: {2025: 560000000}\nname: '[[[['\nrate: 0.1\n"
    assert jsonsafe.load_yaml(text) == yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError):
        jsonsafe.load_yaml("a: [")


def test_check_walks_without_recursion():
    data: list = []
    for _ in range(10_000):
        data = [data]
    with pytest.raises(InputError, match="嵌套超过 64 层"):
        jsonsafe.check(data)
    with pytest.raises(InputError, match="过大或过长"):
        jsonsafe.check({"a": [10**200]})
