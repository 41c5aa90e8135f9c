"""Report -> the JSON document described in docs/json.md (schema policydiff.compare/1)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..model import Alignment, Clause, DiffSegment, ParsedDocument, Report, Target, TargetChange

SCHEMA = "policydiff.compare/1"


def _number(value: float | None) -> float | int | None:
    """Whole numbers as JSON integers (98, not 98.0); others rounded for stable output."""
    if value is None:
        return None
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def clause_ref(clause: Clause) -> dict[str, Any]:
    return {
        "id": clause.id,
        "kind": clause.kind.value,
        "line": clause.line,
        "end_line": clause.end_line,
        "path": list(clause.path),
        "text": clause.text,
        "normalized": clause.normalized,
    }


def document_info(parsed: ParsedDocument) -> dict[str, Any]:
    return {
        "path": parsed.document.path,
        "encoding": parsed.document.encoding,
        "script": parsed.script.value,
        "script_spans": [
            {"script": s.script.value, "first_line": s.first_line, "last_line": s.last_line}
            for s in parsed.script_spans
        ],
        "clauses": len(parsed.clauses),
        "front_matter_clauses": sum(1 for c in parsed.clauses if c.front_matter),
    }


def diff_segment(segment: DiffSegment) -> dict[str, Any]:
    record: dict[str, Any] = {"op": segment.op.value, "text": segment.text}
    if segment.old_text is not None:
        record["old_text"] = segment.old_text
    return record


def alignment_record(alignment: Alignment) -> dict[str, Any]:
    return {
        "status": alignment.status.value,
        "similarity": alignment.similarity,
        "edited": alignment.edited,
        "script_only": alignment.script_only,
        "front_matter": alignment.front_matter,
        "old": [clause_ref(c) for c in alignment.old],
        "new": [clause_ref(c) for c in alignment.new],
        "diff": [diff_segment(s) for s in alignment.diff],
    }


def target_ref(target: Target | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "metric": target.metric,
        "value": _number(target.value),
        "upper": _number(target.upper),
        "unit": target.unit,
        "comparator": target.comparator.value,
        "text": target.span,
        "deadline": target.deadline,
        "hedged": target.hedged,
        "clause": target.clause,
        "line": target.line,
    }


def target_record(change: TargetChange) -> dict[str, Any]:
    return {
        "status": change.status.value,
        "metric": change.metric,
        "old": target_ref(change.old),
        "new": target_ref(change.new),
        "delta": _number(change.delta),
        "relative": _number(change.relative),
        "direction": change.direction,
        "comparator_changed": change.comparator_changed,
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "old": document_info(report.old),
        "new": document_info(report.new),
        "options": {"threshold": report.options.threshold},
        "summary": {
            "clauses": {status.value: count for status, count in report.summary.clauses},
            "targets": {status.value: count for status, count in report.summary.targets},
        },
        "targets": [target_record(change) for change in report.targets],
        "clauses": [alignment_record(alignment) for alignment in report.alignments],
    }


def render(report: Report) -> str:
    """The report as pretty-printed JSON, keys in a fixed order, CJK kept as is."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def render_targets(parsed: ParsedDocument, targets: Iterable[Target]) -> str:
    """One document's targets as JSON (schema policydiff.targets/1)."""
    payload = {
        "schema": "policydiff.targets/1",
        "document": document_info(parsed),
        "targets": [target_ref(target) for target in targets],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
