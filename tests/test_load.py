"""Decoding: every supported encoding and line ending gives the same text and the same report."""

from __future__ import annotations

import codecs
import io
import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from opencc import OpenCC

from policydiff import Document, compare
from policydiff.errors import InputError, UsageError
from policydiff.load import DEFAULT_MAX_BYTES, clean, decode, load
from policydiff.render.json import report_dict

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def utf8(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def big5_able(text: str) -> str:
    """The lines of `text` Big5 can encode: Taiwan-standard characters (為, 著, 眾), not
    OpenCC's default variants (爲, 着, 衆) that Big5 lacks."""
    text = OpenCC("s2tw").convert(text)

    def fits(line: str) -> bool:
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            return False
        return True

    return "".join(line for line in text.splitlines(keepends=True) if fits(line))


@cache
def sources() -> dict[str, tuple[str, str]]:
    """(old, new) texts per sample: the data/ files, and a Big5-encodable traditional pair."""
    draft, final = utf8("draft_2023.txt"), utf8("final_2024.txt")
    return {
        "data": (draft, final),
        "traditional": (big5_able(draft), big5_able(final)),
    }


# (encoding as reported, sample, how to encode the text into bytes)
ENCODINGS: dict[str, tuple[str, str, Any]] = {
    "utf-8": ("utf-8", "data", lambda t: t.encode("utf-8")),
    "utf-8-sig": ("utf-8-sig", "data", lambda t: t.encode("utf-8-sig")),
    "utf-16-le": ("utf-16-le", "data", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    "utf-16-be": ("utf-16-be", "data", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    "gb18030": ("gb18030", "data", lambda t: t.encode("gb18030")),
    "big5": ("big5", "traditional", lambda t: t.encode("big5")),
}
NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def encoded(text: str, encoding: str, newline: str) -> bytes:
    return ENCODINGS[encoding][2](text.replace("\n", NEWLINES[newline]))


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A JSON report without the fields that may differ: each document's path and encoding."""
    copy = json.loads(json.dumps(report))
    for side in ("old", "new"):
        del copy[side]["path"], copy[side]["encoding"]
    return copy


# ---------------------------------------------------------------- the data/ samples


def test_samples_are_what_the_fixtures_assume() -> None:
    draft, final = sources()["data"]
    assert "\r" not in draft + final
    assert draft.encode("gbk")  # so the GB18030 fixture is also a GBK file
    old, new = sources()["traditional"]
    assert len(old) == len(draft) and len(new) == len(final)  # no line had to go


@pytest.mark.parametrize("newline", NEWLINES)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_and_line_ending_decodes_to_the_utf8_text(
    encoding: str, newline: str, tmp_path: Path
) -> None:
    name, sample, _ = ENCODINGS[encoding]
    for side, text in zip(("old", "new"), sources()[sample], strict=True):
        path = tmp_path / f"{side}.txt"
        path.write_bytes(encoded(text, encoding, newline))
        assert load(path) == Document(str(path), text, name)


# One line-ending style per encoding keeps this fast; the test above covers all of them.
@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("utf-8", "cr"),
        ("utf-8-sig", "crlf"),
        ("utf-16-le", "crlf"),
        ("utf-16-be", "cr"),
        ("gb18030", "crlf"),
        ("big5", "cr"),
    ],
)
def test_every_encoding_gives_the_same_json_report(encoding: str, newline: str) -> None:
    _, sample, _ = ENCODINGS[encoding]
    old, new = sources()[sample]
    report = report_dict(
        compare(
            decode(encoded(old, encoding, newline), path="old.enc"),
            decode(encoded(new, encoding, newline), path="new.enc"),
        )
    )
    assert report["old"]["encoding"] == ENCODINGS[encoding][0]
    assert comparable(report) == reference(sample)


@cache
def reference(sample: str) -> dict[str, Any]:
    """The comparable JSON report of a sample read from UTF-8 text with LF line endings."""
    old, new = sources()[sample]
    return comparable(report_dict(compare(Document("old.txt", old), Document("new.txt", new))))


def run_json(old: Path, new: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", str(old), str(new), "--format", "json"],
        capture_output=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr.decode()  # no change, or changes
    assert result.stderr == b""
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_cli_json_is_the_same_for_gb18030_with_crlf(tmp_path: Path) -> None:
    paths = []
    for side, text in zip(("old", "new"), sources()["data"], strict=True):
        path = tmp_path / f"{side}.txt"
        path.write_bytes(encoded(text, "gb18030", "crlf"))
        paths.append(path)
    report = run_json(*paths)
    assert report["old"]["encoding"] == report["new"]["encoding"] == "gb18030"
    assert report["old"]["path"] == str(paths[0])
    assert comparable(report) == reference("data")


# ---------------------------------------------------------------- detection


def test_gbk_is_reported_as_its_superset_gb18030() -> None:
    assert decode("第一条 总则".encode("gbk"), path="x").encoding == "gb18030"


def test_gb18030_four_byte_characters() -> None:
    text = "𠀀字与€符号，以及😀。"  # outside GBK: four-byte GB18030 sequences
    assert decode(text.encode("gb18030"), path="x") == Document("x", text, "gb18030")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("坚持", "gb18030"),  # read as Big5 these bytes are 澄厥
        ("附录", "gb18030"),
        ("各环节", "gb18030"),
        ("發揮", "big5"),  # read as GB18030: 祇揣
        ("加強考覈督導", "big5"),  # 覈 is rare: one odd character is tolerated
    ],
)
def test_short_texts_charset_normalizer_gets_wrong(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), path="x") == Document("x", text, encoding)


