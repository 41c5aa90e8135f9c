"""The exceptions policydiff raises; the CLI turns each into a one-line message and exit 2."""

from __future__ import annotations


class PolicydiffError(Exception):
    """Base of every error policydiff raises on purpose."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(PolicydiffError):
    """An input file is missing, unreadable, binary, too large or not decodable."""


class UsageError(PolicydiffError):
    """An option has a value the tool cannot use."""
