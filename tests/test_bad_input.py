"""Bad input through the real CLI: one line naming the file on stderr, exit 2, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from policydiff.errors import InputError
from policydiff.load import load

ROOT = Path(__file__).resolve().parent.parent
DRAFT = ROOT / "data" / "draft_2023.txt"
FINAL = ROOT / "data" / "final_2024.txt"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *names: str | Path) -> str:
    """Exit 2, nothing on stdout, and one line on stderr naming each of `names`."""
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policydiff: error: ")
    for name in names:
        assert str(name) in lines[0]
    return lines[0]


@cache
def cli_options() -> str:
    return run("compare", "--help").stdout


# ---------------------------------------------------------------- files that cannot be compared


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    line = assert_one_line_error(run("compare", missing, FINAL), missing)
    assert line.endswith("no such file")


def test_missing_new_file_is_named_too(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    assert_one_line_error(run("compare", DRAFT, missing), missing)


def test_directory(tmp_path: Path) -> None:
    line = assert_one_line_error(run("compare", tmp_path, FINAL), tmp_path)
    assert line.endswith("is a directory, not a file")


def test_unreadable_file(tmp_path: Path) -> None:
    if os.name == "posix" and os.geteuid() == 0:
        pytest.skip("running as root, which can read a file whatever its permissions")
    locked = tmp_path / "locked.txt"
    locked.write_text("第一条 总则。", encoding="utf-8")
    locked.chmod(0)
    try:
        line = assert_one_line_error(run("compare", locked, FINAL), locked)
    finally:
        locked.chmod(0o600)
    assert "permission denied" in line


def test_unreadable_file_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same case in process, so that it is tested under root too.
    locked = tmp_path / "locked.txt"
    locked.write_text("第一条 总则。", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError) as caught:
        load(locked)
    assert str(caught.value) == f"{locked}: permission denied: cannot read the file"


def test_png(tmp_path: Path) -> None:
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    line = assert_one_line_error(run("compare", DRAFT, image), image)
    assert line.endswith("binary file (PNG image), not text")


def test_executable(tmp_path: Path) -> None:
    program = tmp_path / "program"
    with open(sys.executable, "rb") as source:  # the head is enough, and stays under the limit
        program.write_bytes(source.read(65536))
    line = assert_one_line_error(run("compare", program, FINAL), program)
    assert "binary file (" in line
    if sys.platform.startswith("linux"):
        assert line.endswith("binary file (ELF executable), not text")


def test_executable_from_bin(tmp_path: Path) -> None:
    ls = shutil.which("ls")
    if ls is None or os.path.getsize(ls) > 20_000_000:
        pytest.skip("no small ls executable here")
    line = assert_one_line_error(run("compare", ls, FINAL), ls)
    assert "binary file (" in line


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        # PDF and .docx are read (tests/test_formats.py); these two are cut off after the header.
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "truncated PDF: it does not end with %%EOF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary file (ZIP archive, damaged or truncated)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "save it as .docx, PDF or plain text"),
        (b"{\\rtf1\\ansi\\deff0 \\par}", "RTF document, not plain text"),
        (b"\x00\x01\x02\x03 data", "binary file (NUL bytes), not text"),
        ("第一条 总则".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
    ],
)
def test_other_binary_and_document_formats(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    line = assert_one_line_error(run("compare", path, FINAL), path)
    assert kind in line


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Règlement général, article premier.".encode("latin-1"))
    line = assert_one_line_error(run("compare", path, FINAL), path)
    assert "cannot tell the encoding" in line and "--encoding" in line


def test_over_the_size_limit() -> None:
    # The CLI has no --max-size yet: the library's limit is tested directly here...
    with pytest.raises(InputError) as caught:
        load(DRAFT, max_bytes=10)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        f"{DRAFT}: file is over the size limit of 10 bytes (it is 19.9 kB); "
        "raise it with --max-size"
    )


def test_over_the_size_limit_in_the_cli(tmp_path: Path) -> None:
    # ...and through the CLI as soon as it offers --max-size (in MB).
    if "--max-size" not in cli_options():
        pytest.skip("the CLI has no --max-size option yet")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1_000_001)
    line = assert_one_line_error(run("compare", big, FINAL, "--max-size", "1"), big)
    assert line.endswith(
        "over the size limit of 1 MB (it is 1,000,001 bytes); raise it with --max-size"
    )
    line = assert_one_line_error(run("compare", DRAFT, FINAL, "--max-size", "0.01"), DRAFT)
    assert "over the size limit of 10 kB (it is 19.9 kB)" in line
    assert run("compare", DRAFT, FINAL, "--max-size", "0.05").returncode == 1  # changes


def test_unknown_encoding_in_the_cli() -> None:
    if "--encoding" not in cli_options():
        pytest.skip("the CLI has no --encoding option yet")
    line = assert_one_line_error(run("compare", DRAFT, FINAL, "--encoding", "klingon"))
    assert "--encoding: unknown encoding 'klingon'" in line


# ---------------------------------------------------------------- bad options


@pytest.mark.parametrize(
    "value",
    [
        "1.5",
        "-1",
        "0",
        "nan",
        "inf",
        "abc",  # click's own error, which cli.main() puts on one line
        "",
    ],
)
def test_invalid_threshold(value: str) -> None:
    line = assert_one_line_error(run("compare", DRAFT, FINAL, "--threshold", value))
    assert "--threshold" in line


# ---------------------------------------------------------------- inputs that are not errors


def compare_json(old: Path | str, new: Path | str) -> dict[str, Any]:
    result = run("compare", old, new, "--format", "json")
    assert result.returncode in (0, 1), result.stderr  # no change, or changes
    assert result.stderr == ""
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def statuses(report: dict[str, Any]) -> set[str]:
    return {record["status"] for record in report["clauses"]}


def test_empty_file_against_the_draft(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    added = compare_json(empty, DRAFT)
    assert statuses(added) == {"added"}
    assert added["summary"]["clauses"]["added"] == len(
        [r for r in added["clauses"] if not r["front_matter"]]
    )
    assert added["old"]["clauses"] == 0
    removed = compare_json(DRAFT, empty)
    assert statuses(removed) == {"removed"}
    assert len(removed["clauses"]) == added["new"]["clauses"]


def test_empty_file_in_text_format(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("compare", empty, DRAFT, "--width", "100")
    assert result.returncode == 1, result.stderr  # every clause added
    assert result.stderr == "" and result.stdout


def test_two_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert compare_json(empty, empty)["clauses"] == []


def test_a_file_with_no_cjk_text(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("1. Scope\nThis policy covers food safety.\nTargets: 98% by 2025.\n")
    new.write_text("1. Scope\nThis policy covers food and drug safety.\nTargets: 98% by 2025.\n")
    report = compare_json(old, new)
    assert report["old"]["encoding"] == "utf-8"
    assert report["old"]["clauses"] > 0
    assert "modified" in statuses(report) and "unchanged" in statuses(report)


def test_stdin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", "-", str(FINAL), "--format", "json"],
        input=DRAFT.read_text(encoding="utf-8").encode("gb18030"),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["old"]["path"] == "<stdin>"
    assert report["old"]["encoding"] == "gb18030"


# ---------------------------------------------------------------- determinism


def test_output_is_byte_identical_across_hash_seeds() -> None:
    outputs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = run("compare", DRAFT, FINAL, "--format", "json", env=env)
        assert result.returncode == 1, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
