"""Report -> a Markdown report: summary, targets with evidence, 新旧对照 tables per section."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ..extract import location_of, merge_locations
from ..model import (
    Alignment,
    Clause,
    ClauseKind,
    ClauseStatus,
    DiffOp,
    Document,
    ParsedDocument,
    Report,
    Script,
    Target,
    TargetChange,
    TargetStatus,
)
from . import display
from .text import number, place, script_runs, target_deadline, target_delta, target_value

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_BACKSLASHED = "\\`*_[]~#$"
_ESCAPES = str.maketrans({**_ENTITIES, **{c: "\\" + c for c in _BACKSLASHED}})
# What str.splitlines() breaks on: Markdown only breaks on CR and LF, but a viewer may
# show the others as breaks too, so they all become <br>.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_PATH_SEPARATOR = " › "


def escape(text: str) -> str:
    """Document text -> Markdown that shows exactly that text and can add no HTML or table cell.

    - `&`, `<`, `>` and `|` become `&amp;` `&lt;` `&gt;` `&#124;`: an entity never splits a
      table row, whereas a backslash before `|` is read one way by GFM's row splitter and
      another by its inline parser;
    - the other characters that open Markdown syntax inside a line, ``\\ ` * _ [ ] ~ # $``,
      get a backslash (`$` because GitHub renders `$…$` as maths);
    - a line break (CR, LF, CRLF or another Unicode line separator) becomes `<br>`, in
      table cells and elsewhere, so document text never starts a Markdown line: every
      line of the report opens with markup of its own (`| `, `- `, `> `, `### `).
    Bare URLs stay as they are: GitHub links them, which adds no HTML. The only HTML in
    a report is what this module writes: `<del>`, `<ins>` and `<br>`.

    >>> escape("a|b <i>*c*</i>\\nd")
    'a&#124;b &lt;i&gt;\\\\*c\\\\*&lt;/i&gt;<br>d'
    """
    return "<br>".join(part.translate(_ESCAPES) for part in _LINE_BREAK.split(text))


class _Writer:
    """Shared context of one rendering: the display script and the two file names."""

    def __init__(self, report: Report, script: str) -> None:
        self.report = report
        self.convert = display(script)
        self.script = script
        self.old_name = report.old.document.name
        self.new_name = report.new.document.name

    def show(self, text: str) -> str:
        """Document text in the display script, escaped."""
        return escape(self.convert(text))

    def section(self, path: Sequence[str]) -> str:
        return _PATH_SEPARATOR.join(self.show(title) for title in path) or "(top of document)"


def _lines(clauses: Iterable[Clause], document: Document | None = None) -> str:
    """Lines of one or more clauses, overlapping spans joined: `34`, `60–62`, `82–84`, `82, 86`;
    for a document extracted from HTML, .docx or PDF, their locations: `page 3–4`."""
    if document is not None and document.locations:
        labels = (location_of(document.locations, c.line, c.end_line) or "" for c in clauses)
        return merge_locations(labels)
    spans: list[list[int]] = []
    for first, last in sorted({(c.line, c.end_line) for c in clauses}):
        if spans and first <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    """A GFM table; `align` has one letter per column, l or r (default l)."""
    marks = {"l": "---", "r": "---:"}
    align = align.ljust(len(header), "l")
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(marks[align[i]] for i in range(len(header))) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


# ---------------------------------------------------------------- title and summary


def _script(parsed: ParsedDocument) -> str:
    if parsed.script is not Script.MIXED:
        return str(parsed.script.value)
    return f"mixed: {script_runs(parsed)}"


def _title(w: _Writer) -> list[str]:
    old, new = w.report.old, w.report.new
    rows = [
        ["File", escape(old.document.path), escape(new.document.path)],
        ["Date", *(_date_cell(w, p) for p in (old, new))],
        ["Script", _script(old), _script(new)],
        ["Clauses", *(_clause_count(p) for p in (old, new))],
    ]
    where = "Line numbers are those of each file."
    if old.document.locations or new.document.locations:
        where = (
            "Line numbers are those of each text file; for a web page, .docx or PDF, "
            "the paragraph or page."
        )
    return [
        f"# policydiff: {escape(w.old_name)} → {escape(w.new_name)}",
        "",
        *_table(["", "Old", "New"], rows),
        "",
        f"Text is shown in {w.script} script; matching always uses the normalised form. {where}",
    ]


def _date_cell(w: _Writer, parsed: ParsedDocument) -> str:
    clause = parsed.date
    if clause is None:
        return "—"
    where = _located(parsed.document, clause.line) or f"line {clause.line}"
    return f"{w.show(clause.text)} ({where})"


def _located(document: Document, line: int, end_line: int | None = None) -> str | None:
    """An extracted document's location of lines, escaped for Markdown; None for plain text."""
    found = location_of(document.locations, line, end_line)
    return None if found is None else escape(found)


