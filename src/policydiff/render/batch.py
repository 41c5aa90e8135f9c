"""A batch's table of targets -> CSV (for Excel) and Markdown. They format; they never compute."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..batch import Outcome, TargetTable
from ..model import TargetStatus


def _cell(cell: tuple[str, str] | None) -> str:
    if cell is None:
        return ""
    value, status = cell
    return f"{value} ({status})" if status != TargetStatus.REMOVED.value else f"— ({status})"


def _table_lines(table: TargetTable) -> list[list[str]]:
    lines = [["reference", "line", "metric", "reference value", *table.columns]]
    for row in table.rows:
        lines.append([row.reference, str(row.line), row.metric, row.value, *map(_cell, row.cells)])
    added = ["" if n is None else str(n) for n in table.added]
    lines.append(["", "", "targets added", "", *added])
    if any(table.errors):
        lines.append(["", "", "error", "", *table.errors])
    return lines


def render_csv(table: TargetTable) -> str:
    """The table as CSV (Excel's dialect); written with a BOM so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_table_lines(table))
    return buffer.getvalue()


def render_markdown(table: TargetTable, outcomes: Sequence[Outcome]) -> str:
    """The table as Markdown, then the documents that failed with their errors."""
    from .markdown import escape

    lines = ["# Targets of the reference across the documents", ""]
    rows = _table_lines(table)
    lines.append("| " + " | ".join(escape(c) for c in rows[0]) + " |")
    lines.append("|" + "---|" * len(rows[0]))
    for row in rows[1:]:
        lines.append("| " + " | ".join(escape(c) for c in row) + " |")
    failed = [o for o in outcomes if o.state == "failed"]
    if failed:
        lines += ["", "## Failed", ""]
        lines += [f"- {escape(o.pair.document)}: {escape(o.error)}" for o in failed]
    return "\n".join(lines) + "\n"
