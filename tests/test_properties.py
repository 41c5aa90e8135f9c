"""Properties that hold for any text: hypothesis, derandomised in CI by the profile in conftest.py."""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from policydiff import ClauseStatus, Document, TargetStatus, compare
from policydiff.load import _MAGIC as MAGIC
from policydiff.load import clean, decode
from policydiff.normalise import canonical, page_number_lines
from policydiff.render.json import render, report_dict
from policydiff.segment import segment

# ---------------------------------------------------------------- strategies

HANZI = "一二三四五六七八九十百第条章节总则目标质量发展达到以上合格率推进建设东莞市國質量強"
PUNCTUATION = "、。；：，！？（）《》“”—…%．.,;:!?()"
HOSTILE = "|<>`*_[]#&\\\"'{}$~"
CONTROL = "\x00\x01\x07\x0b\x0c\x1b\x1c\x1d\x1e\x7f\x85\u2028\u2029\ufeff\u200b\r\t"
SPACE = " \u3000\u00a0\n"
MARKERS = ["一、", "（二）", "第三条 ", "第一章 ", "1.", "（1）", "①", "——", "2024年1月26日"]

fragment = st.text(alphabet=HANZI + PUNCTUATION + HOSTILE + SPACE + "0123456789ABab", max_size=30)
line = st.builds(lambda marker, body: marker + body, st.sampled_from(["", *MARKERS]), fragment)
# Text shaped like a policy document: heading markers, sentences, blank lines.
policy_text = st.lists(line, max_size=12).map("\n".join)
# Long lines, and text with no punctuation (one long sentence) at all.
long_line = st.builds(
    lambda piece, n: piece * n, st.text(min_size=1, max_size=6), st.integers(100, 800)
)
no_punctuation = st.text(alphabet=HANZI + "0123456789", min_size=200, max_size=3000)
hostile_text = st.text(alphabet=HANZI + PUNCTUATION + HOSTILE + CONTROL + SPACE, max_size=200)
any_text = st.one_of(st.text(max_size=200), policy_text, hostile_text, long_line, no_punctuation)


# What a page number looks like, said independently of normalise.py: - 3 -, 第3页,
# 3/12, Page 3, a short bare number.
PAGE_SHAPE = re.compile(
    r"^(?:[-－—–―·•]+\s*\d+\s*[-－—–―·•]+|第\s*\S+\s*页.*|共.*页|\d+\s*/\s*\d+|(?i:page|p\.).*|\d{1,3})$"
)


def without_space(text: str) -> str:
    return "".join(char for char in text if not char.isspace())


def document(text: str, name: str = "a.txt") -> Document:
    return Document(name, text)


# ---------------------------------------------------------------- compare


@given(any_text)
@example("")
@example("\r\n\r\n")
@example("第一条 总则。\r第二条 目标。\r")
def test_compare_with_itself_reports_no_change(text: str) -> None:
    report = compare(document(text), document(text, "b.txt"))
    assert {a.status for a in report.alignments} <= {ClauseStatus.UNCHANGED}
    assert all(not a.edited and a.similarity == 1.0 for a in report.alignments)
    assert {t.status for t in report.targets} <= {TargetStatus.UNCHANGED}
    assert all(t.old is not None and t.new is not None for t in report.targets)


@settings(max_examples=40)
@given(policy_text, policy_text)
@example("一、目标\n新增企业5家。\n新增企业5家。", "一、目标\n新增企业6家。")
def test_every_clause_lands_in_exactly_one_record(old: str, new: str) -> None:
    report = compare(document(old), document(new, "b.txt"))
    old_ids = [c.id for a in report.alignments for c in a.old]
    new_ids = [c.id for a in report.alignments for c in a.new]
    assert sorted(old_ids) == sorted(c.id for c in report.old.clauses)
    assert sorted(new_ids) == sorted(c.id for c in report.new.clauses)


@settings(max_examples=40)
@given(any_text, any_text)
@example("", "第一条 总则。")
@example("|<script>`x`</script>|\n一、总则|", "一、总则\n(1)`rm -rf`\n")
def test_compare_never_raises_and_its_json_is_valid(old: str, new: str) -> None:
    report = compare(document(old), document(new, "b.txt"))
    assert json.loads(render(report)) == json.loads(json.dumps(report_dict(report)))


