"""The terminal view that fits, the CSV of the targets, --lang/--labels and the format choice."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from policydiff import compare, load
from policydiff.cli import app
from policydiff.render import TargetRows, View, ordered_targets, text
from policydiff.render.labels import default_lang, labels
from policydiff.render.text import target_value
from policydiff.render.wrap import NO_START, breaks, wrap_plain

from .conftest import DATA, ROOT

DRAFT = str(DATA / "draft_2023.txt")
FINAL = str(DATA / "final_2024.txt")
LAW = ROOT / "bench" / "data" / "laws" / "statistics_law"
LAW_OLD, LAW_NEW = str(LAW / "2009-06-27.txt"), str(LAW / "2024-09-13.txt")
PAIRS = [(DRAFT, FINAL), (LAW_OLD, LAW_NEW)]
# Closing punctuation that must never open a line (in a table cell or anywhere else).
CLOSING = "，、。）；：！？》」』】”"


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output  # 1: the documents differ
    return result.stdout


@pytest.fixture(scope="module")
def sample_report():  # type: ignore[no-untyped-def]
    return compare(load(DRAFT), load(FINAL))


REPORTS: dict[tuple[str, str], object] = {}


def view_at(pair: tuple[str, str], width: int, rows: TargetRows = TargetRows.changed) -> str:
    """The plain terminal view of a pair at `width`, as `compare --width` prints it to a pipe
    (the report computed once per pair)."""
    if pair not in REPORTS:
        REPORTS[pair] = compare(load(pair[0]), load(pair[1]))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, soft_wrap=False)
    text.render(REPORTS[pair], console, plain=True, view=View(targets=rows))  # type: ignore[arg-type]
    return buffer.getvalue()


def test_view_at_is_what_the_cli_prints() -> None:
    assert view_at((DRAFT, FINAL), 60) == cli("compare", DRAFT, FINAL, "--width", "60")


# ---------------------------------------------------------------- line breaking


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("一二三四五，六七", 5, ["一二", "三四", "五，", "六七"]),  # ， stays with 五
        ("一二三（四五）六", 8, ["一二三", "（四五）", "六"]),
        ("到2035 年完成", 7, ["到", "2035 年", "完成"]),  # a number keeps its unit
        ("共有12家企业", 5, ["共有", "12家", "企业"]),
        ("达到98.5%以上", 6, ["达到", "98.5%", "以上"]),
        ("一——二", 3, ["一", "——", "二"]),
        ("改为{+新的+}内容", 5, ["改为", "{+新", "的+}", "内容"]),
    ],
)
def test_chinese_line_breaking(text: str, width: int, lines: list[str]) -> None:
    assert wrap_plain(text, width) == lines


def test_an_overlong_run_is_folded_not_lost() -> None:
    assert "".join(wrap_plain("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 10)) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert breaks("GDP比重") == [3, 4]


def cells_of(line: str) -> list[str]:
    """A rendered line cut where a table column may start (two spaces or a rule)."""
    return [part for part in re.split(r" {2,}|[│|]", line) if part.strip()]


@pytest.mark.parametrize("pair", PAIRS, ids=["sample", "statistics_law"])
@pytest.mark.parametrize("width", [20, 40, 60, 80, 120, 200])
def test_no_line_or_cell_starts_with_closing_punctuation(pair: tuple[str, str], width: int) -> None:
    out = view_at(pair, width)
    for line in out.splitlines():
        assert len(line) == 0 or line.strip()[0] not in CLOSING, line
        for cell in cells_of(line):
            assert cell.strip()[0] not in CLOSING, (width, line)
        assert not re.search(r"\d\n", line)


@pytest.mark.parametrize("width", [20, 30, 45, 60, 80, 120, 200])
def test_no_target_value_is_ever_cut(sample_report, width: int) -> None:  # type: ignore[no-untyped-def]
    out = view_at((DRAFT, FINAL), width, TargetRows.all)
    assert "…" not in out
    flat = out.replace("\n", "")
    for change in sample_report.targets:
        for target in (change.old, change.new):
            if target is not None:
                value = target_value(target)
                assert value in out, (width, value)
                assert value in flat
    for line in out.splitlines():
        assert len(line.rstrip()) <= width or not line.strip(), line


def test_the_summary_and_changed_targets_fit_the_first_screen() -> None:
    out = cli("compare", DRAFT, FINAL, "--width", "80").splitlines()
    first_screen = "\n".join(out[:24])
    assert "clauses: 28 unchanged" in first_screen and "targets: 7 changed" in first_screen
    changed = [line for line in out if line.startswith("changed ")]
    assert len(changed) == 7
    assert all(line in first_screen for line in changed)
    assert all(len(line) <= 80 for line in out)


def test_changed_targets_come_first_and_unchanged_only_with_all() -> None:
    out = cli("compare", DRAFT, FINAL, "--width", "120")
    statuses = re.findall(r"^(changed|added|removed|unchanged) ", out, re.M)
    assert statuses[:7] == ["changed"] * 7 and "unchanged" not in statuses
    assert "5 unchanged targets not listed (--targets all lists them)" in out
    everything = cli("compare", DRAFT, FINAL, "--width", "120", "--targets", "all")
    assert re.findall(r"^(?:unchanged) ", everything, re.M) == ["unchanged "] * 5


def test_ordered_targets(sample_report) -> None:  # type: ignore[no-untyped-def]
    order = [c.status.value for c in ordered_targets(sample_report.targets)]
    assert order == sorted(order, key=["changed", "added", "removed", "unchanged"].index)


def test_stat_prints_the_summary_alone() -> None:
    out = cli("compare", DRAFT, FINAL, "--stat", "--width", "100")
    assert out.splitlines()[-1].startswith("front matter:")
    assert "Targets (" not in out and "modified  draft" not in out


def test_identical_files_say_so(tmp_path: Path) -> None:
    out = cli("compare", DRAFT, DRAFT, "--width", "100")
    assert CliRunner().invoke(app, ["compare", DRAFT, DRAFT]).exit_code == 0
    assert "no differences: the two documents say the same" in out
    assert "没有差异" in cli("compare", DRAFT, DRAFT, "--lang", "zh")
    assert "no differences" not in cli("compare", DRAFT, FINAL, "--stat")


def test_similarity_only_with_verbose() -> None:
    plain = cli("compare", DRAFT, FINAL, "--width", "100")
    verbose = cli("compare", DRAFT, FINAL, "--width", "100", "-v")
    assert "similarity" not in plain and not re.search(r"^modified 0\.\d", plain, re.M)
    assert re.search(r"^modified similarity 0\.\d\d  draft_2023", verbose, re.M)


def test_ascii_draws_no_ambiguous_width_symbol() -> None:
    out = cli("compare", DRAFT, FINAL, "--width", "100", "--ascii", "--stat")
    out += cli("compare", DRAFT, FINAL, "--width", "100", "--ascii").split("(top of document)")[0]
    for glyph in "→≥≤≈—–−·›↑↓─━│┃":
        assert glyph not in out, glyph
    assert ">=98.5%" in out and "34 -> 32" in out


def test_lang_zh_and_labels() -> None:
    out = cli(
        "compare", DRAFT, FINAL, "--lang", "zh", "--labels", "征求意见稿,印发稿", "--width", "100"
    )
    assert re.match(r"征求意见稿  \S+draft_2023\.txt  简体 ", out)
    assert "条款: 28 未变 · 54 修改 · 5 移动 · 88 新增 · 44 删除" in out
    assert "\n变化  " in out and "个百分点" in out
    assert re.search(r"^修改  draft_2023\.txt:30 → final_2024\.txt:26", out, re.M)


def test_default_language_from_the_locale() -> None:
    assert default_lang({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert default_lang({"LANG": "zh_TW.Big5"}) == "zh"
    assert default_lang({"LANG": "en_GB.UTF-8"}) == "en"
    env = {**os.environ, "LANG": "zh_CN.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", DRAFT, FINAL, "--stat"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "条款: 28 未变" in result.stdout


@pytest.mark.parametrize("value", ["one", "a,b,c", ",b"])
def test_bad_labels_are_a_usage_error(value: str) -> None:
    result = CliRunner().invoke(app, ["compare", DRAFT, FINAL, "--labels", value])
    assert result.exit_code == 2
    assert "--labels" in result.output
    with pytest.raises(Exception, match="--labels"):
        labels("en", value)


# ---------------------------------------------------------------- the pager


def run_in_terminal(*args: str, env: dict[str, str]) -> str:
    """Run the CLI with stdout on a pseudo-terminal; what it wrote there."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "policydiff", *args],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "100", "LINES": "40", **env},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_long_report_on_a_terminal_goes_through_the_pager() -> None:
    pager = f"{sys.executable} -c \"import sys; sys.stdout.write('PAGED ' + sys.stdin.read())\""
    out = run_in_terminal("compare", DRAFT, FINAL, env={"PAGER": pager})
    assert out.startswith("PAGED ") and "\x1b[" in out  # the colours reach the pager
    direct = run_in_terminal("compare", DRAFT, FINAL, "--no-pager", env={"PAGER": pager})
    assert "PAGED" not in direct and "clauses:" in direct
    short = run_in_terminal("compare", DRAFT, FINAL, "--stat", env={"PAGER": pager})
    assert "PAGED" not in short, "a report shorter than the screen is printed as it is"


