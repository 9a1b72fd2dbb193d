"""Package faces loaded on first use (PEP 562): a package names its public names in ``__all__`` and where
each lives, and other packages import them from the package itself without paying for the modules they
do not use (``zct --help`` must not load SQLAlchemy or numpy)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_face(
    package: str, exports: Mapping[str, tuple[str, str | None]], public: list[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``exports`` maps each public name to
    ``(submodule, attribute)``, where an attribute of None is the submodule itself; a loaded name is
    kept in the package, so it is looked up once.

    Examples:
        >>> getattr_, dir_ = lazy_face("zhengcetong", {"plain": ("decimals", "plain")}, ["plain"])
        >>> getattr_("plain").__name__, "plain" in dir_()
        ('plain', True)
    """
    namespace = vars(import_module(package))

    def __getattr__(name: str) -> Any:
        try:
            module, attribute = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        loaded = import_module(f"{package}.{module}")
        value = loaded if attribute is None else getattr(loaded, attribute)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *public})

    return __getattr__, __dir__
