"""HTML pages, .docx files and PDFs -> paragraphs of text, each with where it came from.

This package recognises formats and names locations; each format's reader is a
module of its own (_html, _docx, _pdf), imported only when such a file comes in,
so that reading a .txt file imports none of lxml, python-docx or pdfminer.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FORMATS = ("txt", "html", "docx", "pdf")
"""What `load(input_format=...)` accepts besides "auto"."""

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


@dataclass(frozen=True)
class Block:
    """One paragraph of an extracted document.

    `text` may hold line breaks the source had inside the paragraph (<br>, a
    Word line break); `location` says where it stands: "page 3", "paragraph 12",
    "table 1 row 2".
    """

    text: str
    location: str
    notes: tuple[str, ...] = ()
    """What the reader left out or guessed next to this paragraph (Document.notes)."""


# ---------------------------------------------------------------- recognising formats

# A page starts with markup: a doctype, <html>, or an element only pages have.
_HTML_START = re.compile(
    r"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def sniff(data: bytes, name: str) -> str:
    """The format of a file by its content, else by its name: "pdf", "docx", "html" or "txt".

    >>> sniff(b"%PDF-1.7 ...", "a.bin"), sniff(b"<!DOCTYPE html><p>x", "a.txt")
    ('pdf', 'html')
    >>> sniff("<p>总则</p>".encode(), "a.htm"), sniff("总则".encode(), "a.txt")
    ('html', 'txt')
    """
    if is_pdf(data):
        return "pdf"
    suffix = _suffix(name)
    if data.startswith(b"PK\x03\x04") and (suffix in (".docx", ".docm") or _is_docx(data)):
        return "docx"
    if suffix == ".pdf":
        return "pdf"  # not a PDF inside: reading it says so
    if suffix in (".docx", ".docm"):
        return "docx"
    if looks_like_html(data) or suffix in HTML_SUFFIXES:
        return "html"
    return "txt"


def is_pdf(data: bytes) -> bool:
    """Whether the bytes are a PDF: they open with %PDF-, or hold it in their first 1 KB (as
    readers accept, after a mail or download header) and have PDF objects."""
    if data.lstrip()[:5] == b"%PDF-":
        return True
    return b"%PDF-" in data[:1024] and b" obj" in data and b"endobj" in data


def _suffix(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes open with HTML markup (in any ASCII-compatible encoding or UTF-16)."""
    head = data[:2048]
    for bom, codec in _UTF16_BOMS:
        if head.startswith(bom):
            text = head[2 : len(head) // 2 * 2].decode(codec, "replace")
            break
    else:
        text = head.decode("latin-1")
    return _HTML_START.match(text.lstrip("\ufeff\u00ef\u00bb\u00bf")) is not None


def _is_docx(data: bytes) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def zip_kind(data: bytes) -> str:
    """What a ZIP archive that is not a .docx holds, for the refusal message."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "ZIP archive, damaged or truncated"
    if any(n.startswith("xl/") for n in names):
        return "Excel .xlsx workbook"
    if any(n.startswith("ppt/") for n in names):
        return "PowerPoint .pptx presentation"
    if "OFD.xml" in names:
        return "OFD document"
    if "content.xml" in names:
        return "OpenDocument file"
    return "ZIP archive"


# ---------------------------------------------------------------- HTML

_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta charset>, <meta http-equiv> or <?xml encoding?>.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb2312'
    """
    head = data[:4096]  # browsers look at the first 1,024 bytes; saved pages move it further
    for tag in _META.finditer(head):
        found = _CHARSET.search(tag.group(0))
        if found:
            return found.group(1).decode("ascii").lower()
    xml = _XML_ENCODING.match(head)
    return xml.group(1).decode("ascii").lower() if xml else None


def html_blocks(markup: str, *, path: str) -> tuple[Block, ...]:
    """The article of a web page, already decoded: its title and paragraphs (see _html.py)."""
    from . import _html  # lxml is imported only when an HTML file comes in

    return _html.blocks(markup, path=path)


def docx_blocks(data: bytes, *, path: str, max_bytes: int | None = None) -> tuple[Block, ...]:
    """The paragraphs and table rows of a Word document, in order (see _docx.py); its
    parts may expand to `_docx.EXPANSION_LIMIT` times `max_bytes`."""
    from . import _docx

    if max_bytes is None:
        return _docx.blocks(data, path=path)
    return _docx.blocks(data, path=path, max_expanded=_docx.EXPANSION_LIMIT * max_bytes)


def pdf_blocks(data: bytes, *, path: str, max_bytes: int | None = None) -> tuple[Block, ...]:
    """The text layer of a PDF as paragraphs, each labelled with its page (see _pdf.py);
    its streams may inflate to `_pdf.EXPANSION_LIMIT` times `max_bytes` altogether."""
    from . import _pdf

    limit = None if max_bytes is None else _pdf.EXPANSION_LIMIT * max_bytes
    return _pdf.blocks(data, path=path, max_inflated=limit)


# ---------------------------------------------------------------- locations

_LABEL = re.compile(r"^(.*?)(\d+)(?:–(\d+))?$")


def merge_locations(labels: Iterable[str]) -> str:
    """Location labels as one: the numbers of labels of one kind become ranges.

    >>> merge_locations(["page 3", "page 4", "page 4–5", "page 7"])
    'page 3–5, 7'
    >>> merge_locations(["paragraph 2", "table 1 row 3", "paragraph 2"])
    'paragraph 2, table 1 row 3'
    """
    groups: dict[str, set[int]] = {}
    others: list[str] = []
    for label in labels:
        match = _LABEL.match(label)
        if match is None:
            if label not in others:
                others.append(label)
            continue
        first = int(match.group(2))
        last = int(match.group(3) or first)
        groups.setdefault(match.group(1), set()).update(range(first, last + 1))
    parts = []
    for prefix, numbers in groups.items():
        runs: list[list[int]] = []
        for number in sorted(numbers):
            if runs and number == runs[-1][1] + 1:
                runs[-1][1] = number
            else:
                runs.append([number, number])
        parts.append(prefix + ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs))
    return ", ".join(parts + others)