def _clause_count(parsed: ParsedDocument) -> str:
    front = parsed.front_matter_count
    return f"{len(parsed.clauses)} ({front} in front matter)"


def _counts(pairs: Iterable[tuple[ClauseStatus | TargetStatus, int]]) -> str:
    return " · ".join(f"{count} {status.value}" for status, count in pairs)


def _summary(report: Report) -> list[str]:
    return [
        "## Summary",
        "",
        f"- Clauses: {_counts(report.summary.clauses)}",
        f"- Targets: {_counts(report.summary.targets)}",
    ]


# ---------------------------------------------------------------- targets


def _metric(w: _Writer, change: TargetChange) -> str:
    # Compared as shown: 藥品抽檢合格率 and 药品抽检合格率 are one metric in one script.
    if change.old and change.new:
        old, new = w.show(change.old.metric), w.show(change.new.metric)
        if old != new:
            return f"{old} → {new}"
    return w.show(change.metric)


def _value(w: _Writer, target: Target | None) -> str:
    # The unit and the number come from the document, so the helper's output is escaped too.
    return w.show(target_value(target))


def _target_lines(change: TargetChange, old_doc: Document, new_doc: Document) -> str:
    old = escape(place(old_doc, change.old.line)) if change.old else "—"
    new = escape(place(new_doc, change.new.line)) if change.new else "—"
    return f"{old} → {new}"


def _evidence(w: _Writer, label: str, target: Target | None, parsed: ParsedDocument) -> str:
    """`> **Old**, file line N (“span”): the whole clause`, found by the target's clause id."""
    if target is None:
        return f"> **{label}**: —"
    clause = next((c for c in parsed.clauses if c.id == target.clause), None)
    name = escape(parsed.document.name)
    located = _located(parsed.document, target.line)
    if clause is None:  # an id the report does not hold: quote what the target was read from
        return f"> **{label}**, {name} {located or f'line {target.line}'}: “{w.show(target.span)}”"
    where = f"line {clause.line}" if clause.line == clause.end_line else f"lines {_lines([clause])}"
    where = _located(parsed.document, clause.line, clause.end_line) or where
    return f"> **{label}**, {name} {where} (“{w.show(target.span)}”): {w.show(clause.text)}"


def _target_changes(w: _Writer) -> list[str]:
    changed = [c for c in w.report.targets if c.status is TargetStatus.CHANGED]
    out = ["## Target changes", ""]
    if not changed:
        return [*out, "No target changed."]
    rows = [
        [
            str(index),
            _metric(w, change),
            _value(w, change.old),
            _value(w, change.new),
            w.show(target_delta(change)),
            target_deadline(change),
            _target_lines(change, w.report.old.document, w.report.new.document),
        ]
        for index, change in enumerate(changed, start=1)
    ]
    header = ["#", "Metric", "Old", "New", "Change", "By", f"{_where_title(w)} (old → new)"]
    out += _table(header, rows, "rlrrlll")
    for index, change in enumerate(changed, start=1):
        out += [
            "",
            f"**{index}. {_metric(w, change)}**: {_value(w, change.old)} → {_value(w, change.new)}",
            "",
            _evidence(w, "Old", change.old, w.report.old),
            ">",
            _evidence(w, "New", change.new, w.report.new),
        ]
    return out


