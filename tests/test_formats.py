"""HTML pages, .docx files and PDFs built from data/ at test time read like the .txt samples.

The criterion (docs/formats.md): for each sample and each format, the targets are
the same (metric, value, range, unit, comparator, deadline, hedge, in order), and at
least 95% of the .txt sample's body clauses are found, by normalized text, among the
extracted version's clauses, and at least 95% of the extracted body clauses among the
.txt sample's (so page furniture does not slip in). Bad and truncated files get one
line on stderr and exit 2.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from policydiff import compare
from policydiff.cli import app
from policydiff.errors import InputError, UsageError
from policydiff.extract import merge_locations, sniff
from policydiff.extract._docx import list_number
from policydiff.load import decode, load
from policydiff.model import ClauseKind, Document, ParsedDocument, Target
from policydiff.pipeline import document_targets, parse
from policydiff.render import json as json_render

from . import formats_fixtures as fx
from .conftest import DATA, ROOT
from .test_bad_input import assert_one_line_error, run
from .test_schema import closed

SAMPLES = ("draft_2023.txt", "final_2024.txt")
MIN_AGREEMENT = 0.95

# Each variant: how to build it from a sample, and the suffix it is saved with.
BUILDERS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "html-utf8": (lambda name: fx.html_page(name), ".html"),
    "html-gbk": (lambda name: fx.html_page(name, charset="gbk"), ".htm"),
    "html-tables": (lambda name: fx.html_page(name, tables=True), ".html"),
    "docx-styles": (lambda name: fx.docx_file(name), ".docx"),
    "docx-numbering": (lambda name: fx.docx_file(name, numbering=True), ".docx"),
    "pdf-dash-numbers": (lambda name: fx.pdf_file(name), ".pdf"),
    "pdf-page-x": (
        lambda name: fx.pdf_file(name, header="征求意见稿 第 1 版", page_numbers="第 {n} 页"),
        ".pdf",
    ),
    "pdf-watermark": (lambda name: fx.pdf_file(name, watermark="征求意见稿"), ".pdf"),
    "pdf-justified": (fx.pdf_justified, ".pdf"),
}


@cache
def built(variant: str, name: str) -> bytes:
    build, _ = BUILDERS[variant]
    return build(name)


@cache
def extracted(variant: str, name: str) -> ParsedDocument:
    suffix = BUILDERS[variant][1]
    return parse(decode(built(variant, name), path=name.replace(".txt", suffix)))


@cache
def plain(name: str) -> ParsedDocument:
    return parse(load(DATA / name))


def target_keys(parsed: ParsedDocument) -> list[tuple[object, ...]]:
    def key(t: Target) -> tuple[object, ...]:
        return (t.metric, t.value, t.upper, t.unit, t.comparator, t.deadline, t.hedged)

    return [key(t) for t in document_targets(parsed)]


def agreement(expected: ParsedDocument, actual: ParsedDocument) -> tuple[float, float]:
    """(recall, precision): the share of `expected`'s body clauses whose normalized text
    `actual` has too (counted as multisets), and the share of `actual`'s body clauses
    that `expected` has."""

    def found(wanted: Counter[str], among: Counter[str]) -> float:
        total = sum(wanted.values())
        return sum(min(n, among[k]) for k, n in wanted.items()) / total if total else 1.0

    ours = Counter(c.normalized for c in expected.body)
    theirs = Counter(c.normalized for c in actual.body)
    return (
        found(ours, Counter(c.normalized for c in actual.clauses)),
        found(theirs, Counter(c.normalized for c in expected.clauses)),
    )


# ---------------------------------------------------------------- agreement with the .txt


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("variant", BUILDERS)
def test_same_targets_as_the_text_sample(variant: str, name: str) -> None:
    assert target_keys(extracted(variant, name)) == target_keys(plain(name))


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("variant", BUILDERS)
def test_substantially_the_same_clauses(variant: str, name: str) -> None:
    recall, precision = agreement(plain(name), extracted(variant, name))
    assert recall >= MIN_AGREEMENT, f"{recall:.1%} of the .txt body clauses found"
    assert precision >= MIN_AGREEMENT, f"{precision:.1%} of the extracted clauses are in the .txt"


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("variant", BUILDERS)
def test_headings_are_recognised_as_in_the_text(variant: str, name: str) -> None:
    def headings(parsed: ParsedDocument) -> list[str]:
        return [c.normalized for c in parsed.body if c.kind is ClauseKind.HEADING]

    assert headings(extracted(variant, name)) == headings(plain(name))


def test_a_pdf_pair_compares_like_the_text_pair() -> None:
    def summary(old: Document, new: Document) -> object:
        return compare(old, new).summary

    text = summary(load(DATA / SAMPLES[0]), load(DATA / SAMPLES[1]))
    for variant in ("pdf-dash-numbers", "docx-numbering", "html-gbk"):
        old, new = (extracted(variant, name).document for name in SAMPLES)
        assert summary(old, new) == text, variant


# ---------------------------------------------------------------- what each format gives


@pytest.mark.parametrize("variant", BUILDERS)
def test_one_location_per_line(variant: str) -> None:
    document = extracted(variant, SAMPLES[1]).document
    assert document.format == variant.split("-")[0]
    assert len(document.locations) == len(document.text.splitlines())
    kinds = {location.split()[0] for location in document.locations}
    assert kinds == ({"page"} if document.format == "pdf" else {"paragraph"})


def test_html_charset_and_furniture() -> None:
    utf8 = extracted("html-utf8", SAMPLES[0]).document
    gbk = extracted("html-gbk", SAMPLES[0]).document
    assert (utf8.encoding, gbk.encoding) == ("utf-8", "gb18030")
    assert utf8.text == gbk.text
    for furniture in ("首页", "栏目导航", "热点专题", "扫一扫", "发布日期", "分享到", "打印本页",
                      "网站地图", "ICP", "访问统计", "搜索", "font-family", "_hmt"):  # fmt: skip
        assert furniture not in utf8.text, furniture
    title = fx.sample_lines(SAMPLES[0])[fx.page_title_index(fx.sample_lines(SAMPLES[0]))]
    assert utf8.text.startswith(title + "\n")  # the <h1> above the article


def test_html_declared_charset_wins_and_a_wrong_one_falls_back_to_detection() -> None:
    page = "<html><head><meta charset='{}'></head><body><p>一、總則</p><p>第一條 目的。</p></body></html>"
    big5 = decode(page.format("big5").encode("big5"), path="a.html")
    assert big5.encoding == "big5" and "第一條 目的。" in big5.text
    mislabelled = decode(page.format("utf-8").encode("gb18030"), path="b.html")
    assert mislabelled.encoding == "gb18030" and "一、總則" in mislabelled.text
    western = decode(page.format("iso-8859-1").encode("utf-8"), path="c.html")
    assert western.encoding == "utf-8" and "總則" in western.text
    resaved = decode(page.format("gb2312").encode("utf-8"), path="e.html")  # valid UTF-8 wins
    assert resaved.encoding == "utf-8" and "總則" in resaved.text
    western_page = (
        "<html><head><meta charset='windows-1252'></head><body><p>Général.</p></body></html>"
    )
    latin = decode(western_page.encode("cp1252"), path="f.html")  # detection fails: declared
    assert latin.encoding == "cp1252" and latin.text == "Général.\n"
    forced = decode(page.format("utf-8").encode("big5"), path="d.html", encoding="big5")
    assert forced.encoding == "big5"


def test_html_breaks_tables_and_preformatted_text() -> None:
    page = (
        "<html><body><div id='content'><p>第一行<br>第二行</p>"
        "<table><tr><th>指标</th><th>目标</th></tr><tr><td>合格率</td><td>98%</td></tr></table>"
        "<pre>甲\n乙</pre><p>smart\ncity 质量\n强市</p></div></body></html>"
    )
    document = decode(page.encode(), path="a.html")
    lines = ["第一行", "第二行", "指标\t目标", "合格率\t98%", "甲", "乙", "smart city 质量强市"]
    assert document.text == "\n\n".join(lines) + "\n"
    assert document.locations[::2] == tuple(f"paragraph {n}" for n in range(1, 8))


def test_a_page_without_text_is_an_error() -> None:
    page = b"<html><head><script>render()</script></head><body><div id='app'></div></body></html>"
    with pytest.raises(InputError, match="no text in the HTML page"):
        decode(page, path="app.html")


def test_docx_numbering_is_written_out() -> None:
    document = extracted("docx-numbering", SAMPLES[0]).document
    xml = zipfile.ZipFile(io.BytesIO(built("docx-numbering", SAMPLES[0]))).read("word/document.xml")
    assert "（三十一）".encode() not in xml  # the marker is Word's, not typed
    assert "\n（三十一）开展督察评估。" in document.text


def test_list_numbers() -> None:
    assert [list_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 100, 105)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五",
    ]  # fmt: skip
    assert list_number(3, "ideographTraditional") == "丙"
    assert list_number(28, "lowerLetter") == "bb" and list_number(14, "upperRoman") == "XIV"


def test_docx_tables_revisions_and_contents() -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document.styles.element.append(
        parse_xml(
            f'<w:style {w} w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>'
        )
    )
    document.add_paragraph("一、总体要求\t1", style="toc 1")
    document.add_paragraph("一、总体要求", style="Heading 1")
    paragraph = document.add_paragraph("到2025年，合格率达到")
    paragraph._p.append(parse_xml(f"<w:del {w}><w:r><w:delText>96%</w:delText></w:r></w:del>"))
    paragraph._p.append(parse_xml(f"<w:ins {w}><w:r><w:t>98%</w:t></w:r></w:ins>"))
    paragraph.add_run("以上。")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("指标", "目标"), ("合格率", "98%")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    read = decode(buffer.getvalue(), path="a.docx")
    assert (
        read.text == "一、总体要求\n\n到2025年，合格率达到98%以上。\n\n指标\t目标\n\n合格率\t98%\n"
    )
    assert read.locations[-1] == "table 1 row 2" and read.locations[0] == "paragraph 1"


def test_pdf_running_header_page_numbers_and_watermark_are_gone() -> None:
    for variant in ("pdf-dash-numbers", "pdf-page-x", "pdf-watermark", "pdf-justified"):
        document = extracted(variant, SAMPLES[0]).document
        lines = document.text.splitlines()
        assert not {"质量强市建设", "质量强市建设实施方案", "征求意见稿 第 1 版"} & set(lines)
        assert not any(line.startswith(("- ", "第 ")) for line in lines), variant
        assert "征求意见稿" not in lines
    pages = set(extracted("pdf-dash-numbers", SAMPLES[0]).document.locations)
    assert any("–" in page for page in pages)  # a paragraph rejoined across a page break


@pytest.mark.parametrize("variant", ["pdf-dash-numbers", "pdf-justified"])
def test_pdf_keeps_every_character_of_the_mixed_script_sample(variant: str) -> None:
    # STSong-Light's encoding (UniGB-UCS2-H, Adobe-GB1) covers GBK, which holds every
    # traditional character of the final sample: each comes back as itself.
    document = extracted(variant, SAMPLES[1]).document
    sample = (DATA / SAMPLES[1]).read_text(encoding="utf-8")
    assert set(sample) - set(document.text) <= set(" \n")
    assert "東莞市質量強市建設實施方案" in document.text


def test_merging_locations() -> None:
    assert merge_locations(["page 2", "page 2–3", "page 5"]) == "page 2–3, 5"
    assert merge_locations(["table 1 row 2", "table 1 row 3"]) == "table 1 row 2–3"


# ---------------------------------------------------------------- recognising the format


@pytest.mark.parametrize(
    ("variant", "named", "expected"),
    [
        ("pdf-dash-numbers", "report.txt", "pdf"),
        ("docx-styles", "report.bin", "docx"),
        ("html-utf8", "report.txt", "html"),
        ("html-gbk", "report", "html"),
    ],
)
def test_content_wins_over_the_name(variant: str, named: str, expected: str) -> None:
    assert sniff(built(variant, SAMPLES[0]), named) == expected
    assert decode(built(variant, SAMPLES[0]), path=named).format == expected


def test_a_text_that_mentions_the_pdf_header_is_text() -> None:
    text = "说明：PDF 文件以 %PDF-1.7 开头。\n".encode()
    assert sniff(text, "notes.txt") == "txt"
    assert sniff(b"HTTP/1.1 200 OK\r\n\r\n%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "a") == "pdf"


def test_input_format_forces_a_format() -> None:
    page = built("html-utf8", SAMPLES[0])
    assert decode(page, path="a.html", input_format="txt").text.startswith("<!DOCTYPE")
    with pytest.raises(InputError, match="not a PDF file"):
        decode("总则".encode(), path="a.txt", input_format="pdf")
    with pytest.raises(UsageError, match="--input-format: unknown format 'doc'"):
        decode(b"", path="a.txt", input_format="doc")


def test_text_files_do_not_import_the_extractors() -> None:
    code = (
        "import sys; from policydiff.cli import app; from policydiff.load import load; "
        f"load({str(DATA / SAMPLES[0])!r}); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'lxml', 'docx', 'pdfminer'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- through the CLI


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    out = {}
    for variant in ("html-gbk", "docx-numbering", "pdf-dash-numbers"):
        for name in SAMPLES:
            path = folder / (name.replace(".txt", "") + BUILDERS[variant][1])
            path.write_bytes(built(variant, name))
            out[f"{variant}/{name}"] = path
    return out


def test_cli_shows_pages_and_paragraphs(files: dict[str, Path]) -> None:
    old, new = files["docx-numbering/" + SAMPLES[0]], files["pdf-dash-numbers/" + SAMPLES[1]]
    result = CliRunner().invoke(app, ["compare", str(old), str(new), "--width", "120"])
    assert result.exit_code == 1, result.output
    assert "draft_2023.docx:paragraph " in result.stdout and "final_2024.pdf:page " in result.stdout
    markdown = CliRunner().invoke(app, ["compare", str(old), str(new), "-f", "markdown"]).stdout
    assert "| **paragraph " in markdown and "| **page " in markdown
    targets = CliRunner().invoke(app, ["targets", str(new), "-f", "markdown"]).stdout
    assert "| Where |" in targets and "| page 1" in targets
    clauses = CliRunner().invoke(app, ["clauses", str(new), "--width", "100"]).stdout
    assert clauses.splitlines()[0].lstrip().startswith("page 1 ")


def test_cli_json_has_locations_and_matches_the_schema(files: dict[str, Path]) -> None:
    old, new = files["html-gbk/" + SAMPLES[0]], files["pdf-dash-numbers/" + SAMPLES[1]]
    result = CliRunner().invoke(app, ["compare", str(old), str(new), "-f", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert (report["old"]["format"], report["new"]["format"]) == ("html", "pdf")
    refs = [ref for record in report["clauses"] for ref in record["old"] + record["new"]]
    assert all(ref["location"].startswith(("paragraph ", "page ")) for ref in refs)
    sides = [t for change in report["targets"] for t in (change["old"], change["new"]) if t]
    assert sides and all(t["location"].startswith(("paragraph ", "page ")) for t in sides)
    schema = json.loads((ROOT / "docs" / "schema" / "compare.schema.json").read_text("utf-8"))
    errors = list(Draft202012Validator(closed(schema)).iter_errors(report))
    assert not errors, errors[0].message
    assert "location" not in json_render.clause_ref(plain(SAMPLES[0]).clauses[0])


def test_cli_input_format_option(files: dict[str, Path]) -> None:
    pdf = files["pdf-dash-numbers/" + SAMPLES[0]]
    forced = run("targets", pdf, "--input-format", "docx")
    line = assert_one_line_error(forced, pdf)
    assert "not a .docx document (it is a PDF)" in line
    assert run("clauses", pdf, "--input-format", "pdf", "-f", "json").returncode == 0


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _damaged_zip_member(data: bytes) -> bytes:
    # Overwrite the middle of word/document.xml's compressed data: the ZIP's CRC check fails.
    offset = data.index(b"word/document.xml") + 200
    return data[:offset] + bytes(64) + data[offset + 64 :]


BAD_FILES: dict[str, tuple[str, Callable[[bytes], bytes] | bytes, str]] = {
    "truncated pdf": ("pdf-dash-numbers", _truncated, "truncated PDF"),
    "pdf without a body": ("", b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", "damaged PDF"),
    "damaged pdf page": (
        "pdf-dash-numbers",
        lambda d: d[:3000] + bytes(range(256)) * 8 + d[5048:],
        "damaged PDF",
    ),
    "html error page saved as pdf": (
        "",
        b"<!DOCTYPE html><html><body>404 Not Found</body></html>",
        "an HTML page",
    ),
    "truncated docx": ("docx-styles", _truncated, "damaged or truncated .docx"),
    "damaged docx": ("docx-styles", _damaged_zip_member, "damaged"),
    "text named docx": ("", "总则".encode(), "not a .docx document"),
    "truncated html": ("html-utf8", _truncated, "truncated HTML page"),
    "undecodable html": (
        "",
        b"<html><body><p>\xff\xfe\xfa\x80</p></body></html>",
        "cannot tell the encoding",
    ),
}
SUFFIX = {"truncated pdf": ".pdf", "pdf without a body": ".pdf", "damaged pdf page": ".pdf",
          "html error page saved as pdf": ".pdf", "text named docx": ".docx",
          "undecodable html": ".html"}  # fmt: skip


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_and_truncated_files(case: str, tmp_path: Path) -> None:
    variant, make, message = BAD_FILES[case]
    data = make if isinstance(make, bytes) else make(built(variant, SAMPLES[0]))
    path = tmp_path / f"bad{SUFFIX.get(case) or BUILDERS[variant][1]}"
    path.write_bytes(data)
    line = assert_one_line_error(run("compare", path, DATA / SAMPLES[1]), path)
    assert message in line


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _zip("OFD.xml", "Doc_0/Document.xml"),
            "binary file (OFD document), not text; export it as PDF",
        ),
        (_zip("xl/workbook.xml"), "binary file (Excel .xlsx workbook), not text"),
        (
            _zip("content.xml", "mimetype"),
            "binary file (OpenDocument file), not text; save it as .docx",
        ),
        (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: x", "MHTML web archive (.mht)"),
    ],
)
def test_documents_we_do_not_read_say_what_to_do(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        decode(data, path="a.bin")
    assert str(caught.value) == f"a.bin: {message}" or message in str(caught.value)


def test_scanned_pdf_asks_for_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(fx.scanned_pdf())
    line = assert_one_line_error(run("compare", DATA / SAMPLES[0], path), path)
    assert "no text layer (its pages are images: a scan?); OCR it first" in line


def test_a_landscape_page_is_read_like_any_other(tmp_path: Path) -> None:
    path = tmp_path / "annex.pdf"
    path.write_bytes(
        fx.small_pdf(
            [
                ["一、总体要求", "推进质量强市建设。"],
                ["二、主要指标", "食品抽检合格率达到98%以上。"],
            ],
            rotate=(2,),
        )
    )
    parsed = parse(load(path))
    assert [c.text for c in parsed.clauses][-2:] == ["二、主要指标", "食品抽检合格率达到98%以上。"]
    assert [(t.metric, t.value) for t in document_targets(parsed)] == [("食品抽检合格率", 98)]


def test_a_short_heading_line_is_not_joined_to_the_next(tmp_path: Path) -> None:
    path = tmp_path / "short.pdf"
    path.write_bytes(fx.small_pdf([["一、总体要求", "推进质量强市建设，加快发展。"]]))
    texts = [c.text for c in parse(load(path)).clauses]
    assert texts == ["一、总体要求", "推进质量强市建设，加快发展。"]


@pytest.mark.parametrize(
    "container",
    ['<div class="container position-relative">', '<div class="mx-auto overflow-hidden">'],
)
def test_css_utility_classes_do_not_hide_the_article(tmp_path: Path, container: str) -> None:
    page = (
        f'<html><body><nav class="navbar">首页 新闻</nav>{container}'
        "<p>一、总体要求</p><p>推进质量强市建设，提高发展质量。</p>"
        "<p>二、主要目标</p><p>到2027年，产品合格率达到96%以上。</p></div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    texts = [c.text for c in parse(load(path)).clauses]
    assert "推进质量强市建设，提高发展质量。" in texts and "首页 新闻" not in texts


def test_html5_may_leave_the_body_unclosed(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<!DOCTYPE html><html><body><p>一、总则<p>加强监督管理。", encoding="utf-8")
    assert [c.text for c in parse(load(path)).clauses] == ["一、总则", "加强监督管理。"]


def test_a_docx_laid_out_in_a_one_column_table_keeps_its_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "一、总体要求"
    for text in ("推进质量强市建设。", "二、主要目标", "到2027年，产品合格率达到96%以上。"):
        cell.add_paragraph(text)
    path = tmp_path / "layout.docx"
    document.save(str(path))
    parsed = parse(load(path))
    assert [(c.kind.value, c.text) for c in parsed.clauses] == [
        ("heading", "一、总体要求"),
        ("clause", "推进质量强市建设。"),
        ("heading", "二、主要目标"),
        ("clause", "到2027年，产品合格率达到96%以上。"),
    ]