@settings(max_examples=30)
@given(policy_text, policy_text)
def test_line_endings_do_not_change_the_report(old: str, new: str) -> None:
    def report(newline: str, codec: str) -> dict[str, Any]:
        documents = [
            decode(text.replace("\n", newline).encode(codec), path=name, encoding=codec)
            for text, name in ((old, "a.txt"), (new, "b.txt"))
        ]
        result = report_dict(compare(*documents))
        for side in ("old", "new"):
            del result[side]["encoding"]
        return result

    expected = report("\n", "utf-8")
    assert report("\r\n", "utf-16") == expected
    assert report("\r", "gb18030") == expected


# ---------------------------------------------------------------- normalise and segment


@given(any_text)
@example("ﬁe\u0301\u0301")  # NFKC expands one character and composes others
@example("乾隆 乾燥")  # phrase-aware OpenCC conversion
# OpenCC's t2s table chains: 薴 -> 苧 -> 苎.
@example("薴")
# Per-character NFKC leaves combining marks out of canonical order: a second pass sorts them.
@example("\u0301\u0f73")
# The same once the spaces NFKC made of ᾽ and ¸ are dropped: U+0313 U+0327 -> U+0327 U+0313.
@example("᾽¸")
def test_canonical_is_idempotent(text: str) -> None:
    once = canonical(text)
    assert canonical(once) == once


@given(any_text)
@example("一、总则。第一条 目标\n\n  ——  \n(1)")
@example("0–")
@example("提供咨询、\n- 3 -\n培训服务。\n第4页")
def test_segmentation_neither_loses_nor_duplicates_text(text: str) -> None:
    # Page numbers are the one thing dropped, and only lines shaped like one.
    dropped = page_number_lines(text)
    lines = text.splitlines()
    assert all(PAGE_SHAPE.match(lines[number - 1].strip()) for number in dropped)
    kept = [line for number, line in enumerate(text.splitlines(), 1) if number not in dropped]
    clauses = segment(document(text))
    assert without_space("".join(c.text for c in clauses)) == without_space("".join(kept))


# ---------------------------------------------------------------- decoding


# What str.splitlines() breaks on besides LF; none may survive clean().
OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@given(any_text)
def test_clean_leaves_lf_as_the_only_line_break(text: str) -> None:
    cleaned = clean(text)
    assert not set(cleaned) & set(OTHER_BREAKS)
    # str.splitlines(), which the pipeline uses, then sees exactly the LF-separated lines.
    assert "\n".join(cleaned.splitlines()) + "\n" * cleaned.endswith("\n") == cleaned
    assert clean(cleaned) == cleaned


@given(any_text)
def test_clean_only_removes_control_characters(text: str) -> None:
    removed = without_space(text)
    kept = without_space(clean(text))
    stray = {c for c in removed if c not in kept}
    assert all(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c == "\ufeff" for c in stray)


def refused_format(data: bytes) -> bool:
    """Whether `data` opens like a PNG, PDF, RTF... file, which decode() refuses on purpose."""
    return data.startswith(tuple(magic for magic, _ in MAGIC))


@given(st.text(max_size=300))
def test_utf8_text_decodes_to_itself_cleaned(text: str) -> None:
    data = text.encode("utf-8")
    assume("\x00" not in text and not text.startswith("\ufeff") and not refused_format(data))
    assert decode(data, path="x") == Document("x", clean(text), "utf-8")


@given(st.text(max_size=300), st.sampled_from(["utf-8-sig", "utf-16-le", "utf-16-be"]))
def test_text_with_a_bom_decodes_to_itself_cleaned(text: str, encoding: str) -> None:
    bom = {
        "utf-8-sig": b"",  # the codec writes its own
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
    }[encoding]
    data = bom + text.encode(encoding)
    # FF FE 00 00 is the UTF-32 LE mark: UTF-16 LE text may not open with U+0000.
    assume(not (encoding == "utf-16-le" and text.startswith("\x00")))
    assert decode(data, path="x") == Document("x", clean(text), encoding)
