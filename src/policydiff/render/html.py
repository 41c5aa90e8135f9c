"""Report -> one self-contained HTML page: targets first, then the 新旧对照 side by side.

The page holds everything it shows (inline CSS, no script, no font, no image, nothing
fetched): it can be mailed, archived or opened offline. Every piece of document text passes
through `html.escape`, so a document holding `<script>` or `"><img onerror=…>` shows those
characters and adds no element. Layout: old | new columns per section (one column on a
phone), deletions struck through in red, insertions underlined in green, moved clauses
linked both ways (the row in its new place and a marker where it stood), a contents list
by top-level section, and print CSS that keeps the colours and rows whole.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..model import (
    Alignment,
    Clause,
    ClauseStatus,
    DiffOp,
    Document,
    Report,
    TargetChange,
)
from . import View, diff_side, display, ordered_targets
from .markdown import _lines, _opens
from .text import (
    no_differences,
    number,
    record_label,
    record_note,
    script_runs,
    target_deadline,
    target_delta,
    target_lines,
    target_value,
)


def esc(text: str) -> str:
    """Text -> HTML that shows exactly that text, in an element or an attribute.

    >>> esc('<img src=x onerror="alert(1)">&')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;'
    """
    return html.escape(text, quote=True)


CSS = """
:root { --del: #b31d28; --del-bg: #ffeef0; --ins: #22863a; --ins-bg: #e6ffed;
  --line: #d0d7de; --muted: #57606a; --moved: #0969da; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem 3rem;
  font: 16px/1.7 system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC",
  "Microsoft YaHei", sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem;
  margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; vertical-align: top;
  text-align: left; }
