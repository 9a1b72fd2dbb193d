"""numpy, imported on first use: ``from zhengcetong.search.backends.fts5.lazy_numpy import np``.

Importing numpy costs a process about 0.15 s; a command that searches once, through SQL, never needs
it (``zct search query``, whose whole process should answer in well under half a second).
"""

from __future__ import annotations

import importlib
from typing import Any


class _Numpy:
    """Attribute access on the numpy module, importing it the first time."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("numpy"), name)


np: Any = _Numpy()
