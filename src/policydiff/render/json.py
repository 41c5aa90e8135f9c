"""Report -> the JSON document described in docs/json.md (schema policydiff.compare/1)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..extract import location_of
from ..model import Alignment, Clause, DiffSegment, ParsedDocument, Report, Target, TargetChange

SCHEMA = "policydiff.compare/1"


def _number(value: float | None) -> float | int | None:
    """Whole numbers as JSON integers (98, not 98.0); others rounded for stable output."""
    if value is None:
        return None
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def clause_ref(clause: Clause, locations: Sequence[str] = ()) -> dict[str, Any]:
    """A clause; `locations` are its document's (Document.locations), empty for plain text."""
    record: dict[str, Any] = {
        "id": clause.id,
        "kind": clause.kind.value,
        "line": clause.line,
        "end_line": clause.end_line,
    }
    location = location_of(locations, clause.line, clause.end_line)
    if location is not None:  # only for HTML, .docx and PDF input: txt output stays as it was
        record["location"] = location
    record.update(path=list(clause.path), text=clause.text, normalized=clause.normalized)
    return record


def _date(parsed: ParsedDocument) -> dict[str, Any] | None:
    if parsed.date is None:
        return None
    date = parsed.date
    record: dict[str, Any] = {"text": date.text, "line": date.line, "clause": date.id}
    location = location_of(parsed.document.locations, date.line)
    if location is not None:
        record["location"] = location
    return record


def document_info(parsed: ParsedDocument) -> dict[str, Any]:
    info: dict[str, Any] = {"path": parsed.document.path, "encoding": parsed.document.encoding}
    if parsed.document.format != "txt":
        info["format"] = parsed.document.format
    return {
        **info,
        "script": parsed.script.value,
        "script_spans": [
            {"script": s.script.value, "first_line": s.first_line, "last_line": s.last_line}
            for s in parsed.script_spans
        ],
        "clauses": len(parsed.clauses),
        "front_matter_clauses": parsed.front_matter_count,
        "date": _date(parsed),
        "page_number_lines": list(parsed.page_number_lines),
    }


def diff_segment(segment: DiffSegment) -> dict[str, Any]:
    record: dict[str, Any] = {"op": segment.op.value, "text": segment.text}
    if segment.old_text is not None:
        record["old_text"] = segment.old_text
    return record


def alignment_record(
    alignment: Alignment, old_locations: Sequence[str] = (), new_locations: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "status": alignment.status.value,
        "similarity": alignment.similarity,
        "edited": alignment.edited,
        "script_only": alignment.script_only,
        "front_matter": alignment.front_matter,
        "section": list(alignment.section),
        "old_section": None if alignment.old_section is None else list(alignment.old_section),
        "with_section": alignment.with_section,
        "old": [clause_ref(c, old_locations) for c in alignment.old],
        "new": [clause_ref(c, new_locations) for c in alignment.new],
        "diff": [diff_segment(s) for s in alignment.diff],
    }


def target_ref(target: Target | None, locations: Sequence[str] = ()) -> dict[str, Any] | None:
    if target is None:
        return None
    record: dict[str, Any] = {
        "metric": target.metric,
        "value": _number(target.value),
        "upper": _number(target.upper),
        "unit": target.unit,
        "scale": target.scale,
        "comparator": target.comparator.value,
        "kind": target.kind.value,
        "text": target.span,
        "deadline": target.deadline,
        "hedged": target.hedged,
        "clause": target.clause,
        "line": target.line,
    }
    location = location_of(locations, target.line)
    if location is not None:
        record["location"] = location
    return record


def target_record(
    change: TargetChange, old_locations: Sequence[str] = (), new_locations: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "status": change.status.value,
        "metric": change.metric,
        "old": target_ref(change.old, old_locations),
        "new": target_ref(change.new, new_locations),
        "delta": _number(change.delta),
        "relative": _number(change.relative),
        "direction": None if change.direction is None else change.direction.value,
        "comparator_changed": change.comparator_changed,
    }


def fact_record(report: Report, target: Target) -> dict[str, Any]:
    """A fact (a number reported as what happened) with the side it was read on."""
    old_side = any(t is target for t in report.old_facts)
    parsed = report.old if old_side else report.new
    ref = target_ref(target, parsed.document.locations)
    assert ref is not None
    return {"side": "old" if old_side else "new", **ref}


def report_dict(report: Report) -> dict[str, Any]:
    sides = (report.old.document.locations, report.new.document.locations)
    return {
        "schema": SCHEMA,
        "old": document_info(report.old),
        "new": document_info(report.new),
        "options": {"threshold": report.options.threshold},
        "summary": {
            "clauses": {status.value: count for status, count in report.summary.clauses},
            "targets": {status.value: count for status, count in report.summary.targets},
        },
        "targets": [target_record(change, *sides) for change in report.targets],
        "facts": [fact_record(report, target) for target in report.facts],
        "clauses": [alignment_record(alignment, *sides) for alignment in report.alignments],
    }


def render(report: Report) -> str:
    """The report as pretty-printed JSON, keys in a fixed order, CJK kept as is."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


def render_targets(parsed: ParsedDocument, targets: Iterable[Target]) -> str:
    """One document's targets as JSON (schema policydiff.targets/1)."""
    payload = {
        "schema": "policydiff.targets/1",
        "document": document_info(parsed),
        "targets": [target_ref(target, parsed.document.locations) for target in targets],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render_clauses(parsed: ParsedDocument) -> str:
    """One document's clauses as JSON (schema policydiff.clauses/1), front matter marked."""
    locations = parsed.document.locations
    payload = {
        "schema": "policydiff.clauses/1",
        "document": document_info(parsed),
        "clauses": [
            {**clause_ref(c, locations), "front_matter": c.front_matter} for c in parsed.clauses
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
