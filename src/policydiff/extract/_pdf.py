"""A PDF's text layer -> paragraphs labelled with their pages, without running headers."""

from __future__ import annotations

import contextlib
import io
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, LimitError
from ..patterns import BULLET, DATE_LINE, PAGE_NUMBER, PROSE_MARKS, SENTENCE_END, heading_style
from . import Block, is_pdf, one_line, size_text, what_is_it

# Lines this close to the top or bottom of a page may be running headers and footers.
_EDGE_LINES = 2
# A line that repeats at the edge of this share of the pages (and of 2 at least) is running.
_RUNNING_SHARE = 0.4
# Characters PDF fonts map to compatibility code points: Kangxi radicals (⽅ for 方), CJK
# radicals and compatibility ideographs. They read as the ordinary character.
_COMPAT = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


@dataclass(frozen=True)
class _Box:
    """Text placed on a page: one glyph, or a line of them (top and bottom measured down)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


_Line = _Box
_Char = _Box


@dataclass(frozen=True)
class _Page:
    number: int
    height: float
    lines: tuple[_Line, ...]
    images: int


# What pdfminer logs when it had to skip part of a page's content: the file is damaged.
_DAMAGE = ("Data-loss while decompressing", "non-indirect object", "circular reference")


class _Collect(logging.Handler):
    """Keeps pdfminer's log messages instead of printing them: diagnostics are ours to print."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _pdfminer_log() -> Iterator[_Collect]:
    logger = logging.getLogger("pdfminer")
    handler = _Collect()
    saved = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


# A PDF's compressed streams may inflate to at most this many times the input size limit
# altogether (a decompression bomb), as for a .docx's parts.
EXPANSION_LIMIT = 5


@contextlib.contextmanager
def _inflation_limit(limit: int | None, path: str) -> Iterator[None]:
    """Count the bytes pdfminer's streams inflate to, and stop past `limit` (checked as
    each stream is decoded: pdfminer has no option for it)."""
    if limit is None:
        yield
        return
    from pdfminer import pdftypes

    original = pdftypes.PDFStream.decode
    total = 0

    def decode(stream: Any) -> None:
        nonlocal total
        original(stream)
        total += len(stream.data or b"")
        if total > limit:
            raise LimitError(
                f"the PDF's streams inflate to over {size_text(limit)}, the limit "
                f"({EXPANSION_LIMIT} times --max-size); raise --max-size",
                path=path,
            )

    pdftypes.PDFStream.decode = decode  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        pdftypes.PDFStream.decode = original  # type: ignore[method-assign]


def blocks(data: bytes, *, path: str, max_inflated: int | None = None) -> tuple[Block, ...]:
    """The text layer of a PDF as paragraphs, each labelled with its page.

    Running headers and footers and page numbers are dropped, and lines are
    rejoined where the layout wrapped them, also across a page break.
    """
    if not is_pdf(data):
        raise InputError(f"not a PDF file ({what_is_it(data)})", path=path)
    if b"%%EOF" not in data[-2048:]:
        raise InputError("truncated PDF: it does not end with %%EOF", path=path)
    with _inflation_limit(max_inflated, path):
        pages = _read_pdf(data, path)
    text = "".join(line.text for page in pages for line in page.lines)
    if not text:
        scanned = " (its pages are images: a scan?)" if any(p.images for p in pages) else ""
        raise InputError(
            f"the PDF has no text layer{scanned}; OCR it first, e.g. with ocrmypdf, "
            "and compare the result",
            path=path,
        )
    if text.count(_UNMAPPED) > _MAX_UNMAPPED * len(text):
        raise InputError(
            "the PDF's fonts do not say which characters they draw (no ToUnicode map), so "
            "its text cannot be read; OCR it, e.g. with ocrmypdf --force-ocr",
            path=path,
        )
    kept, dropped = _drop_running(pages)
    paragraphs = list(_pdf_paragraphs(kept))
    if paragraphs and dropped:  # every dropped line is listed: nothing goes in silence
        first = paragraphs[0]
        paragraphs[0] = Block(first.text, first.location, _dropped_notes(dropped))
    return tuple(paragraphs)


def _dropped_notes(dropped: list[tuple[int, str, str]]) -> tuple[str, ...]:
    """One note per kind and text of dropped line, with the pages it stood on."""
    from . import merge_locations

    pages: dict[tuple[str, str], list[str]] = {}
    for number, kind, text in dropped:
        key = (kind, _running_key(text) if kind == "page number" else text)
        pages.setdefault(key, []).append(f"page {number}")
    notes = []
    for (kind, text), where in pages.items():
        shown = "" if kind == "page number" else f" {text!r}"
        notes.append(f"dropped {kind}{shown} on {merge_locations(where)}")
    return tuple(notes)


