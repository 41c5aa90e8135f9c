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
from . import View, diff_side, display
from .text import (
    no_differences,
    number,
    place,
    script_runs,
    target_deadline,
    target_delta,
    target_value,
)

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


# The report's own words in Chinese (--lang zh); English is the key itself.
_ZH = {
    "Summary": "概况",
    "Clauses": "条款",
    "Targets": "目标",
    "File": "文件",
    "Date": "日期",
    "Script": "字体",
    "Target changes": "目标变化",
    "No target changed.": "没有目标变化。",
    "Added and removed targets": "新增和删除的目标",
    "Added": "新增",
    "Removed": "删除",
    "Unchanged": "未变",
    "None.": "无。",
    "Metric": "指标",
    "Value": "数值",
    "Change": "变动",
    "By": "年限",
    "Line": "行",
    "Lines": "行",
    "Where": "位置",
    "Text": "原文摘录",
    "old → new": "原 → 新",
    "Clause changes (新旧对照)": "条款对照（新旧对照）",
    "No clause changed.": "没有条款变化。",
    "Moved clauses": "移动的条款",
    "No quantitative targets were found in either document.": "两个文本都没有找到量化目标。",
    "line": "第 {} 行",
    "lines": "第 {} 行",
    "in front matter": "在文头文尾",
    "not listed": "不列出",
    "Front matter (notice, contacts, signature)": "文头文尾（通知、联系人、落款）",
    "records": "项",
    "edited": "有修改",
    "similarity": "相似度",
    "Text is shown in {} script; matching always uses the normalised form.": (
        "文本以{}显示；比较一律使用规范化后的文本。"
    ),
    "Line numbers are those of each file.": "行号为各文件的行号。",
    "Line numbers are those of each text file; for a web page, .docx or PDF, the paragraph "
    "or page.": "行号为各文本文件的行号；网页、.docx 或 PDF 为段落或页码。",
}


class _Writer:
    """Shared context of one rendering: the display script, the two file names, the labels."""

    def __init__(self, report: Report, script: str, view: View | None = None) -> None:
        self.report = report
        self.convert = display(script)
        self.script = script
        self.view = view or View(script=script)
        self.words = self.view.labels
        self.old_name = report.old.document.name
        self.new_name = report.new.document.name

    def line(self, line: int | str, many: bool = False) -> str:
        """ "line 12" / "lines 12–14", or 第 12 行."""
        if self.words.lang == "zh":
            return f"第 {line} 行"
        return f"{'lines' if many else 'line'} {line}"

    def t(self, english: str, *fields: object) -> str:
        """One of the report's own phrases in the report's language."""
        text = _ZH.get(english, english) if self.words.lang == "zh" else english
        return text.format(*fields) if fields else text

    def show(self, text: str) -> str:
        """Document text in the display script, escaped."""
        return escape(self.convert(text))

    def section(self, path: Sequence[str]) -> str:
        joined = _PATH_SEPARATOR.join(self.show(title) for title in path)
        return joined or escape(self.words.word("top of document"))


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


def _script(w: _Writer, parsed: ParsedDocument) -> str:
    if parsed.script is not Script.MIXED:
        return w.words.word(parsed.script.value)
    return f"{w.words.word('mixed')}: {script_runs(parsed, w.words)}"


def _title(w: _Writer) -> list[str]:
    old, new = w.report.old, w.report.new
    rows = [
        [w.t("File"), escape(old.document.path), escape(new.document.path)],
        [w.t("Date"), *(_date_cell(w, p) for p in (old, new))],
        [w.t("Script"), _script(w, old), _script(w, new)],
        [w.t("Clauses"), *(_clause_count(w, p) for p in (old, new))],
    ]
    where = w.t("Line numbers are those of each file.")
    if old.document.locations or new.document.locations:
        where = w.t(
            "Line numbers are those of each text file; for a web page, .docx or PDF, "
            "the paragraph or page."
        )
    return [
        f"# policydiff: {escape(w.old_name)} → {escape(w.new_name)}",
        "",
        *_table(["", escape(w.words.old), escape(w.words.new)], rows),
        "",
        w.t(
            "Text is shown in {} script; matching always uses the normalised form.",
            w.script if w.words.lang == "en" else w.words.word(w.script),
        )
        + f" {where}",
    ]


def _date_cell(w: _Writer, parsed: ParsedDocument) -> str:
    clause = parsed.date
    if clause is None:
        return "—"
    where = _located(parsed.document, clause.line) or w.line(clause.line)
    return f"{w.show(clause.text)} ({where})"


def _located(document: Document, line: int, end_line: int | None = None) -> str | None:
    """An extracted document's location of lines, escaped for Markdown; None for plain text."""
    found = location_of(document.locations, line, end_line)
    return None if found is None else escape(found)


def _clause_count(w: _Writer, parsed: ParsedDocument) -> str:
    front = parsed.front_matter_count
    return f"{len(parsed.clauses)} ({front} {w.t('in front matter')})"


