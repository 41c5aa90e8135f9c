"""The command line: parse -> Options -> compare -> render -> exit code. Nothing else lives here."""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from . import __version__

try:  # recent typer ships its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on top of click
    from click import exceptions as click_errors  # type: ignore[no-redef]
from .errors import InputError, PolicydiffError, UsageError
from .load import DEFAULT_MAX_BYTES, load
from .model import ClauseStatus, Document, Options, Report, TargetStatus
from .pipeline import compare as compare_documents
from .pipeline import document_targets, parse
from .render import json as json_render

if TYPE_CHECKING:
    from rich.console import Console

# The text and Markdown renderers (and rich) are imported where they are used:
# a JSON run then starts ~30 ms sooner.

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
    markdown = "markdown"
    json = "json"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


class FailOn(StrEnum):
    targets = "targets"
    clauses = "clauses"
    any = "any"


class InputFormat(StrEnum):
    auto = "auto"
    txt = "txt"
    html = "html"
    docx = "docx"
    pdf = "pdf"


class DisplayScript(StrEnum):
    simplified = "simplified"
    traditional = "traditional"


_SUFFIX_FORMATS = {".md": Format.markdown, ".markdown": Format.markdown, ".json": Format.json}
_CHANGED_CLAUSES = {
    ClauseStatus.MODIFIED,
    ClauseStatus.MOVED,
    ClauseStatus.ADDED,
    ClauseStatus.REMOVED,
}


def exit_code(
    *,
    error: BaseException | None = None,
    report: Report | None = None,
    fail_on: FailOn | None = None,
) -> int:
    """The one exit-code policy, as `git diff --exit-code` has it.

    2: a usage or input error. 1: --fail-on was given and the report has such
    changes (targets changed, added or removed; clauses modified, moved, added
    or removed in the body; any of the two). 0: otherwise.
    """
    if error is not None:
        return EXIT_ERROR
    if report is None or fail_on is None:
        return EXIT_OK
    targets = any(n for status, n in report.summary.targets if status is not TargetStatus.UNCHANGED)
    clauses = any(n for status, n in report.summary.clauses if status in _CHANGED_CLAUSES)
    found = {FailOn.targets: targets, FailOn.clauses: clauses, FailOn.any: targets or clauses}
    return EXIT_CHANGES if found[fail_on] else EXIT_OK


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn policydiff's own errors into one line on stderr and exit 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PolicydiffError as error:
            typer.echo(f"policydiff: error: {error}", err=True)
            raise typer.Exit(exit_code(error=error)) from None

    return wrapper


