"""The command line: parse -> Options -> compare -> render -> exit code. Nothing else lives here."""

from __future__ import annotations

import functools
import json as jsonlib
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from . import __version__

try:  # recent typer ships its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on top of click
    from click import exceptions as click_errors  # type: ignore[no-redef]
from .errors import PolicydiffError, UsageError
from .load import load
from .model import ClauseKind, ClauseStatus, Options
from .pipeline import compare as compare_documents
from .pipeline import document_targets, parse
from .render import json as json_render
from .render import text as text_render

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_ERROR = 2

app = typer.Typer(
    name="policydiff",
    help="Compare two versions of a Chinese policy document: clauses, scripts and targets.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    text = "text"
    json = "json"


def exit_code(error: BaseException | None) -> int:
    """The one exit-code policy: 0 ok, 1 changes found (with --fail-on), 2 usage or input error."""
    if error is None:
        return EXIT_OK
    return EXIT_ERROR


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn policydiff's own errors into one line on stderr and exit 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PolicydiffError as error:
            typer.echo(f"policydiff: error: {error}", err=True)
            raise typer.Exit(exit_code(error)) from None

    return wrapper


def _console(width: int | None) -> Console:
    return Console(width=width, highlight=False, soft_wrap=False)


def _parse_show(value: str) -> frozenset[ClauseStatus]:
    statuses = set()
    for name in (part.strip() for part in value.split(",")):
        if not name:
            continue
        try:
            statuses.add(ClauseStatus(name))
        except ValueError:
            choices = ", ".join(s.value for s in ClauseStatus)
            raise UsageError(f"--show: unknown status {name!r} (choose from {choices})") from None
    return frozenset(statuses)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policydiff {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Compare two versions of a Chinese policy document: clauses, scripts and targets."""


ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold",
        "-t",
        help="Least similarity (0-1) for two different clauses to pair; see docs/pipeline.md.",
    ),
]
WidthOption = Annotated[
    int | None, typer.Option("--width", help="Terminal width for text output (default: detected).")
]


@app.command()
@guarded
def compare(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The earlier version (e.g. the 征求意见稿).")
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later version (e.g. the 印发稿).")],
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text (terminal) or json.")
    ] = Format.text,
    threshold: ThresholdOption = Options.threshold,
    show: Annotated[
        str,
        typer.Option(
            "--show",
            help="Comma-separated clause statuses to list in text output "
            "(unchanged, modified, moved, added, removed).",
        ),
    ] = "modified,moved,added,removed",
    width: WidthOption = None,
) -> None:
    """Compare OLD with NEW: what changed, clause by clause.

    Example:

        policydiff compare data/draft_2023.txt data/final_2024.txt --show modified,moved
    """
    if not 0.0 < threshold <= 1.0:
        raise UsageError(f"--threshold must be between 0 and 1, got {threshold}")
    statuses = _parse_show(show)
    report = compare_documents(load(old), load(new), options=Options(threshold=threshold))
    if output_format is Format.json:
        sys.stdout.write(json_render.render(report))
        return
    console = _console(width)
    plain = console.no_color or not console.is_terminal
    text_render.render(report, console, show=statuses, plain=plain)


@app.command()
@guarded
def clauses(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The document to segment.")],
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text (tree) or json.")
    ] = Format.text,
    width: WidthOption = None,
) -> None:
    """Show how FILE is split into headings and clauses, to check the segmentation.

    Example:

        policydiff clauses data/final_2024.txt
    """
    parsed = parse(load(file))
    if output_format is Format.json:
        payload = {
            "document": json_render.document_info(parsed),
            "clauses": [
                {**json_render.clause_ref(c), "front_matter": c.front_matter}
                for c in parsed.clauses
            ],
        }
        sys.stdout.write(jsonlib.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    console = _console(width)
    for clause in parsed.clauses:
        line = Text(f"{clause.line:>5} ", style="dim")
        if clause.front_matter:
            line.append("[front] ", style="magenta")
        line.append("  " * len(clause.path))
        style = "bold" if clause.kind is ClauseKind.HEADING else ""
        line.append(clause.text, style=style)
        console.print(line)


@app.command()
@guarded
def targets(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The document to read.")],
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text (table) or json.")
    ] = Format.text,
    width: WidthOption = None,
) -> None:
    """List the quantitative targets FILE states: metric, value, comparator, deadline, line.

    Example:

        policydiff targets data/final_2024.txt --format json
    """
    parsed = parse(load(file))
    found = document_targets(parsed)
    if output_format is Format.json:
        sys.stdout.write(json_render.render_targets(parsed, found))
        return
    text_render.render_targets(parsed, found, _console(width))


def main() -> None:
    """Entry point: click's own usage errors become one line and exit 2, like ours."""
    try:
        code = app(prog_name="policydiff", standalone_mode=False)
    except click_errors.NoArgsIsHelpError as error:
        typer.echo(error.ctx.get_help() if error.ctx else str(error))
        code = EXIT_ERROR
    except click_errors.UsageError as error:
        typer.echo(f"policydiff: error: {error.format_message()}", err=True)
        code = EXIT_ERROR
    except typer.Abort:
        typer.echo("policydiff: interrupted", err=True)
        code = 130
    sys.exit(code if isinstance(code, int) else EXIT_OK)