def _summary(w: _Writer) -> list[str]:
    report, words = w.report, w.words
    clauses = " · ".join(f"{n} {words.clause(s)}" for s, n in report.summary.clauses)
    targets = " · ".join(f"{n} {words.target(s)}" for s, n in report.summary.targets)
    out = [
        f"## {w.t('Summary')}",
        "",
        f"- {w.t('Clauses')}: {clauses}",
        f"- {w.t('Targets')}: {targets}",
    ]
    if no_differences(report):
        out += ["", f"**{escape(words.word('no differences'))}**"]
    return out


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
    return w.show(target_value(target, w.view.glyphs))


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
        return f"> **{label}**, {name} {located or w.line(target.line)}: “{w.show(target.span)}”"
    many = clause.line != clause.end_line
    where = w.line(_lines([clause]) if many else clause.line, many)
    where = _located(parsed.document, clause.line, clause.end_line) or where
    return f"> **{label}**, {name} {where} (“{w.show(target.span)}”): {w.show(clause.text)}"


def _target_changes(w: _Writer) -> list[str]:
    changed = [c for c in w.report.targets if c.status is TargetStatus.CHANGED]
    out = [f"## {w.t('Target changes')}", ""]
    if not changed:
        return [*out, w.t("No target changed.")]
    rows = [
        [
            str(index),
            _metric(w, change),
            _value(w, change.old),
            _value(w, change.new),
            w.show(target_delta(change, w.view.glyphs, w.words)),
            target_deadline(change, w.view.glyphs),
            _target_lines(change, w.report.old.document, w.report.new.document),
        ]
        for index, change in enumerate(changed, start=1)
    ]
    old_new = w.t("old → new")
    header = [
        "#",
        w.t("Metric"),
        escape(w.words.old),
        escape(w.words.new),
        w.t("Change"),
        w.t("By"),
        f"{_where_title(w)} ({old_new})",
    ]
    out += _table(header, rows, "rlrrlll")
    for index, change in enumerate(changed, start=1):
        out += [
            "",
            f"**{index}. {_metric(w, change)}**: {_value(w, change.old)} → {_value(w, change.new)}",
            "",
            _evidence(w, escape(w.words.old), change.old, w.report.old),
            ">",
            _evidence(w, escape(w.words.new), change.new, w.report.new),
        ]
    return out


def _target_list(w: _Writer, title: str, changes: Sequence[TargetChange], old: bool) -> list[str]:
    out = [f"### {w.t(title)}", ""]
    if not changes:
        return [*out, w.t("None.")]
    rows = []
    document = (w.report.old if old else w.report.new).document
    for change in changes:
        target = change.old if old else change.new
        assert target is not None  # an added target has a new side, a removed one an old side
        by = str(target.deadline) if target.deadline else ""
        where = escape(place(document, target.line))
        rows.append([w.show(target.metric), _value(w, target), by, where, w.show(target.span)])
    name = escape(w.old_name if old else w.new_name)
    column = w.t("Where" if document.locations else "Line")
    header = [w.t("Metric"), w.t("Value"), w.t("By"), f"{column} ({name})", w.t("Text")]
    return [*out, *_table(header, rows, "lrlrl")]


def _added_removed(w: _Writer) -> list[str]:
    targets = w.report.targets
    added = [c for c in targets if c.status is TargetStatus.ADDED]
    removed = [c for c in targets if c.status is TargetStatus.REMOVED]
    unchanged = [c for c in targets if c.status is TargetStatus.UNCHANGED]
    out = [f"## {w.t('Added and removed targets')}", ""]
    out += _target_list(w, "Added", added, old=False)
    out += ["", *_target_list(w, "Removed", removed, old=True)]
    if unchanged:
        documents = (w.report.old.document, w.report.new.document)
        rows = [
            [
                _metric(w, c),
                _value(w, c.new),
                target_deadline(c, w.view.glyphs),
                _target_lines(c, *documents),
            ]
            for c in unchanged
        ]
        where = f"{_where_title(w)} ({w.t('old → new')})"
        header = [w.t("Metric"), w.t("Value"), w.t("By"), where]
        out += ["", f"### {w.t('Unchanged')}", "", *_table(header, rows, "lrll")]
    return out


def _where_title(w: _Writer) -> str:
    documents = (w.report.old.document, w.report.new.document)
    return w.t("Where" if any(d.locations for d in documents) else "Lines")


def _targets(w: _Writer) -> list[str]:
    if not w.report.targets:
        heading = f"## {w.t('Targets')}"
        none = w.t("No quantitative targets were found in either document.")
        return [heading, "", none, *_facts(w)]
    return [*_target_changes(w), "", *_added_removed(w), *_facts(w)]


