"""Line breaking for Chinese text in the terminal: where a line may end, and a rich renderable
that wraps there.

The rules are those of Chinese typesetting (GB/T 15834 and the W3C's "Requirements for
Chinese Text Layout", 禁则): closing punctuation (，。、）》” …) never starts a line, opening
punctuation (（《“) never ends one, a number stays with its unit (2035 年, 98.5%), a run of
Latin letters or digits is one word, and a doubled dash or ellipsis (—— ……) is not split.
Only when a single unbreakable run is wider than the line is it folded.

>>> wrap_plain("目标是到2035 年达到98.5%，其余不变。", 10)
['目标是到', '2035 年达', '到98.5%，', '其余不变。']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

# Never at the start of a line (closing and middle punctuation, full and half width).
NO_START = frozenset("，。、；：？！）］｝〕〉》」』】〗〙”’…‥·・%％‰℃,.;:?!)]}>–—～〜ー々")
# Never at the end of a line (opening brackets and quotes).
NO_END = frozenset("（［｛〔〈《「『【〖〘“‘([{<")
# Pairs written doubled: —— and …… stay whole.
_DOUBLED = frozenset("—…")
# Word-diff marks of the plain view: [-…-] and {+…+} are kept with the text they mark.
_MARK_OPEN = ("[-", "{+")
_MARK_CLOSE = ("-]", "+}")


def _wordish(char: str) -> bool:
    """Latin letters, digits and the punctuation inside a number or a word (98.5, 1,000, GDP)."""
    return char.isascii() and not char.isspace() and char not in "()[]{}<>"


def breaks(text: str) -> list[int]:
    """Offsets where a new line may start, in order (never 0 or len(text)).

    >>> breaks("第一条 总则")
    [1, 2, 4, 5]
    >>> breaks("增加2家，")
    [1, 2]
    """
    found = []
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after.isspace() or after in NO_START or before in NO_END:
            continue
        if before.isspace():
            # A space between a number and its unit is no place to break (2035 年).
            if i >= 2 and text[i - 2].isdigit() and not after.isascii():
                continue
            found.append(i)
            continue
        if _wordish(before) and _wordish(after):
            continue
        if before.isdigit() and not after.isascii():
            continue  # 2家, 30日: a number and its unit
        if before == after and before in _DOUBLED:
            continue
        if text[max(0, i - 2) : i] in _MARK_OPEN or text[i : i + 2] in _MARK_CLOSE:
            continue
        found.append(i)
    return found


def _lines(
    text: str, width: int, allowed: frozenset[int] | None = None
) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of `text` (no newlines) wrapped at `width` cells; a line
    starts only at an offset of `allowed` (default: `breaks(text)`) unless a run must fold."""
    width = max(width, 2)
    natural = frozenset(breaks(text))
    if allowed is None:
        allowed = natural
    start, used, last, fallback = 0, 0, -1, -1
    i = 0
    while i < len(text):
        char_width = cell_len(text[i])
        if i > start and i in allowed:
            last = i
        if i > start and i in natural:
            fallback = i  # inside a part wider than the line: break where the text may
        if used + char_width > width and i > start:
            cut = last if last > start else fallback if fallback > start else i
            if text[i].isspace():  # spaces at the end of a line take no room
                after = i
                while after < len(text) and text[after].isspace():
                    after += 1
                if after == len(text) or after in allowed:
                    cut = i
            if cut == i and text[i] in NO_START and i - 1 > start:
                cut = i - 1  # folding an overlong run: still keep 。 off the line start
            yield start, cut
            while cut < len(text) and text[cut].isspace():
                cut += 1
            start, used, last, fallback, i = cut, 0, -1, -1, cut
            continue
        used += char_width
        i += 1
    if start < len(text):
        yield start, len(text)


def wrap_plain(text: str, width: int) -> list[str]:
    """`text` wrapped at `width` cells by the rules above, trailing spaces dropped."""
    return [line.rstrip() for line in _wrap_strings(text, width)]


def _wrap_strings(text: str, width: int) -> Iterator[str]:
    for paragraph in text.split("\n"):
        if not paragraph:
            yield ""
        for start, end in _lines(paragraph, width):
            yield paragraph[start:end]


def wrap_text(text: Text, width: int, allowed: frozenset[int] | None = None) -> list[Text]:
    """A styled Text wrapped at `width` cells by the rules above (or only at `allowed`
    offsets, for text without newlines)."""
    out: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        spans = list(_lines(paragraph.plain, width, allowed))
        if not spans:
            out.append(Text())
            continue
        for start, end in spans:
            line = paragraph[start:end]
            line.rstrip()
            out.append(line)
    return out


def widest_unit(text: str, allowed: frozenset[int] | None = None) -> int:
    """Cells of the widest run that may not be broken: the least width that wraps cleanly."""
    widest = 0
    for paragraph in text.split("\n"):
        inner = breaks(paragraph) if allowed is None else sorted(allowed)
        edges = [0, *inner, len(paragraph)]
        for start, end in itertools.pairwise(edges):
            widest = max(widest, cell_len(paragraph[start:end].rstrip()))
    return widest


class Wrapped:
    """A rich renderable: `text` wrapped by the Chinese line-breaking rules at whatever width
    its table column or the console gives it, optionally with a hanging indent."""

    def __init__(
        self, text: Text | str, indent: int = 0, allowed: frozenset[int] | None = None
    ) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        self.indent = indent
        self.allowed = allowed

    @classmethod
    def atoms(
        cls,
        parts: Iterable[Text | str],
        separator: str = "  ",
        indent: int = 0,
        first: str | None = None,
    ) -> Wrapped:
        """Parts side by side; a line breaks only between two parts, never inside one
        unless the part is wider than the line. `first` separates the first two parts."""
        text, allowed = Text(), set()
        for index, part in enumerate(parts):
            if index:
                text.append(first if index == 1 and first is not None else separator)
                allowed.add(len(text))
            text.append(part)
        return cls(text, indent, frozenset(allowed))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        longest = max((cell_len(line) for line in plain.split("\n")), default=0)
        return Measurement(widest_unit(plain, self.allowed) + self.indent, longest + self.indent)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width - self.indent
        lines = wrap_text(self.text, width, self.allowed)
        pad = Text(" " * self.indent)
        joined = Text("\n").join(pad + line if self.indent else line for line in lines)
        joined.no_wrap = True
        joined.overflow = "ignore"
        yield joined
