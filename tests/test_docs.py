"""The docs are tested: every CLI option is documented, under its own command."""

from __future__ import annotations

import re

import pytest
import typer

from policydiff.cli import app

from .conftest import ROOT

CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
COMMAND = typer.main.get_command(app)


def section(name: str) -> str:
    """The part of docs/cli.md under `## name`, up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(name)}\n(.*?)(?=^## |\Z)", CLI_DOC, re.M | re.S)
    assert match, f"docs/cli.md has no section '## {name}'"
    return match.group(1)


def options_of(command: object) -> list[str]:
    params = getattr(command, "params", [])
    return sorted(
        opt for p in params for opt in (*p.opts, *p.secondary_opts) if opt.startswith("-")
    )


COMMANDS = sorted(getattr(COMMAND, "commands", {}))


def test_there_are_commands_to_check() -> None:
    assert COMMANDS == ["batch", "clauses", "compare", "history", "targets"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented_under_its_command(name: str) -> None:
    text = section(name)
    command = COMMAND.commands[name]  # type: ignore[attr-defined]
    missing = [opt for opt in options_of(command) if opt != "--help" and f"`{opt}`" not in text]
    assert not missing, f"docs/cli.md '## {name}' does not document {missing}"


def test_global_options_are_documented() -> None:
    text = section("Global options")
    for opt in ("--version", "--install-completion", "--show-completion", "--help"):
        assert f"`{opt}`" in text, opt


def test_the_documented_defaults_match_the_code() -> None:
    compare = COMMAND.commands["compare"]  # type: ignore[attr-defined]
    defaults = {p.name: p.default for p in compare.params}
    assert "| `--threshold`, `-t` `X` | `0.5` |" in CLI_DOC and defaults["threshold"] == 0.5
    from policydiff.cli import DEFAULT_SHOW

    assert defaults["show"] is None and DEFAULT_SHOW == "modified,moved,added,removed"
    assert "| `--timeout` `SECONDS` | `300` |" in CLI_DOC and defaults["timeout"] == 300
    assert "| `--fail-on` `targets\\|clauses\\|any` | `any` |" in CLI_DOC
    assert defaults["fail_on"] == "any"
    assert "`modified,moved,added,removed`" in section("compare")


def test_the_library_example_of_usage_md_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(.*?)```", usage, re.S)
    monkeypatch.chdir(ROOT)
    exec(compile(block, "docs/usage.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("data/final_2024.txt targets changed: ")
    assert int(lines[0].rsplit(" ", 1)[1]) > 0
    assert lines[1] == "data/draft_2023.txt targets changed: 0"
