"""Target pairing: statuses, deltas, the unit rule, order, and the sample pair's table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policydiff.model import Comparator, Document, Target, TargetChange, TargetStatus
from policydiff.render.text import target_delta, target_value
from policydiff.segment import segment
from policydiff.targets import extract_document_targets, pair_targets

from .conftest import DATA


def target(
    metric: str,
    value: float,
    unit: str = "家",
    comparator: str = "=",
    *,
    clause: str = "c1",
    deadline: int | None = None,
    upper: float | None = None,
    hedged: bool = False,
) -> Target:
    return Target(
        metric, value, unit, Comparator(comparator), metric, clause, 1, deadline, hedged, upper
    )


def table(changes: tuple[TargetChange, ...]) -> list[tuple[str, str, str | None, str | None]]:
    """status, metric, old metric, new metric: one line per row."""
    return [
        (
            c.status.value,
            c.metric,
            c.old.metric if c.old else None,
            c.new.metric if c.new else None,
        )
        for c in changes
    ]


def only_change(old: Target, new: Target) -> TargetChange:
    (change,) = pair_targets([old], [new])
    return change


# ---------------------------------------------------------------- statuses and sizes


def test_an_equal_target_is_unchanged() -> None:
    change = only_change(target("绿色工厂", 40), target("绿色工厂", 40))
    assert change.status is TargetStatus.UNCHANGED
    assert (change.delta, change.direction, change.comparator_changed) == (0, None, False)


def test_a_percentage_changes_by_points() -> None:
    change = only_change(target("抽检合格率", 97, "%", ">="), target("抽检合格率", 97.5, "%", ">="))
    assert change.status is TargetStatus.CHANGED
    assert (change.delta, change.relative, change.direction) == (0.5, None, "up")


def test_a_rate_per_mille_changes_by_points() -> None:
    change = only_change(target("婴儿死亡率", 4, "‰", "<="), target("婴儿死亡率", 3, "‰", "<="))
    assert (change.delta, change.relative, change.direction) == (-1, None, "down")


def test_a_count_changes_by_a_relative_amount() -> None:
    change = only_change(target("地方标准", 90, "项", ">="), target("地方标准", 60, "项"))
    assert change.status is TargetStatus.CHANGED
    assert change.delta == -30
    assert change.relative == pytest.approx(-1 / 3)
    assert change.direction == "down"
    assert change.comparator_changed


def test_no_relative_change_from_zero() -> None:
    change = only_change(target("上市企业", 0), target("上市企业", 3))
    assert (change.delta, change.relative, change.direction) == (3, None, "up")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (target("孵化器", 10, comparator=">="), target("孵化器", 10, comparator=">")),
        (target("孵化器", 10, deadline=2025), target("孵化器", 10, deadline=2027)),
        (target("孵化器", 1, upper=2), target("孵化器", 1, upper=3)),
    ],
)
def test_comparator_deadline_or_upper_bound_make_a_change(old: Target, new: Target) -> None:
    change = only_change(old, new)
    assert change.status is TargetStatus.CHANGED
    assert change.delta == 0 and change.direction is None


def test_a_hedge_alone_is_no_change() -> None:
    assert only_change(target("孵化器", 10), target("孵化器", 10, hedged=True)).status is (
        TargetStatus.UNCHANGED
    )


# ---------------------------------------------------------------- units


def test_units_must_agree() -> None:
    changes = pair_targets([target("示范基地", 5, "个")], [target("示范基地", 5, "家")])
    assert [c.status for c in changes] == [TargetStatus.ADDED, TargetStatus.REMOVED]
    changes = pair_targets([target("覆盖率", 90, "%")], [target("覆盖率", 90, "")])
    assert [c.status for c in changes] == [TargetStatus.ADDED, TargetStatus.REMOVED]


def test_money_converts_between_scales() -> None:
    change = only_change(target("社会资本", 5000, "万元"), target("社会资本", 0.6, "亿元"))
    assert change.status is TargetStatus.CHANGED  # the unit differs even where the sum is near
    assert change.delta == pytest.approx(0.1)  # in the new unit, 亿元
    assert change.relative == pytest.approx(0.2)
    assert change.direction == "up"
    same = only_change(target("社会资本", 5000, "万元"), target("社会资本", 0.5, "亿元"))
    assert (same.status, same.delta, same.direction) == (TargetStatus.CHANGED, 0, None)


def test_currencies_do_not_convert() -> None:
    changes = pair_targets([target("出口额", 50, "亿元")], [target("出口额", 50, "亿美元")])
    assert [c.status for c in changes] == [TargetStatus.ADDED, TargetStatus.REMOVED]


# ---------------------------------------------------------------- matching


def test_a_reworded_metric_still_pairs() -> None:
    changes = pair_targets(
        [target("各级质量奖获奖组织", 15, comparator=">=")],
        [target("省政府质量奖获奖组织", 3)],
    )
    assert table(changes) == [
        ("changed", "省政府质量奖获奖组织", "各级质量奖获奖组织", "省政府质量奖获奖组织")
    ]


def test_unrelated_metrics_do_not_pair() -> None:
    changes = pair_targets([target("卓越绩效先进单位", 50)], [target("专精特新企业", 50)])
    assert [c.status for c in changes] == [TargetStatus.ADDED, TargetStatus.REMOVED]


def test_pairing_is_global_and_one_to_one() -> None:
    old = [target("国家标准", 80, "项"), target("国际标准", 5, "项"), target("团体标准", 20, "项")]
    new = [target("团体标准", 30, "项"), target("国际标准", 4, "项"), target("国家标准", 90, "项")]
    changes = pair_targets(old, new)
    assert [(c.old.value if c.old else None, c.new.value if c.new else None) for c in changes] == [
        (20, 30),
        (5, 4),
        (80, 90),
    ]


def test_a_contained_metric_pairs() -> None:
    (change,) = pair_targets(
        [target("发明专利拥有量", 20, "件")], [target("每万人口发明专利拥有量", 26, "件")]
    )
    assert change.status is TargetStatus.CHANGED


def test_aligned_clauses_are_evidence() -> None:
    # similarity 56: too little on its own, enough in clauses the alignment matched
    old = [target("市级以上企业技术中心", 3, clause="o7")]
    new = [target("省级企业技术中心和工程研究中心", 3, clause="n9")]
    assert [c.status for c in pair_targets(old, new)] == [
        TargetStatus.ADDED,
        TargetStatus.REMOVED,
    ]
    (change,) = pair_targets(old, new, clause_pairs={("o7", "n9")})
    assert change.status is TargetStatus.UNCHANGED
    assert (change.old, change.new) == (old[0], new[0])


def test_the_same_metric_at_two_deadlines_pairs_by_deadline() -> None:
    old = [
        target("森林覆盖率", 62, "%", deadline=2035),
        target("森林覆盖率", 61, "%", deadline=2025),
    ]
    new = [
        target("森林覆盖率", 61.5, "%", deadline=2025),
        target("森林覆盖率", 63, "%", deadline=2035),
    ]
    changes = pair_targets(old, new)
    assert [(c.old and c.old.deadline, c.delta) for c in changes] == [(2025, 0.5), (2035, 1)]


def test_rows_follow_the_new_order_then_removed_in_the_old_order() -> None:
    old = [target("甲类企业", 1), target("乙类园区", 2, "个"), target("丙类基地", 3, "座")]
    new = [target("丁类平台", 4, "个"), target("丙类基地", 3, "座"), target("甲类企业", 2)]
    assert table(pair_targets(old, new)) == [
        ("added", "丁类平台", None, "丁类平台"),
        ("unchanged", "丙类基地", "丙类基地", "丙类基地"),
        ("changed", "甲类企业", "甲类企业", "甲类企业"),
        ("removed", "乙类园区", "乙类园区", None),
    ]


targets_strategy = st.lists(
    st.builds(
        target,
        st.sampled_from(["合格率", "抽检合格率", "国家标准", "国际标准", "孵化器", "产值"]),
        st.sampled_from([0, 1, 2.5, 30, 98]),
        st.sampled_from(["%", "家", "项", "万元", "亿元"]),
        st.sampled_from([">=", "=", "~"]),
        deadline=st.sampled_from([None, 2025, 2035]),
    ),
    max_size=8,
)


@given(targets_strategy)
def test_a_version_against_itself_is_unchanged(targets: list[Target]) -> None:
    changes = pair_targets(targets, targets)
    assert [c.status for c in changes] == [TargetStatus.UNCHANGED] * len(targets)


@given(targets_strategy, targets_strategy)
def test_every_target_appears_once(old: list[Target], new: list[Target]) -> None:
    changes = pair_targets(old, new)
    assert [id(c.new) for c in changes if c.new] == [id(t) for t in new]
    assert sorted(id(c.old) for c in changes if c.old) == sorted(id(t) for t in old)
    assert pair_targets(old, new) == changes  # deterministic


# ---------------------------------------------------------------- the sample pair

# status, old (metric, value, unit, comparator) or None, new (…) or None, delta, relative.
SAMPLE_TABLE: list[tuple[str, tuple[str, float, str, str] | None, tuple[str, float, str, str] | None]] = [
    ("unchanged", ("农产品质量安全例行监测合格率", 98, "%", ">="), ("农产品质量安全例行监测合格率", 98, "%", ">=")),
    ("changed", ("食品抽检合格率", 98, "%", ">="), ("食品抽检合格率", 98.5, "%", ">=")),
    ("changed", ("制造业产品质量合格率", 94, "%", ">="), ("制造业产品质量合格率", 95, "%", ">=")),
    ("changed", ("消费品质量合格率", 94, "%", ">="), ("消费品质量合格率", 95, "%", ">=")),
    ("added", None, ("政务服务一窗综合受理率", 100, "%", "=")),
    ("added", None, ("网上可办率", 95, "%", ">=")),
    ("unchanged", ("制造业质量竞争力指数", 94, "", ">="), ("制造业质量竞争力指数", 94, "", ">=")),
    ("unchanged", ("智能工厂(车间)", 80, "家", "="), ("智能工厂(车间)", 80, "家", "=")),
    ("added", None, ("省级以上专精特新企业", 600, "家", "=")),
    ("added", None, ("国家级制造业单项冠军企业", 10, "家", "=")),
    ("added", None, ("每万人口高价值发明专利拥有量", 26.9, "件", "=")),
    ("unchanged", ("全社会研发费用投入占GDP比重", 4, "%", "~"), ("全社会研发费用投入占GDP比重", 4, "%", "~")),
    ("changed", ("各级政府质量奖组织", 20, "家", ">="), ("广东省政府质量奖组织", 2, "家", "=")),
    ("added", None, ("地理标志保护产品", 1, "个", "=")),
    ("added", None, ("中国建设工程鲁班奖、国家优质工程奖或中国土木工程詹天佑奖", 4, "项", ">=")),
    ("added", None, ("省建设工程金匠奖", 40, "项", ">=")),
    ("added", None, ("全国质量品牌提升示范区", 1, "个", ">=")),
    ("added", None, ("检测认证领航企业", 3, "家", ">=")),
    (
        "unchanged",
        ("国家级或省级质量标准实验室、重点实验室、技术创新中心", 2, "家", ">="),
        ("国家级质量标准实验室、市场监管重点实验室、市场监管技术创新中心、质检中心或产业计量测试中心", 2, "家", ">="),
    ),
    ("changed", ("国际标准", 9, "项", ">="), ("国际标准", 6, "项", "=")),
    ("changed", ("国家标准", 300, "项", ">="), ("国家标准", 200, "项", "=")),
    ("changed", ("行业标准", 150, "项", ">="), ("行业标准", 100, "项", "=")),
    ("added", None, ("湾区标准", 30, "项", "=")),
    ("added", None, ("东莞优品", 30, "个", ">=")),
    ("added", None, ("检验检测认证机构", 450, "家", ">=")),
    ("added", None, ("年营业收入", 100, "亿元", ">")),
    ("added", None, ("首席质量官", 10000, "名", ">=")),
    ("removed", ("卓越绩效管理优秀单位", 100, "家", ">="), None),
    ("removed", ("重点产品(每年)", 3, "类", ">="), None),
]  # fmt: skip


def brief(t: Target | None) -> tuple[str, float, str, str] | None:
    return (t.metric, t.value, t.unit, t.comparator.value) if t else None


@pytest.fixture(scope="module")
def sample_changes() -> tuple[TargetChange, ...]:
    old, new = (
        extract_document_targets(segment(Document(name, (DATA / name).read_text(encoding="utf-8"))))
        for name in ("draft_2023.txt", "final_2024.txt")
    )
    return pair_targets(old, new)


def test_sample_table(sample_changes: tuple[TargetChange, ...]) -> None:
    assert [(c.status.value, brief(c.old), brief(c.new)) for c in sample_changes] == SAMPLE_TABLE


def test_sample_sizes_of_change(sample_changes: tuple[TargetChange, ...]) -> None:
    by_metric = {c.metric: c for c in sample_changes}
    food = by_metric["食品抽检合格率"]
    assert (food.delta, food.relative, food.direction) == (0.5, None, "up")
    national = by_metric["国家标准"]
    assert national.delta == -100 and national.relative == pytest.approx(-1 / 3)
    assert national.direction == "down" and national.comparator_changed
    award = by_metric["广东省政府质量奖组织"]
    assert award.delta == -18 and award.relative == pytest.approx(-0.9)
    assert award.comparator_changed
    summary = {s: sum(c.status is s for c in sample_changes) for s in TargetStatus}
    assert summary == {
        TargetStatus.CHANGED: 7,
        TargetStatus.UNCHANGED: 5,
        TargetStatus.ADDED: 15,
        TargetStatus.REMOVED: 2,
    }


def test_a_unit_change_with_the_same_amount_says_so() -> None:
    same = only_change(target("社会资本", 5000, "万元"), target("社会资本", 0.5, "亿元"))
    assert target_delta(same) == "unit 万元 → 亿元"


def test_a_count_written_with_a_scale_is_shown_with_it() -> None:
    old_text = "一、目标\n\n到2025年，建成5G基站10万个，培训技能人才1—1.5万名。"
    new_text = "一、目标\n\n到2025年，建成5G基站12万个，培训技能人才20000名。"
    old = extract_document_targets(segment(Document("a.txt", old_text)))
    new = extract_document_targets(segment(Document("b.txt", new_text)))
    assert [(t.value, t.scale) for t in old] == [(100000, "万"), (10000, "万")]
    assert [target_value(t) for t in old] == ["10万个", "1–1.5万名"]
    base, trained = pair_targets(old, new)
    assert target_delta(base) == "+2万个 (+20%) ↑"
    assert target_value(trained.new) == "20000名"  # written without a scale, shown so
