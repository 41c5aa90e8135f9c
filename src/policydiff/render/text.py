"""Report -> the terminal view: summary, target table, then changed clauses under their headings."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..model import (
    Alignment,
    Clause,
    ClauseStatus,
    Comparator,
    DiffOp,
    ParsedDocument,
    Report,
    Script,
    Target,
    TargetChange,
    TargetStatus,
)

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


def target_value(target: Target | None) -> str:
    if target is None:
        return "—"
    value = number(target.value)
    if target.upper is not None:
        value = f"{value}–{number(target.upper)}"
    sign = _COMPARATOR_SIGN[target.comparator]
    hedge = " (力争)" if target.hedged else ""
    deadline = f" by {target.deadline}" if target.deadline else ""
    return f"{sign}{value}{target.unit}{hedge}{deadline}"


def target_delta(change: TargetChange) -> str:
    parts: list[str] = []
    if change.delta is not None and change.delta != 0:
        sign = "+" if change.delta > 0 else "−"
        unit = change.new.unit if change.new else ""
        if unit == "%":
            parts.append(f"{sign}{number(abs(change.delta))} pp")
        else:
            parts.append(f"{sign}{number(abs(change.delta))}{unit}")
        if change.relative is not None:
            parts.append(f"({sign}{number(round(abs(change.relative) * 100))}%)")
    if change.comparator_changed and change.old and change.new:
        parts.append(f"{change.old.comparator.value} → {change.new.comparator.value}")
    if change.direction == "up":
        parts.append("↑")
    elif change.direction == "down":
        parts.append("↓")
    return " ".join(parts)


def _where(clauses: Iterable[Clause], name: str) -> str:
    lines = sorted({c.line for c in clauses})
    return f"{name}:{','.join(str(n) for n in lines)}" if lines else ""


def _script_runs(parsed: ParsedDocument) -> str:
    return ", ".join(
        f"{span.script.value} in lines {span.first_line}–{span.last_line}"
        for span in parsed.script_spans
    )


def _script_note(parsed: ParsedDocument) -> str:
    if parsed.script is not Script.MIXED:
        return parsed.script.value
    return f"mixed ({_script_runs(parsed)})"


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
                    f"warning: {parsed.document.name} mixes scripts: {_script_runs(parsed)}; "
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
    front = sum(1 for a in report.alignments if a.front_matter)
    if front:
        text.append(f"\nfront matter: {front} records (notice, contacts, signature), not listed")
    return text


def _target_table(report: Report) -> Table:
    table = Table(title="Targets", title_justify="left", show_lines=False, expand=False)
    table.add_column("status")
    table.add_column("metric")
    table.add_column("old", justify="right")
    table.add_column("new", justify="right")
    table.add_column("change")
    table.add_column("lines")
    old_name, new_name = report.old.document.name, report.new.document.name
    for change in report.targets:
        metric = change.metric
        if change.old and change.new and change.old.metric != change.new.metric:
            metric = f"{change.old.metric} → {change.new.metric}"
        lines = " → ".join(
            part
            for part in (
                f"{old_name}:{change.old.line}" if change.old else "",
                f"{new_name}:{change.new.line}" if change.new else "",
            )
            if part
        )
        table.add_row(
            Text(change.status.value, style=_TARGET_STYLE[change.status]),
            metric,
            target_value(change.old),
            target_value(change.new),
            target_delta(change),
            lines,
        )
    return table


def _diff_text(alignment: Alignment, plain: bool) -> Text:
    text = Text()
    for segment in alignment.diff:
        if segment.op is DiffOp.EQUAL:
            text.append(segment.text)
        elif segment.op is DiffOp.DELETE:
            text.append(f"[-{segment.text}-]" if plain else segment.text, style="red strike")
        else:
            text.append(f"{{+{segment.text}+}}" if plain else segment.text, style="green")
    return text


def _record(alignment: Alignment, report: Report, plain: bool) -> RenderableType:
    old_name, new_name = report.old.document.name, report.new.document.name
    status = alignment.status
    label = status.value
    if status is ClauseStatus.MOVED:
        label = "moved+edited" if alignment.edited else "moved"
    if len(alignment.old) > 1:
        label += f" (merge of {len(alignment.old)})"
    elif len(alignment.new) > 1:
        label += f" (split into {len(alignment.new)})"
    where = " → ".join(
        part for part in (_where(alignment.old, old_name), _where(alignment.new, new_name)) if part
    )
    head = Text()
    head.append(label, style=f"bold {_STATUS_STYLE[status]}")
    if alignment.old and alignment.new:
        head.append(f" {alignment.similarity:.2f}")
    head.append(f"  {where}", style="dim")
    if status is ClauseStatus.MOVED:
        head.append(f"\n  moved from {' › '.join(alignment.old[0].path) or '(top)'}", style="dim")
    elif alignment.old_section:
        head.append(f"\n  was under {' › '.join(alignment.old_section)}", style="dim")
    if alignment.script_only:
        head.append("  (script/width only)", style="dim")
    if status is ClauseStatus.ADDED:
        body = Text(("+" if plain else "") + "".join(c.text for c in alignment.new), style="green")
    elif status is ClauseStatus.REMOVED:
        body = Text(("-" if plain else "") + "".join(c.text for c in alignment.old), style="red")
    elif alignment.diff:
        body = _diff_text(alignment, plain)
    else:
        body = Text("".join(c.text for c in alignment.new))
    body.overflow = "fold"
    return Group(head, Padding(body, (0, 0, 0, 2), expand=False))


def render(
    report: Report,
    console: Console,
    *,
    show: frozenset[ClauseStatus] = DEFAULT_SHOW,
    plain: bool = False,
) -> None:
    """Print the report; `plain` marks deletions [-so-] and insertions {+so+} without colour."""
    console.print(_header(report))
    for warning in _warnings(report):
        console.print(warning)
    console.print(_summary(report))
    if report.targets:
        console.print()
        console.print(_target_table(report))
    current: tuple[str, ...] | None = None
    for alignment in report.alignments:
        if alignment.front_matter or alignment.status not in show:
            continue
        section = alignment.section
        if section != current:
            console.print()
            console.print(Text(" › ".join(section) or "(top of document)", style="bold underline"))
            current = section
        console.print(_record(alignment, report, plain))


def render_targets(parsed: ParsedDocument, targets: Iterable[Target], console: Console) -> None:
    """One document's targets as a table: metric, value, deadline, line and quoted text."""
    table = Table(title=f"Targets in {parsed.document.path}", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("line", justify="right")
    table.add_column("text")
    count = 0
    for target in targets:
        count += 1
        table.add_row(target.metric, target_value(target), str(target.line), target.span)
    console.print(table)
    console.print(f"{count} targets")
