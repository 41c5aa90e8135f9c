"""The hostile-input round of issue 15, one test per case: nothing crashes, hangs or drops
text in silence, and every failure has its own exit code and one line on stderr.

What a trusted Unix tool does is the expectation: diff(1)'s exit codes, git's quoting of
file names, 141 when the reader of a pipe goes away, an output file replaced whole.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policydiff import cli
from policydiff.cli import app, exit_code, write_atomically
from policydiff.errors import InputError, LimitError, UsageError, quote_name
from policydiff.load import decode, load
from policydiff.model import Document
from policydiff.normalise import canonical, paragraphs, to_traditional_display
from policydiff.pipeline import compare, parse
from policydiff.segment import match_key

from .formats_fixtures import small_pdf

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "data" / "draft_2023.txt"
FINAL = ROOT / "data" / "final_2024.txt"
OLD = "第一章 总则\n第一条 为了加强管理，制定本办法。\n第二条 到2025年，覆盖率达到90%。\n"
NEW = "第一章 总则\n第一条 为了加强管理，制定本办法。\n第二条 到2025年，覆盖率达到95%。\n"


def run(
    *args: str | Path, env: dict[str, str] | None = None, stdout: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *map(os.fsencode, args)],
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[bytes], code: int = 2) -> str:
    """The exit code, nothing on stdout, one line on stderr and no traceback."""
    stderr = result.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    assert result.returncode == code, stderr
    assert not result.stdout
    assert len(stderr.splitlines()) == 1, stderr
    return stderr.strip()


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


# ---------------------------------------------------------------- exit codes


def test_changes_exit_1_and_no_change_exits_0_like_diff(pair: tuple[Path, Path]) -> None:
    old, new = pair
    assert run("compare", old, new, "-q").returncode == 1
    assert run("compare", old, old, "-q").returncode == 0
    # --fail-on narrows which changes count: the clause changed with its target here.
    assert run("compare", old, new, "-q", "--fail-on", "targets").returncode == 1
    moved = new.parent / "moved.txt"
    moved.write_text(OLD.replace("为了加强管理", "为了规范管理"), encoding="utf-8")
    assert run("compare", old, moved, "-q", "--fail-on", "targets").returncode == 0
    assert run("compare", old, moved, "-q", "--fail-on", "clauses").returncode == 1


def test_exit_code_policy_in_one_function() -> None:
    assert exit_code(error=UsageError("x")) == 2
    assert exit_code(error=LimitError("x")) == 2
    assert exit_code(error=MemoryError()) == 2
    assert exit_code(error=ZeroDivisionError()) == 3
    assert exit_code(error=UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogate")) == 3
    assert exit_code(error=BrokenPipeError()) == 141
    assert exit_code(error=KeyboardInterrupt()) == 130
    for error in (ValueError(), OSError(), MemoryError(), KeyError()):
        assert exit_code(error=error) != 1  # a crash never reads as "changes found"


def test_a_bug_exits_3_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "compare_documents", broken)
    monkeypatch.delenv("POLICYDIFF_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["compare", str(DRAFT), str(FINAL)])
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("policydiff: internal error: ZeroDivisionError: division by zero")
    assert "please report" in lines[0]
    assert "Traceback" not in result.stderr

    monkeypatch.setenv("POLICYDIFF_DEBUG", "1")
    result = CliRunner().invoke(app, ["compare", str(DRAFT), str(FINAL)])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("policydiff: internal error:")


def test_memory_error_is_a_clear_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(cli, "compare_documents", exhausted)
    result = CliRunner().invoke(app, ["compare", str(DRAFT), str(FINAL)])
    assert result.exit_code == 2
    assert result.stderr.startswith("policydiff: error: ran out of memory")


def test_bare_command_is_one_line_exit_2() -> None:
    line = one_line(run())
    assert line.startswith("policydiff: error: missing command")
    assert "compare, clauses, targets, batch or history" in line  # every command named


# ---------------------------------------------------------------- resource limits


def test_large_max_size_allocates_nothing_up_front(pair: tuple[Path, Path]) -> None:
    old, new = pair  # 0.4 kB files under a 100 GB limit: read a chunk at a time
    assert run("compare", old, new, "-q", "--max-size", "100000").returncode == 1


def test_size_limit_wording_has_no_exponent(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(1_000_000_001)  # sparse: no disk used
    line = one_line(run("clauses", big, "--max-size", "1000"))
    assert "limit of 1,000 MB" in line
    assert "e+" not in line


def test_docx_that_inflates_past_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * 6_000_000 + "</w:document>")
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(buffer.getvalue())
    assert bomb.stat().st_size < 100_000
    line = one_line(run("clauses", bomb, "--max-size", "1"))
    assert "expands to 6 MB, over the limit of 5 MB" in line


def test_clause_count_limit(tmp_path: Path) -> None:
    many = tmp_path / "many.txt"
    many.write_text("甲方共同遵守。乙方共同遵守。\n" * 50_001, "utf-8")  # 100,002 sentences
    line = one_line(run("clauses", many))
    assert "more than 100,000 clauses (sentences and headings) by line 50001" in line


def test_one_huge_sentence_is_refused_not_hung(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("一、总则\n" + "加强质量管理" * 5000 + "\n", encoding="utf-8")
    line = one_line(run("compare", long, long))
    assert f"{quote_name(str(long))}:2: a sentence of 30,000 characters" in line


def test_timeout_stops_with_exit_2_and_says_why() -> None:
    line = one_line(run("compare", DRAFT, FINAL, "--timeout", "0.01"))
    assert "stopped after 0.01 seconds (--timeout 0.01)" in line


def test_timeout_must_be_a_number_of_seconds() -> None:
    assert "--timeout" in one_line(run("compare", DRAFT, FINAL, "--timeout", "nan"))


def test_encoding_that_is_no_file_encoding_is_a_usage_error(tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"\\ud800 \\u4e00\n")
    line = one_line(run("clauses", odd, "-e", "unicode_escape"))
    assert "unknown encoding 'unicode_escape'" in line


# ---------------------------------------------------------------- no silent loss in readers


def _page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


def test_deeply_nested_html_is_read_to_the_end() -> None:
    deep = "<div>" * 300 + "<p>第一条 深处的段落。</p>" + "</div>" * 300
    page = load_page(_page(deep + "<p>第二条 之后的段落。</p>"))
    assert page.text.splitlines()[-1] == "第二条 之后的段落。"


def test_html_nested_beyond_what_can_be_read_is_refused() -> None:
    deep = "<div>" * 3000 + "<p>深处</p>" + "</div>" * 3000
    with pytest.raises(LimitError, match="nests its elements deeper than the 2,048"):
        load_page(_page(deep + "<p>之后</p>"))


def test_text_after_a_huge_text_node_is_kept() -> None:
    blob = "A" * 11_000_000
    body = (
        f"<p>第一条 前面。</p><script>var x='{blob}';</script><p>第二条 中间。</p>"
        f"<img src='data:image/png;base64,{blob}'><p>第三条 最后。</p>"
    )
    assert load_page(_page(body)).text == "第一条 前面。\n\n第二条 中间。\n\n第三条 最后。\n"


def load_page(data: bytes) -> Document:
    return decode(data, path="page.html")


def test_unknown_declared_charset_falls_back_to_detection_and_is_reported() -> None:
    paragraphs_ = [f"<p>第{n}条 本条规定的事项。</p>" for n in range(1, 52)]
    page = (
        "<html><head><meta charset='unicode_escape'></head><body>"
        + "".join(paragraphs_)
        + "</body></html>"
    ).encode("gb18030")
    document = load_page(page)
    assert len([line for line in document.text.splitlines() if line]) == 51
    assert document.encoding == "gb18030"
    assert document.notes and "unicode_escape" in document.notes[0]


def test_unknown_charset_note_reaches_stderr(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(
        "<html><head><meta charset='x-no-such'></head><body><p>第一条 规定。</p></body></html>".encode(
            "gb18030"
        )
    )
    result = run("clauses", page)
    assert result.returncode == 0
    assert b"policydiff: note: " in result.stderr and b"x-no-such" in result.stderr


def test_html_cut_off_mid_paragraph_is_refused() -> None:
    cut = b"<html><head><meta charset='utf-8'></head><body><p>" + "第一条 本条规定".encode()
    with pytest.raises(InputError, match="truncated HTML page"):
        load_page(cut)


def test_pdf_content_lines_that_look_alike_are_not_running_headers() -> None:
    pages = [
        [
            f"第{n}条 到2025年，指标{n}达到{80 + n}%。",
            f"本页的正文第{n}段，说明有关事项。",
            f"第{n + 10}条 到2027年，指标{n + 10}达到{60 + n}%。",
            f"- {n} -",
        ]
        for n in range(1, 4)
    ]
    document = decode(small_pdf(pages), path="a.pdf")
    text = document.text
    for n in range(1, 4):
        assert f"第{n}条 到2025年，指标{n}达到{80 + n}%。" in text
        assert f"第{n + 10}条 到2027年，指标{n + 10}达到{60 + n}%。" in text
        assert f"- {n} -" not in text
    assert document.notes == ("dropped page number on page 1–3",)


def test_pdf_running_header_is_dropped_and_listed() -> None:
    pages = [[f"某某市人民政府公报 第{n}期", f"第{n}条 本条规定事项。"] for n in range(1, 4)]
    document = decode(small_pdf(pages), path="a.pdf")
    assert "公报" not in document.text
    assert document.notes == (
        "dropped running header or footer '某某市人民政府公报 第1期' on page 1",
        "dropped running header or footer '某某市人民政府公报 第2期' on page 2",
        "dropped running header or footer '某某市人民政府公报 第3期' on page 3",
    )


# ---------------------------------------------------------------- output


def test_output_replaces_the_report_whole(pair: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = pair
    report = tmp_path / "report.json"
    report.write_text("previous", encoding="utf-8")
    assert run("compare", old, new, "-o", report).returncode == 1
    assert json.loads(report.read_text(encoding="utf-8"))["schema"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_through_a_link_replaces_what_it_names(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = pair
    real = tmp_path / "real.md"
    real.write_text("previous", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(real)
    assert run("compare", old, new, "-o", tmp_path / "link.md").returncode == 1
    assert (tmp_path / "link.md").is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# policydiff: old.txt")


def test_output_to_a_device_writes_into_it(pair: tuple[Path, Path]) -> None:
    if not Path("/dev/stdout").exists():
        pytest.skip("no /dev/stdout")
    old, new = pair
    result = run("compare", old, new, "-o", "/dev/stdout", "-f", "json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["schema"] == "policydiff.compare/1"


def test_failed_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.md"
    report.write_text("previous", encoding="utf-8")

    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(Exception, match="No space left on device"):
        write_atomically(str(report), "new report " * 10000)
    assert report.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_sigterm_while_writing_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.md"
    report.write_text("previous", encoding="utf-8")

    def terminated(*args: object) -> None:
        cli._terminate(15, None)

    monkeypatch.setattr(os, "replace", terminated)
    with pytest.raises(cli.Terminated):
        write_atomically(str(report), "new report")
    assert report.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_sigterm_mid_run_leaves_the_previous_report(tmp_path: Path) -> None:
    import signal
    import time

    report = tmp_path / "report.md"
    report.write_text("previous", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "policydiff", "compare", str(DRAFT), str(FINAL), "-o", str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)  # reading, comparing or writing: the report is whole in every case
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode in (-signal.SIGTERM, 143, 1)  # 1: it finished first
    text = report.read_text(encoding="utf-8")
    assert text == "previous" or text.startswith("# policydiff: draft")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_full_disk_on_stdout_is_one_line_exit_2(pair: tuple[Path, Path]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    old, new = pair
    for fmt in ("text", "json", "markdown"):
        with open("/dev/full", "wb") as full:
            result = run("compare", old, new, "-f", fmt, stdout=full.fileno())
        stderr = result.stderr.decode()
        assert result.returncode == 2, stderr
        assert (
            stderr
            == "policydiff: error: cannot write to standard output: No space left on device\n"
        )


@pytest.mark.parametrize(
    "args",
    [
        ("compare", DRAFT, FINAL),
        ("compare", DRAFT, FINAL, "-f", "json"),
        ("compare", DRAFT, FINAL, "-f", "markdown"),
        ("compare", DRAFT, DRAFT, "-f", "json"),
        ("clauses", DRAFT),
        ("clauses", DRAFT, "-f", "json"),
        ("targets", FINAL, "-f", "json"),
        ("targets", FINAL, "-f", "markdown"),
    ],
)
def test_closed_stdout_exits_141_in_every_format(args: tuple[str | Path, ...]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first byte
    try:
        result = run(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == b""


def test_names_are_quoted_as_git_quotes_them(tmp_path: Path) -> None:
    assert quote_name("a\x1b[2Jb.txt") == '"a\\033[2Jb.txt"'
    assert quote_name("东莞\n方案.txt") == '"东莞\\n方案.txt"'
    assert quote_name(os.fsdecode(b"caf\xe9.txt")) == '"caf\\351.txt"'
    assert quote_name("东莞质量强市实施方案.txt") == "东莞质量强市实施方案.txt"


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes")
def test_name_with_invalid_utf8_gives_valid_json(tmp_path: Path) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    odd.write_text(OLD, encoding="utf-8")
    result = run("compare", odd, odd, "-f", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.decode("utf-8"))  # strict UTF-8
    assert report["old"]["path"].endswith('caf\\351.txt"')


@pytest.mark.parametrize("name", ["clear\x1b[2J\x1b]0;title\x07.txt", "two\nlines.txt"])
def test_control_characters_in_names_never_reach_the_terminal(tmp_path: Path, name: str) -> None:
    missing = tmp_path / name
    line = one_line(run("compare", missing, DRAFT))
    assert "\x1b" not in line and "\x07" not in line
    assert line.endswith("no such file")
    present = tmp_path / f"ok{name}"
    present.write_text(OLD, encoding="utf-8")
    result = run("compare", present, present)
    assert b"\x1b" not in result.stdout + result.stderr


def test_columns_zero_still_prints(pair: tuple[Path, Path]) -> None:
    old, new = pair
    result = run("compare", old, new, env={**os.environ, "COLUMNS": "0"})
    assert result.returncode == 1
    assert "覆盖率" in result.stdout.decode()


def test_empty_output_name_is_a_usage_error(pair: tuple[Path, Path]) -> None:
    old, new = pair
    assert "the file name is empty" in one_line(run("compare", old, new, "-o", ""))


@pytest.mark.parametrize("suffix", [".pdf", ".xml"])
def test_output_suffix_of_another_format_is_refused(
    pair: tuple[Path, Path], tmp_path: Path, suffix: str
) -> None:
    old, new = pair
    line = one_line(run("compare", old, new, "-o", tmp_path / f"r{suffix}"))
    assert f"cannot tell the format from the suffix {suffix}" in line
    assert not (tmp_path / f"r{suffix}").exists()
    result = run("compare", old, new, "-o", tmp_path / f"r{suffix}", "-f", "text")
    assert result.returncode == 1
    assert (tmp_path / f"r{suffix}").read_text(encoding="utf-8").startswith("Old")


def test_repeated_show_accumulates(tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("一、总则\n甲方负责统筹协调。\n乙方负责督促检查。\n", encoding="utf-8")
    new.write_text("一、总则\n乙方负责督促检查。\n丙方负责宣传引导工作。\n", encoding="utf-8")
    once = run("compare", old, new, "--show", "added", "--show", "removed").stdout.decode()
    assert "丙方负责宣传引导工作" in once and "甲方负责统筹协调" in once


# ---------------------------------------------------------------- script variants


# Not s2twp: it also swaps words for Taiwan's (信息 -> 資訊), which are edits.
@pytest.mark.parametrize("config", ["s2tw", "s2hk", "s2t"])
def test_taiwan_and_hong_kong_forms_are_script_only(tmp_path: Path, config: str) -> None:
    from opencc import OpenCC

    converted = tmp_path / f"{config}.txt"
    text = DRAFT.read_text(encoding="utf-8")
    converted.write_text(OpenCC(config).convert(text), encoding="utf-8")
    result = run("compare", DRAFT, converted, "--fail-on", "clauses", "-q")
    assert result.returncode == 0, result.stderr


def test_own_traditional_output_reads_back_as_unchanged() -> None:
    text = DRAFT.read_text(encoding="utf-8")
    shown = "\n".join(to_traditional_display(line) for line in text.splitlines())
    report = compare(Document("a.txt", text), Document("b.txt", shown))
    statuses = {a.status.value for a in report.alignments}
    assert statuses == {"unchanged"}
    # 批复 shown as 批覆 and read back: the same clause, unchanged.
    old = "一、总则\n省政府关于年度计划的批复已经印发。\n"
    back = Document("b.txt", to_traditional_display(old))
    assert "批覆" in back.text
    records = compare(Document("a.txt", old), back).alignments
    assert {a.status.value for a in records} == {"unchanged"}
    assert [a.script_only for a in records] == [True, True]  # a script difference, said so


def test_variant_pairs_compare_equal() -> None:
    assert match_key("关于年度计划的批覆。") == match_key("关于年度计划的批复。")
    assert canonical("覆盖率") == "覆盖率"  # shown in target names: no fold there
    assert canonical("著力推進衞生工作") == canonical("着力推进卫生工作")
    assert canonical("顯著著作") == canonical("显著著作")


# ---------------------------------------------------------------- structure


def test_page_break_inside_a_long_article_is_rejoined() -> None:
    text = (
        "第三条 县级以上人民政府应当加强对本行政区域内产品质量工作的统一领导，组织协调有关部门"
        "依法履行职责，建立健全\n\n- 3 -\n\n工作机制。\n"
    )
    assert [p.text for p in paragraphs(text)] == [
        "第三条 县级以上人民政府应当加强对本行政区域内产品质量工作的统一领导，组织协调有关部门"
        "依法履行职责，建立健全工作机制。"
    ]


def test_page_break_inside_a_long_numbered_item_is_rejoined() -> None:
    item = (
        "1、各地各部门要按照职责分工抓好落实工作，加强统筹协调和督促检查，"
        "定期报送工作进展情况和下一步工作安排，及时研究解决工作推进中遇到的"
    )
    assert len(item) > 60
    assert [p.text for p in paragraphs(item + "\n\n- 4 -\n\n困难和问题。\n")] == [
        item + "困难和问题。"
    ]


def test_short_numbered_heading_is_still_complete() -> None:
    assert [p.text for p in paragraphs("一、总体要求\n坚持问题导向。\n")] == [
        "一、总体要求",
        "坚持问题导向。",
    ]


def test_traditional_sections_and_articles_are_headings() -> None:
    text = "第一章 總則\n第一節 一般規定\n第一條 為規範管理，制定本辦法。\n第二條 本辦法自公布之日起施行。\n"
    parsed = parse(Document("a.txt", text))
    articles = [
        c for c in parsed.clauses if c.text.startswith("為規範") or c.text.startswith("第一條")
    ]
    assert articles
    clause = next(c for c in parsed.clauses if "為規範管理" in c.text)
    assert clause.path == ("第一章 總則", "第一節 一般規定", "第一條")


def test_load_quotes_the_name_it_shows(tmp_path: Path) -> None:
    odd = tmp_path / "a\x1bb.txt"
    odd.write_text(OLD, encoding="utf-8")
    assert load(odd).path == quote_name(str(odd))


def test_pdf_whose_streams_inflate_past_the_limit_is_refused() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 760, "Article 1.")
    pdf.addLiteral("%" + "0" * 3_000_000)  # a comment: 3 MB that compress to a few kB
    pdf.showPage()
    pdf.save()
    bomb = buffer.getvalue()
    assert len(bomb) < 100_000
    with pytest.raises(LimitError, match="inflate to over 500 kB"):
        decode(bomb, path="bomb.pdf", max_bytes=100_000)
    assert "Article 1." in decode(bomb, path="bomb.pdf", max_bytes=1_000_000).text
