"""One reference against many documents: pairs compared in parallel, a table of targets.

The reference is parsed once. Each pair runs in a pool of processes
(concurrent.futures) or, given a scheduler address, on Dask distributed; the
workers get the bytes of each document and send back the rendered report, so
only this process touches the output folder and a remote worker needs no shared
disk. A document that fails is recorded with its error and does not stop the
others. `batch.json` in the output folder lists every pair with a hash of all
that went into its report (the program's version, the options, the bytes of
both files), so a rerun skips the pairs already done.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import importlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, PolicydiffError, UsageError
from .load import DEFAULT_MAX_BYTES, decode
from .model import Options, ParsedDocument, Report

INDEX = "batch.json"
INDEX_SCHEMA = "policydiff.batch/1"
CSV_TABLE = "targets.csv"
MARKDOWN_TABLE = "targets.md"
REPORT_SUFFIX = {"json": ".json", "markdown": ".md"}
INDEX_EVERY = 5.0  # seconds between saves of the index while a batch runs

Judge = Callable[..., int]
"""The exit-code policy: called as judge(report=...) or judge(error=...)."""


@dataclass(frozen=True)
class Settings:
    """What every pair of a batch shares: how to read, compare and render."""

    options: Options = field(default_factory=Options)
    report_format: str = "json"
    script: str = "simplified"
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    input_format: str = "auto"
    policy: str = ""
    """A name for the exit-code policy (e.g. --fail-on's value): part of each pair's hash."""

    def __post_init__(self) -> None:
        if self.report_format not in REPORT_SUFFIX:
            raise UsageError(f"report format must be json or markdown, got {self.report_format!r}")


@dataclass(frozen=True)
class Pair:
    """A reference and a document to compare with it; `name` names the report, unique in a batch."""

    reference: str
    document: str
    name: str


@dataclass(frozen=True)
class Row:
    """A target of the reference, as the combined table's row heading."""

    key: str
    metric: str
    value: str
    line: int


@dataclass(frozen=True)
class Outcome:
    """What became of one pair: compared now, skipped (done before, same hash) or failed."""

    pair: Pair
    state: str
    code: int
    digest: str = ""
    error: str = ""
    rows: tuple[Row, ...] = ()
    cells: tuple[tuple[str, str, str], ...] = ()
    """(row key, status, the document's value) for each target of the reference."""
    added: int = 0
    """Targets the document states that the reference does not."""


@dataclass(frozen=True)
class TableRow:
    reference: str
    metric: str
    value: str
    line: int
    cells: tuple[tuple[str, str] | None, ...]
    """(value, status) per document column; None where the pair did not run."""


@dataclass(frozen=True)
class TargetTable:
    """The reference's targets (rows) across the documents (columns)."""

    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    added: tuple[int | None, ...]
    errors: tuple[str, ...]
    """Per column: the error of a document that failed, else ""."""


@dataclass(frozen=True)
class BatchResult:
    outcomes: tuple[Outcome, ...]
    table: TargetTable

    @property
    def code(self) -> int:
        """The batch's exit code: the highest of its pairs' (0 for an empty batch)."""
        return max((o.code for o in self.outcomes), default=0)

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)


# ---------------------------------------------------------------- inputs


def expand(
    sources: Iterable[str], *, exclude: Iterable[str] = (), out_dir: str | None = None
) -> list[str]:
    """Document paths from files, directories (their files, hidden ones aside) and globs,
    in sorted order per source, each once; `exclude` (the reference) and what a batch
    wrote to `out_dir` (its reports and tables) left out."""
    skip = {os.path.realpath(p) for p in exclude}
    if out_dir is not None:
        written = [INDEX, CSV_TABLE, MARKDOWN_TABLE]
        for name in _read_index(Path(out_dir) / INDEX):
            written += [name + suffix for suffix in REPORT_SUFFIX.values()]
        skip.update(os.path.realpath(os.path.join(out_dir, n)) for n in written)
    found: list[str] = []
    seen: set[str] = set()
    for source in sources:
        if os.path.isdir(source):
            names = sorted(
                os.path.join(source, n)
                for n in os.listdir(source)
                if not n.startswith(".") and os.path.isfile(os.path.join(source, n))
            )
        elif not os.path.exists(source) and glob.has_magic(source):
            names = sorted(p for p in glob.glob(source) if os.path.isfile(p))
            if not names:
                raise UsageError(f"no file matches {source!r}")
        else:
            names = [source]
        for name in names:
            real = os.path.realpath(name)
            if real not in skip and real not in seen:
                seen.add(real)
                found.append(name)
    return found


