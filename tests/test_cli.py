"""The command line: exit codes, one-line errors, help with examples, the clauses tree."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA

DRAFT = str(DATA / "draft_2023.txt")
FINAL = str(DATA / "final_2024.txt")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policydiff: error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_compare_prints_summary_and_exits_1_for_changes() -> None:
    result = run("compare", DRAFT, FINAL, "--width", "100")
    assert result.returncode == 1, result.stderr  # changes found, as diff(1) says
    assert "clauses: 28 unchanged" in result.stdout
    assert "warning: final_2024.txt mixes scripts" in result.stdout
    assert "[-" in result.stdout and "{+" in result.stdout  # plain diff marks when piped


def test_json_is_one_valid_object() -> None:
    result = run("compare", DRAFT, FINAL, "--format", "json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["schema"] == "policydiff.compare/1"
    assert payload["old"]["script"] == "simplified" and payload["new"]["script"] == "mixed"


def test_show_limits_the_listed_statuses() -> None:
    result = run("compare", DRAFT, FINAL, "--show", "moved", "--width", "100")
    assert "moved+edited" in result.stdout
    # No added or removed clause record (target rows may say added or removed).
    assert not re.search(r"^(added|removed)  \S+\.txt:\d", result.stdout, re.M)


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run("compare", str(tmp_path / "nope.txt"), FINAL), "nope.txt")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    assert_one_line_error(run("compare", str(tmp_path), FINAL), str(tmp_path), "directory")


@pytest.mark.parametrize("value", ["1.5", "0", "-1", "abc"])
def test_invalid_threshold(value: str) -> None:
    assert_one_line_error(run("compare", DRAFT, FINAL, "--threshold", value), "threshold")


def test_unknown_show_status() -> None:
    assert_one_line_error(run("compare", DRAFT, FINAL, "--show", "changed"), "changed")


def test_missing_argument_and_unknown_option() -> None:
    assert_one_line_error(run("compare", DRAFT), "NEW")
    assert_one_line_error(run("compare", DRAFT, FINAL, "--colour"), "--colour")


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("policydiff ")


@pytest.mark.parametrize("command", ["compare", "clauses", "targets"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "Example" in result.stdout
    assert f"policydiff {command} " in result.stdout


def test_clauses_prints_the_tree_with_lines() -> None:
    result = run("clauses", FINAL, "--width", "200")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("   10 [front] 东府办〔2024〕3号") for line in lines)
    heading = next(line for line in lines if "5、实施农产品食品药品质量安全提升工程" in line)
    assert heading.startswith("   62 ") and "    5、" in heading  # two levels deep


def test_page_numbers_left_out_are_listed(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text("一、任务\n建设促进中心，提供咨询、\n\n- 3 -\n\n培训服务。\n", encoding="utf-8")
    text = run("clauses", str(copy))
    assert "提供咨询、培训服务。" in text.stdout
    assert text.stdout.splitlines()[-1] == "page numbers left out: lines 4"
    payload = json.loads(run("clauses", str(copy), "--format", "json").stdout)
    assert payload["document"]["page_number_lines"] == [4]


def test_clauses_json_lists_every_clause() -> None:
    result = run("clauses", DRAFT, "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["document"]["clauses"] == len(payload["clauses"])
    assert payload["clauses"][0]["front_matter"] is True


def test_targets_lists_a_documents_targets() -> None:
    result = run("targets", DRAFT, "--width", "200")
    assert result.returncode == 0
    assert "食品抽检合格率" in result.stdout and "≥98%" in result.stdout
    assert result.stdout.rstrip().endswith("14 targets")


def test_targets_json_keeps_values_as_numbers() -> None:
    payload = json.loads(run("targets", FINAL, "--format", "json").stdout)
    assert payload["schema"] == "policydiff.targets/1"
    first = payload["targets"][0]
    assert first["value"] == 98 and isinstance(first["value"], int)
    assert first["text"].startswith("農產品質量安全例行監測合格率")


def test_compare_lists_target_changes_first() -> None:
    out = run("compare", DRAFT, FINAL, "--width", "160").stdout
    assert "targets: 7 changed · 5 unchanged · 15 added · 2 removed" in out
    assert out.index("食品抽检合格率") < out.index("一、总体要求")


@pytest.mark.parametrize("value", ["inf", "1e300", "0", "nan"])
def test_invalid_max_size(value: str) -> None:
    assert_one_line_error(run("compare", DRAFT, FINAL, "--max-size", value), "--max-size")


def test_too_narrow_a_width() -> None:
    assert_one_line_error(run("compare", DRAFT, FINAL, "--width", "0"), "--width")


def test_a_closed_pipe_ends_quietly_with_141() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "policydiff", "compare", DRAFT, FINAL],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away, as `| head -1` does
    error = process.stderr.read().decode()
    assert process.wait() == 141
    assert "Traceback" not in error and error == ""


def test_clauses_json_names_its_schema() -> None:
    payload = json.loads(run("clauses", DRAFT, "--format", "json").stdout)
    assert payload["schema"] == "policydiff.clauses/1"


# ---------------------------------------------------------------- CI use: exit codes, quiet, output


def test_fail_on_exits_1_when_such_changes_exist() -> None:
    for kind in ("targets", "clauses", "any"):
        result = run("compare", DRAFT, FINAL, "--fail-on", kind, "--quiet")
        assert (result.returncode, result.stdout, result.stderr) == (1, "", "")


def test_fail_on_exits_0_without_such_changes(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("一、目标\n\n新增企业50家。\n\n加强组织领导。\n", encoding="utf-8")
    new.write_text("一、目標\n\n新增企業50家。\n\n加强组织领导，形成合力。\n", encoding="utf-8")
    # The script changed and a clause was edited, but no target did.
    assert run("compare", str(old), str(new), "--fail-on", "targets", "-q").returncode == 0
    assert run("compare", str(old), str(new), "--fail-on", "clauses", "-q").returncode == 1
    assert run("compare", str(old), str(old), "--fail-on", "any", "-q").returncode == 0


def test_without_fail_on_any_change_exits_1_and_none_exits_0() -> None:
    assert run("compare", DRAFT, FINAL, "-q").returncode == 1
    assert run("compare", DRAFT, DRAFT, "-q").returncode == 0


def test_output_format_follows_the_suffix(tmp_path: Path) -> None:
    report_md = tmp_path / "report.md"
    report_json = tmp_path / "report.json"
    for target in (report_md, report_json):
        result = run("compare", DRAFT, FINAL, "--output", str(target))
        assert (result.returncode, result.stdout) == (1, "")
    assert report_md.read_text(encoding="utf-8").startswith("# policydiff: draft\\_2023.txt")
    assert json.loads(report_json.read_text(encoding="utf-8"))["schema"] == "policydiff.compare/1"
    forced = tmp_path / "report.txt"
    run("compare", DRAFT, FINAL, "--output", str(forced), "--format", "json")
    assert json.loads(forced.read_text(encoding="utf-8"))["schema"] == "policydiff.compare/1"


def test_an_unwritable_output_is_a_one_line_error(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "report.md"
    assert_one_line_error(run("compare", DRAFT, FINAL, "-o", str(target)), "report.md")


def test_standard_input_for_one_side() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", "-", FINAL, "--format", "json"],
        input=Path(DRAFT).read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["old"]["path"] == "<stdin>"
    assert_one_line_error(run("compare", "-", "-"), "standard input")


def test_no_color_gives_plain_marks_even_on_a_forced_terminal() -> None:
    env = {**os.environ, "FORCE_COLOR": "1"}
    coloured = run("compare", DRAFT, FINAL, "--width", "100", env=env).stdout
    assert "\x1b[" in coloured and "{+" not in coloured
    plain = run("compare", DRAFT, FINAL, "--width", "100", env={**env, "NO_COLOR": "1"}).stdout
    colour_code = re.compile(r"\x1b\[(?:[0-9;]*;)?3[0-7](?:;[0-9;]*)?m")  # foreground colours
    assert colour_code.search(coloured)
    assert "{+" in plain and not colour_code.search(plain)  # bold and dim may stay


def test_script_picks_the_displayed_script() -> None:
    simplified = run("compare", DRAFT, FINAL, "--width", "120").stdout
    traditional = run("compare", DRAFT, FINAL, "--width", "120", "--script", "traditional").stdout
    assert "食品抽检合格率" in simplified and "食品抽檢合格率" in traditional
    # Matching does not depend on the display: the same counts either way.
    assert simplified.splitlines()[5:7] == traditional.splitlines()[5:7]


def test_hostile_documents_make_safe_markdown_through_the_cli(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("一、总则\n\n甲 | 乙 <script>alert(1)</script> 丙。\n", encoding="utf-8")
    new.write_text("一、总则\n\n甲 | 乙 <img src=x onerror=alert(1)> `丙`。\n", encoding="utf-8")
    result = run("compare", str(old), str(new), "--format", "markdown")
    assert result.returncode == 1
    tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
    html = [t.content for t in tokens if t.type == "html_block"]
    html += [c.content for t in tokens for c in (t.children or []) if c.type == "html_inline"]
    assert all(tag in {"<del>", "</del>", "<ins>", "</ins>", "<br>"} for tag in html), html
    assert "<script>" not in result.stdout and "<img" not in result.stdout
