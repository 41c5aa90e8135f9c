"""Golden cases: every folder under tests/data/cases/ is a test, found automatically.

A case holds `old.txt` and `new.txt` (or a `source` file naming two repo-relative
paths, for the samples in data/), an optional `flags` file with extra CLI
arguments, and one expected output per format: `expected.json`, `expected.txt`
(terminal view at width 100, no colour), `expected.md`, `expected.csv` (the targets)
or `expected.html`. On a mismatch the test
prints a diff and names the file. POLICYDIFF_UPDATE_GOLDEN=1 rewrites the
expected files; read the result against the documents before committing it.
"""

from __future__ import annotations

import difflib
import os
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policydiff.cli import app

from .conftest import ROOT

CASES = ROOT / "tests" / "data" / "cases"
FORMAT_ARGS = {
    "expected.json": ["--format", "json"],
    "expected.txt": ["--width", "100"],
    "expected.md": ["--format", "markdown"],
    "expected.csv": ["--format", "csv"],
    "expected.html": ["--format", "html"],
}


def _inputs(case: Path) -> tuple[Path, list[str]]:
    """The folder to run in and the two document paths, as the CLI gets them."""
    source = case / "source"
    if source.exists():
        fields = dict(line.split(":", 1) for line in source.read_text().splitlines() if line)
        return ROOT, [fields["old"].strip(), fields["new"].strip()]
    return case, ["old.txt", "new.txt"]


def _golden_files() -> list[Path]:
    return sorted(
        path for case in CASES.iterdir() if case.is_dir() for path in case.glob("expected.*")
    )


@pytest.mark.parametrize("expected", _golden_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(expected: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = expected.parent
    cwd, documents = _inputs(case)
    flags = shlex.split((case / "flags").read_text()) if (case / "flags").exists() else []
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(app, ["compare", *documents, *FORMAT_ARGS[expected.name], *flags])
    assert result.exit_code in (0, 1), result.output  # no change, changes; never an error
    actual = result.stdout
    if os.environ.get("POLICYDIFF_UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    wanted = expected.read_text(encoding="utf-8")
    if actual != wanted:
        diff = "".join(
            difflib.unified_diff(
                wanted.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                str(expected.relative_to(ROOT)),
                "actual",
            )
        )
        pytest.fail(f"output differs from {expected.relative_to(ROOT)}:\n{diff}")


def test_cases_exist() -> None:
    assert len(_golden_files()) >= 5
