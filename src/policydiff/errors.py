"""The exceptions policydiff raises; the CLI turns each into a one-line message and exit 2."""

from __future__ import annotations

import re

# What a terminal must not receive raw from a file name: control characters (ESC starts
# a sequence that can clear the screen or set the title, a newline splits the message),
# bytes that are not UTF-8 (kept by Python as lone surrogates) and the quoting characters.
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f"\\\ud800-\udfff]')
_RAW = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f"}
_C_ESCAPES |= {"\r": "\\r", '"': '\\"', "\\": "\\\\"}


def quote_name(name: str) -> str:
    """A file name as `git` quotes it: unchanged when safe, else in double quotes with
    C escapes, each byte that is not UTF-8 (or a control character) as an octal escape.
    The result prints on one line and is valid UTF-8, whatever the name held.

    >>> quote_name("政策/方案.txt"), quote_name("a\\x1b]0;title\\x07.txt")
    ('政策/方案.txt', '"a\\\\033]0;title\\\\a.txt"')
    >>> quote_name("bad\\udcff.txt"), quote_name("two\\nlines.txt")
    ('"bad\\\\377.txt"', '"two\\\\nlines.txt"')
    >>> quote_name(quote_name("a\\nb")) == quote_name("a\\nb")
    True
    """
    if not _UNSAFE_NAME.search(name):
        return name
    if len(name) > 1 and name[0] == name[-1] == '"' and not _RAW.search(name):
        return name  # quoted already: quoting is idempotent

    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        if char in _C_ESCAPES:
            return _C_ESCAPES[char]
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
            return f"\\{code - 0xDC00:03o}"
        if code > 0xFF:  # any other lone surrogate: its UTF-8-like bytes
            return "".join(f"\\{b:03o}" for b in char.encode("utf-8", "surrogatepass"))
        return "".join(f"\\{b:03o}" for b in char.encode("utf-8"))

    return '"' + _UNSAFE_NAME.sub(escape, name) + '"'


class PolicydiffError(Exception):
    """Base of every error policydiff raises on purpose."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = quote_name(self.path) if self.path else ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        # A message can quote text from the file: it stays on one line too.
        message = " ".join(self.message.splitlines())
        return f"{where}: {message}" if where else message


class InputError(PolicydiffError):
    """An input file is missing, unreadable, binary, too large or not decodable."""


class LimitError(InputError):
    """An input is beyond a documented limit (size, clauses, time); docs/input.md."""


class UsageError(PolicydiffError):
    """An option has a value the tool cannot use."""


class OutputError(PolicydiffError):
    """The report cannot be written: a full disk, a closed or unwritable destination."""


class TimeLimitExceeded(BaseException):
    """The run took longer than --timeout allows.

    A BaseException, like KeyboardInterrupt, so that the broad `except Exception` a
    reader keeps for a library's own failures cannot take it for a damaged file.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return (
            f"stopped after {self.seconds:g} seconds (--timeout {self.seconds:g}): the inputs "
            "take too long to compare; raise --timeout, or compare smaller parts"
        )
