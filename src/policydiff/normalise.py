"""Text -> canonical text for matching, page-break repair, and script detection.

The canonical form folds what does not change meaning: traditional -> simplified
script (OpenCC), full/half width (NFKC), a few bracket and quote variants, and
whitespace next to Chinese text. `canonical_map` also returns where each
canonical character came from, so spans found in canonical text can be quoted
from the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .model import Script, ScriptSpan, line_at
from .patterns import (
    BULLET,
    DATE_LINE,
    MID_SENTENCE,
    PAGE_NUMBER,
    PROSE_MARKS,
    TERMINAL,
    heading_style,
)

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


@dataclass(frozen=True)
class _ScriptChars:
    """What OpenCC's t2s dictionaries say about single characters.

    `convertible`: the characters a t2s entry changes (those of a key that its
    value writes otherwise, every character of a key whose value has another
    length). Text with none of them comes out of the conversion unchanged: any
    entry it matches maps to itself. So the (slow, pure-Python) conversion is
    skipped for it, which is most simplified text. (Every character of every key
    would take in 量, 推, 工… through phrases such as 看著, and convert nearly all.)
    `traditional`: characters t2s changes. `simplified`: what it changes them to,
    except those traditional text uses too (制 for 製 and 制, 里 for 裏 and 里).
    """

    convertible: frozenset[str] | None
    traditional: frozenset[str]
    simplified: frozenset[str]


_CHARS_FORMAT = 2  # bump when the sets read from OpenCC change what they hold


@cache
def _script_chars() -> _ScriptChars:
    """The sets, from the cache directory when OpenCC's files are the ones they were
    read from: reading them from the dictionaries takes ~4% of comparing the sample
    pair, and a simplified document then never builds the converter at all."""

    def read() -> dict[str, frozenset[str]] | None:
        chars = _read_script_chars()
        if chars.convertible is None:
            return None
        return {
            "convertible": chars.convertible,
            "traditional": chars.traditional,
            "simplified": chars.simplified,
        }

    sets = _cached_sets("chars", read)
    if sets is None:
        return _ScriptChars(None, frozenset(), frozenset())
    return _ScriptChars(sets["convertible"], sets["traditional"], sets["simplified"])


def _cached_sets(
    name: str, read: Callable[[], dict[str, frozenset[str]] | None]
) -> dict[str, frozenset[str]] | None:
    """Character sets `read` from OpenCC's dictionaries, kept in the cache directory
    (one file per OpenCC install and `name`: two virtualenvs sharing a cache do not
    overwrite each other's in turn) and read again when OpenCC's files change."""
    import hashlib
    import json

    from .words import cache_dir

    identity = _opencc_identity()
    if identity is None:
        return read()
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    path = cache_dir() / f"opencc-{name}-{digest}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored["identity"] == identity:
            return {k: frozenset(v) for k, v in stored["sets"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    sets = read()
    if sets is not None:
        payload = {"identity": identity, "sets": {k: "".join(sorted(v)) for k, v in sets.items()}}
        _save(path, json.dumps(payload, ensure_ascii=False))
    return sets


def _opencc_identity() -> str | None:
    """Where OpenCC is and its config and dictionary files (name, size, time), or None."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("opencc")
        if spec is None or spec.origin is None:
            return None
        folder = Path(spec.origin).parent
        files = sorted(p for sub in ("config", "dictionary") for p in (folder / sub).iterdir())
        stamps = []
        for file in files:
            info = file.stat()
            stamps.append(f"{file.parent.name}/{file.name}:{info.st_size}:{info.st_mtime_ns}")
    except OSError:
        return None
    return f"{_CHARS_FORMAT}|{folder}|" + "|".join(stamps)


def _save(path: Path, text: str) -> None:
    """Write a cache file atomically; a cache that cannot be written is no error."""
    import os
    import tempfile

    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(partial, 0o644)  # mkstemp makes it private; the cache may be shared
        os.replace(partial, path)
    except OSError:
        if partial and os.path.exists(partial):
            os.remove(partial)


def _read_script_chars() -> _ScriptChars:
    # opencc-python-reimplemented keeps its loaded dictionaries in `dict_cache`;
    # without it every text goes through the converter and lines are judged by it.
    tables = getattr(_converter("t2s"), "dict_cache", None)
    if not isinstance(tables, dict):
        return _ScriptChars(None, frozenset(), frozenset())
    keys: set[str] = set()
    traditional: set[str] = set()
    simplified: set[str] = set()
    for _, _, mapping in tables.values():
        for key, value in mapping.items():
            keys.update(_changed_chars(key, value))
            first = value.split(" ", 1)[0]
            if len(key) == 1 and first != key:
                traditional.add(key)
                simplified.add(first)
    simplified -= traditional | _also_traditional()
    return _ScriptChars(frozenset(keys), frozenset(traditional), frozenset(simplified))


@cache
def _st_characters() -> tuple[str, ...]:
    """The lines of OpenCC's s2t character table (a character, a tab, its traditional
    forms); () when the table cannot be read."""
    try:
        import opencc  # its dictionaries are files beside it, as OpenCC itself reads them

        table = Path(opencc.__file__).parent / "dictionary" / "STCharacters.txt"
        return tuple(table.read_text(encoding="utf-8").splitlines())
    except (OSError, ImportError, TypeError):
        return ()


def _also_traditional() -> set[str]:
    """Simplified characters that are also traditional ones: those OpenCC's s2t table
    lists among their own traditional forms (制 -> 制 製, 台 -> 臺 檯 颱 台)."""
    shared = set()
    for line in _st_characters():
        char, _, forms = line.partition("\t")
        if char in forms.split():
            shared.add(char)
    return shared


@dataclass(frozen=True)
class _VariantChars:
    """Characters of the keys of OpenCC's tables: `any` of hk2s's (t2s's and Hong Kong's
    variants), `hong_kong` of HKVariantsRev's, `taiwan` of TWVariantsRev's. Text with
    none of `any` needs no conversion; the variant passes run only where they can act."""

    any: frozenset[str]
    hong_kong: frozenset[str]
    taiwan: frozenset[str]


@cache
def _variant_chars() -> _VariantChars | None:
    sets = _cached_sets("variants", _read_variant_chars)
    if sets is None:
        return None
    return _VariantChars(sets["any"], sets["hong_kong"], sets["taiwan"])


def _read_variant_chars() -> dict[str, frozenset[str]] | None:
    tables = getattr(_converter("hk2s"), "dict_cache", None)
    taiwan = getattr(_converter("tw2s"), "dict_cache", None)
    if not isinstance(tables, dict) or not isinstance(taiwan, dict):
        return None
    keys: dict[str, set[str]] = {"any": set(), "hong_kong": set(), "taiwan": set()}
    for path, (_, _, mapping) in [*tables.items(), *taiwan.items()]:
        name = str(path)
        kind = "hong_kong" if "HKVariants" in name else "taiwan" if "TWVariants" in name else None
        for key, value in mapping.items():
            changed = _changed_chars(key, value)
            if kind is not None:
                keys[kind].update(changed)
            if kind != "taiwan":
                keys["any"].update(changed)
    return {k: frozenset(v) for k, v in keys.items()}


def _changed_chars(key: str, value: str) -> str | set[str]:
    """The characters of a table entry's key that it changes: a text with none of them is
    left as it is by that entry (all of them when the entry changes the key's length)."""
    first = value.split(" ", 1)[0]
    if len(first) != len(key):
        return key
    return {k for k, v in zip(key, first, strict=True) if k != v}


def _convert(config: str, text: str) -> str:
    return str(_converter(config).convert(text))


@lru_cache(maxsize=16384)
def to_simplified(text: str) -> str:
    """Traditional -> simplified with OpenCC's phrase-aware conversions, the Hong Kong
    and Taiwan variant forms included (衞生 and 著力 as published there: 衞 -> 卫, 著 -> 着
    but 顯著 -> 显著), so that an s2hk or s2tw copy of a text reads back as the text.

    Taiwan's forms are undone only in runs of text that are traditional (that t2s
    changes): in simplified text 著 is a character of its own (显著, 著作).

    >>> to_simplified("著力推進衞生工作，顯著"), to_simplified("显著著作")
    ('着力推进卫生工作，显著', '显著著作')
    """
    chars = _variant_chars()
    if chars is None:
        return _convert("t2s", text) if text else text
    if not text or chars.any.isdisjoint(text):
        return text
    # hk2s undoes Hong Kong's variants, then converts as t2s does (which alone is faster).
    config = "t2s" if chars.hong_kong.isdisjoint(text) else "hk2s"
    traditional = _script_chars().traditional
    if chars.taiwan.isdisjoint(text) or traditional.isdisjoint(text):
        return _convert(config, text)
    # Traditional text with Taiwan's forms: undo them (phrase-aware) before converting,
    # run by run of Chinese characters, so that a simplified run in mixed text (a heading
    # path joined from both versions) keeps its 著.
    pieces = []
    for run in _HANZI_RUNS.split(text):
        if chars.taiwan.isdisjoint(run) or traditional.isdisjoint(run):
            pieces.append(_convert(config, run) if not chars.any.isdisjoint(run) else run)
            continue
        converted = _convert("tw2s", run)
        if not chars.hong_kong.isdisjoint(converted):
            converted = _convert("hk2s", converted)
        pieces.append(converted)
    return "".join(pieces)


_HANZI_RUNS = re.compile("([^\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)")


def fold_round_trip(text: str) -> str:
    """Canonical text with the traditional forms that t2s keeps read as the character s2t
    made them from, for matching only (alignment keys): 批覆 -> 批复, 明瞭 -> 明了.

    >>> fold_round_trip("关于覆盖率的批覆")
    '关于复盖率的批复'
    """
    return text.translate(_round_trip_fold())


@cache
def _round_trip_fold() -> dict[int, str]:
    """Traditional forms that t2s leaves as they are although s2t makes them from another
    character (复 -> 覆 in 批复 -> 批覆, 了 -> 瞭): for matching they read as that character,
    so that a text converted to traditional and back compares equal to itself. Read from
    OpenCC's STCharacters table."""
    lines = _st_characters()
    # What t2s changes; the rest it leaves as it is.
    changed = _script_chars().traditional
    fold: dict[int, str] = {}
    for line in lines:
        char, _, forms = line.partition("\t")
        for form in forms.split():
            if len(form) == 1 and form != char and form not in changed:
                fold.setdefault(ord(form), char)
    return fold


def to_traditional(text: str) -> str:
    """Simplified -> traditional (OpenCC standard characters)."""
    return str(_converter("s2t").convert(text)) if text else text


def to_traditional_display(text: str) -> str:
    """Simplified -> traditional as published in Taiwan and most sites (為, 群, 眾)."""
    return str(_converter("s2tw").convert(text)) if text else text


def _keeps_space(before: str, after: str) -> bool:
    """Whitespace matters only between two Latin letters or digits ("GDP growth")."""
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()


def fold_width(text: str) -> str:
    """Width and bracket variants folded, script untouched: `（` and `(` compare equal."""
    return unicodedata.normalize("NFKC", text).translate(_PUNCT_FOLD)


_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def canonical_map(text: str) -> tuple[str, tuple[int, ...]]:
    """The canonical form of `text` and, for each of its characters, the index in `text`
    it came from (plus one final entry, `len(text)`). A canonical span [a, b)
    quotes the original as `text[origin[a] : origin[b - 1] + 1]`.

    The form is a fixed point: canonical(canonical(x)) == canonical(x). One pass
    can fall short of it, since OpenCC's table chains (薴 → 苧 → 苎) and NFKC
    reorders combining marks once the spaces between them are gone.

    >>> canonical_map("達到 98％")[0]
    '达到98%'
    """
    out, origin = _canonical_once(text)
    for _ in range(3):
        again, back = _canonical_once(out)
        if again == out:
            break
        out, origin = again, tuple(origin[i] for i in back)
    return out, origin


def _canonical_once(text: str) -> tuple[str, tuple[int, ...]]:
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) == len(text):
        origin = list(range(len(text)))
    else:  # some character expanded or composed: fold one character at a time
        folded_chars: list[str] = []
        origin = []
        for index, char in enumerate(text):
            piece = unicodedata.normalize("NFKC", char)
            folded_chars.append(piece)
            origin.extend([index] * len(piece))
        folded = "".join(folded_chars)
    folded = folded.translate(_PUNCT_FOLD)
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):  # a phrase conversion changed length
        simplified = "".join(to_simplified(char) or char for char in folded)
        if len(simplified) != len(folded):
            simplified = folded
    # Drop each run of whitespace, or keep it as one space between two Latin words.
    pieces: list[str] = []
    kept: list[int] = []
    start = 0
    for run in _WHITESPACE.finditer(simplified):
        pieces.append(simplified[start : run.start()])
        kept.extend(origin[start : run.start()])
        before = simplified[run.start() - 1] if run.start() else ""
        after = simplified[run.end()] if run.end() < len(simplified) else ""
        if before and after and _keeps_space(before, after):
            pieces.append(" ")
            kept.append(origin[run.start()])
        start = run.end()
    pieces.append(simplified[start:])
    kept.extend(origin[start:])
    kept.append(len(text))
    return "".join(pieces), tuple(kept)


