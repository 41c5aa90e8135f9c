"""The alignment gold (bench/gold/alignment/*.json) is well formed, and its scorer counts as documented.

The gold was written by reading both versions side by side; these tests check its
shape against the documents it names, not its judgement: every referenced text
stands on its line, statuses are known, sides fit the status, no clause is used
twice. The scorer's arithmetic is checked on a tiny pair whose alignment is plain.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import sys
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "bench" / "gold" / "alignment"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
STATUSES = {"unchanged", "modified", "moved", "added", "removed"}


@functools.cache
def _scorer() -> ModuleType:
    """bench/score_alignment.py, loaded once so its cached reports serve every test."""
    spec = importlib.util.spec_from_file_location(
        "score_alignment", ROOT / "bench" / "score_alignment.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_alignment"] = module
    spec.loader.exec_module(module)
    return module


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_there_is_enough_gold() -> None:
    golds = [_load(p) for p in GOLD_FILES]
    labelled = sum(len(r["old"]) + len(r["new"]) for g in golds for r in g["records"])
    assert len(golds) >= 4
    assert labelled >= 150
    assert any(g["holdout"] for g in golds)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_shape(path: Path) -> None:
    gold = _load(path)
    assert gold["name"] == path.stem
    assert isinstance(gold["holdout"], bool)
    assert gold["notes"].strip()
    assert set(gold) <= {"name", "old", "new", "holdout", "notes", "records", "ignore"}
    lines = {
        side: (ROOT / gold[side]).read_text(encoding="utf-8").splitlines()
        for side in ("old", "new")
    }
    seen: set[tuple[str, int, str, int]] = set()

    def check(side: str, ref: dict[str, Any]) -> None:
        assert set(ref) in ({"line", "text"}, {"line", "text", "nth"}), ref
        line, text, nth = ref["line"], ref["text"], ref.get("nth", 1)
        assert isinstance(line, int) and 1 <= line <= len(lines[side]), ref
        raw = lines[side][line - 1]
        assert text in raw, f"{side} line {line} does not hold {text!r}"
        # A distinctive piece: six characters or more, unless it is the whole line.
        assert len(text) >= 6 or text == raw.strip(), ref
        # nth only for a sentence a line writes more than once, and then always.
        if "nth" in ref:
            assert isinstance(nth, int) and 1 <= nth <= raw.count(text) and raw.count(text) > 1
        else:
            assert raw.count(text) == 1, f"{text!r} stands twice on {side} line {line}: give nth"
        key = (side, line, text, nth)
        assert key not in seen, f"{side} clause used twice: {ref}"
        seen.add(key)

    assert gold["records"]
    for record in gold["records"]:
        assert set(record) == {"old", "new", "status"}, record
        status = record["status"]
        assert status in STATUSES, record
        for side in ("old", "new"):
            for ref in record[side]:
                check(side, ref)
        if status == "added":
            assert not record["old"] and record["new"], record
        elif status == "removed":
            assert record["old"] and not record["new"], record
        else:
            assert record["old"] and record["new"], record
    ignore = gold.get("ignore", {})
    assert set(ignore) <= {"old", "new"}
    for side, refs in ignore.items():
        for ref in refs:
            check(side, ref)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_every_reference_finds_a_clause_of_the_tool(path: Path) -> None:
    score = _scorer().score_file(path, ROOT)
    assert score.labelled == sum(len(r["old"]) + len(r["new"]) for r in _load(path)["records"])
    assert 0 < score.correct_links <= min(score.gold_links, score.predicted_links)


# Numbering a reader does not count as a change: 第十二条, （三）, 5、 at the start.
_NUMBERING = re.compile(
    r"^(第[一二三四五六七八九十百零〇]+[条章节]|[(][一二三四五六七八九十]+[)]|\d+、)"
)


def _words(text: str) -> str:
    """The words of a clause: width, spacing, leading numbering and closing marks folded."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return _NUMBERING.sub("", text).rstrip("。;:,")


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_unchanged_means_the_same_words(path: Path) -> None:
    # One-to-one records only: unchanged exactly when the words are the same
    # (clause boundaries are the tool's, as the gold's references are).
    scorer = _scorer()
    gold = _load(path)
    report = scorer._compare(ROOT / gold["old"], ROOT / gold["new"])
    for record in gold["records"]:
        if len(record["old"]) != 1 or len(record["new"]) != 1:
            continue
        (o,), (n,) = record["old"], record["new"]
        old = scorer.locate(report.old, o["line"], o["text"], o.get("nth", 1))
        new = scorer.locate(report.new, n["line"], n["text"], n.get("nth", 1))
        same = _words(old.text) == _words(new.text)
        if record["status"] == "unchanged":
            assert same, (old.text, new.text)
        elif record["status"] == "modified":
            assert not same, (old.text, new.text)


def test_documents_are_copies_in_the_repository() -> None:
    # bench/data/ holds the corpus copies; data/ the sample pair.
    for path in GOLD_FILES:
        gold = _load(path)
        for side in ("old", "new"):
            assert gold[side].startswith(("bench/data/", "data/")), gold[side]
            assert (ROOT / gold[side]).is_file()


