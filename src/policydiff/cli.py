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
from .render import TargetRows, View
from .render import json as json_render
from .render.labels import default_lang
from .render.labels import labels as make_labels

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
    html = "html"
    docx = "docx"
    csv = "csv"


class TargetsFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    csv = "csv"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


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


_SUFFIX_FORMATS = {
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".json": Format.json,
    ".html": Format.html,
    ".htm": Format.html,
    ".docx": Format.docx,
    ".csv": Format.csv,
    ".txt": Format.text,
}
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


def _console(
    width: int | None, *, buffer: io.StringIO | None = None, like: Console | None = None
) -> Console:
    """A rich console on stdout, or a colourless one writing into `buffer` (with the colours
    and width of the terminal console `like`, to page what it would print)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 here, which --fail-on means "changes found": let main() decide.
            self.quiet = True
            raise BrokenPipeError

    if buffer is not None and like is not None:
        return Console(
            file=buffer,
            width=like.width,
            highlight=False,
            force_terminal=True,
            color_system=like.color_system,  # type: ignore[arg-type]  # rich's own value
            no_color=like.no_color,
            soft_wrap=False,
        )
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


LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of statuses, headers and notes: zh or en (default: from the locale).",
    ),
]
ScriptOption = Annotated[
    DisplayScript,
    typer.Option(
        "--script",
        help="Script to show document text in; matching always uses the normalised form.",
    ),
]


def _emit(rendered: str | bytes, output: str | None, quiet: bool) -> None:
    """Write a rendered report to --output (exactly these bytes) or to stdout; text as UTF-8,
    a binary report (.docx) as it is."""
    if output:
        try:
            if isinstance(rendered, bytes):
                with open(output, "wb") as binary:
                    binary.write(rendered)
            else:
                with open(output, "w", encoding="utf-8", newline="") as handle:
                    handle.write(rendered)
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror or error}", path=output) from None
    elif not quiet:
        if isinstance(rendered, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(rendered)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(rendered)


def _chosen_format(output_format: Format | None, output: str | None) -> Format:
    """--format, else the suffix of --output; an unknown suffix is an error, not text."""
    if output_format is not None:
        return output_format
    if not output:
        return Format.text
    suffix = Path(output).suffix.lower()
    if suffix not in _SUFFIX_FORMATS:
        known = ", ".join(sorted(_SUFFIX_FORMATS))
        raise UsageError(
            f"--output {output}: cannot tell the format from the suffix {suffix or '(none)'!r} "
            f"(known: {known}); give --format"
        )
    return _SUFFIX_FORMATS[suffix]


def _view(
    show: str,
    script: DisplayScript,
    lang: Lang | None,
    labels: str | None,
    target_rows: TargetRows,
    ascii_only: bool,
    stat: bool,
    verbose: bool,
) -> View:
    """The rendering options of the command line as one View."""
    return View(
        show=_parse_show(show),
        script=script.value,
        labels=make_labels(lang.value if lang else default_lang(), labels),
        targets=target_rows,
        ascii=ascii_only,
        stat=stat,
        verbose=verbose,
    )


def _page(rendered: str, no_pager: bool) -> None:
    """Print the terminal view, through a pager as git does when stdout is a terminal and the
    text is taller than it: $PAGER, else `less -R` (LESS=FRX unless set, so a short text
    still just prints). --no-pager, or PAGER set empty or to cat, prints directly."""
    import shutil
    import subprocess

    pager = os.environ.get("PAGER", "less")
    height = shutil.get_terminal_size().lines
    if (
        no_pager
        or not sys.stdout.isatty()
        or pager.strip() in ("", "cat")
        or rendered.count("\n") < height
    ):
        sys.stdout.write(rendered)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    command = f"{pager} -R" if pager.strip() == "less" else pager
    try:
        with subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env) as process:
            assert process.stdin is not None
            try:
                process.stdin.write(rendered.encode(sys.stdout.encoding or "utf-8", "replace"))
                process.stdin.close()
            except BrokenPipeError:  # the reader quit the pager early
                pass
            process.wait()
    except OSError:
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
            help="text (terminal), markdown, json, html, docx or csv (the targets). Default: "
            "from --output's suffix (.md, .json, .html, .docx, .csv, .txt), else text.",
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
            help="Comma-separated clause statuses to list in text, Markdown, HTML and Word "
            "output (unchanged, modified, moved, added, removed).",
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
    target_rows: Annotated[
        TargetRows | None,
        typer.Option(
            "--targets",
            help="Target rows to list: changed (changed, added, removed) or all. Default: "
            "changed in the terminal, all in files.",
        ),
    ] = None,
    stat: Annotated[
        bool, typer.Option("--stat", help="Print the summary alone (text output).")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show similarity scores of paired clauses.")
    ] = False,
    ascii_only: Annotated[
        bool,
        typer.Option(
            "--ascii", help="Draw tables and arrows in ASCII (terminals that draw → ≥ — wide)."
        ),
    ] = False,
    lang: LangOption = None,
    labels: Annotated[
        str | None,
        typer.Option(
            "--labels",
            metavar="OLD,NEW",
            help="Names of the two sides, e.g. 征求意见稿,印发稿 (default: Old,New / 原文,修改后).",
        ),
    ] = None,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page the terminal view.")
    ] = False,
) -> None:
    """Compare OLD with NEW: which targets and clauses changed, with lines on both sides.

    Examples:

    \b
        policydiff compare data/draft_2023.txt data/final_2024.txt --show moved
        policydiff compare old.txt new.txt -o report.md --fail-on targets
        policydiff compare old.txt new.txt --format json > diff.json
        policydiff compare old.txt new.txt -o report.html --labels 征求意见稿,印发稿
        policydiff compare draft.docx final.pdf
    """
    if old == "-" and new == "-":
        raise UsageError("only one of OLD and NEW can be - (standard input)")
    chosen = _chosen_format(output_format, output)
    terminal = chosen is Format.text and not output
    rows = target_rows or (TargetRows.changed if terminal else TargetRows.all)
    view = _view(show, script, lang, labels, rows, ascii_only, stat, verbose)
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

        _emit(markdown_render.render(report, script=script.value, view=view), output, quiet)
    elif chosen is Format.html:
        from .render import html as html_render

        _emit(html_render.render(report, view), output, quiet)
    elif chosen is Format.docx:
        from .render import docx as docx_render

        _emit(docx_render.render(report, view), output, quiet)
    elif chosen is Format.csv:
        from .render import csv as csv_render

        _emit(csv_render.render(report, view), output, quiet)
    elif output:
        from .render import text as text_render

        buffer = io.StringIO()
        console = _console(width, buffer=buffer)
        text_render.render(report, console, plain=True, view=view)
        _emit(buffer.getvalue(), output, quiet)
    elif not quiet:
        from .render import text as text_render

        console = _console(width)
        plain = console.no_color or not console.is_terminal
        if console.is_terminal:  # rendered whole first, to page it when it is taller
            buffer = io.StringIO()
            paged = _console(width, buffer=buffer, like=console)
            text_render.render(report, paged, plain=plain, view=view)
            _page(buffer.getvalue(), no_pager)
        else:
            text_render.render(report, console, plain=plain, view=view)
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
        TargetsFormat,
        typer.Option("--format", "-f", help="text (table), markdown, json or csv."),
    ] = TargetsFormat.text,
    script: ScriptOption = DisplayScript.simplified,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_size: MaxSizeOption = DEFAULT_MAX_MB,
    width: WidthOption = None,
    lang: LangOption = None,
) -> None:
    """List the quantitative targets FILE states: metric, value, comparator, deadline, line.

    Examples:

    \b
        policydiff targets data/final_2024.txt --format json
        policydiff targets data/final_2024.txt --format csv > targets.csv
    """
    parsed = parse(_load(file, encoding, max_size, input_format))
    found = document_targets(parsed)
    if output_format is TargetsFormat.csv:
        from .render import csv as csv_render

        words = make_labels(lang.value if lang else default_lang())
        sys.stdout.write(csv_render.render_targets(parsed, found, words, script=script.value))
    elif output_format is TargetsFormat.json:
        sys.stdout.write(json_render.render_targets(parsed, found))
    elif output_format is TargetsFormat.markdown:
        from .render import markdown as markdown_render

        sys.stdout.write(markdown_render.render_targets(parsed, found, script=script.value))
    else:
        from .render import text as text_render

        words = make_labels(lang.value if lang else default_lang())
        text_render.render_targets(
            parsed, found, _console(width), script=script.value, labels=words
        )


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
