"""docs/examples/policydiff.yml: a valid workflow that uses the documented flags, quoted in docs/ci.md."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

WORKFLOW = ROOT / "docs" / "examples" / "policydiff.yml"
CI_DOC = ROOT / "docs" / "ci.md"
FLAG = re.compile(r"--[a-z][a-z-]+")


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow["jobs"]["compare"]["steps"]
    return found


def step(workflow: dict[Any, Any], words: str) -> tuple[int, dict[str, Any]]:
    """The step whose `run` or `uses` holds `words`, and its position."""
    matches = [
        (i, s) for i, s in enumerate(steps(workflow)) if words in s.get("run", s.get("uses", ""))
    ]
    assert len(matches) == 1, f"{len(matches)} steps hold {words!r}"
    return matches[0]


def policydiff_flags(script: str) -> set[str]:
    return {
        flag
        for line in script.splitlines()
        if "policydiff compare" in line
        for flag in FLAG.findall(line)
    }


def documented_flags() -> set[str]:
    prose = re.sub(r"```yaml\n.*?```", "", CI_DOC.read_text(encoding="utf-8"), flags=re.S)
    return set(FLAG.findall(prose))


def test_runs_on_push_of_policy_texts(workflow: dict[Any, Any]) -> None:
    # YAML 1.1 reads a bare `on` key as True; GitHub reads it as "on".
    trigger = workflow["on"] if "on" in workflow else workflow[True]
    assert trigger["push"]["paths"] == ["policies/*.txt"]
    assert workflow["permissions"] == {"contents": "read"}


def test_steps_in_order(workflow: dict[Any, Any]) -> None:
    checkout, checkout_step = step(workflow, "actions/checkout@")
    python, python_step = step(workflow, "actions/setup-python@")
    install, _ = step(workflow, "pip install")
    report, _ = step(workflow, "--format markdown")
    upload, upload_step = step(workflow, "actions/upload-artifact@")
    gate, _ = step(workflow, "--fail-on targets")
    assert checkout < python < install < report < upload < gate
    assert checkout_step["with"]["fetch-depth"] == 0  # the previous revision is in history
    assert python_step["with"]["python-version"] == "3.11"
    assert upload_step["with"]["path"] == "reports/"
    assert upload_step["if"] == "${{ !cancelled() }}"  # keep the reports when a step failed
    assert all("name" in s for s in steps(workflow))


def test_report_step_writes_markdown_to_the_job_summary(workflow: dict[Any, Any]) -> None:
    _, report = step(workflow, "--format markdown")
    assert policydiff_flags(report["run"]) == {"--format", "--output"}
    assert '>> "$GITHUB_STEP_SUMMARY"' in report["run"]


def test_gate_step_fails_on_target_changes_only(workflow: dict[Any, Any]) -> None:
    _, gate = step(workflow, "--fail-on targets")
    assert policydiff_flags(gate["run"]) == {"--fail-on", "--quiet"}
    assert '"$code" -eq 1' in gate["run"]  # 1: changes found -> annotate, fail at the end
    assert 'exit "$code"' in gate["run"]  # 2: an error stops the job at once


def test_workflow_uses_only_documented_flags(workflow: dict[Any, Any]) -> None:
    used = set().union(*(policydiff_flags(s.get("run", "")) for s in steps(workflow)))
    assert used
    assert used <= documented_flags(), used - documented_flags()


def test_exit_codes_are_documented() -> None:
    text = CI_DOC.read_text(encoding="utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in text
    for value in ("`targets`", "`clauses`", "`any`"):
        assert value in text


def test_ci_doc_quotes_the_workflow_verbatim() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), flags=re.S)
    assert blocks == [WORKFLOW.read_text(encoding="utf-8")], (
        "docs/ci.md and docs/examples/policydiff.yml differ: copy the example into the doc"
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_run_scripts_are_valid_bash(workflow: dict[Any, Any]) -> None:
    for s in steps(workflow):
        if "run" in s:
            result = subprocess.run(
                ["bash", "-n"], input=s["run"], text=True, capture_output=True, check=False
            )
            assert result.returncode == 0, f"{s['name']}: {result.stderr}"


# A stand-in for policydiff: the scripts' plumbing is under test here, not the comparison.
# Like policydiff, it exits 1 when it finds changes (here: a target, 目标, was edited).
STUB = """#!/bin/sh
[ "$1" = compare ] || exit 2
[ -f "$2" ] && [ -f "$3" ] || exit 2
case "$*" in
  *--output*) for last; do :; done; echo "# report on $3" > "$last" ;;
esac
grep -q 目标 "$3" && exit 1
exit 0
"""


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        text=True,
        capture_output=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.skipif(not (shutil.which("bash") and shutil.which("git")), reason="needs bash, git")
def test_run_scripts_compare_each_revised_policy(workflow: dict[Any, Any], tmp_path: Path) -> None:
    repo, bin_dir = tmp_path / "repo", tmp_path / "bin"
    (repo / "policies").mkdir(parents=True)
    bin_dir.mkdir()
    (bin_dir / "policydiff").write_text(STUB)
    (bin_dir / "policydiff").chmod(0o755)
    _git(repo, "init", "-q")
    # git quotes names that are not ASCII unless told not to: the recipe must cope.
    names = ("changed plan.txt", "东莞质量强市实施方案.txt", "same.txt")
    for name in names:
        (repo / "policies" / name).write_text("一、总则\n旧。\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "draft")
    before = _git(repo, "rev-parse", "HEAD")
    for name in names:
        new_text = "一、总则\n新。\n" if name == "same.txt" else "一、总则\n目标新。\n"
        (repo / "policies" / name).write_text(new_text, encoding="utf-8")
    (repo / "policies" / "added.txt").write_text("新文件。\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "final")
    summary = tmp_path / "summary.md"
    summary.touch()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "BEFORE": before,
    }

    def run(words: str) -> subprocess.CompletedProcess[str]:
        script = step(workflow, words)[1]["run"]
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=repo,
            env=env,
            text=True,
            capture_output=True,
            check=False,
        )

    found = run("--name-only")
    assert found.returncode == 0, found.stderr
    short = before[:7]
    pairs = (repo / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    assert pairs == [
        f"previous/changed plan@{short}.txt\tpolicies/changed plan.txt",
        f"previous/same@{short}.txt\tpolicies/same.txt",
        f"previous/东莞质量强市实施方案@{short}.txt\tpolicies/东莞质量强市实施方案.txt",
    ]
    assert (repo / f"previous/same@{short}.txt").read_text(encoding="utf-8") == "一、总则\n旧。\n"
    chinese = repo / f"previous/东莞质量强市实施方案@{short}.txt"
    assert chinese.read_text(encoding="utf-8") == "一、总则\n旧。\n"

    written = run("--format markdown")  # the stub exits 1 for two of them, as policydiff does
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in (repo / "reports").iterdir()) == [
        "changed plan.md",
        "same.md",
        "东莞质量强市实施方案.md",
    ]
    assert summary.read_text(encoding="utf-8") == (
        "# report on policies/changed plan.txt\n# report on policies/same.txt\n"
        "# report on policies/东莞质量强市实施方案.txt\n"
    )

    gate = run("--fail-on targets")
    assert gate.returncode == 1
    assert gate.stdout.strip().splitlines() == [
        "::error file=policies/changed plan.txt::"
        "quantitative targets changed since the previous revision",
        "::error file=policies/东莞质量强市实施方案.txt::"
        "quantitative targets changed since the previous revision",
    ]

    (repo / f"previous/same@{short}.txt").unlink()  # an input error must stop the job with 2
    assert run("--fail-on targets").returncode == 2