def pairs_for(reference: str, documents: Sequence[str]) -> list[Pair]:
    """The reference against each document; reports named by file stem, made unique."""
    return [Pair(reference, d, name) for d, name in zip(documents, _names(documents), strict=True)]


def read_manifest(path: str, reference: str | None = None) -> list[Pair]:
    """Pairs from a CSV file with the columns `old` and `new` (and optionally `name`).

    Paths are relative to the manifest's folder; an empty `old` means `reference`.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"cannot read the manifest: {error}", path=path) from None
    if not rows or not {"old", "new"} <= set(rows[0]):
        raise InputError("a manifest needs a header row with the columns old and new", path=path)
    base = os.path.dirname(path)
    olds: list[str] = []
    news: list[str] = []
    given: list[str] = []
    for number, row in enumerate(rows, start=2):
        old = (row.get("old") or "").strip()
        new = (row.get("new") or "").strip()
        if not new or not (old or reference):
            raise InputError("every row needs new, and old unless REFERENCE is given", path=path,
                             line=number)  # fmt: skip
        olds.append(os.path.join(base, old) if old else str(reference))
        news.append(os.path.join(base, new))
        given.append((row.get("name") or "").strip())
    names = _names([g or n for g, n in zip(given, news, strict=True)])
    return [Pair(o, n, name) for o, n, name in zip(olds, news, names, strict=True)]


def _names(paths: Sequence[str]) -> list[str]:
    """File stems, with -2, -3 … after a stem met before."""
    names: list[str] = []
    used: set[str] = set()
    for path in paths:
        stem = Path(path).stem or "document"
        name, n = stem, 1
        while name.lower() in used:
            n += 1
            name = f"{stem}-{n}"
        used.add(name.lower())
        names.append(name)
    return names


# ---------------------------------------------------------------- one pair


@dataclass(frozen=True)
class _Job:
    pair: Pair
    data: bytes
    digest: str
    settings: Settings
    judge: Judge


def _read(path: str, max_bytes: int) -> bytes:
    from .load import _read_file

    return _read_file(path, max_bytes)


def _digest(settings: Settings, reference: bytes, document: bytes) -> str:
    from . import __version__

    hasher = hashlib.sha256()
    knobs = {k: v for k, v in asdict(settings).items() if k != "options"}
    knobs["options"] = asdict(settings.options)
    for part in (__version__, json.dumps(knobs, sort_keys=True), reference, document):
        data = part if isinstance(part, bytes) else part.encode()
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def _render(report: Report, settings: Settings) -> str:
    if settings.report_format == "markdown":
        from .render import markdown

        return markdown.render(report, script=settings.script)
    from .render import json as json_render

    return json_render.render(report)


def _message(error: PolicydiffError, path: str) -> str:
    """The error without the document's path, which the outcome names already."""
    if error.path != path:
        return str(error)
    return error.message if error.line is None else f"line {error.line}: {error.message}"


def _row_key(line: int, metric: str, span: str) -> str:
    return f"{line}:{metric}:{span}"


def compare_pair(reference: ParsedDocument, job: _Job) -> tuple[Outcome, str]:
    """Compare one document with the parsed reference: its outcome and rendered report.

    Never raises: an error of the document, or of policydiff itself, is the outcome.
    """
    from .pipeline import compare
    from .render.text import target_value

    settings = job.settings
    try:
        document = decode(
            job.data,
            path=job.pair.document,
            encoding=settings.encoding,
            input_format=settings.input_format,
        )
        report = compare(reference, document, options=settings.options)
        rendered = _render(report, settings)
    except PolicydiffError as error:
        message = _message(error, job.pair.document)
        return Outcome(job.pair, "failed", job.judge(error=error), job.digest, message), ""
    except Exception as error:  # a bug of ours: the batch goes on, the code says so
        message = f"internal error: {type(error).__name__}: {error}"
        return Outcome(job.pair, "failed", job.judge(error=error), job.digest, message), ""
    rows: list[Row] = []
    cells: list[tuple[str, str, str]] = []
    added = 0
    for change in report.targets:
        if change.old is None:
            added += 1
            continue
        old = change.old
        key = _row_key(old.line, old.metric, old.span)
        rows.append(Row(key, old.metric, target_value(old), old.line))
        cells.append((key, change.status.value, target_value(change.new)))
    code = job.judge(report=report)
    outcome = Outcome(job.pair, "compared", code, job.digest, "", tuple(rows), tuple(cells), added)
    return outcome, rendered


