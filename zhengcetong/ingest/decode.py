"""Bytes -> text: UTF-8 (with or without BOM) or GB18030, refusing binary and empty input clearly."""

from __future__ import annotations

from zhengcetong.errors import InputError

_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_bytes(data: bytes, source: str = "<input>") -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name). Raise InputError saying why it cannot be read.

    Examples:
        >>> decode_bytes("第一条".encode("gb18030"))
        ('第一条', 'gb18030')
    """
    if not data or not data.strip():
        raise InputError(
            "文件为空，没有可读取的公报文本（需要 UTF-8 或 GB18030 编码的纯文本）", source=source
        )
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError("UTF-16 文本无法解码", source=source) from exc
    head = data[:65536]
    if b"\x00" in head or sum(b in _CONTROL for b in head) > max(8, len(head) // 100):
        raise InputError(
            "这是二进制文件，不是纯文本公报（如为 PDF 或 Word，请先导出为 UTF-8 文本）",
            source=source,
            line=_line_of(data, head.find(b"\x00")) if b"\x00" in head else None,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"无法按 UTF-8 或 GB18030 解码（第 {utf8_error.start} 字节附近有无效字节）",
                source=source,
                line=_line_of(data, utf8_error.start),
            ) from exc
        return text, "gb18030"