def _read_pdf(data: bytes, path: str) -> list[_Page]:
    """Each page's lines of text, and how many images it holds."""
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError as error:  # pragma: no cover - a broken install
        raise InputError(f"cannot read PDF files: {error}", path=path) from None
    pages: list[_Page] = []
    with _pdfminer_log() as log:
        try:
            document = PDFDocument(PDFParser(io.BytesIO(data)))
            resources = PDFResourceManager(caching=True)
            device = PDFPageAggregator(resources, laparams=None)  # glyph boxes, no layout
            interpreter = PDFPageInterpreter(resources, device)
            for number, page in enumerate(PDFPage.create_pages(document), start=1):
                # A landscape page (/Rotate 90) is still written upright in its content;
                # undoing the display rotation keeps its glyphs level, as lines of text.
                page.rotate = 0
                interpreter.process_page(page)
                if any(d in m for m in log.messages for d in _DAMAGE):
                    raise InputError(
                        f"damaged PDF: part of page {number} cannot be read", path=path
                    )
                layout = device.get_result()
                chars: list[_Char] = []
                images = _collect(layout, chars, float(layout.y1))
                pages.append(_Page(number, float(layout.height), _pdf_lines(chars), images))
        except InputError:
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError):
            raise InputError("the PDF is encrypted: it needs a password", path=path) from None
        except RecursionError:
            raise InputError(
                "damaged PDF: its objects refer to each other in a loop", path=path
            ) from None
        except Exception as error:  # pdfminer's many syntax errors, and bad values in them
            raise InputError(f"damaged PDF: {one_line(error)}", path=path) from None
    if not pages:
        raise InputError("damaged PDF: it has no pages", path=path)
    return pages


# pdfminer writes a glyph its font does not map to a character as "(cid:123)".
_CID = re.compile(r"^\(cid:\d+\)$")
_UNMAPPED = "\ufffd"
# Above this share of unmapped glyphs the text layer is unreadable.
_MAX_UNMAPPED = 0.2


def _collect(container: Any, chars: list[_Char], page_top: float) -> int:
    """Gather the upright characters under a layout object; return how many images it holds.

    Rotated characters are left out: they are watermarks (征求意见稿 across the page)
    or stamps, not lines of the text.
    """
    from pdfminer.layout import LTChar, LTContainer, LTImage

    images = 0
    for item in container:
        if isinstance(item, LTChar):
            text = item.get_text()
            a, b, _, d, _, _ = item.matrix
            # pdfminer's own `upright` lets a 45° watermark through; a level glyph has b = 0.
            level = a > 0 and d > 0 and abs(b) <= 0.05 * a
            if level and text.strip("\x00"):
                chars.append(
                    _Char(
                        _UNMAPPED if _CID.match(text) else text,
                        float(item.x0),
                        float(item.x1),
                        page_top - float(item.y1),
                        page_top - float(item.y0),
                        float(item.size) or float(item.height) or 1.0,
                    )
                )
        elif isinstance(item, LTImage):
            images += 1
        elif isinstance(item, LTContainer):
            images += _collect(item, chars, page_top)
    return images


def _pdf_lines(chars: list[_Char]) -> tuple[_Line, ...]:
    """Characters -> lines: grouped by their vertical middle, ordered left to right."""
    ordered = sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0))
    rows: list[list[_Char]] = []
    middle = -math.inf
    height = 0.0
    for char in ordered:
        centre = (char.top + char.bottom) / 2
        if rows and abs(centre - middle) <= 0.5 * min(char.size, height):
            rows[-1].append(char)
        else:
            rows.append([char])
            middle, height = centre, char.size
    lines = []
    for row in rows:
        size = sorted(c.size for c in row)[len(row) // 2]
        # A glyph far larger than its neighbours is a watermark or stamp crossing the line.
        row = sorted((c for c in row if c.size <= 1.8 * size), key=lambda c: c.x0)
        text: list[str] = []
        previous: _Char | None = None
        for char in row:
            if previous is not None:
                gap = char.x0 - previous.x1
                ends, starts = previous.text[-1:], char.text[:1]
                words = ends.isascii() and starts.isascii() and ends.isalnum() and starts.isalnum()
                wide = gap > size or (words and gap > 0.2 * size)
                if wide and not ends.isspace() and not starts.isspace():
                    text.append(" ")  # a space the PDF positions but does not write
            text.append(char.text)
            previous = char
        line = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), "".join(text))
        line = line.strip()
        if line:
            lines.append(
                _Line(
                    line,
                    min(c.x0 for c in row),
                    max(c.x1 for c in row),
                    min(c.top for c in row),
                    max(c.bottom for c in row),
                    size,
                )
            )
    return tuple(lines)


