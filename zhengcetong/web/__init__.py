"""The web shell: one FastAPI app for the portal pages and the JSON API. Other packages (the CLI, the
tests) use only ``create_app``, imported from here (``from zhengcetong.web import create_app``); the
modules behind it are private. Uvicorn is handed the app by its import string,
``"zhengcetong.web.app:create_app"``.

The name is loaded on first use (PEP 562), so importing this package costs nothing: it does not pay for
FastAPI, SQLAlchemy or the templates until the app is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhengcetong.faces import lazy_face

# Public name → (module under zhengcetong.web, its name there).
_EXPORTS: dict[str, tuple[str, str]] = {
    "create_app": ("app", "create_app"),
}

__all__ = ["create_app"]


__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, __all__)


if TYPE_CHECKING:
    from zhengcetong.web.app import create_app
