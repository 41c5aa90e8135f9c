"""Renderers: a finished Report -> text, Markdown, JSON, HTML, Word or CSV. They format; they
never compute."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from ..errors import UsageError
from ..model import Alignment, ClauseStatus, DiffOp, TargetChange, TargetStatus
from ..normalise import to_simplified, to_traditional_display
from .labels import Labels

# The scripts document text can be shown in; matching always uses the normalised form.
DISPLAY_SCRIPTS: dict[str, Callable[[str], str]] = {
    "simplified": to_simplified,
    "traditional": to_traditional_display,
}


def display(script: str) -> Callable[[str], str]:
    """The converter that shows document text in `script`; a UsageError for any other name."""
    try:
        return DISPLAY_SCRIPTS[script]
    except KeyError:
        choices = ", ".join(DISPLAY_SCRIPTS)
        raise UsageError(f"--script must be one of {choices}, got {script!r}") from None


@dataclass(frozen=True)
class Glyphs:
    """The symbols a report draws around document text. `ASCII` is for terminals that draw
    East Asian ambiguous-width characters (→ ≥ — · › ↑) two cells wide."""

    arrow: str = "→"
    ge: str = "≥"
    le: str = "≤"
    approx: str = "≈"
    none: str = "—"
    range: str = "–"
    minus: str = "−"
    dot: str = "·"
    path: str = "›"
    up: str = "↑"
    down: str = "↓"


UNICODE = Glyphs()
ASCII = Glyphs("->", ">=", "<=", "~", "-", "-", "-", "|", ">", "^", "v")


class TargetRows(StrEnum):
    """Which target rows a report lists: the changed, added and removed ones, or all."""

    changed = "changed"
    all = "all"


@dataclass(frozen=True)
class View:
    """How a finished report is shown (never what it holds): one value for every renderer.

    `show` picks the clause statuses listed; `targets` the target rows (changed, added
    and removed first, then unchanged ones with `all`); `stat` the summary alone;
    `verbose` adds similarity scores; `ascii` draws tables and arrows in ASCII.
    """

    show: frozenset[ClauseStatus] = frozenset(
        {ClauseStatus.MODIFIED, ClauseStatus.MOVED, ClauseStatus.ADDED, ClauseStatus.REMOVED}
    )
    script: str = "simplified"
    labels: Labels = field(default_factory=Labels)
    targets: TargetRows = TargetRows.changed
    ascii: bool = False
    stat: bool = False
    verbose: bool = False

    @property
    def glyphs(self) -> Glyphs:
        return ASCII if self.ascii else UNICODE


_TARGET_ORDER = (TargetStatus.CHANGED, TargetStatus.ADDED, TargetStatus.REMOVED)


def ordered_targets(
    changes: Iterable[TargetChange], rows: TargetRows = TargetRows.all
) -> list[TargetChange]:
    """Changed targets first, then added, removed and (with `all`) unchanged ones; each group
    in document order."""
    changes = list(changes)
    order = (*_TARGET_ORDER, TargetStatus.UNCHANGED) if rows is TargetRows.all else _TARGET_ORDER
    return [c for status in order for c in changes if c.status is status]


def diff_side(alignment: Alignment, side: DiffOp) -> Iterator[tuple[str, bool]]:
    """One side of a word diff, as the side writes it: (text, marked) runs, marked for
    the runs only this side has (deleted on the old side, inserted on the new)."""
    for segment in alignment.diff:
        if segment.op is DiffOp.EQUAL:
            yield (segment.old_side if side is DiffOp.DELETE else segment.text), False
        elif segment.op is side:
            yield segment.text, True
