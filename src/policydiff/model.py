"""Frozen value types that flow between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .errors import UsageError


class Script(StrEnum):
    """The Chinese script a document (or a run of its lines) is written in."""

    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"
    MIXED = "mixed"
    UNKNOWN = "unknown"  # no Chinese characters that tell the scripts apart


class ClauseKind(StrEnum):
    """A heading (its title, as in 一、总体要求) or a sentence of text."""

    HEADING = "heading"
    CLAUSE = "clause"


class ClauseStatus(StrEnum):
    """What became of a clause: the statuses of docs/json.md."""

    UNCHANGED = "unchanged"
    MODIFIED = "modified"
    MOVED = "moved"
    ADDED = "added"
    REMOVED = "removed"


class TargetStatus(StrEnum):
    """What became of a target: changed (value, range, unit, comparator or deadline)."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    ADDED = "added"
    REMOVED = "removed"


class TargetKind(StrEnum):
    """What a number states: a goal to reach, a limit a rule sets, or a fact reported."""

    GOAL = "goal"  # 到2025年达到…, 今年…左右, a cap or floor a plan imposes
    LIMIT = "limit"  # a fine's range or cap, a time limit, a minimum count, a frequency
    FACT = "fact"  # what happened: 去年增长8.1%; never paired, listed apart


class Comparator(StrEnum):
    """How a target's value is bounded: 以上 is `>=`, 超过 is `>`, 左右 is `~`..."""

    GE = ">="
    GT = ">"
    APPROX = "~"
    LE = "<="
    LT = "<"
    EQ = "="


class Direction(StrEnum):
    """Which way a target's value moved."""

    UP = "up"
    DOWN = "down"


class DiffOp(StrEnum):
    """A word-diff run: on both sides, deleted from old, or inserted in new."""

    EQUAL = "="
    DELETE = "-"
    INSERT = "+"


@dataclass(frozen=True)
class Document:
    """A decoded input file.

    `text` is the decoded text with LF line endings and no control characters
    other than \n and \t (docs/input.md), so line numbers computed from it are
    the ones an editor shows. For a document extracted from an HTML page, a
    .docx or a PDF (`format` "html", "docx", "pdf"), `text` holds one paragraph
    a line with blank lines between, and `locations` has one label per line of
    `text` ("page 3", "paragraph 12", "table 1 row 2") saying where it came
    from; for plain text it is empty and line numbers apply.
    """

    path: str
    text: str
    encoding: str = "utf-8"
    format: str = "txt"
    locations: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """What reading had to guess or leave out, one sentence each (an unknown declared
    charset, running headers dropped from a PDF); the CLI prints them on stderr."""

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


def line_at(breaks: tuple[tuple[int, int], ...], offset: int, first_line: int) -> int:
    """The line of the character at `offset`, given (offset, line) where new lines start."""
    line = first_line
    for start, start_line in breaks:
        if start > offset:
            break
        line = start_line
    return line


@dataclass(frozen=True)
class ScriptSpan:
    """A run of lines, 1-based and inclusive, written in one script."""

    script: Script
    first_line: int
    last_line: int


@dataclass(frozen=True)
class Clause:
    """One sentence-level unit of a document, or one heading.

    Invariants: `text` is the original characters of the file (in its own
    script and width) with page-break gaps removed; `normalized` is the
    canonical form used for matching; `path` holds the titles of the headings
    above the clause, outermost first; `line <= end_line`.
    """

    id: str
    kind: ClauseKind
    path: tuple[str, ...]
    text: str
    normalized: str
    line: int
    end_line: int
    front_matter: bool = False
    key: str = field(default="", compare=False)
    """`normalized` without heading numbers or closing punctuation: what alignment compares."""
    breaks: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    """Where `text` moves to a later source line: (offset in text, line) pairs,
    for a clause rejoined across a page break."""

    def line_at(self, offset: int) -> int:
        """The source line of the character at `offset` in `text`."""
        return line_at(self.breaks, offset, self.line)


@dataclass(frozen=True)
class ParsedDocument:
    """A document after normalisation and segmentation."""

    document: Document
    script: Script
    script_spans: tuple[ScriptSpan, ...]
    clauses: tuple[Clause, ...]
    date: Clause | None = None
    """The signature date standing alone on a line (2025年3月1日), if any."""
    page_number_lines: tuple[int, ...] = ()
    """Lines dropped as page numbers a PDF copy left in the text (- 3 -)."""

    @property
    def body(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.front_matter)

    @property
    def front_matter_count(self) -> int:
        return sum(1 for c in self.clauses if c.front_matter)


