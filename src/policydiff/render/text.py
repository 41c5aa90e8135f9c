"""Report -> the terminal view: summary, target table, then changed clauses under their headings."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..extract import location_of, merge_locations
from ..model import (
    Alignment,
    Clause,
    ClauseKind,
    ClauseStatus,
    Comparator,
    DiffOp,
    Direction,
    Document,
    ParsedDocument,
    Report,
    Script,
    Target,
    TargetChange,
    TargetStatus,
)
from ..patterns import SCALES
from . import display

DEFAULT_SHOW = frozenset(
    {ClauseStatus.MODIFIED, ClauseStatus.MOVED, ClauseStatus.ADDED, ClauseStatus.REMOVED}
)

_STATUS_STYLE = {
    ClauseStatus.UNCHANGED: "dim",
    ClauseStatus.MODIFIED: "yellow",
    ClauseStatus.MOVED: "cyan",
    ClauseStatus.ADDED: "green",
    ClauseStatus.REMOVED: "red",
}
_TARGET_STYLE = {
    TargetStatus.CHANGED: "yellow",
    TargetStatus.UNCHANGED: "dim",
    TargetStatus.ADDED: "green",
    TargetStatus.REMOVED: "red",
}
_COMPARATOR_SIGN = {
    Comparator.GE: "≥",
    Comparator.GT: ">",
    Comparator.APPROX: "≈",
    Comparator.LE: "≤",
    Comparator.LT: "<",
    Comparator.EQ: "",
}


def number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def scaled(value: float, scale: str) -> str:
    """A number as the document wrote it: 100000 with scale 万 is 10万."""
    return f"{number(value / SCALES[scale])}{scale}" if scale else number(value)


def target_value(target: Target | None) -> str:
    if target is None:
        return "—"
    value = scaled(target.value, target.scale)
    if target.upper is not None:  # 1–1.5万名: the scale once, after the range
        lower = value.removesuffix(target.scale)
        value = f"{lower}–{scaled(target.upper, target.scale)}"
    sign = _COMPARATOR_SIGN[target.comparator]
    hedge = " (力争)" if target.hedged else ""
    return f"{sign}{value}{target.unit}{hedge}"


def target_deadline(change: TargetChange) -> str:
    """The year each side sets: "2025", or "2025 → 2027" when it moved."""
    years = [t.deadline for t in (change.old, change.new) if t is not None]
    shown = ["—" if year is None else str(year) for year in years]
    if len(set(shown)) == 1:
        return "" if shown[0] == "—" else shown[0]
    return " → ".join(shown)


def place(document: Document, line: int) -> str:
    """Where a line stands: its number in plain text, its location ("page 3") in an
    extracted document."""
    return location_of(document.locations, line) or str(line)


def target_lines(
    change: TargetChange, old: Document | None = None, new: Document | None = None
) -> str:
    """Source lines: "34 → 32" for a pair, one number for an added or removed target;
    locations ("page 3 → page 2") for documents extracted from HTML, .docx or PDF."""
    sides = ((change.old, old), (change.new, new))
    return " → ".join(
        str(t.line) if d is None else place(d, t.line) for t, d in sides if t is not None
    )


def where_label(documents: Iterable[Document]) -> str:
    """What the line column shows: "lines", or "where" when a document has locations."""
    return "where" if any(d.locations for d in documents) else "lines"


def target_delta(change: TargetChange) -> str:
    parts: list[str] = []
    if change.delta is not None and change.delta != 0:
        sign = "+" if change.delta > 0 else "−"
        unit = change.new.unit if change.new else ""
        if unit == "%":
            parts.append(f"{sign}{number(abs(change.delta))} pp")
        else:
            both = {t.scale for t in (change.old, change.new) if t is not None}
            scale = both.pop() if len(both) == 1 else ""
            parts.append(f"{sign}{scaled(abs(change.delta), scale)}{unit}")
        if change.relative is not None:
            parts.append(f"({sign}{number(round(abs(change.relative) * 100))}%)")
    if change.old and change.new and change.old.unit != change.new.unit:
        parts.append(f"unit {change.old.unit or '—'} → {change.new.unit or '—'}")
    if change.comparator_changed and change.old and change.new:
        parts.append(f"{change.old.comparator.value} → {change.new.comparator.value}")
    if change.direction is Direction.UP:
        parts.append("↑")
    elif change.direction is Direction.DOWN:
        parts.append("↓")
    return " ".join(parts)


def _where(clauses: Iterable[Clause], document: Document) -> str:
    clauses = list(clauses)
    if document.locations and clauses:  # file.pdf:page 3, not a line of the extracted text
        labels = (location_of(document.locations, c.line, c.end_line) or "" for c in clauses)
        return f"{document.name}:{merge_locations(labels)}"
    lines = sorted({c.line for c in clauses})
    return f"{document.name}:{','.join(str(n) for n in lines)}" if lines else ""


def script_runs(parsed: ParsedDocument) -> str:
    """The runs of a mixed document: "traditional in lines 20–34, …" (pages for a PDF)."""
    locations = parsed.document.locations
    return ", ".join(
        f"{span.script.value} in "
        + (
            location_of(locations, span.first_line, span.last_line)
            or f"lines {span.first_line}–{span.last_line}"
        )
        for span in parsed.script_spans
    )


def _script_note(parsed: ParsedDocument) -> str:
    if parsed.script is not Script.MIXED:
        return parsed.script.value
    return f"mixed ({script_runs(parsed)})"


def _header(report: Report) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    for label, parsed in (("old", report.old), ("new", report.new)):
        table.add_row(
            label,
            parsed.document.path,
            _script_note(parsed),
            f"{len(parsed.clauses)} clauses",
        )
    return table


def _warnings(report: Report) -> list[Text]:
    notes = []
    for parsed in (report.old, report.new):
        if parsed.script is Script.MIXED:
            notes.append(
                Text(
                    f"warning: {parsed.document.name} mixes scripts: {script_runs(parsed)}; "
                    "it is compared in simplified form",
                    style="bold yellow",
                )
            )
    return notes


def _summary(report: Report) -> Text:
    text = Text("clauses: ")
    for index, (status, count) in enumerate(report.summary.clauses):
        if index:
            text.append(" · ")
        text.append(f"{count} {status.value}", style=_STATUS_STYLE[status])
    if report.targets:
        text.append("\ntargets: ")
        for index, (target_status, count) in enumerate(report.summary.targets):
            if index:
                text.append(" · ")
            text.append(f"{count} {target_status.value}", style=_TARGET_STYLE[target_status])
    front = report.summary.front_matter_records
    if front:
        text.append(f"\nfront matter: {front} records (notice, contacts, signature), not listed")
    return text


def _target_table(report: Report, convert: Callable[[str], str]) -> Table:
    old, new = report.old.document, report.new.document
    lines = where_label((old, new))
    table = Table(
        title=f"Targets ({lines}: {old.name} → {new.name})", title_justify="left", expand=False
    )
    table.add_column("status")
    table.add_column("metric", overflow="fold", ratio=3)
    table.add_column("old", justify="right")
    table.add_column("new", justify="right")
    table.add_column("change", overflow="fold", ratio=1)
    table.add_column("by")
    table.add_column(lines)
    for change in report.targets:
        metric = convert(change.metric)
        if change.old and change.new and change.old.metric != change.new.metric:
            metric = f"{convert(change.old.metric)} → {convert(change.new.metric)}"
        table.add_row(
            Text(change.status.value, style=_TARGET_STYLE[change.status]),
            metric,
            target_value(change.old),
            target_value(change.new),
            target_delta(change),
            target_deadline(change),
            target_lines(change, old, new),
        )
    return table


def _diff_text(alignment: Alignment, plain: bool, convert: Callable[[str], str]) -> Text:
    text = Text()
    for segment in alignment.diff:
        words = convert(segment.text)
        if segment.op is DiffOp.EQUAL:
            text.append(words)
        elif segment.op is DiffOp.DELETE:
            text.append(f"[-{words}-]" if plain else words, style="red strike")
        else:
            text.append(f"{{+{words}+}}" if plain else words, style="green")
    return text


def _record(
    alignment: Alignment, report: Report, plain: bool, convert: Callable[[str], str]
) -> RenderableType:
    status = alignment.status
    label = status.value
    if status is ClauseStatus.MOVED:
        label = "moved+edited" if alignment.edited else "moved"
    if len(alignment.old) > 1:
        label += f" (merge of {len(alignment.old)})"
    elif len(alignment.new) > 1:
        label += f" (split into {len(alignment.new)})"
    sides = ((alignment.old, report.old.document), (alignment.new, report.new.document))
    where = " → ".join(part for part in (_where(c, d) for c, d in sides) if part)
    head = Text()
    head.append(label, style=f"bold {_STATUS_STYLE[status]}")
    if alignment.old and alignment.new:
        head.append(f" {alignment.similarity:.2f}")
    head.append(f"  {where}", style="dim")
    if status is ClauseStatus.MOVED and alignment.with_section:
        head.append("\n  moved with its section", style="dim")
    elif status is ClauseStatus.MOVED and alignment.old_section is None:
        head.append("\n  order changed within its section", style="dim")
    elif status is ClauseStatus.MOVED and alignment.old_section is not None:
        where = " › ".join(alignment.old_section) or "(top level)"
        head.append(f"\n  moved from {convert(where)}", style="dim")
    elif alignment.old_section is not None:
        where = " › ".join(alignment.old_section) or "(top level)"
        head.append(f"\n  was under {convert(where)}", style="dim")
    if alignment.script_only:
        head.append("  (script/width only)", style="dim")
    if status is ClauseStatus.ADDED:
        added = convert("".join(c.text for c in alignment.new))
        body = Text(("+" if plain else "") + added, style="green")
    elif status is ClauseStatus.REMOVED:
        removed = convert("".join(c.text for c in alignment.old))
        body = Text(("-" if plain else "") + removed, style="red")
    elif alignment.diff:
        body = _diff_text(alignment, plain, convert)
    else:
        body = Text(convert("".join(c.text for c in alignment.new)))
    body.overflow = "fold"
    return Group(head, Padding(body, (0, 0, 0, 2), expand=False))


def render(
    report: Report,
    console: Console,
    *,
    show: frozenset[ClauseStatus] = DEFAULT_SHOW,
    plain: bool = False,
    script: str = "simplified",
) -> None:
    """Print the report; `plain` marks deletions [-so-] and insertions {+so+} without colour,
    and `script` is the script document text is shown in."""
    convert = display(script)
    console.print(_header(report))
    for warning in _warnings(report):
        console.print(warning)
    console.print(_summary(report))
    if report.targets:
        console.print()
        console.print(_target_table(report, convert))
    if report.facts:
        console.print()
        console.print(_fact_table(report, convert))
    current: tuple[str, ...] | None = None
    for alignment in report.alignments:
        if alignment.front_matter or alignment.status not in show:
            continue
        section = alignment.section
        if section != current:
            console.print()
            title = convert(" › ".join(section)) or "(top of document)"
            console.print(Text(title, style="bold underline"))
            current = section
        console.print(_record(alignment, report, plain, convert))


def _fact_table(report: Report, convert: Callable[[str], str]) -> Table:
    """Numbers reported as what happened: listed apart, never paired with targets."""
    table = Table(title="Facts (reported results, not targets)", title_justify="left")
    for column in ("side", "metric", "value", "line"):
        table.add_column(column, justify="right" if column in ("value", "line") else "left")
    for side, parsed, facts in (
        ("old", report.old, report.old_facts),
        ("new", report.new, report.new_facts),
    ):
        for t in facts:
            table.add_row(side, convert(t.metric), target_value(t), place(parsed.document, t.line))
    return table


def render_targets(
    parsed: ParsedDocument,
    targets: Iterable[Target],
    console: Console,
    *,
    script: str = "simplified",
) -> None:
    """One document's targets as a table: metric, value, deadline, line and quoted text."""
    convert = display(script)
    table = Table(title=f"Targets in {parsed.document.path}", title_justify="left")
    table.add_column("metric", overflow="fold")
    table.add_column("value", justify="right")
    table.add_column("by")
    document = parsed.document
    table.add_column("where" if document.locations else "line", justify="right")
    table.add_column("text", overflow="fold")
    count = 0
    for target in targets:
        count += 1
        by = str(target.deadline) if target.deadline else ""
        where = place(document, target.line)
        table.add_row(convert(target.metric), target_value(target), by, where, convert(target.span))
    console.print(table)
    console.print(f"{count} targets")


def render_clauses(parsed: ParsedDocument, console: Console, *, script: str = "simplified") -> None:
    """The clause tree: line (or location), [front] for front matter, indentation by depth."""
    convert = display(script)
    places = [place(parsed.document, c.line) for c in parsed.clauses]
    width = max((len(p) for p in places), default=0) if parsed.document.locations else 5
    for clause, where in zip(parsed.clauses, places, strict=True):
        head = Text(f"{where:>{width}} ", style="dim")
        if clause.front_matter:
            head.append("[front] ", style="magenta")
        head.append("  " * len(clause.path))
        style = "bold" if clause.kind is ClauseKind.HEADING else ""
        # A grid, so a long clause wraps under itself rather than after the indent.
        row = Table.grid()
        row.add_column(no_wrap=True, width=head.cell_len)
        row.add_column(overflow="fold")
        row.add_row(head, Text(convert(clause.text), style=style))
        console.print(row)
    if parsed.page_number_lines:
        lines = ", ".join(str(n) for n in parsed.page_number_lines)
        console.print(Text(f"page numbers left out: lines {lines}", style="dim"))
