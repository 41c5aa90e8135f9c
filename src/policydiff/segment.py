"""Document -> clauses with heading paths, line numbers and a front-matter mark.

Every non-blank character of the document ends up in exactly one clause:
headings are clauses of kind HEADING, and the notice in front of the
document proper (addressees, contacts, signature, date) is kept as clauses
marked `front_matter`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import normalise
from .errors import LimitError
from .model import Clause, ClauseKind, Document
from .normalise import Paragraph, canonical, fold_round_trip, paragraphs
from .patterns import (
    APPENDIX,
    APPENDIX_STYLE,
    BULLET,
    CLOSERS,
    DATE_LINE,
    HEADING_RANK,
    SENTENCE_END,
    heading_style,
    without_marker,
)

# A first sentence at most this long, followed by more text, is the title of its paragraph.
TITLE_MAX_CHARS = 40
# A paragraph this short with no sentence end inside it is a heading line.
HEADING_LINE_MAX_CHARS = normalise.HEADING_LINE_MAX_CHARS
# A document may have at most this many clauses (docs/input.md#limits): alignment's cost
# grows near-linearly, but memory and the word diffs still grow with it; this is ten times
# the bench's ×64 (about 12,000 clauses) and far beyond any one policy or law.
MAX_CLAUSES = 100_000
# Nor a clause (a sentence) longer than this: the word diff of two such clauses takes
# seconds, and a longer "sentence" is a file without sentence punctuation.
MAX_CLAUSE_CHARS = 10_000

_OPENERS = {"（": "）", "(": ")", "《": "》"}
_QUOTE_CLOSERS = "”’」』\"'"
_KEY_STRIP = re.compile(rf"[{re.escape(SENTENCE_END + '.,，、：:')}\s]+$")


@dataclass(frozen=True)
class _Piece:
    """A run of a paragraph: [start, end) offsets and whether it is the paragraph's title."""

    start: int
    end: int
    is_title: bool


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence in `text`, split after 。！？； outside brackets.

    >>> sentence_bounds("甲。乙（丙；丁）；戊")
    [(0, 2), (2, 9), (9, 10)]
    """
    bounds: list[tuple[int, int]] = []
    closing: list[str] = []
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in _OPENERS:
            closing.append(_OPENERS[char])
        elif closing and char == closing[-1]:
            closing.pop()
        elif char in SENTENCE_END and not closing:
            end = index + 1
            while end < len(text) and text[end] in _QUOTE_CLOSERS:
                end += 1
            bounds.append((start, end))
            start = index = end
            continue
        index += 1
    if start < len(text):
        bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _title_end(text: str, style: str, marker_end: int) -> int | None:
    """Where the title of a heading paragraph ends, or None if the paragraph has no title.

    An article (第三条) is a numbered provision, never a title. Otherwise a lone
    short line is a title ("（一）加强组织保障", "（三）优化营商环境。")
    unless it is a whole sentence with clauses ("1、支持企业上云，新增上云企业500家。"),
    and a short first sentence followed by more is the title of what follows.
    """
    if style == "article":
        return None
    rest = text[marker_end:]
    bounds = sentence_bounds(rest)
    if not bounds:
        return len(text)
    first_end = bounds[0][1]
    if len(bounds) == 1 and len(text) <= HEADING_LINE_MAX_CHARS:
        stripped = rest.rstrip()
        sentence = stripped[-1] in SENTENCE_END and any(mark in stripped for mark in "，,；;")
        return None if sentence else len(text)
    if first_end <= TITLE_MAX_CHARS and len(bounds) > 1:
        return marker_end + first_end
    return None


def title_of(text: str) -> str:
    """A heading's title as shown in paths: without its closing mark."""
    return _KEY_STRIP.sub("", text.strip())


def match_key(text: str) -> str:
    """What alignment compares: canonical text without heading numbers and end marks, and
    with the forms a round trip through traditional script leaves folded (批覆 as 批复)."""
    key = canonical(text)  # the markers read the same in canonical form: (一) 1、 ——
    if heading_style(key) is not None or BULLET.match(key):
        key = without_marker(key)
    elif heading_style(text) is not None:  # but ① becomes 1
        key = canonical(without_marker(text))
    key = fold_round_trip(key)
    return _KEY_STRIP.sub("", key).rstrip(CLOSERS) if len(key) > 1 else key


