"""compare(old, new, *, options) -> Report: the stages wired in order.

1. load      (load.py)      bytes -> Document; extract/ reads web pages, .docx and PDF
2. normalise (normalise.py) canonical text, page-break repair, script detection
3. segment   (segment.py)   Document -> clauses with heading paths and lines
4. align     (align.py)     old clauses x new clauses -> alignment records
5. targets   (targets.py)   clauses -> targets; old x new targets -> changes
6. render    (render/)      Report -> text, Markdown or JSON
"""

from __future__ import annotations

from collections import Counter

from .align import align
from .model import (
    Clause,
    ClauseStatus,
    Document,
    Options,
    ParsedDocument,
    Report,
    Summary,
    Target,
    TargetKind,
    TargetStatus,
)
from .normalise import detect_script, page_number_lines
from .patterns import DATE_LINE
from .segment import segment
from .targets import block_pairs, extract_document_targets, pair_targets


def parse(document: Document) -> ParsedDocument:
    """Segment a document and detect the script of its body (front matter aside)."""
    clauses = segment(document)
    body_start = next((c.line for c in clauses if not c.front_matter), None)
    lines = document.text.splitlines()
    if body_start is None:
        body_text = ""
    else:
        # Blank lines keep the body's line numbers right in the script spans.
        body_text = "\n" * (body_start - 1) + "\n".join(lines[body_start - 1 :])
    script, spans = detect_script(body_text)
    dropped = tuple(sorted(page_number_lines(document.text)))
    return ParsedDocument(document, script, spans, clauses, _signature_date(clauses), dropped)


def _signature_date(clauses: tuple[Clause, ...]) -> Clause | None:
    """The last date line of the front matter (where segment ended it), else of the text."""
    dated = [c for c in clauses if DATE_LINE.match(c.text)]
    front = [c for c in dated if c.front_matter]
    chosen = front or dated
    return chosen[-1] if chosen else None


DEFAULT_OPTIONS = Options()


def document_targets(parsed: ParsedDocument) -> tuple[Target, ...]:
    """The quantitative targets one document states, in document order."""
    return extract_document_targets(parsed.clauses)


def compare(
    old: Document | ParsedDocument,
    new: Document | ParsedDocument,
    *,
    options: Options = DEFAULT_OPTIONS,
) -> Report:
    """Compare two versions of a document.

    >>> report = compare(Document("a.txt", "一、总则\\n目标达到90%。"),
    ...                  Document("b.txt", "一、總則\\n目標達到90%。"))
    >>> [a.status.value for a in report.alignments], report.alignments[1].script_only
    (['unchanged', 'unchanged'], True)

    Either side may be a document `parse` already read, so one reference is parsed
    once and compared with many:

    >>> reference = parse(Document("plan.txt", "一、目标\\n覆盖率达到90%。"))
    >>> [compare(reference, Document(f"{n}.txt", f"一、目标\\n覆盖率达到{n}%。")).targets[0]
    ...  .status.value for n in (90, 95)]
    ['unchanged', 'changed']
    """
    old_parsed = old if isinstance(old, ParsedDocument) else parse(old)
    new_parsed = new if isinstance(new, ParsedDocument) else parse(new)
    front = align(
        [c for c in old_parsed.clauses if c.front_matter],
        [c for c in new_parsed.clauses if c.front_matter],
        threshold=options.threshold,
        params=options.align,
    )
    body = align(
        old_parsed.body, new_parsed.body, threshold=options.threshold, params=options.align
    )
    alignments = front + body
    old_targets, new_targets = document_targets(old_parsed), document_targets(new_parsed)
    # Facts (what a report says happened) are listed apart and never paired.
    old_facts = tuple(t for t in old_targets if t.kind is TargetKind.FACT)
    facts = old_facts + tuple(t for t in new_targets if t.kind is TargetKind.FACT)
    targets = pair_targets(
        [t for t in old_targets if t.kind is not TargetKind.FACT],
        [t for t in new_targets if t.kind is not TargetKind.FACT],
        clause_pairs={(o.id, n.id) for a in body for o in a.old for n in a.new},
        block_pairs=block_pairs(old_parsed.body, new_parsed.body, body),
    )
    clause_counts = Counter(a.status for a in body)
    target_counts = Counter(t.status for t in targets)
    summary = Summary(
        clauses=tuple((status, clause_counts[status]) for status in ClauseStatus),
        targets=tuple((status, target_counts[status]) for status in TargetStatus),
        front_matter_records=len(front),
    )
    return Report(
        old_parsed, new_parsed, alignments, targets, summary, options, facts, len(old_facts)
    )
