"""Every row of the vocabulary has an example, and every example reads as its row says."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff import vocabulary
from policydiff.model import Clause, ClauseKind, Document, Target, TargetKind
from policydiff.normalise import canonical
from policydiff.patterns import heading_style
from policydiff.segment import segment
from policydiff.targets import RULES, extract_document_targets

ROOT = Path(__file__).resolve().parent.parent

TABLES = {
    "UNITS": vocabulary.UNITS,
    "DENOMINATORS": vocabulary.DENOMINATORS,
    "POST_COMPARATORS": vocabulary.POST_COMPARATORS,
    "PRE_COMPARATORS": vocabulary.PRE_COMPARATORS,
    "LEVEL_VERBS": vocabulary.LEVEL_VERBS,
    "CHANGE_VERBS": vocabulary.CHANGE_VERBS,
    "TIME_LIMIT_FORMS": vocabulary.TIME_LIMIT_FORMS,
    "LIMIT_WORDS": vocabulary.LIMIT_WORDS,
    "FACT_WORDS": vocabulary.FACT_WORDS,
    "GOAL_WORDS": vocabulary.GOAL_WORDS,
    "REVIEW_HEADINGS": vocabulary.REVIEW_HEADINGS,
    "PLAN_HEADINGS": vocabulary.PLAN_HEADINGS,
    "NOT_A_TARGET": vocabulary.NOT_A_TARGET,
    "OPENING_VERBS": vocabulary.OPENING_VERBS,
    "HEDGES": vocabulary.HEDGES,
    "PERIODS": vocabulary.PERIODS,
    "SCOPES": vocabulary.SCOPES,
    "ADVERBS": vocabulary.ADVERBS,
    "INDEX_WORDS": vocabulary.INDEX_WORDS,
    "RATE_WORDS": vocabulary.RATE_WORDS,
    "NOUN_STOPS": vocabulary.NOUN_STOPS,
}


def _n(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def describe(t: Target) -> str:
    """A target as an example's reading writes it."""
    value = _n(t.value) + (f"-{_n(t.upper)}" if t.upper is not None else "")
    kind = "" if t.kind is TargetKind.GOAL else f" {t.kind.value}"
    return f"{t.metric} {value} {t.unit or '-'} {t.comparator.value}{kind}"


def read(text: str) -> str:
    """The reading of a sentence (a first line that is a heading heads the rest)."""
    clauses = segment(Document("example.txt", text + "\n"))
    return " | ".join(describe(t) for t in extract_document_targets(clauses))


EXAMPLES = [
    pytest.param(example.text, example.reading, id=f"{table}:{row.surface}")
    for table, rows in TABLES.items()
    for row in rows
    for example in row.examples
] + [
    pytest.param(example.text, example.reading, id=f"rule:{rule.name}")
    for rule in RULES
    for example in rule.examples
]


@pytest.mark.parametrize(("text", "reading"), EXAMPLES)
def test_example_reads_as_its_row_says(text: str, reading: str) -> None:
    assert read(text) == reading


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_row_has_an_example(table: str) -> None:
    missing = [row.surface for row in TABLES[table] if not row.examples]
    assert not missing, f"{table} rows without an example: {missing}"


def test_every_rule_has_an_example() -> None:
    assert all(rule.examples for rule in RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)


def test_a_row_without_an_example_is_caught() -> None:
    bare = vocabulary.Unit("斤", vocabulary.UnitKind.MEASURE, ())
    assert [row.surface for row in (*vocabulary.UNITS, bare) if not row.examples] == ["斤"]


def test_docs_unit_list_is_generated_from_the_table() -> None:
    doc = (ROOT / "docs" / "targets.md").read_text(encoding="utf-8")
    block = doc.split(vocabulary.DOC_BEGIN, 1)[1].split(vocabulary.DOC_END, 1)[0]
    assert block.strip() == vocabulary.unit_list_markdown(), (
        "docs/targets.md is out of date: run python -m policydiff.vocabulary"
    )


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("1.2 公里的道路完成改造", False),
        ("1.5 亿元用于补助", False),
        ("2.1 人才培养", True),
        ("3.4 总体要求", True),
    ],
)
def test_decimal_heading_is_not_an_amount(line: str, heading: bool) -> None:
    assert (heading_style(line) is not None) is heading


def test_clause_helper_still_builds() -> None:
    assert Clause("c", ClauseKind.CLAUSE, (), "a", canonical("a"), 1, 1).text == "a"
