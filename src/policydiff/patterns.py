"""Domain knowledge shared by the stages: Chinese punctuation and heading markers."""

from __future__ import annotations

import re

CN_DIGITS = "〇零一二三四五六七八九十百千两"

# Sentence ends, full and half width. "." is left out: in Chinese text it is a decimal point.
SENTENCE_END = "。！？；!?;"
# Characters that may close a sentence after its end mark: 。” or ；）
CLOSERS = "”’」』）)》〉>\"'】"
# A line ending in one of these is complete; one ending otherwise may have been cut.
TERMINAL = SENTENCE_END + CLOSERS + "：:…"
# Punctuation that only stands inside a sentence, so text ending in it was certainly cut.
MID_SENTENCE = "，、,"
PROSE_MARKS = "，。；！？,;!?"

# Heading markers, in the order policy documents nest them. Each document uses
# its own subset; segment.py nests them by order of first appearance.
HEADING_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^\s*第[{CN_DIGITS}\d]+[章编]\s*")),
    ("section", re.compile(rf"^\s*第[{CN_DIGITS}\d]+节\s*")),
    ("article", re.compile(rf"^\s*第[{CN_DIGITS}\d]+条\s*")),
    ("cn", re.compile(rf"^\s*[{CN_DIGITS}]+\s*[、.．]\s*")),
    ("paren_cn", re.compile(rf"^\s*[（(]\s*[{CN_DIGITS}]+\s*[）)]\s*")),
    ("arabic", re.compile(r"^\s*[0-9０-９]+\s*(?:[、．]|\.(?![0-9０-９]))\s*")),
    ("paren_arabic", re.compile(r"^\s*[（(]\s*[0-9０-９]+\s*[）)]\s*")),
    ("circled", re.compile(r"^\s*[①-⑳]\s*")),
)

BULLET = re.compile(r"^\s*(?:——|--|—)\s*")

# A date standing alone on a line: the signature date of a notice.
DATE_LINE = re.compile(
    rf"^\s*(?:\d{{4}}|[{CN_DIGITS}〇○Ｏ]{{4}})\s*年\s*[\d{CN_DIGITS}]{{1,3}}\s*月"
    rf"\s*[\d{CN_DIGITS}]{{1,3}}\s*日\s*$"
)


def heading_style(text: str) -> tuple[str, int] | None:
    """The heading style that `text` opens with and the length of its marker."""
    for name, pattern in HEADING_STYLES:
        match = pattern.match(text)
        if match and match.end() < len(text.rstrip()):
            return name, match.end()
    return None


def without_marker(title: str) -> str:
    """A heading title without its number: "（十四）提高质量" -> "提高质量", "第三条" -> ""."""
    stripped = title.strip()
    for _, pattern in HEADING_STYLES:
        match = pattern.match(stripped)
        if match:
            return stripped[match.end() :]
    bullet = BULLET.match(stripped)
    return stripped[bullet.end() :] if bullet else stripped
