"""The Markdown report: table structure, escaping of hostile text, targets with evidence, golden."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from policydiff import (
    ClauseStatus,
    Comparator,
    Document,
    Options,
    Report,
    Target,
    TargetChange,
    TargetStatus,
    UsageError,
    compare,
    load,
)
from policydiff.model import (
    Alignment,
    Clause,
    ClauseKind,
    DiffOp,
    DiffSegment,
    Direction,
    ParsedDocument,
    Script,
    Summary,
)
from policydiff.normalise import to_simplified
from policydiff.render import markdown

from .conftest import ROOT

OWN_HTML = {"<del>", "</del>", "<ins>", "</ins>", "<br>"}
GOLDEN = ROOT / "tests" / "data" / "cases" / "sample" / "expected.md"

# Each document has hostile text in clauses that end up modified, moved, added,
# removed and in headings. Sentences avoid ;!? so each string stays in one clause.
HOSTILE_OLD = """一、总则 | <b>x</b>

（一）基本目标。甲 | 乙 <script>alert(1)</script> 丙。`code` *bold* _x_ [link](http://x) 保持不变。旧的 ** 删除 __ 句子 </del> 不再保留。

二、任务 `x`

（二）推进措施。推动 <img src=x onerror=alert(1)> 建设平台。健全 ~~机制~~ 和 $x$ 体系。

（三）保障措施。加强组织领导，落实 [责任](javascript:alert(1)) 分工。
"""
HOSTILE_NEW = """一、总则 | <b>x</b>

（一）基本目标。甲 | 乙 <script>alert(2)</script> 丙 `more`。`code` *bold* _x_ [link](http://x) 保持不变。新增 ~~句子~~ $x$ # 标题 <ins> 条款 \\| 反斜杠。

二、任务 `x`

（二）保障措施。加强组织领导，落实 [责任](javascript:alert(1)) 分工。

（三）推进措施。推动 <img src=x onerror=alert(1)> 建设平台。健全 ~~机制~~ 和 $y$ 体系。
"""
# Strings a segmenter would split or a file would rarely hold, put straight into a model.
RAW_HOSTILE = [
    "line one\nline two | <b>",
    "crlf\r\nand\u2028separator",
    "![img](http://x/i.png) &lt;b&gt; &amp; &#124; <!-- c -->",
    "</del></ins><br> 1. - > # heading",
    "\\| backslash pipe \\",
]


# ---------------------------------------------------------------- helpers


def parse(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def plain(inline: Token) -> str:
    """What a reader sees in an inline token: text, with our <br> as a newline."""
    out = []
    for child in inline.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "html_inline" and child.content == "<br>":
            out.append("\n")
    return "".join(out)


def tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Every table as rows of cells (the inline token of each cell), header row first."""
    found: list[list[list[Token]]] = []
    row: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(tokens[index + 1])
        elif token.type == "tr_close":
            found[-1].append(row)
    return found


def assert_tables_well_formed(text: str) -> None:
    """Every row of every table has as many cells as its header, and no cell was split."""
    tokens = parse(text)
    lines = text.splitlines()
    for token, table in zip(
        (t for t in tokens if t.type == "table_open"), tables(tokens), strict=True
    ):
        assert len(table) >= 2, "a table without body rows"
        width = len(table[0])
        assert all(len(row) == width for row in table), [len(row) for row in table]
        # markdown-it pads a short row and drops extra cells: count the raw pipes too.
        assert token.map is not None
        for line in lines[token.map[0] : token.map[1]]:
            assert line.count("|") == width + 1, line


def assert_only_own_html(text: str) -> None:
    tokens = parse(text)
    assert not [t for t in walk(tokens) if t.type == "html_block"]
    inline_html = {t.content for t in walk(tokens) if t.type == "html_inline"}
    assert inline_html <= OWN_HTML, inline_html - OWN_HTML


def assert_no_document_markup(text: str) -> None:
    """Documents cannot create links, images or code spans; the report itself writes none."""
    kinds = {t.type for t in walk(parse(text))}
    assert not kinds & {"link_open", "image", "code_inline", "code_block", "fence", "s_open"}


def visible(text: str) -> str:
    """Everything a reader sees in the rendered report, one inline block per line."""
    return "\n".join(plain(t) for t in walk(parse(text)) if t.type == "inline")


def hostile_report() -> Report:
    return compare(Document("old.txt", HOSTILE_OLD), Document("new.txt", HOSTILE_NEW))


def clause(id: str, text: str, line: int, kind: ClauseKind = ClauseKind.CLAUSE) -> Clause:
    return Clause(id, kind, ("一、总则 | <i>\nx",), text, text, line, line)


def parsed(name: str, clauses: tuple[Clause, ...]) -> ParsedDocument:
    return ParsedDocument(Document(name, ""), Script.SIMPLIFIED, (), clauses)


def raw_report() -> Report:
    """A report built by hand, so clause text can hold what segmentation never emits."""
    section = ("一、总则 | <i>\nx",)
    old = tuple(clause(f"c{i}", text + " 旧", i) for i, text in enumerate(RAW_HOSTILE, start=1))
    new = tuple(clause(f"c{i}", text + " 新", i) for i, text in enumerate(RAW_HOSTILE, start=1))
    alignments = tuple(
        Alignment(
            ClauseStatus.MODIFIED,
            (o,),
            (n,),
            0.9,
            True,
            diff=(
                DiffSegment(DiffOp.EQUAL, text),
                DiffSegment(DiffOp.DELETE, " 旧"),
                DiffSegment(DiffOp.INSERT, " 新"),
            ),
            section=section,
        )
        for o, n, text in zip(old, new, RAW_HOSTILE, strict=True)
    )
    added = clause("c9", RAW_HOSTILE[0], 9)  # a whole clause in <ins>
    alignments += (Alignment(ClauseStatus.ADDED, (), (added,), 0.0, True, section=section),)
    changes = tuple(
        TargetChange(
            TargetStatus.CHANGED,
            text,
            Target(text, 1, "个|<u>", Comparator.GE, text, o.id, o.line),
            Target(text, 2, "个|<u>", Comparator.GE, text, n.id, n.line),
            delta=1,
            relative=1.0,
            direction=Direction.UP,
        )
        for o, n, text in zip(old, new, RAW_HOSTILE, strict=True)
    )
    summary = Summary(tuple((s, 0) for s in ClauseStatus), tuple((s, 0) for s in TargetStatus))
    return Report(
        parsed("old.txt", old),
        parsed("new.txt", (*new, added)),
        alignments,
        changes,
        summary,
        Options(),
    )


@pytest.fixture(scope="module")
def sample() -> Report:
    # The paths as the CLI gets them from the repository root, as in the golden case.
    return compare(
        load(str(ROOT / "data" / "draft_2023.txt")), load(str(ROOT / "data" / "final_2024.txt"))
    )


def with_paths(report: Report, old: str, new: str) -> Report:
    """The report as if the files had been named `old` and `new` (as the golden case runs)."""
    return dataclasses.replace(
        report,
        old=dataclasses.replace(
            report.old, document=dataclasses.replace(report.old.document, path=old)
        ),
        new=dataclasses.replace(
            report.new, document=dataclasses.replace(report.new.document, path=new)
        ),
    )


def sample_targets(report: Report) -> Report:
    """The sample report with the target changes targets.py should find in it, by hand."""

    def target(metric: str, value: float, unit: str, span: str, c: Clause) -> Target:
        return Target(metric, value, unit, Comparator.GE, span, c.id, c.line)

    def find(parsed: ParsedDocument, words: str) -> Clause:
        return next(c for c in parsed.clauses if words in c.text)

    food_old = find(report.old, "食品抽检合格率达到98%")
    food_new = find(report.new, "食品抽檢合格率达到98.5%")
    changes = (
        TargetChange(
            TargetStatus.CHANGED,
            "食品抽检合格率",
            target("食品抽检合格率", 98, "%", "食品抽检合格率达到98%以上", food_old),
            target("食品抽檢合格率", 98.5, "%", "食品抽檢合格率达到98.5%以上", food_new),
            delta=0.5,
            direction=Direction.UP,
        ),
        TargetChange(
            TargetStatus.ADDED,
            "首席质量官",
            None,
            target(
                "首席质量官", 10000, "名", "设立10000名以上首席质量官", find(report.new, "10000名")
            ),
        ),
        TargetChange(
            TargetStatus.REMOVED,
            "重点产品质量提升行动",
            target(
                "重点产品质量提升行动",
                3,
                "类",
                "每年选取 3 类以上重点产品",
                find(report.old, "每年选取 3 类"),
            ),
            None,
        ),
    )
    summary = dataclasses.replace(
        report.summary,
        targets=(
            (TargetStatus.CHANGED, 1),
            (TargetStatus.UNCHANGED, 0),
            (TargetStatus.ADDED, 1),
            (TargetStatus.REMOVED, 1),
        ),
    )
    return dataclasses.replace(report, targets=changes, summary=summary)


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a&#124;b"),
        ("<script>", "&lt;script&gt;"),
        ("&amp;", "&amp;amp;"),
        ("`*_[]~#$", "\\`\\*\\_\\[\\]\\~\\#\\$"),
        ("\\|", "\\\\&#124;"),
        ("a\nb\r\nc\rd\u2028e", "a<br>b<br>c<br>d<br>e"),
        ("中文，不变。", "中文，不变。"),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert markdown.escape(text) == expected


@pytest.mark.parametrize("text", [*RAW_HOSTILE, "*bold* _x_ `c` [l](http://x) ~~s~~ $m$"])
def test_escape_shows_the_text_as_is(text: str) -> None:
    rendered = f"| a | b |\n|---|---|\n| {markdown.escape(text)} | x |\n"
    assert_tables_well_formed(rendered)
    assert_only_own_html(rendered)
    assert_no_document_markup(rendered)
    cells = tables(parse(rendered))[0][1]
    expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    assert plain(cells[0]) == expected


def test_hostile_documents_cover_every_row_kind() -> None:
    statuses = {a.status for a in hostile_report().alignments}
    assert statuses == set(ClauseStatus)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_hostile_documents_render_safely(script: str) -> None:
    report = hostile_report()
    text = markdown.render(report, script=script)
    assert_tables_well_formed(text)
    assert_only_own_html(text)
    assert_no_document_markup(text)
    if script == "simplified":
        shown = visible(text)
        for a in report.alignments:
            if a.status is not ClauseStatus.UNCHANGED:
                for side in (a.old, a.new):
                    joined = to_simplified("".join(c.text for c in side))
                    assert joined in shown, joined


def test_hostile_text_survives_as_text() -> None:
    shown = visible(markdown.render(hostile_report()))
    for fragment in (
        "甲 | 乙 <script>alert(1)</script> 丙。",
        "旧的 ** 删除 __ 句子 </del> 不再保留。",
        "新增 ~~句子~~ $x$ # 标题 <ins> 条款 \\| 反斜杠。",
        "落实 [责任](javascript:alert(1)) 分工。",
        "一、总则 | <b>x</b>",
        "（一）基本目标",
        "二、任务 `x` › （二）保障措施",
    ):
        assert fragment in shown, fragment


def test_line_breaks_in_document_text_become_br() -> None:
    text = markdown.render(raw_report())
    assert_tables_well_formed(text)
    assert_only_own_html(text)
    assert_no_document_markup(text)
    shown = visible(text)
    assert "line one\nline two | <b> 新" in shown
    assert "crlf\nand\nseparator 旧" in shown
    assert "![img](http://x/i.png) &lt;b&gt; &amp; &#124; <!-- c -->" in shown
    # the section title with a newline stays one heading
    tokens = parse(text)
    titles = [plain(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert titles.count("一、总则 | <i>\nx") == 1


def test_every_listed_record_is_one_row(sample: Report) -> None:
    text = markdown.render(sample)
    clause_part = text.split("## Clause changes", 1)[1].split("## Moved clauses", 1)[0]
    # One table per top-level section; a row in italics names each sub-heading on the way.
    subheadings = [
        row
        for table in tables(parse(clause_part))
        for row in table[1:]
        if row[0].children and row[0].children[0].type == "em_open"
    ]
    assert subheadings
    rows = sum(len(table) - 1 for table in tables(parse(clause_part))) - len(subheadings)
    listed = [
        a
        for a in sample.alignments
        if not a.front_matter and a.status is not ClauseStatus.UNCHANGED
    ]
    assert rows == len(listed)
    front = sum(1 for a in sample.alignments if a.front_matter)
    assert f"Front matter (notice, contacts, signature): {front} records, not listed." in text


def test_sections_appear_in_order(sample: Report) -> None:
    text = markdown.render(sample)
    order = [
        "# policydiff:",
        "## Summary",
        "## Target changes",
        "## Added and removed targets",
        "## Clause changes (新旧对照)",
        "## Moved clauses",
    ]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_title_names_files_scripts_and_dates(sample: Report) -> None:
    text = markdown.render(sample)
    assert text.startswith("# policydiff: draft\\_2023.txt → final\\_2024.txt\n")
    assert "| Date | 2023年9月14日 (line 22) | 2024年1月26日 (line 18) |" in text
    assert (
        "| Script | simplified | mixed: traditional in lines 20–34, simplified in lines 36–136 |"
        in text
    )


def test_moved_clauses_list_from_and_to(sample: Report) -> None:
    text = markdown.render(sample)
    moved = [a for a in sample.alignments if a.status is ClauseStatus.MOVED and not a.front_matter]
    items = [
        line for line in text.split("## Moved clauses", 1)[1].splitlines() if line.startswith("- ")
    ]
    assert len(items) == len(moved)
    assert items[0].startswith(
        "- L56 三、增强产业质量竞争力 › （六）强化产业基础质量支撑 → L52 二、重点任务 › "
    )


def test_traditional_script_converts_display_only(sample: Report) -> None:
    text = markdown.render(sample, script="traditional")
    assert "### 一、總體要求\n" in text and "| *（一）指導思想* | *（一）指導思想* |" in text
    assert "Text is shown in traditional script" in text
    assert_tables_well_formed(text)


def test_unknown_script_is_a_usage_error(sample: Report) -> None:
    with pytest.raises(UsageError):
        markdown.render(sample, script="pinyin")


def test_output_is_deterministic(sample: Report) -> None:
    again = compare(
        load(str(ROOT / "data" / "draft_2023.txt")), load(str(ROOT / "data" / "final_2024.txt"))
    )
    assert markdown.render(sample) == markdown.render(again)


# ---------------------------------------------------------------- targets


def test_no_targets_says_so(sample: Report) -> None:
    text = markdown.render(dataclasses.replace(sample, targets=()))
    assert "## Targets\n\nNo quantitative targets were found in either document.\n" in text
    assert "## Target changes" not in text


def test_every_target_is_listed_once(sample: Report) -> None:
    text = markdown.render(sample)
    assert_tables_well_formed(text)
    by_status = {s: sum(1 for c in sample.targets if c.status is s) for s in TargetStatus}
    assert all(by_status.values()), by_status  # the sample pair has targets of every status
    part = text.split("## Target changes", 1)[1].split("## Clause changes", 1)[0]
    changed, added, removed, unchanged = tables(parse(part))
    assert len(changed) - 1 == by_status[TargetStatus.CHANGED]
    assert len(added) - 1 == by_status[TargetStatus.ADDED]
    assert len(removed) - 1 == by_status[TargetStatus.REMOVED]
    assert len(unchanged) - 1 == by_status[TargetStatus.UNCHANGED]
    # one evidence block, old and new quoted, per changed target
    assert part.count("> **Old**, draft\\_2023.txt line") == by_status[TargetStatus.CHANGED]
    assert part.count("> **New**, final\\_2024.txt line") == by_status[TargetStatus.CHANGED]


def test_target_table_and_evidence(sample: Report) -> None:
    text = markdown.render(sample_targets(sample))
    assert_tables_well_formed(text)
    assert_only_own_html(text)
    assert "| 1 | 食品抽检合格率 | ≥98% | ≥98.5% | +0.5 pp ↑ |  | 34 → 32 |" in text
    assert "**1. 食品抽检合格率**: ≥98% → ≥98.5%" in text
    # the evidence quotes each whole clause with its file and lines
    assert (
        "> **Old**, draft\\_2023.txt line 34 (“食品抽检合格率达到98%以上”): 农产品质量安全例行监测合格率达到98%以上，"
        in text
    )
    assert (
        "> **New**, final\\_2024.txt line 32 (“食品抽检合格率达到98.5%以上”): 质量治理体系更加完善，"
        in text
    )
    added = text.split("### Added", 1)[1].split("### Removed", 1)[0]
    assert "| 首席质量官 | ≥10000名 |  | 122 | 设立10000名以上首席质量官 |" in added
    removed = text.split("### Removed", 1)[1]
    assert "| 重点产品质量提升行动 | ≥3类 |  | 40 | 每年选取 3 类以上重点产品 |" in removed


def test_hostile_targets_are_escaped() -> None:
    text = markdown.render(raw_report())
    assert_tables_well_formed(text)
    assert_only_own_html(text)
    target_table = tables(parse(text))[1]
    assert [plain(cell) for cell in target_table[0]] == [
        "#",
        "Metric",
        "Old",
        "New",
        "Change",
        "By",
        "Lines (old → new)",
    ]
    assert plain(target_table[1][1]) == RAW_HOSTILE[0]
    assert plain(target_table[1][2]) == "≥1个|<u>"


# ---------------------------------------------------------------- golden


def test_golden_sample_is_well_formed() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    assert_tables_well_formed(text)
    assert_only_own_html(text)


def test_golden_sample_matches_the_library(sample: Report) -> None:
    """The golden runner checks expected.md through the CLI; this checks the renderer alone."""
    report = with_paths(sample, "data/draft_2023.txt", "data/final_2024.txt")
    assert markdown.render(report) == GOLDEN.read_text(encoding="utf-8"), (
        f"{GOLDEN.relative_to(ROOT)} is out of date: see tests/test_golden.py"
    )


def test_golden_file_exists() -> None:
    assert Path(GOLDEN).is_file()
