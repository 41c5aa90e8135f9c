"""The commands over many documents: batch (one against many) and history (V1 → V2 → …)."""

from __future__ import annotations

import functools
import io
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .cli import (
    DEFAULT_MAX_MB,
    DisplayScript,
    EncodingOption,
    FailOn,
    InputFormat,
    InputFormatOption,
    MaxSizeOption,
    ScriptOption,
    ThresholdOption,
    WidthOption,
    _console,
    _emit,
    _load,
    app,
    exit_code,
    guarded,
    max_bytes,
)
from .errors import UsageError
from .model import Options

if TYPE_CHECKING:
    from .batch import BatchResult, Outcome, Pair


class ReportFormat(StrEnum):
    json = "json"
    markdown = "markdown"


class HistoryFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"


@app.command()
@guarded
def batch(
    reference: Annotated[
        str | None,
        typer.Argument(
            metavar="REFERENCE",
            help="The document every other is compared with (e.g. the provincial outline).",
        ),
    ] = None,
    documents: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="DOCS...",
            help="Documents to compare with REFERENCE: files, folders (their files) or globs.",
        ),
    ] = None,
    manifest: Annotated[
        str | None,
        typer.Option(
            "--manifest",
            metavar="CSV",
            help="Pairs from a CSV file with the columns old,new (and name); an empty old "
            "means REFERENCE.",
        ),
    ] = None,
    out_dir: Annotated[
        str,
        typer.Option(
            "--out-dir", "-d", metavar="DIR", help="Where the reports and tables are written."
        ),
    ] = "policydiff-batch",
    report_format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Format of the report per pair: json or markdown."),
    ] = ReportFormat.json,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Processes to run pairs in (default: every core)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Run the pairs on this Dask scheduler (tcp://host:8786) instead of local "
            "processes; needs pip install 'policydiff[dask]'.",
        ),
    ] = None,
    threshold: ThresholdOption = Options.threshold,
    script: ScriptOption = DisplayScript.simplified,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Which changes of any pair make the exit code 1 (like diff): targets, "
            "clauses or any.",
        ),
    ] = FailOn.any,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")
    ] = False,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_size: MaxSizeOption = DEFAULT_MAX_MB,
) -> None:
    """Compare REFERENCE with each of DOCS: a report per pair and one table of targets.

    REFERENCE is parsed once; the pairs run in parallel. The output folder gets one
    report per document, targets.csv (for Excel) and targets.md (the reference's
    targets across the documents) and batch.json; a rerun skips the pairs already done.

    Examples:

    \b
        policydiff batch outline.txt plans/ -d out/
        policydiff batch outline.txt 'plans/*.docx' --format markdown --jobs 2
        policydiff batch --manifest pairs.csv -d out/
    """
    from . import batch as batch_module

    settings = batch_module.Settings(
        options=Options(threshold=threshold),
        report_format=report_format.value,
        script=script.value,
        encoding=encoding,
        max_bytes=max_bytes(max_size),
        input_format=input_format.value,
        policy=f"fail-on={fail_on.value}",
    )
    if manifest:
        if documents:
            raise UsageError("give DOCS or --manifest, not both")
        pairs = batch_module.read_manifest(manifest, reference)
    else:
        if reference is None or not documents:
            raise UsageError("give REFERENCE and DOCS (files, folders or globs), or --manifest")
        found = batch_module.expand(documents, exclude=[reference], out_dir=out_dir)
        pairs = batch_module.pairs_for(reference, found)
    if not pairs:
        raise UsageError("no documents to compare")
    result = _run_with_progress(
        pairs,
        quiet=quiet,
        out_dir=out_dir,
        judge=functools.partial(exit_code, fail_on=fail_on),
        settings=settings,
        jobs=jobs,
        scheduler=scheduler,
    )
    for outcome in result.outcomes:
        if outcome.state == "failed":
            typer.echo(f"policydiff: error: {outcome.pair.document}: {outcome.error}", err=True)
    if not quiet:
        typer.echo(
            f"{len(pairs)} pairs: {result.count('compared')} compared, "
            f"{result.count('skipped')} done before, {result.count('failed')} failed; "
            f"tables in {out_dir}/{batch_module.CSV_TABLE} and {batch_module.MARKDOWN_TABLE}",
            err=True,
        )
    if result.code:
        raise typer.Exit(result.code)


def _run_with_progress(pairs: list[Pair], *, quiet: bool, **kwargs: Any) -> BatchResult:
    """run_batch, with a progress bar on stderr when it is a terminal."""
    from rich.console import Console

    from .batch import run_batch

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        return run_batch(pairs, **kwargs)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    timing = (TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, *timing, console=console) as progress:
        task = progress.add_task("comparing", total=len(pairs))

        def on_done(outcome: Outcome) -> None:
            progress.advance(task)

        return run_batch(pairs, on_done=on_done, **kwargs)


@app.command()
@guarded
def history(
    versions: Annotated[
        list[str],
        typer.Argument(
            metavar="V1 V2 ...", help="Two or more versions of a document, oldest first."
        ),
    ],
    output_format: Annotated[
        HistoryFormat,
        typer.Option("--format", "-f", help="text (table), markdown, csv (for Excel) or json."),
    ] = HistoryFormat.text,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the table to FILE."),
    ] = None,
    threshold: ThresholdOption = Options.threshold,
    script: ScriptOption = DisplayScript.simplified,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_size: MaxSizeOption = DEFAULT_MAX_MB,
    width: WidthOption = None,
) -> None:
    """Follow the targets of V1, V2, … through the versions: one row per target.

    Each version is compared with the next; a cell marks a value that rose (↑),
    fell (↓) or otherwise changed (Δ), a target added (+) or removed.

    Examples:

    \b
        policydiff history 2019.txt 2020.txt 2021.txt 2022.txt
        policydiff history draft1.docx draft2.docx final.pdf --format csv -o targets.csv
    """
    from .history import history as follow
    from .render import history as render

    if len(versions) < 2:
        raise UsageError("history needs at least two versions")
    if versions.count("-") > 1:
        raise UsageError("only one version can be - (standard input)")
    documents = [_load(v, encoding, max_size, input_format) for v in versions]
    followed = follow(documents, options=Options(threshold=threshold))
    if output_format is HistoryFormat.text:
        buffer = io.StringIO() if output else None
        console = _console(width, buffer=buffer)
        render.render_text(followed, console, script=script.value)
        if buffer is not None:
            _emit(buffer.getvalue(), output, quiet=False)
        return
    if output_format is HistoryFormat.csv:
        rendered = render.render_csv(followed, script=script.value)
    elif output_format is HistoryFormat.markdown:
        rendered = render.render_markdown(followed, script=script.value)
    else:
        rendered = render.render_json(followed)
    _emit(rendered, output, quiet=False)