def test_piped_output_is_never_paged() -> None:
    env = {**os.environ, "PAGER": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", DRAFT, FINAL],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1 and "clauses:" in result.stdout


# ---------------------------------------------------------------- CSV


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_compare_csv_has_one_row_per_target(sample_report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "targets.csv"
    cli("compare", DRAFT, FINAL, "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 30  # header + 29
    rows = read_csv(data.decode("utf-8"))
    assert len(rows) == len(sample_report.targets) == 29
    first = rows[0]
    assert first["status"] == "changed" and first["metric"] == "食品抽检合格率"
    assert (first["old_value"], first["new_value"], first["old_unit"]) == ("98", "98.5", "%")
    assert (first["old_comparator"], first["old_deadline"], first["delta"]) == (
        "at least",
        "2025",
        "0.5",
    )
    assert (first["old_line"], first["new_line"]) == ("34", "32")
    assert [r["status"] for r in rows][-5:] == ["unchanged"] * 5
    renamed = next(r for r in rows if r["old_metric"] != r["new_metric"] and r["old_metric"])
    assert (renamed["delta"], renamed["relative_percent"]) == ("-18", "-90")
    assert (renamed["old_comparator"], renamed["new_comparator"]) == ("at least", "exactly")


def test_csv_in_chinese_and_for_a_law() -> None:
    rows = read_csv(cli("compare", LAW_OLD, LAW_NEW, "--format", "csv", "--lang", "zh"))
    fine = next(r for r in rows if r["指标"].endswith("罚款") and r["原值上限"] == "20")
    assert fine["状态"] == "变化" and (fine["原值"], fine["原值上限"]) == ("5", "20")
    assert (fine["新值"], fine["新值上限"], fine["新单位"]) == ("10", "50", "万元")


def test_targets_command_csv() -> None:
    rows = read_csv(cli("targets", FINAL, "--format", "csv"))
    assert rows[0].keys() >= {"metric", "value", "unit", "comparator", "deadline", "line", "text"}
    assert any(r["metric"] == "食品抽检合格率" and r["value"] == "98.5" for r in rows)


def test_a_cell_a_spreadsheet_would_run_is_quoted(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("一、目标\n\n=HYPERLINK(1)企业达到10家。\n", encoding="utf-8")
    (tmp_path / "new.txt").write_text("一、目标\n\n=HYPERLINK(1)企业达到20家。\n", encoding="utf-8")
    text = cli("compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "-f", "csv")
    assert not any(cell.startswith("=") for row in read_csv(text) for cell in row.values())


# ---------------------------------------------------------------- choosing the format


@pytest.mark.parametrize(
    ("suffix", "start"),
    [
        (".html", b"<!DOCTYPE html>"),
        (".docx", b"PK\x03\x04"),
        (".csv", "\ufeffstatus".encode()),
        (".md", b"# policydiff"),
        (".json", b"{"),
        (".txt", b"Old  "),
    ],
)
def test_the_suffix_picks_the_format(tmp_path: Path, suffix: str, start: bytes) -> None:
    out = tmp_path / f"report{suffix}"
    cli("compare", DRAFT, FINAL, "-o", str(out))
    assert out.read_bytes().startswith(start)


def test_an_unknown_suffix_is_an_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policydiff",
            "compare",
            DRAFT,
            FINAL,
            "-o",
            str(tmp_path / "r.pdf"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("policydiff: error: --output") and "--format" in result.stderr
    assert not (tmp_path / "r.pdf").exists()
    assert cli("compare", DRAFT, FINAL, "-o", str(tmp_path / "r.pdf"), "-f", "text") == ""


def test_no_start_holds_the_closing_marks() -> None:
    assert set(CLOSING) <= NO_START


def test_every_label_has_both_languages() -> None:
    from policydiff.render.labels import _WORDS

    assert all(set(words) == {"en", "zh"} for words in _WORDS.values())
    used = set()
    for path in (ROOT / "src" / "policydiff" / "render").glob("*.py"):
        used |= set(re.findall(r"word\(\s*\"([^\"]+)\"", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"word\(\s*'([^']+)'", path.read_text(encoding="utf-8")))
    used.discard("key")  # the docstring's example
    assert used and used <= set(_WORDS), used - set(_WORDS)


def test_the_zh_reports_speak_chinese(tmp_path: Path) -> None:
    md = cli("compare", DRAFT, FINAL, "--format", "markdown", "--lang", "zh")
    assert "## 概况" in md and "- 条款: 28 未变 · 54 修改" in md and "## 目标变化" in md
    assert "| 原文: draft\\_2023.txt | 修改后: final\\_2024.txt |" in md
    targets = cli("targets", FINAL, "--lang", "zh", "--width", "120")
    assert "指标" in targets and targets.rstrip().endswith("27 目标")