@dataclass(frozen=True)
class DiffSegment:
    """A run of words that is equal on both sides, deleted from old or inserted in new.

    An equal run's `text` is as the new side writes it; `old_text` is set when
    the old side writes it otherwise (spacing, width: 300 项 against 300项).
    """

    op: DiffOp
    text: str
    old_text: str | None = None

    @property
    def old_side(self) -> str:
        return self.text if self.old_text is None else self.old_text


@dataclass(frozen=True)
class Alignment:
    """One record of the clause diff: clauses on the old side, clauses on the new side.

    Invariants: `old` is empty exactly when the status is ADDED and `new` is
    empty exactly when it is REMOVED; several clauses on one side mean a split
    (one old, several new) or a merge (several old, one new). `edited` is
    false for UNCHANGED and true for MODIFIED; a MOVED record may be either.
    """

    status: ClauseStatus
    old: tuple[Clause, ...]
    new: tuple[Clause, ...]
    similarity: float
    edited: bool
    script_only: bool = False
    diff: tuple[DiffSegment, ...] = ()
    section: tuple[str, ...] = ()
    """The heading path the record is listed under: the new side's, or for a removed
    clause the section of the paired clause before it in the old document."""
    old_section: tuple[str, ...] | None = None
    """Where the old clause stood when that place did not become `section` (a
    heading's parent path, () for the top level); None when it did."""
    with_section: bool = False
    """A moved clause whose section heading moved as well: it went along with it."""

    @property
    def front_matter(self) -> bool:
        return any(c.front_matter for c in (*self.old, *self.new))


@dataclass(frozen=True)
class Target:
    """A quantitative target stated in a clause, e.g. 合格率达到98%以上.

    `value` is the number (the lower bound of a range such as 1—2个, whose
    upper bound is `upper`); `unit` is "" for an index; `span` is the original
    text the target was read from. `scale` is the 万/亿 the text wrote the number
    with when it is folded into `value` (10万个: value 100000, scale 万), else "".
    """

    metric: str
    value: float
    unit: str
    comparator: Comparator
    span: str
    clause: str
    line: int
    deadline: int | None = None
    hedged: bool = False
    upper: float | None = None
    scale: str = ""
    kind: TargetKind = TargetKind.GOAL


@dataclass(frozen=True)
class TargetChange:
    """One row of the target table: an old target, a new one, or a pair of them.

    `delta` is new minus old (in percentage points when the unit is %);
    `relative` is delta / old for counts, None for percentages or a zero base.
    """

    status: TargetStatus
    metric: str
    old: Target | None
    new: Target | None
    delta: float | None = None
    relative: float | None = None
    direction: Direction | None = None
    comparator_changed: bool = False


