"""Report -> the targets as CSV for a spreadsheet: one row per target, UTF-8 with a BOM (so
Excel reads the Chinese), CRLF line ends (RFC 4180).

Values are plain numbers in the unit beside them, as the target reader holds them (10万个
is 100000 and 个), so a spreadsheet can sum and compare them; `old_written` and
`new_written` keep them as the documents show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from ..model import Comparator, Direction, ParsedDocument, Report, Target, TargetChange
from . import View, display, ordered_targets
from .labels import Labels
from .text import number, place, target_value

BOM = "\ufeff"

# Column keys; the header row shows them in the report's language.
COMPARE_COLUMNS = (
    "status",
    "metric",
    "old_metric",
    "new_metric",
    "old_value",
    "old_upper",
    "new_value",
    "new_upper",
    "old_unit",
    "new_unit",
    "old_comparator",
    "new_comparator",
    "old_deadline",
    "new_deadline",
    "delta",
    "relative_percent",
    "direction",
    "old_written",
    "new_written",
    "old_line",
    "new_line",
    "old_text",
    "new_text",
)
TARGET_COLUMNS = (
    "metric",
    "value",
    "upper",
    "unit",
    "comparator",
    "deadline",
    "hedged",
    "written",
    "line",
    "text",
)
_ZH = {
    "status": "状态",
    "metric": "指标",
    "old_metric": "原指标",
    "new_metric": "新指标",
    "old_value": "原值",
    "old_upper": "原值上限",
    "new_value": "新值",
    "new_upper": "新值上限",
    "old_unit": "原单位",
    "new_unit": "新单位",
    "old_comparator": "原比较",
    "new_comparator": "新比较",
    "old_deadline": "原年限",
    "new_deadline": "新年限",
    "delta": "差值",
    "relative_percent": "相对变动(%)",
    "direction": "方向",
    "old_written": "原文写法",
    "new_written": "新文写法",
    "old_line": "原文行",
    "new_line": "新文行",
    "old_text": "原文摘录",
    "new_text": "新文摘录",
    "value": "数值",
    "upper": "上限",
    "unit": "单位",
    "comparator": "比较",
    "deadline": "年限",
    "hedged": "力争",
    "written": "写法",
    "line": "行",
    "text": "原文摘录",
}


def _header(columns: Sequence[str], labels: Labels) -> list[str]:
    return [_ZH[c] for c in columns] if labels.lang == "zh" else list(columns)


def _num(value: float | None) -> str:
    return "" if value is None else number(value)


def _comparator(target: Target | None, labels: Labels) -> str:
    return "" if target is None else _COMPARATOR_NAMES[labels.lang][target.comparator]


# Comparators in words: a cell holding just "=" is a formula to a spreadsheet.
_COMPARATOR_NAMES = {
    "en": {
        Comparator.GE: "at least",
        Comparator.GT: "more than",
        Comparator.APPROX: "about",
        Comparator.LE: "at most",
        Comparator.LT: "less than",
        Comparator.EQ: "exactly",
    },
    "zh": {
        Comparator.GE: "不低于",
        Comparator.GT: "高于",
        Comparator.APPROX: "约",
        Comparator.LE: "不高于",
        Comparator.LT: "低于",
        Comparator.EQ: "等于",
    },
}


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: one starting with = + - @ (a formula to Excel,
    CVE-2014-3524's "CSV injection") gets a leading apostrophe, as OWASP advises."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def _change_row(change: TargetChange, report: Report, view: View) -> list[str]:
    convert = display(view.script)
    old, new = change.old, change.new
    words = view.labels
    direction = {Direction.UP: words.word("up"), Direction.DOWN: words.word("down"), None: ""}
    relative = None if change.relative is None else round(change.relative * 100, 4)
    return [
        words.target(change.status),
        _cell(convert(change.metric)),
        _cell(convert(old.metric)) if old else "",
        _cell(convert(new.metric)) if new else "",
        _num(old.value) if old else "",
        _num(old.upper) if old else "",
        _num(new.value) if new else "",
        _num(new.upper) if new else "",
        old.unit if old else "",
        new.unit if new else "",
        _comparator(old, words),
        _comparator(new, words),
        str(old.deadline) if old and old.deadline else "",
        str(new.deadline) if new and new.deadline else "",
        _num(change.delta),
        _num(relative),
        direction[change.direction],
        _cell(target_value(old)) if old else "",
        _cell(target_value(new)) if new else "",
        place(report.old.document, old.line) if old else "",
        place(report.new.document, new.line) if new else "",
        _cell(convert(old.span)) if old else "",
        _cell(convert(new.span)) if new else "",
    ]


def render(report: Report, view: View | None = None) -> str:
    """The report's target rows as CSV: changed, added and removed first, then unchanged
    (`view.targets` "changed" leaves those out)."""
    view = view or View()
    changes = ordered_targets(report.targets, view.targets)
    rows = (_change_row(change, report, view) for change in changes)
    return _rows_to_csv(_header(COMPARE_COLUMNS, view.labels), rows)


def render_targets(
    parsed: ParsedDocument,
    targets: Iterable[Target],
    labels: Labels | None = None,
    *,
    script: str = "simplified",
) -> str:
    """One document's targets as CSV, in document order."""
    words = labels or Labels()
    convert = display(script)
    rows = [
        [
            _cell(convert(t.metric)),
            _num(t.value),
            _num(t.upper),
            t.unit,
            _comparator(t, words),
            str(t.deadline) if t.deadline else "",
            "1" if t.hedged else "",
            _cell(target_value(t)),
            place(parsed.document, t.line),
            _cell(convert(t.span)),
        ]
        for t in targets
    ]
    return _rows_to_csv(_header(TARGET_COLUMNS, words), rows)