def _front_matter_count(paras: tuple[Paragraph, ...]) -> int:
    """How many leading paragraphs are the notice in front of the document proper.

    A notice (征求意见 announcement, 印发 circular) ends with its signature date
    standing alone on a line, before the first heading of the document it carries.
    """
    first_heading = next(
        (i for i, p in enumerate(paras) if heading_style(p.text) is not None), len(paras)
    )
    # A date with nothing after it signs the document itself: no notice in front.
    dates = [i for i in range(min(first_heading, len(paras) - 1)) if DATE_LINE.match(paras[i].text)]
    return dates[-1] + 1 if dates else 0


def segment(document: Document) -> tuple[Clause, ...]:
    """Split a document into clauses, each with its heading path and source lines."""
    paras = paragraphs(document.text)
    front_count = _front_matter_count(paras)
    stack: list[tuple[str, str]] = []  # (heading style, title) from the outermost in
    clauses: list[Clause] = []

    def emit(
        para: Paragraph, start: int, end: int, kind: ClauseKind, path: tuple[str, ...], front: bool
    ) -> None:
        raw = para.text[start:end]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            return
        first = start + lead
        if len(text) > MAX_CLAUSE_CHARS:
            raise LimitError(
                f"a sentence of {len(text):,} characters, over the limit of "
                f"{MAX_CLAUSE_CHARS:,} a clause can have (is the text without 。 or line breaks?)",
                path=document.path,
                line=para.line_at(first),
            )
        breaks = tuple(
            (offset - first, line)
            for offset, line in para.breaks
            if first < offset < first + len(text)
        )
        clauses.append(
            Clause(
                id=f"c{len(clauses) + 1}",
                kind=kind,
                path=path,
                text=text,
                normalized=canonical(text),
                line=para.line_at(first),
                end_line=para.line_at(first + len(text) - 1),
                front_matter=front,
                key=match_key(text),
                breaks=breaks,
            )
        )

    for number, para in enumerate(paras):
        front = number < front_count
        text = para.text
        pieces: list[_Piece] = []
        style = None if front else heading_style(text)
        bullet = None if front or style else BULLET.match(text)
        path = tuple(title for _, title in stack)
        attachments = APPENDIX.match(text) and not any(c in SENTENCE_END for c in text)
        if stack and style is None and attachments:
            # After the body, 附件 opens the attachment list: its numbered lines are
            # names of attachments, not items of the last section. A sentence that
            # begins with 附件 (附件1所列项目按季度报送。) is only a sentence.
            stack[:] = [(APPENDIX_STYLE, title_of(text))]
            pieces.append(_Piece(0, len(text), True))
            path = tuple(t for _, t in stack)
            body_start = len(text)
        elif style is not None:
            name, marker_end = style
            # A heading closes every open heading at its own level or deeper.
            while stack and HEADING_RANK[stack[-1][0]] >= HEADING_RANK[name]:
                stack.pop()
            title_end = _title_end(text, name, marker_end)
            # Without a title the number alone names the item in paths: "1、", "第三条".
            title = (
                title_of(text[:title_end]) if title_end is not None else text[:marker_end].strip()
            )
            stack.append((name, title))
            path = tuple(t for _, t in stack)
            if title_end is not None:
                pieces.append(_Piece(0, title_end, True))
                body_start = title_end
            else:
                body_start = 0
        elif bullet is not None:
            bounds = sentence_bounds(text)
            if len(bounds) > 1 and bounds[0][1] <= TITLE_MAX_CHARS:
                pieces.append(_Piece(0, bounds[0][1], True))
                path = (*path, title_of(text[: bounds[0][1]]))
                body_start = bounds[0][1]
            else:
                body_start = 0
        else:
            body_start = 0
        for start, end in sentence_bounds(text[body_start:]):
            pieces.append(_Piece(body_start + start, body_start + end, False))
        for piece in pieces:
            kind = ClauseKind.HEADING if piece.is_title else ClauseKind.CLAUSE
            owner = path[:-1] if piece.is_title else path
            emit(para, piece.start, piece.end, kind, owner, front)
        if len(clauses) > MAX_CLAUSES:
            raise LimitError(
                f"more than {MAX_CLAUSES:,} clauses (sentences and headings) by line "
                f"{para.line}: over the limit a document can have; compare it in parts",
                path=document.path,
            )
    return tuple(clauses)