@dataclass(frozen=True)
class AlignParams:
    """The knobs of clause alignment (align.py), each with what it trades.

    Similarities are on rapidfuzz's 0-100 scale. docs/pipeline.md gives the reason
    for each default and what was measured; change one with `dataclasses.replace`
    and run `python bench/accuracy.py` to see what it does.
    """

    containment_min: float = 80.0
    """A leftover clause joins a neighbour's pair (a split or merge) only if it is at
    least this much contained in the other side (partial ratio). Lower: more merges
    found, more stray sentences glued on."""
    join_gain_min: float = 2.0
    """...and only if joining makes the pair at least this much more alike."""
    max_group: int = 3
    """The most clauses on the several-clause side of a split or merge."""
    exhaustive_pairs: int = 400_000
    """Up to this many clause pairs every pair is scored; above, each clause only
    against its likeliest candidates. Higher: slower on big documents, never worse."""
    rescue_pairs: int = 5_000
    """The later stages that rescue leftovers (grown sentences, merges across
    sections, headings read as sentences) weigh phrase by phrase, which costs more
    than a ratio: they consider every pair up to this many, blocked candidates above."""
    block_candidates: int = 25
    """How many candidates each clause keeps when blocking. Lower: faster, may miss
    a counterpart in a document full of near-duplicates."""
    exact_rank_max: int = 10_000
    """A key standing m times in the old text and n in the new ranks every one of its
    m x n pairs by section likeness up to this; above, it pairs within equal sections,
    then by position, in near-linear time (a file of thousands of 责任单位 notes)."""
    block_postings: int = 300
    """When blocking, each clause counts shared bigrams over its rarest bigrams until
    their postings reach this many clauses. Higher: slower, steadier candidates."""
    stray_equal_max: int = 2
    """The longest equal run of a word diff folded into the edits around it."""
    heading_extra: float = 10.0
    """Extra similarity two headings need when no clause under them paired: short
    titles are alike by chance more often than sentences."""
    section_content_min: float = 20.0
    """Headings alike only by title (heading_extra to twice that above the cutoff)
    pair when the text under them is at least this alike."""
    section_text_max: int = 2_000
    """...comparing at most this many characters from the start of each section (the
    cost of the comparison grows with the product of the lengths)."""
    section_share_min: float = 0.5
    """Share (Jaccard) of clause pairs two sections need to pair whatever their titles."""
    section_links_min: int = 2
    """...and at least this many clause pairs: one shared sentence is weak evidence."""
    context_slack: float = 15.0
    """How much less similarity a lone clause under two paired headings needs."""
    context_bonus: float = 10.0
    """Similarity added, when sentences that paired out of their section's context
    pair again, to a pair that keeps to the section its neighbours went to. Higher:
    repeated formulas stay in their articles, a sentence that really moved to
    another article is likelier to be pulled back."""
    phrase_found_min: float = 80.0
    """How well (partial ratio) a phrase must be found elsewhere to count as carried
    over, for the two rules below."""
    contained_min: float = 0.5
    """Two leftover sentences of corresponding sections pair when the lead of the
    shorter is found in the longer and at least this share of its phrases is.
    Lower: more sentences that grew pair, more chance pairs by a shared phrase."""
    join_cover_min: float = 0.2
    """A leftover sentence of the same section joins a pair (a split or merge with
    other sentences between) when it leads with a phrase of the other side and
    covers at least this much more of it."""
    join_window: int = 4
    """...when it stands at most this many sentences from the pair's own: a section
    without subheadings can be a whole chapter of a report, where a phrase such as
    回顾过去一年 recurs far apart."""
    merge_cover_min: float = 0.8
    """A leftover sentence of another section joins a pair (a merge across sections)
    when a sentence of the pair holds at least this share of its phrases, lead first,
    and its partner holds at most half as much less. Lower: more merges found, more
    stray sentences glued on."""
    merge_chars_min: int = 20
    """...and the leftover sentence has at least this many characters and stands once
    (构成犯罪的，依法追究刑事责任 is held by many sentences and joins none)."""
    across_kinds_min: float = 80.0
    """A leftover heading and a leftover sentence pair when they are at least this
    alike (a list item read as a title on one side)."""
    lead_check_below: float = 65.0
    """Below this similarity two sentences pair only when the lead phrase of one is
    found in the other. Higher: fewer pairs of sentences that only reuse wording,
    more rewritten leads lost."""
    lead_found_min: float = 60.0
    """How well (partial ratio) a lead phrase must be found in the other sentence."""
    lead_min_chars: int = 4
    """A phrase shorter than this (同时，为此，) is a connective, not the lead."""


@dataclass(frozen=True)
class Options:
    """Everything that changes what `compare` computes (not how it is shown)."""

    threshold: float = 0.5
    """Similarity (0-1) below which two clauses are not paired."""
    align: AlignParams = field(default_factory=AlignParams)
    """The finer knobs of alignment; `threshold` is the one the CLI exposes."""

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:  # also refuses nan
            raise UsageError(
                f"threshold (--threshold) must be between 0 and 1, got {self.threshold}"
            )


@dataclass(frozen=True)
class Summary:
    """Counts by status: of the body's clause records, and of the target rows.

    Front-matter records are counted apart, never as changes.
    """

    clauses: tuple[tuple[ClauseStatus, int], ...]
    targets: tuple[tuple[TargetStatus, int], ...]
    front_matter_records: int = 0


@dataclass(frozen=True)
class Report:
    """The finished comparison that renderers turn into text, Markdown or JSON."""

    old: ParsedDocument
    new: ParsedDocument
    alignments: tuple[Alignment, ...]
    targets: tuple[TargetChange, ...]
    summary: Summary
    options: Options
    facts: tuple[Target, ...] = ()
    """Numbers reported as facts (kind FACT): the old side's, then the new side's; never paired."""
    old_fact_count: int = 0
    """How many of `facts` come from the old document (they come first)."""

    @property
    def old_facts(self) -> tuple[Target, ...]:
        return self.facts[: self.old_fact_count]

    @property
    def new_facts(self) -> tuple[Target, ...]:
        return self.facts[self.old_fact_count :]