def _running_key(text: str) -> str:
    """A running header or footer's text with its page number left out."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _has_content(text: str) -> bool:
    """Whether a line says something of its own: a heading (第3条, 一、) or a sentence.
    Such a line is dropped only when it repeats word for word, digits included."""
    return heading_style(text) is not None or any(mark in text for mark in PROSE_MARKS)


def _drop_running(pages: list[_Page]) -> tuple[list[_Page], list[tuple[int, str, str]]]:
    """Pages without running headers, footers and page numbers, and what was dropped:
    (page number, kind, text) for each line.

    Running lines are among the first or last lines of a page and repeat on many
    pages: word for word, or digits aside when they have no content of their own
    (no heading, no sentence); a page number is recognised by its form alone. A line
    that stands at the same height with the same text on many pages is dropped
    wherever it is.
    """

    def edges(page: _Page) -> list[_Line]:
        head = list(page.lines[:_EDGE_LINES])
        tail = [line for line in page.lines[-_EDGE_LINES:] if line not in head]
        return head + tail

    def placed(page: _Page, line: _Line) -> tuple[str, int]:
        # Exact text here: numbered rows of a table must not look alike.
        return "".join(line.text.split()), round(50 * line.top / (page.height or 1))

    def exact(line: _Line) -> str:
        return "".join(line.text.split())

    seen: Counter[str] = Counter()
    seen_exact: Counter[str] = Counter()
    stamped: Counter[tuple[str, int]] = Counter()
    for page in pages:
        seen.update({_running_key(line.text) for line in edges(page)})
        seen_exact.update({exact(line) for line in edges(page)})
        stamped.update({placed(page, line) for line in page.lines})
    need = max(2, math.ceil(_RUNNING_SHARE * len(pages)))
    kept = []
    dropped: list[tuple[int, str, str]] = []
    for page in pages:
        running: dict[int, str] = {}
        for line in edges(page):
            if PAGE_NUMBER.match(line.text):
                running[id(line)] = "page number"
            elif seen_exact[exact(line)] >= need or (
                seen[_running_key(line.text)] >= need and not _has_content(line.text)
            ):
                running[id(line)] = "running header or footer"
        # Also anywhere on the page: the same text at the same height on many pages
        # (a level watermark, a stamp).
        for line in page.lines:
            if id(line) not in running and stamped[placed(page, line)] >= need:
                running[id(line)] = "line repeated at the same place on many pages"
        lines = tuple(line for line in page.lines if id(line) not in running)
        dropped.extend(
            (page.number, running[id(line)], line.text)
            for line in page.lines
            if id(line) in running
        )
        kept.append(_Page(page.number, page.height, lines, page.images))
    return kept, dropped


def _margins(pages: list[_Page]) -> tuple[float, float]:
    """The left and right edges of the text column: where most lines start and end."""
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return 0.0, 0.0
    need = max(2, len(lines) // 20)
    starts = Counter(round(line.x0) for line in lines)
    common = sorted(x for x, n in starts.items() if n >= need)
    left = common[0] if common else min(starts)
    ends = sorted(line.x1 for line in lines)
    right = ends[int(0.95 * (len(ends) - 1))]
    return float(left), right


def _joins(line: _Line, after: _Line, left: float, right: float, pitch: float) -> bool:
    """Whether `after` continues the paragraph that `line` wraps out of."""
    em = line.size
    text = line.text.rstrip()
    heading_alone = heading_style(text) is not None and not any(m in text for m in "。；;")
    return (
        not heading_alone  # 一、总体要求 is complete, however long the column is
        and text[-1:] not in SENTENCE_END  # a sentence that ends at the edge ends there
        and line.x1 >= right - 2 * em  # the line runs to the right edge: the layout wrapped it
        and line.x0 <= left + 2.5 * em  # not a centred or right-aligned line
        and after.x0 <= left + 0.5 * em  # the next line is not indented: no new paragraph
        and abs(after.size - line.size) <= 0.5
        and (pitch <= 0 or after.top - line.top <= 1.4 * pitch)  # no paragraph spacing
        and heading_style(after.text) is None
        and BULLET.match(after.text) is None
        and DATE_LINE.match(after.text) is None
    )


def _glue(first: str, second: str) -> str:
    """Two pieces of a wrapped line: Chinese joins directly, Latin words keep a space."""
    end, start = first[-1:], second[:1]
    if end.isascii() and start.isascii() and end.isalnum() and start.isalnum():
        return f"{first} {second}"
    return first + second


def _pdf_paragraphs(pages: list[_Page]) -> Iterator[Block]:
    """Lines -> paragraphs: a line that runs to the right edge continues on the next line
    unless that one is indented, spaced apart, in another size or opens a heading."""
    left, right = _margins(pages)
    steps = sorted(
        b.top - a.top
        for page in pages
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if b.top > a.top
    )
    pitch = steps[len(steps) // 2] if steps else 0.0
    text = ""
    first_page = last_page = 0
    previous: _Line | None = None
    for page in pages:
        for index, line in enumerate(page.lines):
            same_page = index > 0
            if previous is not None and _joins(
                previous, line, left, right, pitch if same_page else 0.0
            ):
                text = _glue(text, line.text)
                last_page = page.number
            else:
                if text:
                    yield Block(text, _pages(first_page, last_page))
                text, first_page, last_page = line.text, page.number, page.number
            previous = line
    if text:
        yield Block(text, _pages(first_page, last_page))


def _pages(first: int, last: int) -> str:
    return f"page {first}" if first == last else f"page {first}–{last}"