def canonical(text: str) -> str:
    """The form two texts are compared in; equal canonical forms mean no real change.

    >>> canonical("藥品抽檢合格率 達到 99.5％以上") == canonical("药品抽检合格率达到99.5%以上")
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
        return line_at(self.breaks, offset, self.line)


def _looks_cut(text: str) -> bool:
    """Whether a line ends mid-sentence, as when a PDF page break cut it."""
    stripped = text.rstrip()
    if not stripped or stripped[-1] in TERMINAL:
        return False
    if stripped[-1] in MID_SENTENCE:
        return True
    style = heading_style(stripped)
    if (
        style is not None
        and style[0] != "article"
        and len(stripped) <= HEADING_LINE_MAX_CHARS
        and not any(mark in stripped for mark in "。；;！？!?")
    ):
        # A short numbered line with no sentence after it is a complete heading. An
        # article (第三条) is a provision, and a long numbered item is prose: they are
        # cut when prose is, below.
        return False
    # Titles, names and signatures carry no sentence punctuation; prose does.
    return any(mark in stripped for mark in PROSE_MARKS)


# A numbered line longer than this is an item of prose, not a heading (segment.py's
# HEADING_LINE_MAX_CHARS): a page break can cut it.
HEADING_LINE_MAX_CHARS = 60

# Dashes around a page number come in pairs (- 3 -, — 3 —); "0–" is text.
_DASHED_PAGE_NUMBER = re.compile(r"^[-－—–―·•]+\s*\d{1,4}\s*[-－—–―·•]+$")
_PAGE_DASHES = frozenset("-－—–―·•")


def _is_page_number(line: str, pending: list[tuple[str, int]], apart: bool) -> bool:
    """Whether a line is a page number; `apart`: blank lines stand before and after it."""
    if not PAGE_NUMBER.match(line):
        return False
    if line.isdigit():  # a bare number: only a short one, set apart, cutting a sentence
        return apart and len(line) <= 3 and bool(pending and _looks_cut(_joined(pending)))
    return _DASHED_PAGE_NUMBER.match(line) is not None or _PAGE_DASHES.isdisjoint(line)


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
    date, is the first half of one sentence: the two are joined. A page number
    left by a PDF copy ("- 3 -", "第3页") is a page break, not text; a bare
    number is one only where it cuts a sentence.

    >>> [p.text for p in paragraphs("提供咨询、培训、\\n\\n- 3 -\\n\\n测试等服务。")]
    ['提供咨询、培训、测试等服务。']
    """
    return _read_paragraphs(text)[0]