def _target_list(w: _Writer, title: str, changes: Sequence[TargetChange], old: bool) -> list[str]:
    out = [f"### {title}", ""]
    if not changes:
        return [*out, "None."]
    rows = []
    document = (w.report.old if old else w.report.new).document
    for change in changes:
        target = change.old if old else change.new
        assert target is not None  # an added target has a new side, a removed one an old side
        by = str(target.deadline) if target.deadline else ""
        where = escape(place(document, target.line))
        rows.append([w.show(target.metric), _value(w, target), by, where, w.show(target.span)])
    name = escape(w.old_name if old else w.new_name)
    column = "Where" if document.locations else "Line"
    header = ["Metric", "Value", "By", f"{column} ({name})", "Text"]
    return [*out, *_table(header, rows, "lrlrl")]


def _added_removed(w: _Writer) -> list[str]:
    targets = w.report.targets
    added = [c for c in targets if c.status is TargetStatus.ADDED]
    removed = [c for c in targets if c.status is TargetStatus.REMOVED]
    unchanged = [c for c in targets if c.status is TargetStatus.UNCHANGED]
    out = ["## Added and removed targets", ""]
    out += _target_list(w, "Added", added, old=False)
    out += ["", *_target_list(w, "Removed", removed, old=True)]
    if unchanged:
        documents = (w.report.old.document, w.report.new.document)
        rows = [
            [_metric(w, c), _value(w, c.new), target_deadline(c), _target_lines(c, *documents)]
            for c in unchanged
        ]
        header = ["Metric", "Value", "By", f"{_where_title(w)} (old → new)"]
        out += ["", "### Unchanged", "", *_table(header, rows, "lrll")]
    return out


def _where_title(w: _Writer) -> str:
    documents = (w.report.old.document, w.report.new.document)
    return "Where" if any(d.locations for d in documents) else "Lines"


def _targets(w: _Writer) -> list[str]:
    if not w.report.targets:
        none = "No quantitative targets were found in either document."
        return ["## Targets", "", none, *_facts(w)]
    return [*_target_changes(w), "", *_added_removed(w), *_facts(w)]


def _facts(w: _Writer) -> list[str]:
    """Numbers reported as what happened, apart from the targets (never paired)."""
    if not w.report.facts:
        return []
    out = ["", "## Facts (reported results, not targets)", ""]
    out += ["| side | metric | value | line |", "|---|---|---|---|"]
    for side, facts in (("old", w.report.old_facts), ("new", w.report.new_facts)):
        for t in facts:
            out.append(f"| {side} | {w.show(t.metric)} | {_value(w, t)} | {t.line} |")
    return out


# ---------------------------------------------------------------- clauses


def _marked(w: _Writer, alignment: Alignment, side: DiffOp) -> str:
    """One side of a word diff: equal runs plus this side's runs in <del> or <ins>."""
    tag = "del" if side is DiffOp.DELETE else "ins"
    parts = []
    for segment in alignment.diff:
        if segment.op is DiffOp.EQUAL:
            parts.append(w.show(segment.old_side if side is DiffOp.DELETE else segment.text))
        elif segment.op is side:
            parts.append(f"<{tag}>{w.show(segment.text)}</{tag}>")
    return "".join(parts)


def _whole(w: _Writer, clauses: Sequence[Clause], tag: str | None) -> str:
    text = "".join(w.show(c.text) for c in clauses)
    return f"<{tag}>{text}</{tag}>" if tag else text


def _note(alignment: Alignment) -> str:
    notes = []
    if alignment.status is ClauseStatus.MOVED:
        notes.append("moved")
    if len(alignment.old) > 1:
        notes.append(f"merge of {len(alignment.old)}")
    elif len(alignment.new) > 1:
        notes.append(f"split into {len(alignment.new)}")
    if alignment.script_only:
        notes.append("script only")
    return f" *({', '.join(notes)})*" if notes else ""


def _row(w: _Writer, alignment: Alignment) -> list[str]:
    if alignment.status is ClauseStatus.ADDED:
        old_text, new_text = "", _whole(w, alignment.new, "ins")
    elif alignment.status is ClauseStatus.REMOVED:
        old_text, new_text = _whole(w, alignment.old, "del"), ""
    elif alignment.diff:
        old_text = _marked(w, alignment, DiffOp.DELETE)
        new_text = _marked(w, alignment, DiffOp.INSERT)
    else:  # a pair with equal match keys (moved unedited) has no word diff
        old_text, new_text = _whole(w, alignment.old, None), _whole(w, alignment.new, None)
    old_where = _cell_where(alignment.old, w.report.old.document)
    new_where = _cell_where(alignment.new, w.report.new.document)
    old_cell = f"**{old_where}** {old_text}" if alignment.old else ""
    new_cell = f"**{new_where}**{_note(alignment)} {new_text}" if alignment.new else ""
    return [old_cell, new_cell]