th { background: #f6f8fa; }
.docs td, .docs th { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; max-width: 100%; }
.targets td.num { text-align: right; white-space: nowrap; }
.targets td.nowrap { white-space: nowrap; }
.targets tr.changed td:first-child { color: #9a6700; font-weight: 600; }
.targets tr.added td:first-child { color: var(--ins); font-weight: 600; }
.targets tr.removed td:first-child { color: var(--del); font-weight: 600; }
.targets tr.unchanged { color: var(--muted); }
.up { color: var(--ins); } .down { color: var(--del); }
nav ol { padding-left: 1.5rem; columns: 2 20rem; }
.legend, .note, .meta { color: var(--muted); font-size: .9rem; }
del { color: var(--del); background: var(--del-bg); text-decoration: line-through; }
ins { color: var(--ins); background: var(--ins-bg); text-decoration: underline; }
.heads, .row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
  column-gap: 1.5rem; }
.heads { position: sticky; top: 0; background: #fff; font-weight: 600;
  border-bottom: 2px solid var(--line); z-index: 1; }
.row { border-bottom: 1px solid var(--line); padding: .5rem 0; }
.row .meta { grid-column: 1 / -1; }
.cell { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 0; }
.cell .ln { color: var(--muted); font-size: .8rem; margin-right: .4rem; white-space: nowrap; }
.cell.empty { background: repeating-linear-gradient(135deg, #fff 0 6px, #f6f8fa 6px 12px); }
.sub { grid-column: 1 / -1; font-weight: 600; color: var(--muted); margin-top: .75rem; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: .3rem; font-weight: 600;
  color: #fff; background: var(--muted); margin-right: .4rem; }
.st-modified .badge { background: #9a6700; } .st-added .badge { background: var(--ins); }
.st-removed .badge { background: var(--del); } .st-moved .badge { background: var(--moved); }
.ghost { color: var(--muted); }
.ghost .cell.old { border-left: 3px dashed var(--moved); padding-left: .5rem; }
a.partner { color: var(--moved); }
.row:target { outline: 3px solid var(--moved); outline-offset: 2px; background: #ddf4ff; }
.nolist { color: var(--muted); }
@media (max-width: 700px) {
  body { padding: .5rem .75rem 2rem; font-size: 15px; }
  .heads { display: none; }
  .row { grid-template-columns: minmax(0, 1fr); }
  .cell::before { content: attr(data-side); display: block; font-size: .8rem;
    font-weight: 600; color: var(--muted); }
  .cell.empty { display: none; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, .heads { position: static; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .row, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
}
"""


@dataclass(frozen=True)
class _Item:
    """One row of the comparison: a record, or the marker where a moved clause stood."""

    index: int
    alignment: Alignment
    ghost: bool = False


class _Page:
    def __init__(self, report: Report, view: View) -> None:
        self.report = report
        self.view = view
        self.words = view.labels
        self.glyphs = view.glyphs
        self.convert: Callable[[str], str] = display(view.script)

    def show(self, text: str) -> str:
        return esc(self.convert(text))

    def path(self, path: Sequence[str]) -> str:
        joined = f" {self.glyphs.path} ".join(path)
        return self.show(joined) if joined else esc(self.words.word("top of document"))

    # ---------------------------------------------------------------- head and summary

    def head(self) -> list[str]:
        report, words = self.report, self.words
        old, new = report.old.document, report.new.document
        title = f"policydiff: {old.name} {self.glyphs.arrow} {new.name}"
        rows = []
        for label, parsed in ((words.old, report.old), (words.new, report.new)):
            script = words.word(parsed.script.value)
            if parsed.script.value == "mixed":
                script += f" ({script_runs(parsed, words)})"
            date = self.show(parsed.date.text) if parsed.date else ""
            rows.append(
                f"<tr><th>{esc(label)}</th><td>{esc(parsed.document.path)}</td>"
                f"<td>{esc(script)}</td><td>{date}</td>"
                f"<td>{len(parsed.clauses)} {esc(words.word('clauses'))}</td></tr>"
            )
        return [
            f"<h1>{esc(title)}</h1>",
            '<div class="scroll"><table class="docs">',
            *rows,
            "</table></div>",
        ]

    def summary(self) -> list[str]:
        words, summary = self.words, self.report.summary
        dot = f" {self.glyphs.dot} "
        clauses = dot.join(f"{n} {esc(words.clause(s))}" for s, n in summary.clauses)
        targets = dot.join(f"{n} {esc(words.target(s))}" for s, n in summary.targets)
        out = [
            f'<h2 id="summary">{esc(words.word("summary"))}</h2>',
            "<ul>",
            f"<li>{esc(words.word('clauses'))}: {clauses}</li>",
            f"<li>{esc(words.word('targets'))}: {targets}</li>",
        ]
        if summary.front_matter_records:
            out.append(f"<li>{esc(words.word('front matter', summary.front_matter_records))}</li>")
        out.append("</ul>")
        if no_differences(self.report):
            out.append(f"<p><strong>{esc(words.word('no differences'))}</strong></p>")
        return out

    # ---------------------------------------------------------------- targets

    def targets(self) -> list[str]:
        words, glyphs = self.words, self.glyphs
        out = [f'<h2 id="targets">{esc(words.word("target changes"))}</h2>']
        rows = ordered_targets(self.report.targets, self.view.targets)
        if not self.report.targets:
            return [*out, f"<p>{esc(words.word('no targets'))}</p>"]
        old, new = self.report.old.document, self.report.new.document
        where = words.word("where" if old.locations or new.locations else "lines")
        heads = ["status", "metric", "old value", "new value", "change", "by"]
        out += [
            '<div class="scroll"><table class="targets">',
            "<thead><tr>"
            + "".join(f"<th>{esc(words.word(h))}</th>" for h in heads)
            + f"<th>{esc(where)}</th></tr></thead><tbody>",
        ]
        for change in rows:
            out.append(
                f'<tr class="{change.status.value}">'
                f"<td>{esc(words.target(change.status))}</td>"
                f"<td>{self.metric(change)}</td>"
                f'<td class="num">{self.show(target_value(change.old, glyphs))}</td>'
                f'<td class="num">{self.show(target_value(change.new, glyphs))}</td>'
                f"<td>{self.delta(change)}</td>"
                f'<td class="nowrap">{esc(target_deadline(change, glyphs))}</td>'
                f'<td class="nowrap">{self.target_link(change)}</td></tr>'
            )
        out.append("</tbody></table></div>")
        left_out = len(self.report.targets) - len(rows)
        if left_out:
            out.append(f'<p class="note">{esc(words.word("more targets", left_out))}</p>')
        return out

    def target_link(self, change: TargetChange) -> str:
        """The lines of a target, linked to the row of the clause that states it when that
        row is listed below."""
        old, new = self.report.old.document, self.report.new.document
        lines = esc(target_lines(change, old, new, self.glyphs))
        for index, alignment in enumerate(self.report.alignments):
            if alignment.front_matter or alignment.status not in self.view.show:
                continue
            # Clause ids are per document: a new target's clause is on the new side.
            sides = ((change.new, alignment.new), (change.old, alignment.old))
            if any(t is not None and t.clause in {c.id for c in cs} for t, cs in sides):
                return f'<a href="#r{index}">{lines}</a>'
        return lines

    def metric(self, change: TargetChange) -> str:
        if change.old and change.new and change.old.metric != change.new.metric:
            arrow = esc(f" {self.glyphs.arrow} ")
            old, new = self.show(change.old.metric), self.show(change.new.metric)
            return f"<del>{old}</del>{arrow}<ins>{new}</ins>"
        return self.show(change.metric)

    def delta(self, change: TargetChange) -> str:
        text = esc(target_delta(change, self.glyphs, self.words))
        for glyph, css in ((self.glyphs.up, "up"), (self.glyphs.down, "down")):
            if text.endswith(esc(glyph)):
                return text.removesuffix(esc(glyph)) + f'<span class="{css}">{esc(glyph)}</span>'
        return text

    # ---------------------------------------------------------------- 新旧对照

    def items(self) -> list[_Item]:
        """The listed records in report order, with a marker where each moved clause stood:
        after the last listed record (not itself moved) whose old lines come before it."""
        listed = [
            _Item(i, a)
            for i, a in enumerate(self.report.alignments)
            if not a.front_matter and a.status in self.view.show
        ]
        ghosts: dict[int, list[tuple[int, _Item]]] = {}
        for item in listed:
            if item.alignment.status is not ClauseStatus.MOVED or not item.alignment.old:
                continue
            line = min(c.line for c in item.alignment.old)
            at = 0
            for position, other in enumerate(listed):
                a = other.alignment
                stayed = a.status is not ClauseStatus.MOVED and a.old
                if stayed and max(c.line for c in a.old) < line:
                    at = position + 1
            ghosts.setdefault(at, []).append((line, _Item(item.index, item.alignment, True)))
        out: list[_Item] = []
        for position in range(len(listed) + 1):
            out.extend(ghost for _, ghost in sorted(ghosts.get(position, []), key=lambda g: g[0]))
            if position < len(listed):
                out.append(listed[position])
        return out

    def groups(self, items: list[_Item]) -> Iterator[tuple[tuple[str, ...], list[_Item]]]:
        """Runs of items under one top-level section; a heading record that opens the next
        record's section belongs to it, and a marker goes with the record before it."""
        keys: list[tuple[str, ...] | None] = []
        for item in items:
            keys.append(None if item.ghost else item.alignment.section[:1])
        for i in range(len(items) - 2, -1, -1):
            nxt = keys[i + 1]
            if keys[i] == () and nxt and not items[i].ghost and _opens(items[i].alignment, nxt):
                keys[i] = nxt
        last: tuple[str, ...] = ()
        for i, key in enumerate(keys):
            if key is None:
                following = next((k for k in keys[i + 1 :] if k is not None), last)
                keys[i] = last if i else following
            last = keys[i] or ()
        start = 0
        for i in range(1, len(items) + 1):
            if i == len(items) or keys[i] != keys[start]:
                yield keys[start] or (), items[start:i]
                start = i

    def comparison(self) -> tuple[list[str], list[str]]:
        """The 新旧对照 sections, and the contents entries pointing at them."""
        words = self.words
        out = [f'<h2 id="clauses">{esc(words.word("comparison table"))}</h2>']
        out.append(f'<p class="legend">{esc(words.word("legend"))}</p>')
        items = self.items()
        contents: list[str] = []
        if not items:
            return [*out, f"<p>{esc(words.word('no clause changed'))}</p>"], contents
        heads = (
            f'<div class="heads"><div>{esc(words.old)}: {esc(self.report.old.document.name)}'
            f"</div><div>{esc(words.new)}: {esc(self.report.new.document.name)}</div></div>"
        )
        for number_, (key, run) in enumerate(self.groups(items), start=1):
            title = self.path(key)
            count = sum(1 for item in run if not item.ghost)
            contents.append(f'<li><a href="#s{number_}">{title}</a> ({count})</li>')
            out += [f'<section id="s{number_}">', f"<h3>{title}</h3>", heads]
            current: tuple[str, ...] | None = None
            for item in run:
                section = item.alignment.section
                if not item.ghost and section != current and len(section) > 1:
                    out.append(f'<div class="sub">{self.path(section[1:])}</div>')
                if not item.ghost:
                    current = section
                out.append(self.ghost(item) if item.ghost else self.row(item))
            out.append("</section>")
        return out, contents

    def side(self, clauses: Sequence[Clause], document: Document, body: str, label: str) -> str:
        css = "old" if label == self.words.old else "new"
        if not clauses:
            return f'<div class="cell {css} empty" data-side="{esc(label)}"></div>'
        where = _lines(clauses, document) if document.locations else f"L{_lines(clauses)}"
        return (
            f'<div class="cell {css}" data-side="{esc(label)}">'
            f'<span class="ln">{esc(where)}</span>{body}</div>'
        )

    def marked(self, alignment: Alignment, side: DiffOp) -> str:
        tag = "del" if side is DiffOp.DELETE else "ins"
        return "".join(
            f"<{tag}>{self.show(text)}</{tag}>" if marked else self.show(text)
            for text, marked in diff_side(alignment, side)
        )

    def whole(self, clauses: Sequence[Clause], tag: str | None = None) -> str:
        text = "".join(self.show(c.text) for c in clauses)
        return f"<{tag}>{text}</{tag}>" if tag else text

    def row(self, item: _Item) -> str:
        a, words = item.alignment, self.words
        if a.status is ClauseStatus.ADDED:
            old_body, new_body = "", self.whole(a.new, "ins")
        elif a.status is ClauseStatus.REMOVED:
            old_body, new_body = self.whole(a.old, "del"), ""
        elif a.diff:
            old_body, new_body = self.marked(a, DiffOp.DELETE), self.marked(a, DiffOp.INSERT)
        else:
            old_body, new_body = self.whole(a.old), self.whole(a.new)
        meta = [f'<span class="badge">{esc(record_label(a, words))}</span>']
        if self.view.verbose and a.old and a.new:
            meta.append(esc(words.word("similarity", number(round(a.similarity, 2)))))
        note = record_note(a, words, f" {self.glyphs.path} ")
        if note:
            meta.append(self.show(note))
        if a.script_only:
            meta.append(esc(words.word("script only")))
        if a.status is ClauseStatus.MOVED:
            meta.append(
                f'<a class="partner" href="#g{item.index}">{esc(words.word("partner"))}</a>'
            )
        old = self.side(a.old, self.report.old.document, old_body, words.old)
        new = self.side(a.new, self.report.new.document, new_body, words.new)
        return (
            f'<div class="row st-{a.status.value}" id="r{item.index}">'
            f'<div class="meta">{" ".join(meta)}</div>{old}{new}</div>'
        )

    def ghost(self, item: _Item) -> str:
        """Where a moved clause stood in the old document, linked to its new place."""
        a, words = item.alignment, self.words
        target = self.path(a.section)
        link = (
            f'<a class="partner" href="#r{item.index}">'
            f"{esc(words.word('moved to', ''))}{target}</a>"
        )
        old = self.side(a.old, self.report.old.document, self.whole(a.old), words.old)
        new = self.side((), self.report.new.document, "", words.new)
        return (
            f'<div class="row ghost st-moved" id="g{item.index}">'
            f'<div class="meta"><span class="badge">{esc(words.clause(a.status))}</span>'
            f"{link}</div>{old}{new}</div>"
        )


def render(report: Report, view: View | None = None) -> str:
    """The report as one HTML page (UTF-8, no external resource)."""
    view = view or View()
    page = _Page(report, view)
    comparison, contents = page.comparison()
    words = view.labels
    nav = [
        f'<nav id="contents"><h2>{esc(words.word("contents"))}</h2><ol>',
        f'<li><a href="#summary">{esc(words.word("summary"))}</a></li>',
        f'<li><a href="#targets">{esc(words.word("target changes"))}</a></li>',
        f'<li><a href="#clauses">{esc(words.word("comparison table"))}</a><ol>',
        *contents,
        "</ol></li></ol></nav>",
    ]
    old, new = report.old.document.name, report.new.document.name
    lang = "zh-CN" if words.lang == "zh" else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(f'policydiff: {old} {view.glyphs.arrow} {new}')}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        *page.head(),
        "</header>",
        *nav,
        "<main>",
        *page.summary(),
        *page.targets(),
        *comparison,
        "</main>",
        f'<footer class="note"><p>{esc(words.word("generated"))}</p></footer>',
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
