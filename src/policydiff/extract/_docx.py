"""A Word .docx -> its paragraphs and table rows, list numbering written out."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, LimitError, PolicydiffError
from . import Block, one_line, size_text, what_is_it

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Runs and parts of runs that are not the document's current text: deleted or moved-away
# revisions, field codes, text boxes (their text sits in the anchoring paragraph), and the
# fallback copy of drawings that Word stores twice.
_DOCX_SKIP = frozenset(
    {
        _W + "del",
        _W + "moveFrom",
        _W + "delText",
        _W + "instrText",
        _W + "pPr",
        _W + "rPr",
        _W + "txbxContent",
        _W + "footnoteReference",
        _W + "endnoteReference",
        _MC_FALLBACK,
    }
)
# A .docx whose parts expand to more than this many times the input size limit is refused
# before it is read (a ZIP bomb): python-docx holds every part in memory, as a tree several
# times the size of its XML. Word's XML around 20 MB of text is well under 100 MB.
EXPANSION_LIMIT = 5
MAX_EXPANDED = EXPANSION_LIMIT * 20_000_000
# Table-of-contents styles: their lines repeat the headings (with page numbers).
_TOC_STYLE = re.compile(r"^(?:toc|目录)\s*\d|^(?:toc heading|目录标题)$", re.IGNORECASE)


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    style: str | None


@dataclass
class _Numbering:
    """Word's list numbering: definitions, and the counters as the document goes on."""

    levels: dict[str, dict[int, _Level]]  # abstractNumId -> ilvl -> level
    nums: dict[str, tuple[str, dict[int, int]]]  # numId -> (abstractNumId, start overrides)
    counters: dict[str, list[int | None]]
    started: set[str]

    def label(self, num_id: str, ilvl: int) -> str:
        """The marker Word shows for the next paragraph of list `num_id` at level `ilvl`."""
        if num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        counts = self.counters.setdefault(abstract, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for index, start in overrides.items():
                if 0 <= index < len(counts):
                    counts[index] = start - 1
        if not 0 <= ilvl < len(counts):
            return ""
        previous = counts[ilvl]
        counts[ilvl] = (level.start - 1 if previous is None else previous) + 1
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = None
        if level.fmt in ("bullet", "none"):
            return ""

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            shown = levels.get(index)
            if shown is None or not 0 <= index < len(counts):
                return ""
            value = counts[index]
            return list_number(shown.start if value is None else value, shown.fmt)

        return re.sub(r"%([1-9])", number, level.text)


_CN_NUMERALS = "零一二三四五六七八九"
_CHINESE_FORMATS = frozenset(
    {
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "ideographDigital",
    }
)
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(value: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (Word's chineseCounting)."""
    if value <= 0 or value >= 10000:
        return str(value)
    units = ((1000, "千"), (100, "百"), (10, "十"))
    out = ""
    rest = value
    gap = False
    for size, name in units:
        digit, rest = divmod(rest, size)
        if digit:
            if gap:
                out += "零"
            out += ("" if size == 10 and digit == 1 and not out else _CN_NUMERALS[digit]) + name
            gap = False
        elif out:
            gap = True
    if rest:
        out += ("零" if gap else "") + _CN_NUMERALS[rest]
    return out


def _roman(value: int) -> str:
    pairs = (
        *((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")),
        *((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")),
    )
    out = ""
    for size, letters in pairs:
        count, value = divmod(value, size)
        out += letters * count
    return out


def _letters(value: int) -> str:
    # Word repeats the letter: a..z, aa..zz.
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""


def list_number(value: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (w:numFmt).

    >>> [list_number(12, f) for f in ("decimal", "chineseCounting", "decimalEnclosedCircle")]
    ['12', '十二', '⑫']
    """
    if fmt in _CHINESE_FORMATS:
        return _chinese(value)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x245F + value)
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return _STEMS[value - 1]
    if fmt == "ideographZodiac" and 1 <= value <= 12:
        return _BRANCHES[value - 1]
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    return str(value)


def _val(element: Any, tag: str) -> str | None:
    found = element.find(_W + tag) if element is not None else None
    return None if found is None else found.get(_W + "val")


def _read_numbering(document: Any) -> _Numbering:
    numbering = _Numbering({}, {}, {}, set())
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbering
    for abstract in root.iterchildren(_W + "abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in abstract.iterchildren(_W + "lvl"):
            index = int(lvl.get(_W + "ilvl") or 0)
            start = int(_val(lvl, "start") or 1)
            legal = lvl.find(_W + "isLgl") is not None  # "legal" numbering: decimal at every level
            fmt = "decimal" if legal else (_val(lvl, "numFmt") or "")
            levels[index] = _Level(start, fmt, _val(lvl, "lvlText") or "", _val(lvl, "pStyle"))
        numbering.levels[abstract.get(_W + "abstractNumId") or ""] = levels
    for num in root.iterchildren(_W + "num"):
        overrides: dict[int, int] = {}
        for override in num.iterchildren(_W + "lvlOverride"):
            restart = _val(override, "startOverride")
            if restart is not None:
                overrides[int(override.get(_W + "ilvl") or 0)] = int(restart)
        numbering.nums[num.get(_W + "numId") or ""] = (_val(num, "abstractNumId") or "", overrides)
    return numbering


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None


def _read_styles(document: Any) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    try:
        root = document.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return styles
    for style in root.iterchildren(_W + "style"):
        ppr = style.find(_W + "pPr")
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        ilvl = _val(numpr, "ilvl")
        styles[style.get(_W + "styleId") or ""] = _Style(
            name=_val(style, "name") or "",
            based_on=_val(style, "basedOn"),
            num_id=_val(numpr, "numId"),
            ilvl=int(ilvl) if ilvl is not None else None,
        )
    return styles


def _paragraph_text(paragraph: Any) -> str:
    """The text Word shows for a paragraph: current revisions, tabs and line breaks."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _DOCX_SKIP:
                continue
            if tag == _W + "r":
                props = child.find(_W + "rPr")
                hidden = props.find(_W + "vanish") if props is not None else None
                if hidden is not None and hidden.get(_W + "val") not in ("0", "false"):
                    continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag == _W + "br":
                if child.get(_W + "type") not in ("page", "column"):
                    parts.append("\n")
            elif tag == _W + "cr":
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def blocks(data: bytes, *, path: str, max_expanded: int = MAX_EXPANDED) -> tuple[Block, ...]:
    """The paragraphs of a Word document in order, tables row by row (cells joined by tabs).

    List numbering (一、, （一）, 1. from Word's numbering definitions) is written out
    in front of its paragraph, as Word shows it; tables of contents are left out. A
    document whose parts expand to more than `max_expanded` bytes is refused unread.
    """
    if not data.startswith(b"PK\x03\x04"):
        raise InputError(f"not a .docx document ({what_is_it(data)})", path=path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(
            "damaged or truncated .docx (not a readable ZIP package)", path=path
        ) from None
    if expanded > max_expanded:  # python-docx reads every part into memory
        raise LimitError(
            f"the .docx expands to {size_text(expanded)}, over the limit of "
            f"{size_text(max_expanded)} ({EXPANSION_LIMIT} times --max-size); raise --max-size",
            path=path,
        )
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as error:  # pragma: no cover - a broken install
        raise InputError(f"cannot read .docx files: {error}", path=path) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, EOFError):
        raise InputError(
            "damaged or truncated .docx (not a readable ZIP package)", path=path
        ) from None
    except KeyError as error:
        raise InputError(f"damaged .docx: part {error} is missing", path=path) from None
    except ValueError as error:  # python-docx: another kind of Office file
        raise InputError(f"not a Word .docx document: {one_line(error)}", path=path) from None
    except Exception as error:  # lxml syntax errors, zlib errors in a damaged member...
        raise InputError(f"damaged .docx: {one_line(error)}", path=path) from None
    try:
        return tuple(_docx_body(document))
    except PolicydiffError:
        raise
    except Exception as error:  # a malformed numbering or style value
        raise InputError(f"damaged .docx: {one_line(error)}", path=path) from None


def _row_cells(row: Any) -> Iterator[Any]:
    """The cells of a table row, also those wrapped in content controls."""
    for child in row.iterchildren():
        if child.tag == _W + "tc":
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _row_cells(content)


def _docx_body(document: Any) -> Iterator[Block]:
    styles = _read_styles(document)
    numbering = _read_numbering(document)
    paragraphs = tables = 0

    def number_of(paragraph: Any) -> str:
        ppr = paragraph.find(_W + "pPr")
        style_id = _val(ppr, "pStyle")
        numpr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id, ilvl = _val(numpr, "numId"), _val(numpr, "ilvl")
        seen: set[str] = set()
        while num_id is None and style_id and style_id in styles and style_id not in seen:
            seen.add(style_id)  # numbering inherited from the style, or a style it is based on
            style = styles[style_id]
            if style.num_id is not None:
                num_id = style.num_id
                if style.ilvl is not None:
                    ilvl = str(style.ilvl)
                else:
                    abstract = numbering.nums.get(num_id, ("", {}))[0]
                    levels = numbering.levels.get(abstract, {})
                    ilvl = next((str(i) for i, lvl in levels.items() if lvl.style == style_id), "0")
            style_id = style.based_on
        if num_id is None or num_id == "0":
            return ""
        return numbering.label(num_id, int(ilvl or 0))

    def is_toc(paragraph: Any) -> bool:
        style_id = _val(paragraph.find(_W + "pPr"), "pStyle")
        style = styles.get(style_id or "")
        return bool(style and _TOC_STYLE.match(style.name))

    def cell_paragraphs(cell: Any) -> list[str]:
        pieces = []
        for paragraph in cell.iter(_W + "p"):
            text = (number_of(paragraph) + _paragraph_text(paragraph)).strip()
            if text:
                pieces.append(text.replace("\n", " ").replace("\t", " "))
        return pieces

    def blocks(container: Any) -> Iterator[Block]:
        nonlocal paragraphs, tables
        for child in container.iterchildren():
            if child.tag == _W + "p":
                if is_toc(child):
                    continue
                marker = number_of(child)  # an empty numbered paragraph still counts in Word
                text = _paragraph_text(child).strip()
                if text:
                    paragraphs += 1
                    yield Block(marker + text, f"paragraph {paragraphs}")
            elif child.tag == _W + "tbl":
                tables += 1
                for row_number, row in enumerate(child.iterchildren(_W + "tr"), start=1):
                    cells = [cell_paragraphs(cell) for cell in _row_cells(row)]
                    where = f"table {tables} row {row_number}"
                    filled = [pieces for pieces in cells if pieces]
                    if len(filled) == 1:
                        # One cell with text in the row: a table used for layout, whose
                        # paragraphs are the document's own (headings among them).
                        yield from (Block(text, where) for text in filled[0])
                    elif filled:
                        yield Block("\t".join(" ".join(pieces) for pieces in cells), where)
            elif child.tag == _W + "sdt":  # a content control: its content is body text
                content = child.find(_W + "sdtContent")
                if content is not None:
                    yield from blocks(content)
            elif child.tag == _W + "customXml":
                yield from blocks(child)

    yield from blocks(document.element.body)