def page_number_lines(text: str) -> frozenset[int]:
    """The 1-based lines `paragraphs` drops as page numbers: the only text it drops.

    >>> sorted(page_number_lines("一、总则\\n- 1 -\\n第2页\\n0–"))
    [2, 3]
    """
    return _read_paragraphs(text)[1]


# Characters that draw nothing: a line of only these (a web page's &#8203; line) is blank.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _blank(line: str) -> bool:
    return not line.strip().strip(_INVISIBLE)


@lru_cache(maxsize=8)  # segment and parse both ask for the same text's paragraphs
def _read_paragraphs(text: str) -> tuple[tuple[Paragraph, ...], frozenset[int]]:
    result: list[Paragraph] = []
    dropped: set[int] = set()
    pending: list[tuple[str, int]] = []  # pieces of the paragraph being built
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if _blank(line):
            continue
        apart = (number == 1 or _blank(lines[number - 2])) and (
            number == len(lines) or _blank(lines[number])
        )
        if _is_page_number(line, pending, apart):
            dropped.add(number)
            continue
        if pending and not (_looks_cut(_joined(pending)) and not _starts_block(line)):
            result.append(_paragraph(pending))
            pending = []
        pending.append((line, number))
    if pending:
        result.append(_paragraph(pending))
    return tuple(result), frozenset(dropped)


def _joined(pieces: list[tuple[str, int]]) -> str:
    """The paragraph built so far: whether it is cut depends on all of it, not on
    its last line alone (…达到 / 12000 / 家以上。)."""
    return "".join(piece for piece, _ in pieces)


def _paragraph(pieces: list[tuple[str, int]]) -> Paragraph:
    breaks: list[tuple[int, int]] = []
    offset = 0
    for piece, line in pieces:
        breaks.append((offset, line))
        offset += len(piece)
    return Paragraph("".join(piece for piece, _ in pieces), tuple(breaks))


# ---------------------------------------------------------------- script


def _line_script(line: str) -> Script | None:
    """Which script a line is written in: whichever has more characters of its own."""
    chars = _script_chars()
    if chars.convertible is None:  # no dictionaries to read: compare conversions
        traditional = sum(a != b for a, b in zip(line, to_simplified(line), strict=False))
        simplified = sum(a != b for a, b in zip(line, to_traditional(line), strict=False))
    else:
        traditional = sum(1 for char in line if char in chars.traditional)
        simplified = sum(1 for char in line if char in chars.simplified)
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
