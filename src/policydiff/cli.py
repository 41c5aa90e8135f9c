"""The command line: parse -> Options -> compare -> render -> exit code. Nothing else lives here."""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from . import __version__
from .errors import (
    OutputError,
    PolicydiffError,
    TimeLimitExceeded,
    UsageError,
    quote_name,
)
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
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
EXIT_TERMINATED = 143
DEBUG_VARIABLE = "POLICYDIFF_DEBUG"
ISSUES = "https://github.com/policydiff/policydiff/issues"


def _click_errors() -> Any:
    """click's exceptions: recent typer ships its own copy of click, older typer uses click."""
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # pragma: no cover - older typer on top of click
        return importlib.import_module("click.exceptions")


click_errors = _click_errors()


class Terminated(BaseException):
    """SIGTERM arrived: stop as an interrupt does, leaving no half-written report."""


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
}
_TEXT_SUFFIXES = {"", ".txt", ".text", ".log", ".out"}
MIN_WIDTH = 20
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
    fail_on: FailOn = FailOn.any,
) -> int:
    """The one exit-code policy (docs/cli.md#exit-codes), as diff(1) has it.

    For a finished comparison: 1 when the report has changes of the kind `fail_on`
    names (targets changed, added or removed; clauses modified, moved, added or
    removed in the body; `any`: either), else 0. For an error: 2 for a usage or
    input error, a limit or the time limit reached, or memory run out; 130 for an
    interrupt, 143 for SIGTERM, 141 when the reader of the output went away; 3 for
    anything unexpected (a bug). A failure can never exit 1.

    >>> exit_code(error=ValueError("a bug")), exit_code(error=UsageError("--show"))
    (3, 2)
    """
    if error is not None:
        if isinstance(error, PolicydiffError | TimeLimitExceeded | MemoryError):
            return EXIT_ERROR
        if isinstance(error, BrokenPipeError):
            return EXIT_BROKEN_PIPE
        if isinstance(error, KeyboardInterrupt):
            return EXIT_INTERRUPTED
        if isinstance(error, Terminated):
            return EXIT_TERMINATED
        return EXIT_INTERNAL
    if report is None:
        return EXIT_OK
    targets = any(n for status, n in report.summary.targets if status is not TargetStatus.UNCHANGED)
    clauses = any(n for status, n in report.summary.clauses if status in _CHANGED_CLAUSES)
    found = {FailOn.targets: targets, FailOn.clauses: clauses, FailOn.any: targets or clauses}
    return EXIT_CHANGES if found[fail_on] else EXIT_OK


def report_error(error: BaseException) -> int:
    """Say what went wrong in one line on stderr, and return the exit code for it.

    Never a traceback, unless POLICYDIFF_DEBUG is set and the error is a bug.
    """
    code = exit_code(error=error)
    if isinstance(error, PolicydiffError | TimeLimitExceeded):
        message = f"error: {error}"
    elif isinstance(error, MemoryError):
        message = (
            "error: ran out of memory; the inputs are too large for this machine "
            "(see the limits in docs/input.md)"
        )
    elif code == EXIT_BROKEN_PIPE:
        return code  # the reader went away: nothing to say, as for other Unix tools
    elif code == EXIT_INTERRUPTED:
        message = "interrupted"
    elif code == EXIT_TERMINATED:
        message = "terminated"
    else:
        if os.environ.get(DEBUG_VARIABLE):
            traceback.print_exception(error, file=sys.stderr)
        detail = " ".join(f"{type(error).__name__}: {error}".split())
        if len(detail) > 300:
            detail = detail[:299] + "…"
        hint = "" if os.environ.get(DEBUG_VARIABLE) else f" ({DEBUG_VARIABLE}=1 shows where)"
        message = f"internal error: {detail}; please report it at {ISSUES}{hint}"
    try:
        sys.stderr.write(f"policydiff: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr is gone too: the exit code is all that is left
    return code


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn every failure inside a command into one line on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, click_errors.ClickException, typer.Abort):
            raise
        except BaseException as error:
            if isinstance(error, SystemExit):
                raise
            code = report_error(error)
            if code == EXIT_BROKEN_PIPE:
                _silence_stdout()
            raise typer.Exit(code) from None

    return wrapper


