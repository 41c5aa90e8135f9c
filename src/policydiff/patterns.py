"""Domain knowledge shared by the stages: Chinese punctuation and heading markers."""

from __future__ import annotations

import re

from .vocabulary import CN_DIGITS, unit_ahead

__all__ = ["CN_DIGITS"]
# Formal (大写) numerals number the top level of Taiwan-style documents: 壹、貳、參、
FORMAL_DIGITS = "壹贰貳叁參参肆伍陆陸柒捌玖拾"
# What 万 and 亿 after a number multiply it by.
SCALES = {"千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}

# Sentence ends, full and half width. "." is left out: in Chinese text it is a decimal point.
SENTENCE_END = "。！？；!?;"
# Characters that may close a sentence after its end mark: 。” or ；）
CLOSERS = "”’」』）)》〉>\"'】"
# A line ending in one of these is complete; one ending otherwise may have been cut.
TERMINAL = SENTENCE_END + CLOSERS + "：:…"
# Punctuation that only stands inside a sentence, so text ending in it was certainly cut.
MID_SENTENCE = "，、,"
PROSE_MARKS = "，。；！？,;!?"

# Heading markers, outermost first: the order official documents nest them
# (GB/T 9704: 一、 then （一） then 1. then （1）), with the chapters and articles
# of laws above and Taiwan's 壹、 and Hong Kong's 1.1 and (a) in their places.
# Each document uses a subset; segment.py nests by this order, so a level that
# a section skips (二、 straight to 1．) still nests right.
HEADING_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 第一部分 and 第一篇 divide a plan, 第一编 a code of law, above their chapters
    # (in traditional script too: 第一編, 第一節, 第一條)
    ("part", re.compile(rf"^\s*第[{CN_DIGITS}\d]+(?:部分|篇|编|編)\s*")),
    ("chapter", re.compile(rf"^\s*第[{CN_DIGITS}\d]+章\s*")),
    ("section", re.compile(rf"^\s*第[{CN_DIGITS}\d]+[节節]\s*")),
    ("article", re.compile(rf"^\s*第[{CN_DIGITS}\d]+[条條]\s*")),
    ("formal", re.compile(rf"^\s*[{FORMAL_DIGITS}]+\s*[、.．]\s*")),
    ("cn", re.compile(rf"^\s*[{CN_DIGITS}]+\s*[、.．]\s*")),
    ("paren_cn", re.compile(rf"^\s*[（(]\s*[{CN_DIGITS}]+\s*[）)]\s*")),
    ("arabic", re.compile(r"^\s*[0-9０-９]+\s*(?:[、．]|\.(?![0-9０-９]))\s*")),
    # 1.1 and a space, not an amount: 1.5亿元, 1.5 亿元, 1.2 公里 (any unit of vocabulary.py)
    ("decimal", re.compile(rf"^\s*[0-9]+(?:\.[0-9]+)+\s++(?!{unit_ahead()})")),
    ("paren_arabic", re.compile(r"^\s*[（(]\s*[0-9０-９]+\s*[）)]\s*")),
    ("paren_latin", re.compile(r"^\s*[（(][a-zA-Z][）)]\s*")),
    ("circled", re.compile(r"^\s*[①-⑳]\s*")),
)
# The list of attachments after the body (附件：1.… 2.…) stands outside its sections,
# above every heading.
APPENDIX = re.compile(r"^\s*附\s*件(?:\s*[:：\d一二三四五六七八九十]|\s*$)")
APPENDIX_STYLE = "appendix"
HEADING_RANK = {APPENDIX_STYLE: -1} | {name: rank for rank, (name, _) in enumerate(HEADING_STYLES)}

BULLET = re.compile(r"^\s*(?:——|--|—)\s*")

# A date alone on a line, or after the signer it shares the line with
# (县政府办公室        2024年3月8日): how a notice or a document is signed.
DATE_LINE = re.compile(
    r"^\s*(?:[^\s。，；,;！？!?、：:]{2,40}(?:\s{2,}|\u3000))?"
    rf"(?:\d{{4}}|[{CN_DIGITS}〇○Ｏ]{{4}})\s*年\s*[\d{CN_DIGITS}]{{1,3}}\s*月"
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


# Page numbers as printed: "3", "- 3 -", "— 3 —", "·3·", "第 3 页", "第3页 共12页", "3/12",
# "Page 3 of 12".
PAGE_NUMBER = re.compile(
    r"^(?:[-－—–―·•\s]*\d+[-－—–―·•\s]*"
    r"|第\s*[\d一二三四五六七八九十百]+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，、]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+"
    r"|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)$",
    re.IGNORECASE,
)
