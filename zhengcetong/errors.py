"""Error types whose messages say what went wrong, where, and what to do."""

from __future__ import annotations


class ZctError(Exception):
    """Base of every error zhengcetong reports to a user (CLI exit code 2, HTTP 4xx)."""


class InputError(ZctError):
    """Input that cannot be read: names the file, the line when known, and what was expected."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        self.detail = message
        where = source or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class NotFound(ZctError):
    """A requested record does not exist."""


class Conflict(ZctError):
    """A write that contradicts the current state (e.g. publishing a withdrawn item)."""


class PermissionDenied(ZctError):
    """The acting user may not do this."""
