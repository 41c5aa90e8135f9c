"""Targets followed across versions V1 → V2 → … : one row per target, one cell per version.

Each version is compared with the next (`pipeline.compare`); a target paired with
one in the next version continues its row there, an added one starts a row, a
removed one ends its row with a "removed" cell. Each document is parsed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import UsageError
from .model import (
    Direction,
    Document,
    Options,
    ParsedDocument,
    Target,
    TargetChange,
    TargetStatus,
)
from .pipeline import DEFAULT_OPTIONS, compare, parse


@dataclass(frozen=True)
class Step:
    """A target's state in one version: `target` is None only for REMOVED.

    `status` is None in the version where the row starts (V1's targets, which
    have nothing before them to change from); else what the comparison with the
    previous version found. `change` is that comparison's row.
    """

    target: Target | None
    status: TargetStatus | None = None
    change: TargetChange | None = None

    @property
    def direction(self) -> Direction | None:
        return self.change.direction if self.change else None


@dataclass(frozen=True)
class HistoryRow:
    """One target followed through the versions; None where it does not stand."""

    metric: str
    steps: tuple[Step | None, ...]

    @property
    def changes(self) -> int:
        """How many versions changed, added or removed it."""
        return sum(
            1
            for step in self.steps
            if step is not None
            and step.status is not None
            and step.status is not TargetStatus.UNCHANGED
        )


@dataclass(frozen=True)
class History:
    """The versions, oldest first, and the rows of targets through them."""

    versions: tuple[ParsedDocument, ...]
    rows: tuple[HistoryRow, ...]


def history(
    documents: Sequence[Document | ParsedDocument], *, options: Options = DEFAULT_OPTIONS
) -> History:
    """Follow the targets of two or more versions, each compared with the next.

    >>> versions = [Document(f"{year}.txt", f"一、目标\\n覆盖率达到{rate}%以上。")
    ...             for year, rate in ((2021, 80), (2022, 80), (2023, 85))]
    >>> [[s and s.status and s.status.value for s in r.steps] for r in history(versions).rows]
    [[None, 'unchanged', 'changed']]
    """
    if len(documents) < 2:
        raise UsageError("history needs at least two versions")
    parsed = tuple(d if isinstance(d, ParsedDocument) else parse(d) for d in documents)
    count = len(parsed)
    rows: list[list[Step | None]] = []
    metrics: list[str] = []
    row_of: dict[tuple[int, Target], int] = {}

    def start(at: int, target: Target, step: Step) -> int:
        rows.append([None] * count)
        metrics.append(target.metric)
        rows[-1][at] = step
        return len(rows) - 1

    for i in range(count - 1):
        report = compare(parsed[i], parsed[i + 1], options=options)
        for change in report.targets:
            if change.old is not None:
                row = row_of.get((i, change.old))
                if row is None:
                    row = start(i, change.old, Step(change.old))
                    row_of[(i, change.old)] = row
                if change.new is None:
                    rows[row][i + 1] = Step(None, TargetStatus.REMOVED, change)
                    continue
            else:
                assert change.new is not None  # a row has a side
                row = start(i + 1, change.new, Step(change.new, TargetStatus.ADDED, change))
                row_of[(i + 1, change.new)] = row
                continue
            rows[row][i + 1] = Step(change.new, change.status, change)
            row_of[(i + 1, change.new)] = row
    order = sorted(range(len(rows)), key=lambda r: _first(rows[r]))
    return History(parsed, tuple(HistoryRow(metrics[r], tuple(rows[r])) for r in order))


def _first(steps: Sequence[Step | None]) -> tuple[int, int]:
    """Where a row starts: its first version, then its line there."""
    for at, step in enumerate(steps):
        if step is not None and step.target is not None:
            return at, step.target.line
    return len(steps), 0  # pragma: no cover - every row starts with a target
