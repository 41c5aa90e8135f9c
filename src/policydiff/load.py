"""Path or bytes -> Document: the only file I/O in the library."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .model import Document


def decode(data: bytes, *, path: str) -> Document:
    """Decode the bytes of a text file (UTF-8, with or without a BOM)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not valid UTF-8 (byte {error.start}); convert the file to UTF-8", path=path
        ) from None
    return Document(path=path, text=text, encoding="utf-8")


def load(path: str | Path) -> Document:
    """Read a document from disk."""
    name = str(path)
    file = Path(path)
    if not file.exists():
        raise InputError("no such file", path=name)
    if file.is_dir():
        raise InputError("is a directory, not a file", path=name)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=name) from None
    return decode(data, path=name)