def _tiny(
    tmp_path: Path, records: list[dict[str, Any]], ignore: dict[str, Any] | None = None
) -> Path:
    (tmp_path / "bench" / "gold" / "alignment").mkdir(parents=True)
    text = "第一条 甲方应当按期交付货物。\n\n第二条 乙方应当按期支付价款。\n\n第三条 双方协商解决争议。\n"
    for name in ("old.txt", "new.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    gold: dict[str, Any] = {
        "name": "tiny",
        "old": "old.txt",
        "new": "new.txt",
        "holdout": False,
        "notes": "test",
        "records": records,
    }
    if ignore is not None:
        gold["ignore"] = ignore
    path = tmp_path / "bench" / "gold" / "alignment" / "tiny.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def _ref(line: int, text: str) -> dict[str, Any]:
    return {"line": line, "text": text}


def test_scorer_counts_links_to_nothing(tmp_path: Path) -> None:
    # Identical documents: the tool pairs every clause with itself. The gold below
    # is wrong on purpose for the second article (removed + added), so the tool's
    # pair (2 -> 2) is a wrong link, and the gold's two links to nothing are missed.
    path = _tiny(
        tmp_path,
        [
            {
                "status": "unchanged",
                "old": [_ref(1, "甲方应当按期交付")],
                "new": [_ref(1, "甲方应当按期交付")],
            },
            {"status": "removed", "old": [_ref(3, "乙方应当按期支付")], "new": []},
            {"status": "added", "old": [], "new": [_ref(3, "乙方应当按期支付")]},
        ],
    )
    score = _scorer().score_file(path, tmp_path)
    assert (score.gold_links, score.predicted_links, score.correct_links) == (3, 2, 1)
    row = score.row()
    assert row["pair_precision"] == 0.5
    assert row["pair_recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert (score.records, score.reproduced, score.status_correct) == (3, 1, 1)
    # Records with their status: the tool's two records holding labelled clauses
    # (article 3 is unlabelled), one of them right; three gold records.
    assert score.tool_records == 2
    assert row["record_precision"] == 0.5
    assert row["record_recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert any("wrong" in m for m in score.misses) and any("missed" in m for m in score.misses)


def test_scorer_counts_a_wrong_status_and_skips_ignored_clauses(tmp_path: Path) -> None:
    path = _tiny(
        tmp_path,
        [
            {
                "status": "modified",
                "old": [_ref(1, "甲方应当按期交付")],
                "new": [_ref(1, "甲方应当按期交付")],
            },
        ],
        ignore={"old": [_ref(3, "乙方应当按期支付")], "new": []},
    )
    score = _scorer().score_file(path, tmp_path)
    # Only the labelled clause counts: one link, right; its status is not.
    assert (score.gold_links, score.predicted_links, score.correct_links) == (1, 1, 1)
    assert (score.reproduced, score.status_correct) == (1, 0)
    assert score.row()["status_accuracy"] == 0.0


def test_a_reference_that_finds_no_clause_is_an_error(tmp_path: Path) -> None:
    scorer = _scorer()
    path = _tiny(
        tmp_path,
        [
            {
                "status": "unchanged",
                "old": [_ref(1, "没有这样的句子")],
                "new": [_ref(1, "甲方应当按期交付")],
            }
        ],
    )
    with pytest.raises(scorer.GoldError):
        scorer.score_file(path, tmp_path)


def test_alignment_rows_has_a_row_per_file_and_overall() -> None:
    rows = _scorer().alignment_rows(ROOT)
    names = [row["name"] for row in rows]
    assert names[: len(GOLD_FILES)] == [_load(p)["name"] for p in GOLD_FILES]
    assert "overall" in names
    files = rows[: len(GOLD_FILES)]
    overall = rows[names.index("overall")]
    assert overall["labelled"] == sum(row["labelled"] for row in files if not row["holdout"])
    held = rows[names.index("holdout")]
    assert held["labelled"] == sum(row["labelled"] for row in files if row["holdout"])
    for row in rows:
        for key in (
            "pair_precision",
            "pair_recall",
            "records_reproduced",
            "status_accuracy",
            "record_precision",
            "record_recall",
        ):
            assert row[key] is None or 0.0 <= row[key] <= 1.0


def test_nth_tells_apart_a_sentence_written_twice_on_one_line(tmp_path: Path) -> None:
    scorer = _scorer()
    (tmp_path / "bench" / "gold" / "alignment").mkdir(parents=True)
    text = (
        "第一条 甲方应当按期交付。逾期的，处一万元罚款。乙方应当按期支付。逾期的，处一万元罚款。\n"
    )
    for name in ("old.txt", "new.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    fine = "逾期的，处一万元罚款。"
    # Crossed on purpose: the first fine with the second. Identical documents pair
    # each fine with itself, so both gold links are missed.
    gold = {
        "name": "twice",
        "old": "old.txt",
        "new": "new.txt",
        "holdout": False,
        "notes": "test",
        "records": [
            {
                "status": "moved",
                "old": [{"line": 1, "text": fine, "nth": 1}],
                "new": [{"line": 1, "text": fine, "nth": 2}],
            },
            {
                "status": "moved",
                "old": [{"line": 1, "text": fine, "nth": 2}],
                "new": [{"line": 1, "text": fine, "nth": 1}],
            },
        ],
    }
    path = tmp_path / "bench" / "gold" / "alignment" / "twice.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    score = scorer.score_file(path, tmp_path)
    assert (score.gold_links, score.predicted_links, score.correct_links) == (2, 2, 0)
    with pytest.raises(scorer.GoldError):
        scorer.locate(scorer._compare(tmp_path / "old.txt", tmp_path / "new.txt").old, 1, fine, 3)


def test_main_prints_a_markdown_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert _scorer().main(["--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| pair | holdout |")
    for path in GOLD_FILES:
        assert f"| {path.stem} |" in out
    assert "| overall |" in out