@pytest.mark.parametrize(("name", "encoding"), [("draft", "gb18030"), ("final", "big5")])
def test_the_first_four_characters_of_every_line_are_enough(name: str, encoding: str) -> None:
    draft, final = sources()["traditional"] if encoding == "big5" else sources()["data"]
    text = draft if name == "draft" else final
    misread = []
    for line in text.splitlines():
        head = line.strip()[:4]
        data = head.encode(encoding)
        if head.isascii() or _valid_utf8(data):
            continue  # plain ASCII, or bytes that are also UTF-8: not a guess
        if decode(data, path="x").text != head:
            misread.append(head)
    assert misread == []


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_utf32_with_a_bom() -> None:
    assert decode(codecs.BOM_UTF32_LE + "总则".encode("utf-32-le"), path="x").encoding == (
        "utf-32-le"
    )


def test_empty_and_bom_only_files_are_empty_documents() -> None:
    assert decode(b"", path="x") == Document("x", "", "utf-8")
    assert decode(codecs.BOM_UTF8, path="x") == Document("x", "", "utf-8-sig")
    assert decode(codecs.BOM_UTF16_LE, path="x") == Document("x", "", "utf-16-le")


def test_ascii_is_utf8() -> None:
    assert decode(b"Article 1. Scope.\n", path="x") == Document("x", "Article 1. Scope.\n")


# ---------------------------------------------------------------- line endings and control characters


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("甲\r\n乙\r\n", "甲\n乙\n"),
        ("甲\r乙\r", "甲\n乙\n"),
        ("甲\r\n乙\r丙\n丁", "甲\n乙\n丙\n丁"),  # mixed
        ("甲\r\r\n乙", "甲\n\n乙"),  # CR CRLF: two line breaks
        ("甲\u2028乙\u2029丙", "甲\n乙\n丙"),  # Unicode line and paragraph separators
    ],
)
def test_line_endings_become_lf(raw: str, text: str) -> None:
    assert clean(raw) == text
    assert decode(raw.encode("utf-8"), path="x").text == text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("\x1b[1m第一条\x1b[0m", "[1m第一条[0m"),  # the escape goes, the printable rest stays
        ("第一页\n\x0c第二页", "第一页\n第二页"),  # form feed: a page break from PDF tools
        ("甲\x0b乙\x1c丙\x85丁\x7f", "甲乙丙丁"),  # what str.splitlines would count as lines
        ("甲\ufeff乙", "甲乙"),  # a BOM in the middle: two files joined
        ("目标\t98%", "目标\t98%"),  # tabs stay
        ("\u200b零宽\u00a0空格", "\u200b零宽\u00a0空格"),  # format characters and spaces stay
    ],
)
def test_stray_control_characters_are_removed(raw: str, text: str) -> None:
    assert clean(raw) == text
    assert decode(raw.encode("utf-8"), path="x").text == text


