"""Report -> the terminal view: summary, target table, then changed clauses under their headings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
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
from . import UNICODE, Glyphs, View, display, ordered_targets
from .labels import Labels
from .wrap import Wrapped

DEFAULT_SHOW = View().show

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


def _sign(comparator: Comparator, glyphs: Glyphs) -> str:
    return {
        Comparator.GE: glyphs.ge,
        Comparator.GT: ">",
        Comparator.APPROX: glyphs.approx,
        Comparator.LE: glyphs.le,
        Comparator.LT: "<",
        Comparator.EQ: "",
    }[comparator]


def number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def scaled(value: float, scale: str) -> str:
    """A number as the document wrote it: 100000 with scale 万 is 10万."""
    return f"{number(value / SCALES[scale])}{scale}" if scale else number(value)


def target_value(target: Target | None, glyphs: Glyphs = UNICODE) -> str:
    if target is None:
        return glyphs.none
    value = scaled(target.value, target.scale)
    if target.upper is not None:  # 1–1.5万名: the scale once, after the range
        lower = value.removesuffix(target.scale)
        value = f"{lower}{glyphs.range}{scaled(target.upper, target.scale)}"
    hedge = " (力争)" if target.hedged else ""
    return f"{_sign(target.comparator, glyphs)}{value}{target.unit}{hedge}"


def target_deadline(change: TargetChange, glyphs: Glyphs = UNICODE) -> str:
    """The year each side sets: "2025", or "2025 → 2027" when it moved."""
    years = [t.deadline for t in (change.old, change.new) if t is not None]
    shown = [glyphs.none if year is None else str(year) for year in years]
    if len(set(shown)) == 1:
        return "" if shown[0] == glyphs.none else shown[0]
    return f" {glyphs.arrow} ".join(shown)


def place(document: Document, line: int) -> str:
    """Where a line stands: its number in plain text, its location ("page 3") in an
    extracted document."""
    return location_of(document.locations, line) or str(line)


def target_lines(
    change: TargetChange,
    old: Document | None = None,
    new: Document | None = None,
    glyphs: Glyphs = UNICODE,
) -> str:
    """Source lines: "34 → 32" for a pair, one number for an added or removed target;
    locations ("page 3 → page 2") for documents extracted from HTML, .docx or PDF."""
    sides = ((change.old, old), (change.new, new))
    return f" {glyphs.arrow} ".join(
        str(t.line) if d is None else place(d, t.line) for t, d in sides if t is not None
    )


def where_label(documents: Iterable[Document]) -> str:
    """What the line column shows: "lines", or "where" when a document has locations."""
    return "where" if any(d.locations for d in documents) else "lines"


def target_delta(
    change: TargetChange,
    glyphs: Glyphs = UNICODE,
    labels: Labels | None = None,
    *,
    terse: bool = False,
) -> str:
    """The change in words: "+0.5 pp ↑", "−100项 (−33%) >= → = ↓", "unit 万元 → 亿元".

    `terse` (the terminal table) leaves out what the values beside it show already: the
    comparator change (≥20家 → 2家) and the arrow when a signed delta is there.
    """
    words = labels or Labels()
    parts: list[str] = []
    if change.delta is not None and change.delta != 0:
        sign = "+" if change.delta > 0 else glyphs.minus
        unit = change.new.unit if change.new else ""
        if unit == "%":
            parts.append(f"{sign}{number(abs(change.delta))} {words.word('pp')}")
        else:
            both = {t.scale for t in (change.old, change.new) if t is not None}
            scale = both.pop() if len(both) == 1 else ""
            parts.append(f"{sign}{scaled(abs(change.delta), scale)}{unit}")
        if change.relative is not None:
            parts.append(f"({sign}{number(round(abs(change.relative) * 100))}%)")
    if change.old and change.new and change.old.unit != change.new.unit:
        old_unit, new_unit = change.old.unit or glyphs.none, change.new.unit or glyphs.none
        parts.append(f"{words.word('unit change')} {old_unit} {glyphs.arrow} {new_unit}")
    if change.comparator_changed and change.old and change.new and not terse:
        parts.append(f"{change.old.comparator.value} {glyphs.arrow} {change.new.comparator.value}")
    if terse and change.delta:
        pass
    elif change.direction is Direction.UP:
        parts.append(glyphs.up)
    elif change.direction is Direction.DOWN:
        parts.append(glyphs.down)
    return " ".join(parts)


def _where(clauses: Iterable[Clause], document: Document) -> str:
    clauses = list(clauses)
    if document.locations and clauses:  # file.pdf:page 3, not a line of the extracted text
        labels = (location_of(document.locations, c.line, c.end_line) or "" for c in clauses)
        return f"{document.name}:{merge_locations(labels)}"
    lines = sorted({c.line for c in clauses})
    return f"{document.name}:{','.join(str(n) for n in lines)}" if lines else ""


def script_runs(
    parsed: ParsedDocument, labels: Labels | None = None, glyphs: Glyphs = UNICODE
) -> str:
    """The runs of a mixed document: "traditional in lines 20–34, …" (pages for a PDF)."""
    words = labels or Labels()
    locations = parsed.document.locations
    runs = []
    for span in parsed.script_spans:
        script = words.word(span.script.value)
        located = location_of(locations, span.first_line, span.last_line)
        if located:
            runs.append(words.word("script at", script, located))
        else:
            lines = words.word("script in lines", script, span.first_line, span.last_line)
            runs.append(lines.replace("–", glyphs.range))
    return words.word("list separator").join(runs)


def _header(report: Report, view: View, console: Console) -> RenderableType:
    words = view.labels
    rows = []
    table = Table.grid(padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, justify="right")
    for label, parsed in ((words.old, report.old), (words.new, report.new)):
        # A mixed document's runs are in the warning below, not repeated here.
        count = f"{len(parsed.clauses)} {words.word('clauses')}"
        rows.append([label, parsed.document.path, words.word(parsed.script.value), count])
        table.add_row(*rows[-1])
    widths = [max(cell_len(row[i]) for row in rows) for i in range(4)]
    if sum(widths) + 2 * (len(widths) - 1) <= console.options.max_width:
        return table
    return Group(*(Wrapped.atoms(row, " ") for row in rows))


def _warnings(report: Report, view: View) -> list[RenderableType]:
    notes: list[RenderableType] = []
    for parsed in (report.old, report.new):
        if parsed.script is Script.MIXED:
            note = view.labels.word(
                "mixed scripts",
                parsed.document.name,
                script_runs(parsed, view.labels, view.glyphs),
            )
            notes.append(Wrapped(Text(note, style="bold yellow")))
    return notes


def no_differences(report: Report) -> bool:
    """Whether the summary counts nothing but unchanged clauses and targets."""
    return not any(
        n for status, n in report.summary.clauses if status is not ClauseStatus.UNCHANGED
    ) and not any(n for status, n in report.summary.targets if status is not TargetStatus.UNCHANGED)


def _counted(title: str, counts: list[Text], separator: str) -> Wrapped:
    """`clauses: 28 unchanged · 52 modified`, breaking only between two counts."""
    return Wrapped.atoms([Text(f"{title}:"), *counts], separator, first=" ")


def _summary(report: Report, view: View) -> list[RenderableType]:
    words, dot = view.labels, f" {view.glyphs.dot} "
    clauses = [
        Text(f"{count} {words.clause(status)}", style=_STATUS_STYLE[status])
        for status, count in report.summary.clauses
    ]
    out: list[RenderableType] = [_counted(words.word("clauses"), clauses, dot)]
    if report.targets:
        targets = [
            Text(f"{count} {words.target(status)}", style=_TARGET_STYLE[status])
            for status, count in report.summary.targets
        ]
        out.append(_counted(words.word("targets"), targets, dot))
    front = report.summary.front_matter_records
    if front:
        out.append(Wrapped(words.word("front matter", front)))
    if no_differences(report):
        out.append(Text(words.word("no differences"), style="bold"))
    return out


def _metric(change: TargetChange, convert: Callable[[str], str], glyphs: Glyphs) -> str:
    if change.old and change.new and change.old.metric != change.new.metric:
        return f"{convert(change.old.metric)} {glyphs.arrow} {convert(change.new.metric)}"
    return convert(change.metric)


# A table head rule and nothing else: no side borders, one space between columns.
_RULE = box.Box("    \n    \n ── \n    \n    \n    \n    \n    \n")
_ASCII_RULE = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)
# The widest a metric column grows, however wide the terminal: a long renamed metric wraps.
METRIC_MAX = 40
METRIC_MIN = 8  # below this the table gives way to a list
CHANGE_MAX = 28


def _change_parts(change: str) -> list[str]:
    """The pieces of a change that stay on one line: "−18家", "(−90%)", "unit 万元 → 亿元"."""
    return re.split(r" (?=\(|unit |单位 |[<>=~]+ )", change) if change else [""]


def _target_rows(report: Report, view: View) -> list[TargetChange]:
    return ordered_targets(report.targets, view.targets)


def _target_table(
    report: Report, view: View, console: Console, convert: Callable[[str], str]
) -> RenderableType:
    """The targets as a table when every value fits on its line, else as a list."""
    words, glyphs = view.labels, view.glyphs
    old, new = report.old.document, report.new.document
    lines = words.word(where_label((old, new)))
    rows = _target_rows(report, view)
    table = Table(
        box=_ASCII_RULE if view.ascii else _RULE,
        show_edge=False,
        padding=(0, 1, 0, 0),
        pad_edge=False,
        expand=False,
    )
    cells = [
        [
            words.target(c.status),
            _metric(c, convert, glyphs),
            target_value(c.old, glyphs),
            target_value(c.new, glyphs),
            target_delta(c, glyphs, words, terse=True),
            target_deadline(c, glyphs),
            target_lines(c, old, new, glyphs),
        ]
        for c in rows
    ]
    heads = [
        words.word("status"),
        words.word("metric"),
        words.word("old value"),
        words.word("new value"),
        words.word("change"),
        words.word("by"),
        lines,
    ]

    def fixed(index: int) -> int:
        return max(cell_len(row[index]) for row in [heads, *cells])

    table.add_column(heads[0], no_wrap=True, min_width=fixed(0))
    metric_min = min(METRIC_MIN, fixed(1))
    table.add_column(heads[1], min_width=metric_min, max_width=max(METRIC_MAX, metric_min))
    table.add_column(heads[2], justify="right", no_wrap=True, min_width=fixed(2))
    table.add_column(heads[3], justify="right", no_wrap=True, min_width=fixed(3))
    change_min = max(cell_len(part) for row in [heads, *cells] for part in _change_parts(row[4]))
    table.add_column(heads[4], min_width=change_min, max_width=max(CHANGE_MAX, change_min))
    table.add_column(heads[5], no_wrap=True, min_width=fixed(5))
    table.add_column(heads[6], no_wrap=True, min_width=fixed(6))
    for change, row in zip(rows, cells, strict=True):
        table.add_row(
            Text(row[0], style=_TARGET_STYLE[change.status]),
            Wrapped(row[1]),
            row[2],
            row[3],
            Wrapped.atoms(_change_parts(row[4]), " "),
            row[5],
            row[6],
        )
    title = Text(f"{words.word('Targets')} ({lines}: {old.name} {glyphs.arrow} {new.name})")
    # Every column at its least width, one space of padding and one of rule between two.
    least = [fixed(0), metric_min, fixed(2), fixed(3), change_min, fixed(5), fixed(6)]
    if sum(least) + 2 * (len(least) - 1) <= console.options.max_width:
        return Group(Wrapped(title), table)
    return Group(
        Wrapped(title), *(_target_item(c, r, glyphs) for c, r in zip(rows, cells, strict=True))
    )


def _target_item(change: TargetChange, row: list[str], glyphs: Glyphs) -> RenderableType:
    """One target as two wrapped lines, for a terminal too narrow for the table."""
    head = Text()
    head.append(row[0], style=_TARGET_STYLE[change.status])
    head.append(" ")
    head.append(row[1], style="bold")
    # Each value whole on its line: "≥98% →" and "≥98.5%" may part, never a value itself.
    values = [f"{row[2]} {glyphs.arrow}", row[3], *(part for part in row[4:] if part)]
    return Group(Wrapped(head), Wrapped.atoms(values, "  ", indent=2, first=" "))


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


def record_label(alignment: Alignment, labels: Labels) -> str:
    """ "modified", "moved+edited (merge of 2)", or in Chinese "移动+修改（由 2 条合并）"."""
    status = alignment.status
    label = labels.clause(status)
    if status is ClauseStatus.MOVED and alignment.edited:
        label = labels.word("moved and edited")
    if len(alignment.old) > 1:
        label += f" ({labels.word('merge of', len(alignment.old))})"
    elif len(alignment.new) > 1:
        label += f" ({labels.word('split into', len(alignment.new))})"
    return label


def record_note(alignment: Alignment, labels: Labels, path: str) -> str:
    """Where a moved clause came from, or where a listed one stood: one line or ""."""
    status = alignment.status
    if status is ClauseStatus.MOVED and alignment.with_section:
        return labels.word("moved with section")
    if status is ClauseStatus.MOVED and alignment.old_section is None:
        return labels.word("order changed")
    if alignment.old_section is not None:
        where = path.join(alignment.old_section) or labels.word("top level")
        key = "moved from" if status is ClauseStatus.MOVED else "was under"
        return labels.word(key, where)
    return ""


def _record(
    alignment: Alignment, report: Report, view: View, plain: bool, convert: Callable[[str], str]
) -> RenderableType:
    status, words, glyphs = alignment.status, view.labels, view.glyphs
    sides = ((alignment.old, report.old.document), (alignment.new, report.new.document))
    where = f" {glyphs.arrow} ".join(part for part in (_where(c, d) for c, d in sides) if part)
    head = Text()
    head.append(record_label(alignment, words), style=f"bold {_STATUS_STYLE[status]}")
    if view.verbose and alignment.old and alignment.new:
        head.append(f" {words.word('similarity', f'{alignment.similarity:.2f}')}")
    head.append(f"  {where}", style="dim")
    if alignment.script_only:
        head.append(f"  ({words.word('script only')})", style="dim")
    parts: list[RenderableType] = [Wrapped(head)]
    note = record_note(alignment, words, f" {glyphs.path} ")
    if note:
        parts.append(Wrapped(Text(convert(note), style="dim"), indent=2))
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
    parts.append(Wrapped(body, indent=2))
    return Group(*parts)


def render(
    report: Report,
    console: Console,
    *,
    show: frozenset[ClauseStatus] | None = None,
    plain: bool = False,
    script: str | None = None,
    view: View | None = None,
) -> None:
    """Print the report; `plain` marks deletions [-so-] and insertions {+so+} without colour.
    `view` says what to show (`show` and `script` override its fields, for old callers)."""
    view = view or View()
    if show is not None:
        view = replace(view, show=show)
    if script is not None:
        view = replace(view, script=script)
    convert = display(view.script)
    words, glyphs = view.labels, view.glyphs
    console.print(_header(report, view, console))
    for warning in _warnings(report, view):
        console.print(warning)
    for line in _summary(report, view):
        console.print(line)
    if view.stat:
        return
    rows = _target_rows(report, view)
    if rows:
        console.print()
        console.print(_target_table(report, view, console, convert))
    left_out = len(report.targets) - len(rows)
    if left_out:
        console.print(Wrapped(Text(words.word("more targets", left_out), style="dim")))
    if report.facts:
        console.print()
        console.print(_fact_table(report, view, convert))
    current: tuple[str, ...] | None = None
    for alignment in report.alignments:
        if alignment.front_matter or alignment.status not in view.show:
            continue
        section = alignment.section
        if section != current:
            console.print()
            title = convert(f" {glyphs.path} ".join(section)) or words.word("top of document")
            console.print(Wrapped(Text(title, style="bold underline")))
            current = section
        console.print(_record(alignment, report, view, plain, convert))


def _fact_table(report: Report, view: View, convert: Callable[[str], str]) -> Table:
    """Numbers reported as what happened: listed apart, never paired with targets."""
    words, glyphs = view.labels, view.glyphs
    table = Table(
        title=words.word("Facts"),
        title_justify="left",
        box=_ASCII_RULE if view.ascii else _RULE,
        show_edge=False,
    )
    for column in ("side", "metric"):
        table.add_column(words.word(column))
    for column in ("value", "lines"):
        table.add_column(words.word(column), justify="right", no_wrap=True)
    for side, parsed, facts in (
        ("old", report.old, report.old_facts),
        ("new", report.new, report.new_facts),
    ):
        for t in facts:
            table.add_row(
                words.word(side),
                convert(t.metric),
                target_value(t, glyphs),
                place(parsed.document, t.line),
            )
    return table


def render_targets(
    parsed: ParsedDocument,
    targets: Iterable[Target],
    console: Console,
    *,
    script: str = "simplified",
    labels: Labels | None = None,
) -> None:
    """One document's targets as a table: metric, value, deadline, line and quoted text.
    Values never wrap; the metric and the quoted text wrap by the Chinese rules."""
    convert = display(script)
    words = labels or Labels()
    title = f"{words.word('Targets')}: {parsed.document.path}"
    table = Table(title=title, title_justify="left")
    rows = [
        [
            convert(target.metric),
            target_value(target),
            str(target.deadline) if target.deadline else "",
            place(parsed.document, target.line),
            convert(target.span),
        ]
        for target in targets
    ]
    document = parsed.document
    heads = ["metric", "value", "by", "where" if document.locations else "line", "text"]
    names = [words.word(head) for head in heads]
    widths = [max(cell_len(r[i]) for r in [names, *rows]) for i in range(5)]
    least = [min(8, widths[0]), widths[1], widths[2], widths[3], min(8, widths[4])]
    if sum(least) + 3 * len(least) + 1 > console.options.max_width:  # a list, not a table
        console.print(Wrapped(title))
        for row in rows:
            console.print(Wrapped(Text(row[0], style="bold")))
            console.print(Wrapped.atoms([part for part in row[1:4] if part], "  ", indent=2))
            console.print(Wrapped(row[4], indent=2))
    else:
        table.add_column(names[0], min_width=least[0], max_width=METRIC_MAX)
        table.add_column(names[1], justify="right", no_wrap=True, min_width=least[1])
        table.add_column(names[2], no_wrap=True, min_width=least[2])
        table.add_column(names[3], justify="right", no_wrap=True, min_width=least[3])
        table.add_column(names[4], min_width=least[4])
        for row in rows:
            table.add_row(Wrapped(row[0]), row[1], row[2], row[3], Wrapped(row[4]))
        console.print(table)
    console.print(f"{len(rows)} {words.word('targets')}")


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
        row.add_row(head, Wrapped(Text(convert(clause.text), style=style)))
        console.print(row)
    if parsed.page_number_lines:
        lines = ", ".join(str(n) for n in parsed.page_number_lines)
        console.print(Text(f"page numbers left out: lines {lines}", style="dim"))