_REFERENCES: dict[str, ParsedDocument] = {}


def _set_references(references: dict[str, ParsedDocument]) -> None:
    _REFERENCES.clear()
    _REFERENCES.update(references)


def _pool_task(job: _Job) -> tuple[Outcome, str]:
    return compare_pair(_REFERENCES[job.pair.reference], job)


# ---------------------------------------------------------------- the batch


def run_batch(
    pairs: Sequence[Pair],
    *,
    out_dir: str | os.PathLike[str],
    judge: Judge,
    settings: Settings = Settings(),  # frozen: one default is safe
    jobs: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Compare every pair; write a report per pair, `batch.json`, `targets.csv`, `targets.md`.

    `jobs` processes (default: every core) unless `scheduler`, the address of a Dask
    scheduler, is given. `on_done` hears of each pair as it finishes (a progress bar).
    A reference that cannot be read stops the batch (InputError); a document does not.
    """
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(
            f"cannot create the output folder: {error.strerror}", path=str(out)
        ) from None
    previous = _read_index(out / INDEX)
    reference_bytes = {p.reference: _read(p.reference, settings.max_bytes) for p in pairs}
    references = {
        path: _parse(path, data, settings) for path, data in sorted(reference_bytes.items())
    }
    done: dict[str, Outcome] = {}
    todo: list[_Job] = []
    for pair in pairs:
        try:
            data = _read(pair.document, settings.max_bytes)
        except PolicydiffError as error:
            message = _message(error, pair.document)
            done[pair.name] = Outcome(pair, "failed", judge(error=error), "", message)
            continue
        digest = _digest(settings, reference_bytes[pair.reference], data)
        before = previous.get(pair.name)
        report = out / (pair.name + REPORT_SUFFIX[settings.report_format])
        if before and before.digest == digest and before.state != "failed" and report.exists():
            done[pair.name] = Outcome(
                pair, "skipped", before.code, digest, "", before.rows, before.cells, before.added
            )
            continue
        todo.append(_Job(pair, data, digest, settings, judge))
    for outcome in done.values():
        if on_done:
            on_done(outcome)

    saved = time.monotonic()

    def finish(outcome: Outcome, rendered: str) -> None:
        nonlocal saved
        if outcome.state == "compared":
            path = out / (outcome.pair.name + REPORT_SUFFIX[settings.report_format])
            _write(path, rendered)
        done[outcome.pair.name] = outcome
        # The index, so an interrupted batch resumes where it stopped: every few
        # seconds, not after every pair (rewriting it each time grows with n²).
        if time.monotonic() - saved >= INDEX_EVERY:
            _write_index(out / INDEX, pairs, done)
            saved = time.monotonic()
        if on_done:
            on_done(outcome)

    if scheduler:
        results = _on_dask(scheduler, references, todo)
    elif len(todo) <= 1 or jobs == 1:
        results = (compare_pair(references[job.pair.reference], job) for job in todo)
    else:
        results = _in_pool(min(jobs or _cores(), len(todo)), references, todo)
    for outcome, rendered in results:
        finish(outcome, rendered)
    outcomes = tuple(done[p.name] for p in pairs)
    _write_index(out / INDEX, pairs, done)
    from .render.batch import render_csv, render_markdown

    table = target_table(outcomes)
    _write(out / CSV_TABLE, render_csv(table), encoding="utf-8-sig")
    _write(out / MARKDOWN_TABLE, render_markdown(table, outcomes))
    return BatchResult(outcomes, table)


def _parse(path: str, data: bytes, settings: Settings) -> ParsedDocument:
    from .pipeline import parse

    document = decode(
        data, path=path, encoding=settings.encoding, input_format=settings.input_format
    )
    return parse(document)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _in_pool(
    workers: int, references: dict[str, ParsedDocument], todo: list[_Job]
) -> Iterator[tuple[Outcome, str]]:
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_set_references, initargs=(references,)
    ) as pool:
        futures: dict[Future[tuple[Outcome, str]], _Job] = {
            pool.submit(_pool_task, job): job for job in todo
        }
        for future in as_completed(futures):
            yield _result(future, futures[future])


def _result(future: Any, job: _Job) -> tuple[Outcome, str]:
    """A finished future's outcome; a worker that died is the pair's internal error."""
    try:
        result: tuple[Outcome, str] = future.result()
        return result
    except (BrokenProcessPool, Exception) as error:
        message = f"internal error: {type(error).__name__}: {error}"
        return Outcome(job.pair, "failed", job.judge(error=error), job.digest, message), ""


def _on_dask(
    address: str, references: dict[str, ParsedDocument], todo: list[_Job]
) -> Iterator[tuple[Outcome, str]]:
    try:  # an optional extra, untyped: reached through Any
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'policydiff[dask]'") from None
    try:
        client = distributed.Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"--scheduler: cannot reach {address}: {error}") from None
    with client:
        scattered = {
            path: client.scatter(parsed, broadcast=True) for path, parsed in references.items()
        }
        futures = {
            client.submit(compare_pair, scattered[job.pair.reference], job, pure=False): job
            for job in todo
        }
        for future in distributed.as_completed(futures, loop=client.loop):
            yield _result(future, futures[future])


# ---------------------------------------------------------------- outputs


def _write(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        os.replace(partial, path)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", path=str(path)) from None


def _write_index(path: Path, pairs: Sequence[Pair], done: dict[str, Outcome]) -> None:
    entries = []
    for pair in pairs:
        outcome = done.get(pair.name)
        if outcome is None:
            continue
        entry = asdict(outcome)
        if outcome.state == "skipped":
            entry["state"] = "compared"  # done, by an earlier run
        entries.append(entry)
    payload = {"schema": INDEX_SCHEMA, "pairs": entries}
    _write(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _read_index(path: Path) -> dict[str, Outcome]:
    """The outcomes an earlier run recorded; nothing when there is none or it is unreadable."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("schema") != INDEX_SCHEMA:
            return {}
        found = {}
        for entry in payload["pairs"]:
            outcome = Outcome(
                pair=Pair(**entry["pair"]),
                state=entry["state"],
                code=int(entry["code"]),
                digest=entry["digest"],
                error=entry["error"],
                rows=tuple(Row(**row) for row in entry["rows"]),
                cells=tuple((k, s, v) for k, s, v in entry["cells"]),
                added=int(entry["added"]),
            )
            found[outcome.pair.name] = outcome
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def target_table(outcomes: Sequence[Outcome]) -> TargetTable:
    """Rows: each target of the reference(s), in reference and line order; columns: documents."""
    rows: dict[tuple[str, str], Row] = {}
    for outcome in outcomes:
        for row in outcome.rows:
            rows.setdefault((outcome.pair.reference, row.key), row)
    order = sorted(rows, key=lambda k: (k[0], rows[k].line, rows[k].key))
    position = {k: i for i, k in enumerate(order)}
    grid: list[list[tuple[str, str] | None]] = [[None] * len(outcomes) for _ in order]
    for column, outcome in enumerate(outcomes):
        for key, status, value in outcome.cells:
            grid[position[(outcome.pair.reference, key)]][column] = (value, status)
    table_rows = tuple(
        TableRow(Path(k[0]).name, rows[k].metric, rows[k].value, rows[k].line, tuple(cells))
        for k, cells in zip(order, grid, strict=True)
    )
    return TargetTable(
        columns=tuple(o.pair.name for o in outcomes),
        rows=table_rows,
        added=tuple(None if o.state == "failed" else o.added for o in outcomes),
        errors=tuple(o.error for o in outcomes),
    )