def _silence_stdout() -> None:
    """After a broken pipe: keep Python from complaining while it flushes stdout at exit."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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
        # Plain whatever the environment says: FORCE_COLOR is for terminals, not files.
        return Console(
            file=buffer,
            width=width or 100,
            highlight=False,
            no_color=True,
            force_terminal=False,
            color_system=None,
        )
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
    typer.Option(
        "--width", min=MIN_WIDTH, help="Terminal width for text output (default: detected)."
    ),
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
DEFAULT_TIMEOUT = 300.0
"""Seconds a command may run (docs/input.md#limits): the largest document within the
other limits takes well under a minute, so only a pathological input meets it."""
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Stop with exit 2 when reading and comparing take longer than this (0: no limit).",
    ),
]
DEFAULT_SHOW = "modified,moved,added,removed"


def _check_timeout(seconds: float) -> None:
    if not 0 <= seconds < 1e9:  # also refuses nan and inf
        raise UsageError(f"--timeout must be a number of seconds, 0 for none, got {seconds}")


def _note(*documents: Document) -> None:
    """Say on stderr what a reader had to leave out or guess (Document.notes)."""
    for document in documents:
        for note in document.notes:
            sys.stderr.write(f"policydiff: note: {quote_name(document.path)}: {note}\n")


def _flush_stdout() -> None:
    sys.stdout.flush()  # a closed pipe or a full disk shows here, inside the guard


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Report a failure to write the output (a full disk, /dev/full) as an error, exit 2;
    a reader that went away (BrokenPipeError) is left to the exit-code policy: 141."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write to standard output: {error.strerror or error}") from None


def _load(
    path: str,
    encoding: str | None,
    max_size: float,
    input_format: InputFormat = InputFormat.auto,
) -> Document:
    """Read one input file with the shared --encoding, --max-size and --input-format options."""
    return load(
        path,
        encoding=encoding,
        max_bytes=max_bytes(max_size),
        input_format=input_format.value,
    )


def max_bytes(max_size: float) -> int:
    """--max-size in bytes, once it is checked to be a usable number of megabytes."""
    if not 0 < max_size <= MAX_SIZE_CAP_MB:  # also refuses nan and inf
        raise UsageError(
            f"--max-size must be a number of megabytes above 0 and at most {MAX_SIZE_CAP_MB:,}, "
            f"got {max_size}"
        )
    return int(max_size * 1_000_000)


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
    """Write a rendered report to --output (atomically, exactly these bytes) or to stdout;
    text as UTF-8, a binary report (.docx) as it is."""
    if output is not None:
        write_atomically(output, rendered)
    elif not quiet:
        if isinstance(rendered, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(rendered)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(rendered)
        sys.stdout.flush()  # a closed pipe or a full disk is reported here, not at exit


def _view(
    show: list[str] | None,
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
        show=_parse_show(",".join(show) if show else DEFAULT_SHOW),
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


def write_atomically(path: str, text: str | bytes) -> None:
    """Write `text` (str as UTF-8, bytes as they are) to `path` through a temporary file
    beside it, synced, then renamed over it: a reader sees the previous report or the new
    one, never a part, and a full disk, an error or SIGTERM leaves the previous report."""
    target = Path(path)
    if target.is_dir():
        raise OutputError("--output: is a directory, not a file", path=path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target.exists() and not target.is_file():  # /dev/stdout, a FIFO: write into it
        try:
            with open(target, "wb") as stream:
                stream.write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(f"cannot write: {error.strerror or error}", path=path) from None
        return
    target = Path(os.path.realpath(target))  # through a symbolic link: replace what it names
    directory = target.parent
    temporary: str | None = None
    previous = None
    with contextlib.suppress(ValueError, OSError):  # only the main thread can: else default
        previous = signal.signal(signal.SIGTERM, _terminate)  # so that `finally` runs
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=directory
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():  # keep the mode the previous report had, as editors do
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror or error}", path=path) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


# When Python cannot stop at --timeout (a long call inside a C extension does not see the
# signal), the process ends this many seconds later, with the same message and exit code.
TIMEOUT_GRACE = 5.0


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the work inside with TimeLimitExceeded after `seconds` (0: no limit)."""
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(seconds)

    def hard_stop() -> None:
        report_error(TimeLimitExceeded(seconds))
        os._exit(EXIT_ERROR)

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread (a test runner's worker): no limit
        yield
        return
    watchdog = threading.Timer(seconds + TIMEOUT_GRACE, hard_stop)
    watchdog.daemon = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    watchdog.start()
    try:
        yield
    finally:
        watchdog.cancel()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _format_for(output_format: Format | None, output: str | None) -> Format:
    """--format, else the one --output's suffix names; a suffix of another format is refused."""
    if output is not None and not output.strip():
        raise UsageError("--output: the file name is empty (leave out -o to print on stdout)")
    if output_format is not None:
        return output_format
    suffix = Path(output or "").suffix.lower()
    if suffix in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffix]
    if suffix in _TEXT_SUFFIXES:
        return Format.text
    raise UsageError(
        f"--output: cannot tell the format from the suffix {quote_name(suffix)} "
        "(.md, .json, .html, .docx and .csv name one, .txt or none is text); pass --format"
    )


def _width(width: int | None) -> int | None:
    """--width, else COLUMNS when it is a usable width, else what the terminal says."""
    if width is not None:
        return width
    columns = os.environ.get("COLUMNS")
    if columns is None:
        return None
    if columns.strip().isdigit() and int(columns) >= MIN_WIDTH:
        return int(columns)
    # COLUMNS=0 or junk: as if unset (rich would print nothing at width 0).
    return max(MIN_WIDTH, shutil.get_terminal_size().columns)


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
        list[str] | None,
        typer.Option(
            "--show",
            help="Comma-separated clause statuses to list in text, Markdown, HTML and Word "
            "output (unchanged, modified, moved, added, removed); repeat it to add more. "
            "Default: modified,moved,added,removed.",
        ),
    ] = None,
    script: ScriptOption = DisplayScript.simplified,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Which changes make the exit code 1 (like diff): targets, clauses or any.",
        ),
    ] = FailOn.any,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing; the exit code tells.")
    ] = False,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_size: MaxSizeOption = DEFAULT_MAX_MB,
    width: WidthOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
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
    chosen = _format_for(output_format, output)
    terminal = chosen is Format.text and not output
    rows = target_rows or (TargetRows.changed if terminal else TargetRows.all)
    view = _view(show, script, lang, labels, rows, ascii_only, stat, verbose)
    options = Options(threshold=threshold)
    _check_timeout(timeout)
    with time_limit(timeout):
        old_document = _load(old, encoding, max_size, input_format)
        new_document = _load(new, encoding, max_size, input_format)
        _note(old_document, new_document)
        report = compare_documents(old_document, new_document, options=options)
    with writing_stdout():
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

            console = _console(_width(width))
            plain = console.no_color or not console.is_terminal
            if console.is_terminal:  # rendered whole first, to page it when it is taller
                buffer = io.StringIO()
                paged = _console(width, buffer=buffer, like=console)
                text_render.render(report, paged, plain=plain, view=view)
                _page(buffer.getvalue(), no_pager)
            else:
                text_render.render(report, console, plain=plain, view=view)
            _flush_stdout()
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
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
) -> None:
    """Show how FILE is split into headings and clauses, to check the segmentation.

    Example:

    \b
        policydiff clauses data/final_2024.txt
    """
    _check_timeout(timeout)
    with time_limit(timeout):
        document = _load(file, encoding, max_size, input_format)
        _note(document)
        parsed = parse(document)
    with writing_stdout():
        if output_format is ListFormat.json:
            _emit(json_render.render_clauses(parsed), None, False)
            return
        from .render import text as text_render

        text_render.render_clauses(parsed, _console(_width(width)), script=script.value)
        _flush_stdout()


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
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    lang: LangOption = None,
) -> None:
    """List the quantitative targets FILE states: metric, value, comparator, deadline, line.

    Examples:

    \b
        policydiff targets data/final_2024.txt --format json
        policydiff targets data/final_2024.txt --format csv > targets.csv
    """
    _check_timeout(timeout)
    with time_limit(timeout):
        document = _load(file, encoding, max_size, input_format)
        _note(document)
        parsed = parse(document)
        found = document_targets(parsed)
    with writing_stdout():
        if output_format is TargetsFormat.csv:
            from .render import csv as csv_render

            words = make_labels(lang.value if lang else default_lang())
            _emit(csv_render.render_targets(parsed, found, words, script=script.value), None, False)
        elif output_format is TargetsFormat.json:
            _emit(json_render.render_targets(parsed, found), None, False)
        elif output_format is TargetsFormat.markdown:
            from .render import markdown as markdown_render

            _emit(markdown_render.render_targets(parsed, found, script=script.value), None, False)
        else:
            from .render import text as text_render

            words = make_labels(lang.value if lang else default_lang())
            text_render.render_targets(
                parsed, found, _console(_width(width)), script=script.value, labels=words
            )
            _flush_stdout()


def main() -> None:
    """Entry point: every failure becomes one line on stderr and the exit code
    `exit_code` gives it; click's own usage errors exit 2, like ours."""
    try:
        code = app(prog_name="policydiff", standalone_mode=False)
    except click_errors.NoArgsIsHelpError:
        # Bare `policydiff` is a usage error too: one line, not the whole help.
        names = [c.name or getattr(c.callback, "__name__", "") for c in app.registered_commands]
        typer.echo(
            f"policydiff: error: missing command: {', '.join(names[:-1])} or {names[-1]} "
            "(policydiff --help lists them)",
            err=True,
        )
        code = EXIT_ERROR
    except click_errors.ClickException as error:  # UsageError, BadParameter, FileError...
        message = " ".join(error.format_message().split())
        typer.echo(f"policydiff: error: {message}", err=True)
        code = EXIT_ERROR
    except typer.Abort:
        code = report_error(KeyboardInterrupt())
    except BaseException as error:
        if isinstance(error, SystemExit):
            raise
        code = report_error(error)
    if code == EXIT_BROKEN_PIPE:
        _silence_stdout()
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


# The commands over many documents (batch, history) live in their own module.
from . import cli_many  # noqa: E402, F401