def _facts(w: _Writer) -> list[str]:
    """Numbers reported as what happened, apart from the targets (never paired)."""
    if not w.report.facts:
        return []
    words = w.words
    out = ["", f"## {words.word('Facts')}", ""]
    header = (words.word("side"), words.word("metric"), words.word("value"), words.word("lines"))
    out += ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
    for side, facts in (("old", w.report.old_facts), ("new", w.report.new_facts)):
        for t in facts:
            out.append(f"| {words.word(side)} | {w.show(t.metric)} | {_value(w, t)} | {t.line} |")
    return out


# ---------------------------------------------------------------- clauses


def _marked(w: _Writer, alignment: Alignment, side: DiffOp) -> str:
    """One side of a word diff: equal runs plus this side's runs in <del> or <ins>."""
    tag = "del" if side is DiffOp.DELETE else "ins"
    return "".join(
        f"<{tag}>{w.show(text)}</{tag}>" if marked else w.show(text)
        for text, marked in diff_side(alignment, side)
    )


def _whole(w: _Writer, clauses: Sequence[Clause], tag: str | None) -> str:
    text = "".join(w.show(c.text) for c in clauses)
    return f"<{tag}>{text}</{tag}>" if tag else text


def _note(w: _Writer, alignment: Alignment) -> str:
    words = w.words
    notes = []
    if alignment.status is ClauseStatus.MOVED:
        notes.append(words.clause(ClauseStatus.MOVED))
    if len(alignment.old) > 1:
        notes.append(words.word("merge of", len(alignment.old)))
    elif len(alignment.new) > 1:
        notes.append(words.word("split into", len(alignment.new)))
    if alignment.script_only:
        notes.append("script only" if words.lang == "en" else words.word("script only"))
    if w.view.verbose and alignment.old and alignment.new:
        notes.append(words.word("similarity", number(round(alignment.similarity, 2))))
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
    new_cell = f"**{new_where}**{_note(w, alignment)} {new_text}" if alignment.new else ""
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
    """Consecutive records that share a table (one per top-level section), each run with
    the section it is titled by.

    A heading record is listed under its parent section; when the next record is in the
    section that heading opens, the heading row heads that section's table instead of
    standing alone in a table of its own.
    """
    keys = [a.section[:1] for a in alignments]
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
    listed = [a for a in body if a.status in w.view.show]
    left_out = [
        (w.words.clause(status), n)
        for status in ClauseStatus
        if status not in w.view.show
        for n in [sum(1 for a in body if a.status is status)]
    ]
    note = f"{w.t('Front matter (notice, contacts, signature)')}: {front} {w.t('records')}"
    if w.words.lang == "en":
        note += ", not listed."
        for status, n in left_out:
            note += f" {status[0].upper()}{status[1:]} clauses: {n}, not listed."
    else:
        note += "，不列出。" + "".join(f"{s}条款 {n} 条，不列出。" for s, n in left_out)
    out = [f"## {w.t('Clause changes (新旧对照)')}", "", note]
    if not listed:
        return [*out, "", w.t("No clause changed.")]
    header = [
        f"{escape(w.words.old)}: {escape(w.old_name)}",
        f"{escape(w.words.new)}: {escape(w.new_name)}",
    ]
    for section, run in _runs(listed):
        out += ["", f"### {w.section(section)}", ""]
        out += _table(header, _rows_with_subsections(w, run))
    return out


def _rows_with_subsections(w: _Writer, run: Sequence[Alignment]) -> Iterator[list[str]]:
    """The rows of one top-level section's table; where the sub-heading path changes, a row
    naming it in italics on both sides (`*（一）指导思想*`)."""
    current: tuple[str, ...] | None = None
    for alignment in run:
        section = alignment.section
        if section != current and len(section) > 1:
            title = f"*{w.section(section[1:])}*"
            yield [title, title]
        current = section
        yield _row(w, alignment)


def _moved(w: _Writer) -> list[str]:
    moved = [
        a for a in w.report.alignments if a.status is ClauseStatus.MOVED and not a.front_matter
    ]
    out = [f"## {w.t('Moved clauses')}", ""]
    if not moved:
        return [*out, w.t("None.")]
    for a in moved:
        similarity = f"{w.t('similarity')} {number(a.similarity)}"
        edited = f", {w.t('edited')} ({similarity})" if a.edited else ""
        out.append(
            f"- {_cell_where(a.old, w.report.old.document)} {w.section(a.old[0].path)} → "
            f"{_cell_where(a.new, w.report.new.document)} {w.section(a.new[0].path)}{edited}: "
            f"{_whole(w, a.new, None)}"
        )
    return out


def render(report: Report, *, script: str = "simplified", view: View | None = None) -> str:
    """The report as Markdown for GitHub and common viewers; `script` is the script of
    displayed document text, "simplified" or "traditional"."""
    if view is not None and script == "simplified":
        script = view.script
    w = _Writer(report, script, view)
    blocks = [_title(w), _summary(w), _targets(w), _clauses(w), _moved(w)]
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
