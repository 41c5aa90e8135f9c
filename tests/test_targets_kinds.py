"""Goals, limits and facts: a work report's results are facts, shown apart and never paired."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policydiff.load import load
from policydiff.model import (
    Clause,
    ClauseKind,
    Comparator,
    Document,
    Target,
    TargetKind,
    TargetStatus,
)
from policydiff.normalise import canonical
from policydiff.pipeline import compare
from policydiff.render import json as render_json
from policydiff.render import markdown as render_markdown
from policydiff.segment import segment
from policydiff.targets import extract_document_targets, extract_targets, pair_targets

REPORTS = Path(__file__).resolve().parent / "data" / "work_reports"


def clause(text: str, id: str = "c1") -> Clause:
    return Clause(id, ClauseKind.CLAUSE, (), text, canonical(text), 1, 1)


def kinds(text: str) -> list[tuple[str, float, str, str, str]]:
    targets = extract_document_targets(segment(Document("t.txt", text + "\n")))
    return [(t.metric, t.value, t.unit, t.comparator.value, t.kind.value) for t in targets]


# ---------------------------------------------------------------- readings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fines: a cap, a range, two fines of one article stay two, named by what they punish
        (
            "未办理登记的，处二十万元以下的罚款；情节严重的，处二十万元以上五十万元以下的罚款。",
            [
                ("未办理登记的:罚款", 20, "万元", "<=", "limit"),
                ("情节严重的:罚款", 20, "万元", "=", "limit"),
            ],
        ),
        # time limits without 内, minimum staff, frequencies
        ("复议期限最长不得超过六十日", [("复议期限", 60, "日", "<=", "limit")]),
        ("公告期不少于三十日", [("公告期", 30, "日", ">=", "limit")]),
        ("应当在开庭五日前送达当事人", [("送达当事人", 5, "日", ">=", "limit")]),
        ("审核小组成员不得少于二人", [("审核小组成员", 2, "人", ">=", "limit")]),
        ("每年开展检查至少一次", [("检查(每年)", 1, "次", ">=", "limit")]),
        # facts: a marker of the past before the number
        ("去年全省粮食产量增长3.1%", [("粮食产量增长", 3.1, "%", "=", "fact")]),
        (
            "过去五年，新建学校80所。今年新建学校20所。",
            [("学校", 80, "所", "=", "fact"), ("学校", 20, "所", "=", "goal")],
        ),
        # a comparison with last year is no report of it
        ("今年赤字规模比去年减少200亿元", [("赤字规模比去年减少", 200, "亿元", "=", "goal")]),
    ],
)
def test_kinds(text: str, expected: list[tuple[str, float, str, str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("百公里电耗降至12.0千瓦时/百公里", (12.0, "千瓦时/百公里")),
        ("百公里油耗降至十二升/百公里", (12.0, "升/百公里")),
        ("单位产值能耗降至0.45吨标准煤/万元", (0.45, "吨标准煤/万元")),
        ("每万人拥有医生达到35人/万人", (35.0, "人/万人")),
        ("群众满意度达到八十分以上", (80.0, "分")),
        ("监测点位达到五千个", (5000.0, "个")),
        ("抽样比例不低于百分之十", (10.0, "%")),
        ("达标企业占比超过二分之一", (50.0, "%")),
        ("绿色建筑占比达到三分之二", (66.67, "%")),
        ("绿色出行比例达到七成", (70.0, "%")),
        ("经济总量翻一番", (2.0, "倍")),
        ("居民收入翻两番", (4.0, "倍")),
    ],
)
def test_unit_grammar_and_chinese_numerals(text: str, expected: tuple[float, str]) -> None:
    (target,) = extract_targets(clause(text))
    assert (target.value, target.unit) == expected


def test_a_range_in_chinese_numerals() -> None:
    (target,) = extract_targets(clause("每个社区配备网格员一至二名"))
    assert (target.value, target.upper, target.unit) == (1, 2, "名")


# ---------------------------------------------------------------- a work report pair


def _compare(old: str, new: str):  # type: ignore[no-untyped-def]
    return compare(load(str(REPORTS / old)), load(str(REPORTS / new)))


def test_own_work_reports_goals_are_targets_results_are_facts() -> None:
    report = _compare("own_2024.txt", "own_2025.txt")
    rows = [
        (c.status.value, c.metric, c.old and c.old.value, c.new and c.new.value)
        for c in report.targets
    ]
    assert rows == [
        ("changed", "地区生产总值增长", 5.5, 5.0),
        ("unchanged", "城镇新增就业", 80000.0, 80000.0),
        ("changed", "居民消费价格涨幅", 3.0, 2.0),
        ("changed", "口袋公园", 50.0, 60.0),
        ("unchanged", "改造老旧小区", 150.0, 150.0),
    ]
    assert all(c.new and c.new.kind is TargetKind.GOAL for c in report.targets)
    facts = [(t.metric, t.value) for t in report.facts]
    assert [(t.metric, t.value) for t in report.old_facts] == [
        ("地区生产总值增长", 5.6),
        ("城镇就业", 82000.0),
        ("口袋公园", 40.0),
        ("改造老旧小区", 120.0),
    ]
    assert facts[4:] == [
        ("地区生产总值增长", 5.4),
        ("城镇就业", 85000.0),
        ("口袋公园", 52.0),
        ("改造老旧小区", 160.0),
    ]
    assert all(t.kind is TargetKind.FACT for t in report.facts)

    payload = json.loads(render_json.render(report))
    assert [f["side"] for f in payload["facts"]] == ["old"] * 4 + ["new"] * 4
    assert {f["kind"] for f in payload["facts"]} == {"fact"}
    assert {t["new"]["kind"] for t in payload["targets"]} == {"goal"}

    md = render_markdown.render(report)
    facts_part = md.split("## Facts (reported results, not targets)", 1)[1]
    assert "| Old | 口袋公园 | 40个 | 6 |" in facts_part
    assert "| New | 改造老旧小区 | 160个 | 6 |" in facts_part


def test_own_work_reports_in_text() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policydiff",
            "compare",
            "--width",
            "120",
            str(REPORTS / "own_2024.txt"),
            str(REPORTS / "own_2025.txt"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 1, result.stderr  # the years differ
    targets_part, rest = result.stdout.split("Facts (reported results, not targets)")
    facts_part = rest.split("\n\n", 1)[0]
    assert "5.6%" not in targets_part and "5.6%" in facts_part
    assert "5.5%" in targets_part and "5.5%" not in facts_part


def test_a_real_work_report_pair() -> None:
    """河北 2025 → 2026: the review sections' numbers are facts, the year's goals targets."""
    report = _compare("hebei_2025.txt", "hebei_2026.txt")
    # 一、2024年工作回顾 runs to line 28 of the old report; 一、…发展回顾 to line 34 of the new
    assert report.old_facts and all(t.line < 29 for t in report.old_facts)
    assert report.new_facts and all(t.line < 35 for t in report.new_facts)
    for change in report.targets:
        for t in (change.old, change.new):
            assert t is None or t.kind is not TargetKind.FACT
    goals_2026 = {(c.new.metric, c.new.value) for c in report.targets if c.new and c.new.line == 61}
    assert ("地区生产总值增长", 5.0) in goals_2026
    assert ("城镇调查失业率", 5.5) in goals_2026
    gdp = [c for c in report.targets if c.metric == "地区生产总值增长" and c.new.line == 61]
    assert gdp[0].old is not None and gdp[0].old.kind is TargetKind.GOAL


# ---------------------------------------------------------------- pairing


def _t(metric: str, value: float, unit: str, clause_id: str, line: int = 1) -> Target:
    return Target(
        metric, value, unit, Comparator.LE, metric, clause_id, line, kind=TargetKind.LIMIT
    )


def test_pairing_follows_the_clauses() -> None:
    old = [_t("逾期未改正的:罚款", 1, "万元", "c1"), _t("情节严重的:罚款", 5, "万元", "c2")]
    new = [_t("情节严重的:罚款", 10, "万元", "c8"), _t("拒不改正的:罚款", 2, "万元", "c9")]
    rows = pair_targets(old, new, clause_pairs={("c1", "c9"), ("c2", "c8")})
    assert [(r.status.value, r.old and r.old.value, r.new and r.new.value) for r in rows] == [
        ("changed", 5, 10),
        ("changed", 1, 2),
    ]


def test_a_removed_target_never_pairs_with_an_unrelated_added_one() -> None:
    old = [Target("转送", 7, "日", Comparator.LE, "七日内转送", "c1", 1)]
    new = [Target("发送", 3, "日", Comparator.LE, "三日内发送", "c5", 9)]
    rows = pair_targets(old, new)
    assert [r.status for r in rows] == [TargetStatus.ADDED, TargetStatus.REMOVED]


def _name(i: int) -> str:
    """A distinct two-character subject, as real metrics differ in their content words."""
    return chr(0x4E00 + i * 7 % 20000) + chr(0x4E00 + i * 13 % 20000)


def test_pairing_is_near_linear() -> None:
    """10,000 short targets against 10,000 pair in seconds, not minutes."""
    old = [
        Target(f"{_name(i)}设施覆盖率", float(i % 90), "%", Comparator.GE, "", f"c{i}", i)
        for i in range(10_000)
    ]
    # every third metric reworded, so a third pair by similarity
    new = [
        Target(
            f"{_name(i)}设施{'覆盖水平' if i % 3 == 0 else '覆盖率'}",
            float(i % 90 + 1),
            "%",
            Comparator.GE,
            "",
            f"d{i}",
            i,
        )
        for i in range(10_000)
    ]
    started = time.perf_counter()
    rows = pair_targets(old, new, clause_pairs={(f"c{i}", f"d{i}") for i in range(0, 10_000, 7)})
    elapsed = time.perf_counter() - started
    assert sum(r.status is TargetStatus.CHANGED for r in rows) == 10_000
    assert all(r.old is not None and r.new is not None and r.old.line == r.new.line for r in rows)
    assert elapsed < 20, f"pairing took {elapsed:.1f} s"


def test_days_pair_across_their_wordings() -> None:
    old = [Target("复检", 5, "日", Comparator.LE, "五日内", "c1", 3, kind=TargetKind.LIMIT)]
    new = [Target("复检", 5, "个工作日", Comparator.LE, "五个工作日内", "c2", 4)]
    (row,) = pair_targets(old, new)
    assert row.status is TargetStatus.CHANGED and row.delta == 0


def test_work_report_json_follows_the_schema() -> None:
    from jsonschema import Draft202012Validator

    from .test_schema import SCHEMA_PATH, closed

    schema = closed(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    payload = json.loads(render_json.render(_compare("own_2024.txt", "own_2025.txt")))
    errors = list(Draft202012Validator(schema).iter_errors(payload))
    assert not errors, errors[0].message
    assert payload["facts"][0]["side"] == "old"


def test_fines_for_other_violations_do_not_pair_outside_matched_clauses() -> None:
    old = [_t("拒不改正的,对单位:罚款", 1, "万元", "c1")]
    new = [_t("情节严重的,对单位:罚款", 5, "万元", "c7")]
    assert [r.status for r in pair_targets(old, new)] == [
        TargetStatus.ADDED,
        TargetStatus.REMOVED,
    ]
    same = [_t("拒不改正的,对单位:罚款", 2, "万元", "c7")]
    assert [r.status for r in pair_targets(old, same)] == [TargetStatus.CHANGED]


def test_a_bound_before_the_base_of_a_share() -> None:
    (target,) = extract_targets(clause("单个股东持股不得超过公司股份总数的百分之二十"))
    assert (target.value, target.unit, target.comparator) == (20, "%", Comparator.LE)
    assert target.kind is TargetKind.LIMIT
    (floor,) = extract_targets(clause("专家的比例不得低于三分之一"))
    assert floor.comparator is Comparator.GE
