"""The gold of bench/gold/targets is well formed: a typo in a hand-written entry fails here.

Each entry's `written` text must stand on its `line` of the copied document, pairs
must index existing targets (each target in at most one gold pair), and values must
be base units (no 万元 or 亿元 left in a unit). See docs/accuracy.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold" / "targets"
FILES = sorted(GOLD.glob("*.json"))

KINDS = {"goal", "limit", "fact"}
COMPARATORS = {">=", ">", "~", "<=", "<", "="}
ENTRY_KEYS = {"line", "written", "value", "upper", "unit", "comparator", "kind", "about"}
SCALED_UNITS = ("万", "亿", "千")  # base units never start with a scale
SCALED_UNIT_OK = {"千瓦", "千瓦时", "千米", "千克", "千伏", "千帕"}


def test_there_is_gold() -> None:
    assert len(FILES) >= 2


def _lines(relative: str) -> list[str]:
    path = ROOT / relative
    assert path.is_file(), f"{relative} is not in the repository"
    return path.read_text(encoding="utf-8").splitlines()


def _check_entries(entries: list[dict[str, Any]], lines: list[str], side: str) -> None:
    for i, entry in enumerate(entries):
        where = f"{side}[{i}]"
        assert entry.keys() >= ENTRY_KEYS, f"{where} lacks {ENTRY_KEYS - entry.keys()}"
        line = entry["line"]
        assert isinstance(line, int) and 1 <= line <= len(lines), f"{where}: line {line}"
        assert entry["written"], f"{where}: empty written"
        assert entry["written"] in lines[line - 1], (
            f"{where}: {entry['written']!r} is not on line {line}: {lines[line - 1][:80]!r}"
        )
        assert isinstance(entry["value"], int | float), where
        upper = entry["upper"]
        assert upper is None or (isinstance(upper, int | float) and upper > entry["value"]), where
        assert entry["comparator"] in COMPARATORS, where
        assert entry["kind"] in KINDS, where
        unit = entry["unit"]
        assert isinstance(unit, str), where
        assert unit.split("/")[0] in SCALED_UNIT_OK or not unit.startswith(SCALED_UNITS), (
            f"{where}: unit {unit!r} is not a base unit"
        )
        assert entry["about"], f"{where}: say what it applies to"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_gold_file_shape(path: Path) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert gold["name"] == path.stem
    assert isinstance(gold["holdout"], bool)
    assert gold["notes"]
    old_lines, new_lines = _lines(gold["old"]), _lines(gold["new"])
    _check_entries(gold["old_targets"], old_lines, "old_targets")
    _check_entries(gold["new_targets"], new_lines, "new_targets")
    for key in ("old_facts", "new_facts"):
        if key in gold:
            _check_entries(gold[key], old_lines if key == "old_facts" else new_lines, key)
    n_old, n_new = len(gold["old_targets"]), len(gold["new_targets"])
    pairs = [tuple(p) for p in gold["pairs"]]
    also = [tuple(p) for p in gold.get("also_pairs", [])]
    for o, n in pairs + also:
        assert 0 <= o < n_old and 0 <= n < n_new, f"pair {o, n} out of range"
    assert len({o for o, _ in pairs}) == len(pairs), "an old target in two gold pairs"
    assert len({n for _, n in pairs}) == len(pairs), "a new target in two gold pairs"
    assert not set(pairs) & set(also), "a pair both required and optional"
    scope = gold.get("scope")
    if scope is not None:
        for side, entries in (("old", gold["old_targets"]), ("new", gold["new_targets"])):
            first, last = scope[side]
            assert 1 <= first <= last
            assert all(first <= e["line"] <= last for e in entries), f"{side} entry out of scope"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_gold_entries_are_distinct(path: Path) -> None:
    """No entry twice, unless its text stands on that line as many times."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    for side in ("old", "new"):
        lines = _lines(gold[side])
        seen: dict[tuple[int, str], int] = {}
        for entry in gold[f"{side}_targets"]:
            key = (entry["line"], entry["written"])
            seen[key] = seen.get(key, 0) + 1
        for (line, written), count in seen.items():
            assert lines[line - 1].count(written) >= count, f"{side} line {line}: {written}"