def test_line_numbers_do_not_depend_on_line_endings() -> None:
    text = "第一条 总则。\n\n第二条 目标。\n"
    for newline in NEWLINES.values():
        document = decode(text.replace("\n", newline).encode("gb18030"), path="x")
        assert document.text.splitlines() == text.splitlines()


# ---------------------------------------------------------------- forced encodings


def test_forced_encoding_is_used() -> None:
    data = "總則".encode("big5")
    assert decode(data, path="x", encoding="big5") == Document("x", "總則", "big5")
    # The same bytes read as GB18030 on request: the caller knows best.
    assert decode(data, path="x", encoding="gb18030").text == data.decode("gb18030")


@pytest.mark.parametrize("name", ["GBK", "gb2312", "cp936"])
def test_forced_gbk_decodes_as_gb18030(name: str) -> None:
    assert decode("总则".encode("gbk"), path="x", encoding=name).encoding == "gb18030"


def test_forced_encoding_is_strict_and_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        decode("总则\n第二行".encode() + b"\x80", path="x", encoding="utf-8")
    assert caught.value.line == 2
    assert str(caught.value) == "x:2: not valid utf-8 (forced by --encoding): invalid byte 0x80"


def test_forced_encoding_drops_a_bom() -> None:
    assert decode("总则".encode("utf-8-sig"), path="x", encoding="utf-8").text == "总则"


@pytest.mark.parametrize("name", ["klingon", "base64", "rot13", ""])
def test_unknown_encoding_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError, match="--encoding: unknown encoding"):
        decode(b"abc", path="x", encoding=name)


# ---------------------------------------------------------------- undecodable bytes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("café, déjà vu".encode("latin-1"), "cannot tell the encoding"),
        (
            "이것은 한국어 텍스트입니다. 대한민국 정부는 국민의 삶의 질을 높이기 위해".encode(
                "euc-kr"
            ),
            "cannot tell the encoding",
        ),
        (codecs.BOM_UTF16_LE + b"a\x00b", "not valid utf-16-le despite its byte-order mark"),
        (codecs.BOM_UTF8 + b"ok\n\xff", "x:2: not valid utf-8 despite its byte-order mark"),
    ],
)
def test_undecodable_bytes_are_an_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        decode(data, path="x")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_undecodable_message_points_at_the_first_bad_utf8_byte() -> None:
    data = "第一条\n第二条\n".encode() + b"\xff\xfe\xfd"
    with pytest.raises(InputError, match=r"invalid byte 0xFF on line 3.*--encoding"):
        decode(data, path="x")


# ---------------------------------------------------------------- load: files and stdin


def test_load_reads_a_path_or_a_string(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("总则\r\n".encode("gb18030"))
    assert load(path) == Document(str(path), "总则\n", "gb18030")
    assert load(str(path), encoding="gb18030").encoding == "gb18030"


def test_load_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO("總則\r\n".encode("big5")))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert load("-") == Document("<stdin>", "總則\n", "big5")


def test_load_refuses_a_large_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 11)))
    with pytest.raises(InputError, match=r"^<stdin>: file is over the size limit of 10 bytes"):
        load("-", max_bytes=10)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    with pytest.raises(InputError) as caught:
        load(path, max_bytes=10)
    assert str(caught.value) == (
        f"{path}: file is over the size limit of 10 bytes (it is 11 bytes); "
        "raise it with --max-size"
    )
    assert load(path, max_bytes=11).text == "x" * 11
    assert DEFAULT_MAX_BYTES == 20_000_000


def test_default_limit_is_named_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as file:  # a sparse file: no 20 MB written to disk
        file.truncate(DEFAULT_MAX_BYTES + 1)
    with pytest.raises(InputError, match=r"over the size limit of 20 MB .*--max-size"):
        load(path)


def test_a_bad_encoding_option_is_reported_before_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load(tmp_path / "missing.txt", encoding="klingon")
