"""Text -> canonical text for matching, page-break repair, and script detection.

The canonical form folds what does not change meaning: traditional -> simplified
script (OpenCC), full/half width (NFKC), a few bracket and quote variants, and
whitespace next to Chinese text. `canonical_map` also returns where each
canonical character came from, so spans found in canonical text can be quoted
from the original.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from .model import Script, ScriptSpan
from .patterns import BULLET, DATE_LINE, MID_SENTENCE, PROSE_MARKS, TERMINAL, heading_style

# Variants that NFKC leaves apart but readers take as the same mark.
_PUNCT_FOLD = str.maketrans(
    {
        "「": "“",
        "」": "”",
        "『": "‘",
        "』": "’",
        "〈": "<",
        "〉": ">",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "―": "—",
        "─": "—",
        "–": "-",
        "‐": "-",
        "‑": "-",
        "〜": "~",
    }
)


@cache
def _converter(config: str) -> Any:
    from opencc import OpenCC  # deferred: building the converter reads its dictionaries

    return OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional -> simplified with OpenCC's phrase-aware t2s conversion."""
    return str(_converter("t2s").convert(text)) if text else text


def to_traditional(text: str) -> str:
    """Simplified -> traditional (OpenCC standard characters), for script detection."""
    return str(_converter("s2t").convert(text)) if text else text


def to_traditional_display(text: str) -> str:
    """Simplified -> traditional as published in Taiwan and most sites (為, 群, 眾)."""
    return str(_converter("s2tw").convert(text)) if text else text


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
    )


def _keeps_space(before: str, after: str) -> bool:
    """Whitespace matters only between two Latin letters or digits ("GDP growth")."""
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()


def fold_width(text: str) -> str:
    """Width and bracket variants folded, script untouched: `（` and `(` compare equal."""
    return unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD)


def canonical_map(text: str) -> tuple[str, tuple[int, ...]]:
    """The canonical form of `text` and, for each of its characters, the index in `text`
    it came from (plus one final entry, `len(text)`). A canonical span [a, b)
    quotes the original as `text[origin[a] : origin[b - 1] + 1]`.

    >>> canonical_map("達到 98％")[0]
    '达到98%'
    """
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) == len(text):
        origin = list(range(len(text)))
    else:  # some character expanded or composed: fold one character at a time
        pieces: list[str] = []
        origin = []
        for index, char in enumerate(text):
            piece = unicodedata.normalize("NFKC", char)
            pieces.append(piece)
            origin.extend([index] * len(piece))
        folded = "".join(pieces)
    folded = folded.translate(_PUNCT_FOLD)
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):  # a phrase conversion changed length
        simplified = "".join(to_simplified(char) or char for char in folded)
        if len(simplified) != len(folded):
            simplified = folded
    chars: list[str] = []
    kept: list[int] = []
    length = len(simplified)
    for index, char in enumerate(simplified):
        if char.isspace():
            before = chars[-1] if chars else ""
            after = next((c for c in simplified[index + 1 : length] if not c.isspace()), "")
            if not (before and after and _keeps_space(before, after)):
                continue
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        kept.append(origin[index])
    kept.append(len(text))
    return "".join(chars), tuple(kept)


def canonical(text: str) -> str:
    """The form two texts are compared in; equal canonical forms mean no real change.

    >>> canonical("食品抽檢合格率 達到 98.5％以上") == canonical("食品抽检合格率达到98.5%以上")
    True
    """
    return canonical_map(text)[0]


# ---------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the original text, rejoined across page breaks.

    `text` holds the original characters; `breaks` maps offsets in `text` to
    the 1-based line each run of characters starts on: ((0, 12), (57, 14))
    means text[0:57] is from line 12 and text[57:] from line 14.
    """

    text: str
    breaks: tuple[tuple[int, int], ...]

    @property
    def line(self) -> int:
        return self.breaks[0][1]

    def line_at(self, offset: int) -> int:
        line = self.breaks[0][1]
        for start, start_line in self.breaks:
            if start > offset:
                break
            line = start_line
        return line


def _looks_cut(text: str) -> bool:
    """Whether a line ends mid-sentence, as when a PDF page break cut it."""
    stripped = text.rstrip()
    if not stripped or stripped[-1] in TERMINAL:
        return False
    if stripped[-1] in MID_SENTENCE:
        return True
    style = heading_style(stripped)
    if style is not None and not any(mark in stripped for mark in "。；;！？!?"):
        return False  # a heading line with no sentence after it is complete
    # Titles, names and signatures carry no sentence punctuation; prose does.
    return any(mark in stripped for mark in PROSE_MARKS)


def _starts_block(text: str) -> bool:
    stripped = text.strip()
    return (
        heading_style(stripped) is not None
        or BULLET.match(stripped) is not None
        or DATE_LINE.match(stripped) is not None
    )


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Split `text` into paragraphs, one per non-blank line, rejoining lines cut mid-sentence.

    A line that ends without closing punctuation although it is prose, followed
    (after any blank lines) by a line that does not open a heading, bullet or
    date, is the first half of one sentence: the two are joined.
    """
    result: list[Paragraph] = []
    pending: list[tuple[str, int]] = []  # pieces of the paragraph being built
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if pending and not (_looks_cut(pending[-1][0]) and not _starts_block(line)):
            result.append(_paragraph(pending))
            pending = []
        pending.append((line, number))
    if pending:
        result.append(_paragraph(pending))
    return tuple(result)


def _paragraph(pieces: list[tuple[str, int]]) -> Paragraph:
    breaks: list[tuple[int, int]] = []
    offset = 0
    for piece, line in pieces:
        breaks.append((offset, line))
        offset += len(piece)
    return Paragraph("".join(piece for piece, _ in pieces), tuple(breaks))


# ---------------------------------------------------------------- script


def _line_script(line: str) -> Script | None:
    """Which script a line is written in, judged by the characters each conversion changes."""
    to_s = to_simplified(line)
    to_t = to_traditional(line)
    traditional = sum(a != b for a, b in zip(line, to_s, strict=False))
    simplified = sum(a != b for a, b in zip(line, to_t, strict=False))
    if traditional == simplified == 0:
        return None
    return Script.TRADITIONAL if traditional > simplified else Script.SIMPLIFIED


def detect_script(text: str) -> tuple[Script, tuple[ScriptSpan, ...]]:
    """The script of a whole text and its runs of lines in each script.

    Lines that do not tell the scripts apart (numbers, shared characters) join
    the run around them.
    """
    spans: list[ScriptSpan] = []
    for number, line in enumerate(text.splitlines(), start=1):
        script = _line_script(line) if line.strip() else None
        if script is None:
            continue
        if spans and spans[-1].script is script:
            spans[-1] = ScriptSpan(script, spans[-1].first_line, number)
        else:
            spans.append(ScriptSpan(script, number, number))
    kinds = {span.script for span in spans}
    if not kinds:
        return Script.UNKNOWN, ()
    if len(kinds) == 1:
        return kinds.pop(), tuple(spans)
    return Script.MIXED, tuple(spans)
