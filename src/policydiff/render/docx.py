"""Report -> a Word 修改对照表 (.docx): the targets table first, then per top-level section a
table 原文 | 修改后 whose deletions are struck through in red and insertions underlined in
green, as drafting offices publish them. Written with python-docx; the bytes are the same
for the same report (zip entries get a fixed date).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..model import Alignment, Clause, ClauseStatus, DiffOp, Document, Report
from . import View, diff_side, ordered_targets
from .html import _Item, _Page
from .markdown import _lines
from .text import (
    no_differences,
    number,
    record_label,
    record_note,
    target_deadline,
    target_delta,
    target_lines,
    target_value,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

RED = (0xB3, 0x1D, 0x28)
GREEN = (0x22, 0x86, 0x3A)
GREY = (0x57, 0x60, 0x6A)
# A fixed date for the document's properties and its zip entries: output is byte-identical.
FIXED = datetime(2000, 1, 1)


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    strike: bool = False,
    underline: bool = False,
    colour: tuple[int, int, int] | None = None,
    bold: bool = False,
    small: bool = False,
) -> None:
    from docx.shared import Pt, RGBColor

    if not text:
        return
    run = paragraph.add_run(text)
    run.font.strike = strike or None
    run.font.underline = underline or None
    run.bold = bold or None
    if colour is not None:
        run.font.color.rgb = RGBColor(*colour)
    if small:
        run.font.size = Pt(8)


class _Writer(_Page):
    """The HTML page's grouping of rows, written as Word tables."""

    def plain(self, text: str) -> str:
        return self.convert(text)

    def where(self, clauses: Sequence[Clause], document: Document) -> str:
        return _lines(clauses, document) if document.locations else f"L{_lines(clauses)}"

    def side(  # type: ignore[override]
        self, cell: _Cell, clauses: Sequence[Clause], document: Document, note: str = ""
    ) -> Paragraph:
        paragraph: Paragraph = cell.paragraphs[0]
        if clauses:
            _run(paragraph, self.where(clauses, document) + " ", colour=GREY, small=True)
        if note:
            _run(paragraph, f"[{note}] ", colour=GREY, small=True)
        return paragraph

    def diff_runs(self, paragraph: Paragraph, alignment: Alignment, side: DiffOp) -> None:
        deleting = side is DiffOp.DELETE
        for text, marked in diff_side(alignment, side):
            if not marked:
                _run(paragraph, self.plain(text))
            elif deleting:
                _run(paragraph, self.plain(text), strike=True, colour=RED)
            else:
                _run(paragraph, self.plain(text), underline=True, colour=GREEN)

    def whole(self, clauses: Sequence[Clause], tag: str | None = None) -> str:
        return "".join(self.plain(c.text) for c in clauses)

    def fill(self, old_cell: _Cell, new_cell: _Cell, item: _Item) -> None:
        a, words = item.alignment, self.words
        # A plain edit needs no label in a 对照表: the marks say it. Moves, merges, splits do.
        plain_edit = a.status is ClauseStatus.MODIFIED and len(a.old) == len(a.new) == 1
        notes = [] if plain_edit else [record_label(a, words)]
        if self.view.verbose and a.old and a.new:
            notes.append(words.word("similarity", number(round(a.similarity, 2))))
        note = record_note(a, words, f" {self.glyphs.path} ")
        if note:
            notes.append(self.plain(note))
        old_p = self.side(old_cell, a.old, self.report.old.document)
        new_p = self.side(new_cell, a.new, self.report.new.document, "; ".join(notes))
        if a.status is ClauseStatus.ADDED:
            _run(new_p, self.whole(a.new), underline=True, colour=GREEN)
        elif a.status is ClauseStatus.REMOVED:
            _run(old_p, self.whole(a.old), strike=True, colour=RED)
        elif a.diff:
            self.diff_runs(old_p, a, DiffOp.DELETE)
            self.diff_runs(new_p, a, DiffOp.INSERT)
        else:
            _run(old_p, self.whole(a.old))
            _run(new_p, self.whole(a.new))

    def write(self, doc: WordDocument) -> None:
        report, words, glyphs = self.report, self.words, self.glyphs
        old, new = report.old.document, report.new.document
        doc.add_heading(words.word("comparison table"), level=0)
        for label, document in ((words.old, old), (words.new, new)):
            doc.add_paragraph(f"{label}: {document.path}")
        summary = report.summary
        dot = f" {glyphs.dot} "
        doc.add_paragraph(
            f"{words.word('clauses')}: "
            + dot.join(f"{n} {words.clause(s)}" for s, n in summary.clauses)
        )
        doc.add_paragraph(
            f"{words.word('targets')}: "
            + dot.join(f"{n} {words.target(s)}" for s, n in summary.targets)
        )
        if no_differences(report):
            doc.add_paragraph(words.word("no differences"))
        doc.add_heading(words.word("target changes"), level=1)
        rows = ordered_targets(report.targets, self.view.targets)
        if not report.targets:
            doc.add_paragraph(words.word("no targets"))
        else:
            keys = ["status", "metric", "old value", "new value", "change", "by"]
            where = words.word("where" if old.locations or new.locations else "lines")
            table = doc.add_table(rows=1, cols=len(keys) + 1)
            table.style = "Table Grid"
            for cell, head in zip(
                table.rows[0].cells, [*map(words.word, keys), where], strict=True
            ):
                _run(cell.paragraphs[0], head, bold=True)
            for change in rows:
                metric = self.plain(change.metric)
                if change.old and change.new and change.old.metric != change.new.metric:
                    metric = f"{self.plain(change.old.metric)} {glyphs.arrow} {metric}"
                values = [
                    words.target(change.status),
                    metric,
                    self.plain(target_value(change.old, glyphs)),
                    self.plain(target_value(change.new, glyphs)),
                    target_delta(change, glyphs, words),
                    target_deadline(change, glyphs),
                    target_lines(change, old, new, glyphs),
                ]
                for cell, value in zip(table.add_row().cells, values, strict=True):
                    cell.paragraphs[0].add_run(value)
            left_out = len(report.targets) - len(rows)
            if left_out:
                doc.add_paragraph(words.word("more targets", left_out))
        doc.add_heading(words.word("clause changes"), level=1)
        doc.add_paragraph(words.word("legend"))
        items = [item for item in self.items() if not item.ghost]
        if not items:
            doc.add_paragraph(words.word("no clause changed"))
        for key, run in self.groups(items):
            title = f" {glyphs.path} ".join(self.plain(t) for t in key)
            doc.add_heading(title or words.word("top of document"), level=2)
            table = doc.add_table(rows=1, cols=2)
            table.style = "Table Grid"
            heads = (f"{words.old} ({old.name})", f"{words.new} ({new.name})")
            for cell, head in zip(table.rows[0].cells, heads, strict=True):
                _run(cell.paragraphs[0], head, bold=True)
            current: tuple[str, ...] | None = None
            for item in run:
                section = item.alignment.section
                if section != current and len(section) > 1:
                    merged = table.add_row().cells
                    cell = merged[0].merge(merged[1])
                    path = f" {glyphs.path} ".join(self.plain(t) for t in section[1:])
                    _run(cell.paragraphs[0], path, bold=True, colour=GREY)
                current = section
                cells = table.add_row().cells
                self.fill(cells[0], cells[1], item)


def _set_east_asian_font(doc: WordDocument) -> None:
    """Chinese text in a Song face (SimSun, present wherever Word is), Latin in the default."""
    from docx.oxml.ns import qn

    style = doc.styles["Normal"]
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "SimSun")


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED, so equal reports give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render(report: Report, view: View | None = None) -> bytes:
    """The report as .docx bytes."""
    import docx

    view = view or View()
    doc = docx.Document()
    _set_east_asian_font(doc)
    properties = doc.core_properties
    properties.title = f"{report.old.document.name} {view.glyphs.arrow} {report.new.document.name}"
    properties.author = properties.last_modified_by = "policydiff"
    properties.created = properties.modified = FIXED
    properties.revision = 1
    _Writer(report, view).write(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())