def location_of(locations: Sequence[str], line: int, end_line: int | None = None) -> str | None:
    """Where lines `line` to `end_line` (1-based) of an extracted document came from, or
    None for plain text, where line numbers say it.

    >>> location_of(("page 1", "page 1", "page 2"), 1, 3), location_of((), 4)
    ('page 1–2', None)
    """
    if not locations:
        return None
    first = min(max(line, 1), len(locations))
    last = min(max(end_line or line, first), len(locations))
    return merge_locations(locations[first - 1 : last])


# ---------------------------------------------------------------- shared


def size_text(count: int) -> str:
    """A byte count for messages, to three significant digits and without exponents.

    >>> size_text(999), size_text(20_000_000), size_text(1_000_000_000), size_text(1234567)
    ('999 bytes', '20 MB', '1,000 MB', '1.23 MB')
    """
    if count < 1_000:
        return f"{count} bytes"
    value, unit = (count / 1_000_000, "MB") if count >= 1_000_000 else (count / 1_000, "kB")
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.0f} {unit}" if rounded >= 100 else f"{rounded:g} {unit}"


def one_line(error: BaseException) -> str:
    """A library's error message on one line, short enough for ours."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def what_is_it(data: bytes) -> str:
    """A short guess at what a file of the wrong kind is, for error messages."""
    if not data:
        return "the file is empty"
    if looks_like_html(data):
        return "it is an HTML page, perhaps an error page saved instead of the file"
    if data.startswith(b"PK\x03\x04"):
        return "it is a ZIP archive"
    if is_pdf(data):
        return "it is a PDF"
    return f"it starts with {data[:8]!r}"