def _cell_where(clauses: Sequence[Clause], document: Document) -> str:
    """`L34` in a text file, `page 3` in a PDF (the same in the moved list)."""
    if document.locations:
        return escape(_lines(clauses, document))
    return f"L{_lines(clauses)}"


def _opens(alignment: Alignment, section: tuple[str, ...]) -> bool:
    """Whether `alignment` is the new heading whose title ends `section`."""
    if alignment.status is ClauseStatus.REMOVED or alignment.new[0].kind is not ClauseKind.HEADING:
        return False
    return (
        section[:-1] == alignment.section
        and len(section) == len(alignment.section) + 1
        and alignment.new[0].text.startswith(section[-1])
    )


def _runs(alignments: Sequence[Alignment]) -> Iterator[tuple[tuple[str, ...], list[Alignment]]]:
    """Consecutive records that share a table, each run with the section it is titled by.

    A heading record is listed under its parent section; when the next record is in the
    section that heading opens, the heading row heads that section's table instead of
    standing alone in a table of its own.
    """
    keys = [a.section for a in alignments]
    for i in range(len(alignments) - 2, -1, -1):
        if _opens(alignments[i], alignments[i + 1].section):
            keys[i] = keys[i + 1]
    start = 0
    for i in range(1, len(alignments) + 1):
        if i == len(alignments) or keys[i] != keys[start]:
            yield keys[start], list(alignments[start:i])
            start = i


def _clauses(w: _Writer) -> list[str]:
    alignments = w.report.alignments
    front = w.report.summary.front_matter_records
    body = [a for a in alignments if not a.front_matter]
    listed = [a for a in body if a.status is not ClauseStatus.UNCHANGED]
    out = [
        "## Clause changes (新旧对照)",
        "",
        f"Front matter (notice, contacts, signature): {front} records, not listed. "
        f"Unchanged clauses: {len(body) - len(listed)}, not listed.",
    ]
    if not listed:
        return [*out, "", "No clause changed."]
    header = [f"Old: {escape(w.old_name)}", f"New: {escape(w.new_name)}"]
    for section, run in _runs(listed):
        out += ["", f"### {w.section(section)}", ""]
        out += _table(header, (_row(w, a) for a in run))
    return out


def _moved(w: _Writer) -> list[str]:
    moved = [
        a for a in w.report.alignments if a.status is ClauseStatus.MOVED and not a.front_matter
    ]
    out = ["## Moved clauses", ""]
    if not moved:
        return [*out, "None."]
    for a in moved:
        edited = f", edited (similarity {number(a.similarity)})" if a.edited else ""
        out.append(
            f"- {_cell_where(a.old, w.report.old.document)} {w.section(a.old[0].path)} → "
            f"{_cell_where(a.new, w.report.new.document)} {w.section(a.new[0].path)}{edited}: "
            f"{_whole(w, a.new, None)}"
        )
    return out


def render(report: Report, *, script: str = "simplified") -> str:
    """The report as Markdown for GitHub and common viewers; `script` is the script of
    displayed document text, "simplified" or "traditional"."""
    w = _Writer(report, script)
    blocks = [_title(w), _summary(report), _targets(w), _clauses(w), _moved(w)]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def render_targets(
    parsed: ParsedDocument, targets: Iterable[Target], *, script: str = "simplified"
) -> str:
    """One document's targets as a Markdown table: metric, value, deadline, line, text."""
    convert = display(script)
    rows = [
        [
            escape(convert(t.metric)),
            escape(target_value(t)),
            str(t.deadline) if t.deadline else "",
            escape(place(parsed.document, t.line)),
            escape(convert(t.span)),
        ]
        for t in targets
    ]
    title = f"# Targets in {escape(parsed.document.name)}"
    column = "Where" if parsed.document.locations else "Line"
    table = _table(["Metric", "Value", "By", column, "Text"], rows, "lrlrl")
    return "\n".join([title, "", *table, "", f"{len(rows)} targets."]) + "\n"
