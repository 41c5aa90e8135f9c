"""History -> a table of targets through the versions: text, Markdown, CSV or JSON.

A cell shows the version's value with a mark: `↑`/`↓` when the value rose or fell
from the previous version, `Δ` when something else changed (comparator, unit,
deadline), `+` before a target the version added, `removed` where it was dropped;
an unmarked value is as before (or where the row starts).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..history import History, HistoryRow, Step
from ..model import Direction, TargetStatus
from . import display
from .json import _number, document_info, target_ref
from .text import target_value

if TYPE_CHECKING:
    from rich.console import Console

LEGEND = "↑ rose, ↓ fell, Δ otherwise changed, + added, removed: dropped; unmarked: as before"
_ARROW = {Direction.UP: " ↑", Direction.DOWN: " ↓"}


def cell(step: Step | None) -> str:
    """One version's cell: the value and its mark."""
    if step is None:
        return ""
    if step.target is None:
        return "removed"
    value = target_value(step.target)
    if step.status is TargetStatus.ADDED:
        return f"+ {value}"
    if step.status is TargetStatus.CHANGED:
        arrow = _ARROW.get(step.direction) if step.direction else None
        return value + (arrow or " Δ")
    return value


def _header(history: History) -> list[str]:
    return ["metric", *(v.document.name for v in history.versions)]


def _cells(row: HistoryRow, convert: Callable[[str], str]) -> list[str]:
    return [convert(row.metric), *map(cell, row.steps)]


def render_csv(history: History, *, script: str = "simplified") -> str:
    """CSV in Excel's dialect, with a BOM so Excel reads it as UTF-8."""
    convert = display(script)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(history))
    writer.writerows(_cells(row, convert) for row in history.rows)
    return "\ufeff" + buffer.getvalue()


def render_markdown(history: History, *, script: str = "simplified") -> str:
    from .markdown import escape

    convert = display(script)
    names = " → ".join(escape(v.document.name) for v in history.versions)
    lines = [f"# Targets through {len(history.versions)} versions", "", names, ""]
    lines += [f"{escape(LEGEND)}.", ""]
    header = _header(history)
    lines.append("| " + " | ".join(escape(c) for c in header) + " |")
    lines.append("|---|" + "---:|" * (len(header) - 1))
    for row in history.rows:
        lines.append("| " + " | ".join(escape(c) for c in _cells(row, convert)) + " |")
    return "\n".join(lines) + "\n"


def _step_dict(step: Step | None, locations: tuple[str, ...]) -> dict[str, Any] | None:
    if step is None:
        return None
    change = step.change
    return {
        "status": None if step.status is None else step.status.value,
        "target": target_ref(step.target, locations),
        "delta": _number(change.delta) if change else None,
        "direction": step.direction.value if step.direction else None,
    }


def render_json(history: History) -> str:
    """{"schema": "policydiff.history/1", "versions": [...], "rows": [...]}."""
    locations = [v.document.locations for v in history.versions]
    payload = {
        "schema": "policydiff.history/1",
        "versions": [document_info(v) for v in history.versions],
        "rows": [
            {
                "metric": row.metric,
                "changes": row.changes,
                "steps": [
                    _step_dict(step, where)
                    for step, where in zip(row.steps, locations, strict=True)
                ],
            }
            for row in history.rows
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_text(history: History, console: Console, *, script: str = "simplified") -> None:
    """A rich table, one row per target, one column per version."""
    from rich.table import Table

    convert = display(script)
    table = Table(title="Targets through the versions", title_justify="left")
    table.add_column("metric", overflow="fold")
    for version in history.versions:
        table.add_column(version.document.name, justify="right", overflow="fold")
    for row in history.rows:
        table.add_row(*_cells(row, convert))
    console.print(table)
    changed = sum(1 for row in history.rows if row.changes)
    console.print(f"{len(history.rows)} targets, {changed} changed at least once. {LEGEND}.")