def _console(width: int | None, *, buffer: io.StringIO | None = None) -> Console:
    """A rich console on stdout, or a colourless one writing into `buffer`."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 here, which --fail-on means "changes found": let main() decide.
            self.quiet = True
            raise BrokenPipeError

    if buffer is not None:
        return Console(file=buffer, width=width or 100, highlight=False, no_color=True)
    return PipeConsole(width=width, highlight=False, soft_wrap=False)


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
    int | None,
    typer.Option("--width", min=20, help="Terminal width for text output (default: detected)."),
]


EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        "-e",
        metavar="NAME",
        help="Decode text and HTML input with this encoding (e.g. gb18030, big5, utf-16) "
        "instead of detecting it; see docs/input.md.",
    ),
]
InputFormatOption = Annotated[
    InputFormat,
    typer.Option(
        "--input-format",
        help="Read the inputs as this format instead of recognising it by content and name: "
        "txt, html, docx or pdf; see docs/formats.md.",
    ),
]
MaxSizeOption = Annotated[
    float,
    typer.Option("--max-size", metavar="MB", help="Refuse input files over this many megabytes."),
]
DEFAULT_MAX_MB = DEFAULT_MAX_BYTES / 1_000_000
MAX_SIZE_CAP_MB = 100_000  # 100 GB: beyond any policy, and safely an int of bytes


def _load(
    path: str,
    encoding: str | None,
    max_size: float,
    input_format: InputFormat = InputFormat.auto,
) -> Document:
    """Read one input file with the shared --encoding, --max-size and --input-format options."""
    if not 0 < max_size <= MAX_SIZE_CAP_MB:  # also refuses nan and inf
        raise UsageError(
            f"--max-size must be a number of megabytes above 0 and at most {MAX_SIZE_CAP_MB:,}, "
            f"got {max_size}"
        )
    return load(
        path,
        encoding=encoding,
        max_bytes=int(max_size * 1_000_000),
        input_format=input_format.value,
    )


ScriptOption = Annotated[
    DisplayScript,
    typer.Option(
        "--script",
        help="Script to show document text in; matching always uses the normalised form.",
    ),
]


def _emit(rendered: str, output: str | None, quiet: bool) -> None:
    """Write a rendered report to --output (exactly these bytes) or to stdout."""
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(rendered)
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror or error}", path=output) from None
    elif not quiet:
        sys.stdout.write(rendered)


@app.command()
@guarded
def compare(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD", help="The earlier version (e.g. the 征求意见稿); - for stdin."
        ),
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="The later version (e.g. the 印发稿); - for stdin.")
    ],
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="text (terminal), markdown or json. Default: from --output's suffix "
            "(.md, .json), else text.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE."),
    ] = None,
    threshold: ThresholdOption = Options.threshold,
    show: Annotated[
        str,
        typer.Option(
            "--show",
            help="Comma-separated clause statuses to list in text output "
            "(unchanged, modified, moved, added, removed).",
        ),
    ] = "modified,moved,added,removed",
    script: ScriptOption = DisplayScript.simplified,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when there are such changes: targets, clauses or any (like git diff "
            "--exit-code).",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing; the exit code tells.")
    ] = False,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_size: MaxSizeOption = DEFAULT_MAX_MB,
    width: WidthOption = None,
) -> None:
    """Compare OLD with NEW: which targets and clauses changed, with lines on both sides.

    Examples:

    \b
        policydiff compare data/draft_2023.txt data/final_2024.txt --show moved
        policydiff compare old.txt new.txt -o report.md --fail-on targets
        policydiff compare old.txt new.txt --format json > diff.json
        policydiff compare draft.docx final.pdf
    """
    if old == "-" and new == "-":
        raise UsageError("only one of OLD and NEW can be - (standard input)")
    statuses = _parse_show(show)
    chosen = output_format or _SUFFIX_FORMATS.get(Path(output or "").suffix.lower(), Format.text)
    options = Options(threshold=threshold)
    report = compare_documents(
        _load(old, encoding, max_size, input_format),
        _load(new, encoding, max_size, input_format),
        options=options,
    )
    if chosen is Format.json:
        _emit(json_render.render(report), output, quiet)
    elif chosen is Format.markdown:
        from .render import markdown as markdown_render

        _emit(markdown_render.render(report, script=script.value), output, quiet)
    elif output:
        from .render import text as text_render

        buffer = io.StringIO()
        console = _console(width, buffer=buffer)
        text_render.render(report, console, show=statuses, plain=True, script=script.value)
        _emit(buffer.getvalue(), output, quiet)
    elif not quiet:
        from .render import text as text_render

        console = _console(width)
        plain = console.no_color or not console.is_terminal
        text_render.render(report, console, show=statuses, plain=plain, script=script.value)
    code = exit_code(report=report, fail_on=fail_on)
    if code:
        raise typer.Exit(code)


@app.command()
@guarded
def clauses(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The document to segment.")],
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text (tree) or json.")
    ] = ListFormat.text,
    script: ScriptOption = DisplayScript.simplified,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_size: MaxSizeOption = DEFAULT_MAX_MB,
    width: WidthOption = None,
) -> None:
    """Show how FILE is split into headings and clauses, to check the segmentation.

    Example:

    \b
        policydiff clauses data/final_2024.txt
    """
    parsed = parse(_load(file, encoding, max_size, input_format))
    if output_format is ListFormat.json:
        sys.stdout.write(json_render.render_clauses(parsed))
        return
    from .render import text as text_render

    text_render.render_clauses(parsed, _console(width), script=script.value)


@app.command()
@guarded
def targets(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The document to read.")],
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="text (table), markdown or json.")
    ] = Format.text,
    script: ScriptOption = DisplayScript.simplified,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_size: MaxSizeOption = DEFAULT_MAX_MB,
    width: WidthOption = None,
) -> None:
    """List the quantitative targets FILE states: metric, value, comparator, deadline, line.

    Example:

    \b
        policydiff targets data/final_2024.txt --format json
    """
    parsed = parse(_load(file, encoding, max_size, input_format))
    found = document_targets(parsed)
    if output_format is Format.json:
        sys.stdout.write(json_render.render_targets(parsed, found))
    elif output_format is Format.markdown:
        from .render import markdown as markdown_render

        sys.stdout.write(markdown_render.render_targets(parsed, found, script=script.value))
    else:
        from .render import text as text_render

        text_render.render_targets(parsed, found, _console(width), script=script.value)


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
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as Unix tools do, and keep
        # Python from complaining while it flushes the closed stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 141
    sys.exit(code if isinstance(code, int) else EXIT_OK)


# The commands over many documents (batch, history) live in their own module.
from . import cli_many  # noqa: E402, F401
