"""bench/accuracy.py scores what it says it scores (docs/accuracy.md).

The matching rule and the unit table are checked on quantities of our own; the
whole run is checked for shape only, as its numbers move with the extractor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import accuracy  # noqa: E402
from accuracy import Counts, Quantity, match, scores  # noqa: E402
from base_units import base_upper, to_base  # noqa: E402


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1.5, "亿元", (1.5e8, "元")),
        (5000, "万元", (5e7, "元")),
        (3.65, "万亿元", (3.65e12, "元")),
        (100000, "个", (1e5, "个")),  # a count's 万 is already in its value
        (120, "万千瓦", (1.2e6, "千瓦")),
        (8, "千瓦时/百公里", (8.0, "千瓦时/百公里")),
        (4, "个小时", (4.0, "小时")),
        (20, "个工作日", (20.0, "工作日")),
        (3, "万", (3.0, "万")),  # nothing left to be a unit
    ],
)
def test_to_base(value: float, unit: str, expected: tuple[float, str]) -> None:
    got = to_base(value, unit)
    assert got[1] == expected[1]
    assert got[0] == pytest.approx(expected[0])


def test_upper_uses_the_lower_bounds_unit() -> None:
    assert base_upper(5, "万元") == pytest.approx(50000)
    assert base_upper(None, "万元") is None


def q(
    line: int, value: float, unit: str = "元", upper: float | None = None, order: int = 0
) -> Quantity:
    return Quantity("old", line, value, upper, unit, "=", None, order)


def test_match_needs_line_value_upper_and_unit() -> None:
    gold = [q(3, 5000, upper=50000), q(4, 2, "人"), q(5, 30, "日")]
    preds = [
        q(3, 5000),  # no upper: a cap is not the range
        q(4, 2, "名"),  # another unit
        q(6, 30, "日"),  # another line
        q(3, 5000, upper=50000),
    ]
    assert match(gold, preds) == {0: 3}


def test_match_is_one_to_one_in_reading_order() -> None:
    gold = [q(7, 10000), q(7, 10000)]
    preds = [q(7, 10000, order=5), q(7, 10000, order=2), q(7, 10000, order=9)]
    assert match(gold, preds) == {0: 1, 1: 0}


def test_scores() -> None:
    c = Counts(gold=10, predicted=8, matched=6, comparator_right=3)
    c.gold_pairs, c.predicted_pairs, c.right_pairs, c.required_right = 4, 5, 3, 2
    s = scores(c)
    assert s["precision"] == pytest.approx(0.75)
    assert s["recall"] == pytest.approx(0.6)
    assert s["f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert s["pair_precision"] == pytest.approx(0.6)  # also_pairs count as right
    assert s["pair_recall"] == pytest.approx(0.5)  # only gold pairs count for recall
    assert s["comparator_accuracy"] == pytest.approx(0.5)
    assert s["kind_accuracy"] is None


SMALL = ("shanghai_social_assistance_2018_2024", "statistics_law_2009_2024")


def test_the_benchmark_runs() -> None:
    """Two small pairs (the whole run takes seconds of CPU; its shape is the same)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "accuracy.py"), "--json", *SMALL],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    result = json.loads(out)
    assert [row["name"] for row in result["targets"]] == sorted(SMALL)
    for row in [*result["targets"], *result["overall"].values()]:
        for key in ("precision", "recall", "f1", "pair_precision", "pair_recall"):
            assert row[key] is None or 0.0 <= row[key] <= 1.0, (row.get("name"), key)
        assert row["matched"] <= min(row["gold"], row["predicted"])
    assert result["overall"]["all"]["gold"] == sum(r["gold"] for r in result["targets"])
    assert accuracy.markdown(result).startswith("### Targets")
