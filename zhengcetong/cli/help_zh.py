"""The words typer and click print around our own help and errors ("Usage:", "Options", "Missing
argument", "Show this message and exit."), in Chinese.

Click and typer mark them for gettext (``from gettext import gettext as _``) but ship no catalogue and
follow the user's locale; ``install`` gives their modules a translating ``_`` (and ``ngettext``) backed
by the table below, and sets typer's panel titles, which it reads once at import. A message not in the
table is printed as click wrote it.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from types import ModuleType

MESSAGES = {
    "Usage:": "用法：",
    "Show this message and exit.": "显示本帮助并退出。",
    "Options": "选项",
    "Arguments": "参数",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Error": "错误",
    "Error: {message}": "错误：{message}",
    "Aborted!": "已中止。",
    "Aborted.": "已中止。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少子命令。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "您是不是要用 {possibility}？",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "Invalid value: {message}": "无效的值：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value!r} is not a valid integer.": "{value!r} 不是有效的整数。",
    "{value!r} is not a valid boolean.": "{value!r} 不是有效的是/否值。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
    "(deprecated) ": "（已弃用）",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
}
_PANELS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
    "RICH_HELP": MESSAGES["Try [blue]'{command_path} {help_option}'[/] for help."],
}


def gettext(message: str) -> str:
    """``message`` in Chinese when the table has it.

    Examples:
        >>> gettext("Usage:"), gettext("something new")
        ('用法：', 'something new')
    """
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The Chinese of a message with a singular and a plural form (Chinese has one)."""
    chosen = singular if n == 1 else plural
    return PLURALS.get(chosen, MESSAGES.get(chosen, chosen))


def install() -> None:
    """Make click's and typer's own messages speak Chinese (idempotent). typer's rich help module costs
    about 70 ms to import and is needed only for help and errors, so it is patched when it is imported."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    if RICH_UTILS in sys.modules:
        _patch_rich_utils(sys.modules[RICH_UTILS])
    elif not any(isinstance(finder, _PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())


RICH_UTILS = "typer.rich_utils"


def _patch_rich_utils(module: ModuleType) -> None:
    for name, text in _PANELS.items():
        if hasattr(module, name):
            setattr(module, name, text)
    if hasattr(module, "_"):
        module._ = gettext  # type: ignore[attr-defined]


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Finds typer.rich_utils as usual, then patches it once it has run."""

    def find_spec(self, fullname, path, target=None):  # noqa: ANN001 (the MetaPathFinder protocol)
        if fullname != RICH_UTILS:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            _patch_rich_utils(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec
