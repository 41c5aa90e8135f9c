"""Target extraction: each pattern on sentences of its own, the negatives, and the sample pair."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policydiff.model import Clause, ClauseKind, Document, Target, TargetKind
from policydiff.normalise import canonical, paragraphs
from policydiff.patterns import heading_style
from policydiff.segment import segment
from policydiff.targets import extract_document_targets, extract_targets

from .conftest import DATA

Row = tuple[str, float, str, str]


def clause(
    text: str,
    *,
    id: str = "c1",
    path: tuple[str, ...] = (),
    line: int = 1,
    kind: ClauseKind = ClauseKind.CLAUSE,
    front_matter: bool = False,
) -> Clause:
    return Clause(id, kind, path, text, canonical(text), line, line, front_matter)


def rows(targets: tuple[Target, ...]) -> list[Row]:
    return [(t.metric, t.value, t.unit, t.comparator.value) for t in targets]


def assert_targets(text: str, expected: list[Row], *, deadline: int | None = None) -> None:
    assert rows(extract_targets(clause(text), deadline=deadline)) == expected


def only(text: str) -> Target:
    (target,) = extract_targets(clause(text))
    return target


# ---------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # value after the metric
        ("全市食品抽检合格率达到98%以上。", [("食品抽检合格率", 98, "%", ">=")]),
        ("区域创新能力指数达到85以上", [("区域创新能力指数", 85, "", ">=")]),
        ("研发经费投入强度稳定在3.2%左右", [("研发经费投入强度", 3.2, "%", "~")]),
        ("全市软件业务收入突破2000亿元", [("软件业务收入", 2000, "亿元", ">")]),
        ("行政许可事项网上办理率达100%", [("行政许可事项网上办理率", 100, "%", "=")]),
        ("全市养老机构达 450 家以上", [("养老机构", 450, "家", ">=")]),
        ("新增绿色工厂（园区）35 家", [("绿色工厂(园区)", 35, "家", "=")]),
        # value before the noun
        ("到2027年设立5000名以上企业质量官", [("企业质量官", 5000, "名", ">=")]),
        ('培育5家以上"专精特新"示范企业', [("专精特新示范企业", 5, "家", ">=")]),
        ("每年组织不少于2次联合检查", [("联合检查(每年)", 2, "次", ">=")]),
        ("支持5家左右龙头企业牵头组建创新联合体", [("龙头企业", 5, "家", "~")]),
    ],
)
def test_value_after_or_before_the_metric(text: str, expected: list[Row]) -> None:
    assert_targets(text, expected)


def test_an_enumeration_shares_its_opening_verb() -> None:
    assert_targets(
        "新增主导或参与制修订国际标准 5 项以上、国家标准 80 项以上、地方标准 40 项以上。",
        [
            ("国际标准", 5, "项", ">="),
            ("国家标准", 80, "项", ">="),
            ("地方标准", 40, "项", ">="),
        ],
    )
    assert_targets(
        "新增12项以上团体标准、3项以上国家标准",
        [("团体标准", 12, "项", ">="), ("国家标准", 3, "项", ">=")],
    )


def test_coordinated_rates_share_one_value() -> None:
    assert_targets(
        "药品抽检合格率和化妆品抽检合格率均达到99%以上",
        [("药品抽检合格率", 99, "%", ">="), ("化妆品抽检合格率", 99, "%", ">=")],
    )
    assert_targets(
        "城市污水处理率、垃圾无害化处理率和农村卫生户厕普及率达到95%",
        [
            ("城市污水处理率", 95, "%", "="),
            ("垃圾无害化处理率", 95, "%", "="),
            ("农村卫生户厕普及率", 95, "%", "="),
        ],
    )


def test_respective_values_pair_with_the_listed_metrics() -> None:
    assert_targets(
        "城市生活污水集中收集率和农村生活污水治理率分别达到75%和40%。",
        [("城市生活污水集中收集率", 75, "%", "="), ("农村生活污水治理率", 40, "%", "=")],
    )


def test_a_count_over_a_list_of_kinds_is_one_target() -> None:
    assert_targets(
        "新增省级工程技术研究中心、重点实验室或新型研发机构 8 家以上",
        [("省级工程技术研究中心、重点实验室或新型研发机构", 8, "家", ">=")],
    )
    assert_targets(
        "争创茅以升奖、詹天佑奖和鲁班奖3项以上",
        [("茅以升奖、詹天佑奖和鲁班奖", 3, "项", ">=")],
    )


def test_per_capita_values_keep_their_base() -> None:
    assert_targets(
        "每千人口拥有执业（助理）医师数达到3.2人",
        [("每千人口拥有执业(助理)医师数", 3.2, "人", "=")],
    )
    assert_targets("每万人口发明专利拥有量 45.5 件", [("每万人口发明专利拥有量", 45.5, "件", "=")])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新培育两家独角兽企业", [("独角兽企业", 2, "家", "=")]),
        ("新建三所职业院校", [("职业院校", 3, "所", "=")]),
        ("认定二十五项市级非遗项目", [("市级非遗项目", 25, "项", "=")]),
        ("常住人口城镇化率达到百分之七十二", [("常住人口城镇化率", 72, "%", "=")]),
        ("招募1万名以上志愿者", [("志愿者", 10000, "名", ">=")]),
        ("设立1万名以上质量志愿者", [("质量志愿者", 10000, "名", ">=")]),
        ("引进社会资本1.5亿元", [("社会资本", 1.5, "亿元", "=")]),
        ("新增就业十万人以上", [("就业", 100000, "人", ">=")]),
        ("规上工业总产值超过4.5万亿元", [("规上工业总产值", 4.5, "万亿元", ">")]),
        ("高新技术企业数量突破1.2万家", [("高新技术企业数量", 12000, "家", ">")]),
    ],
)
def test_chinese_and_mixed_numerals(text: str, expected: list[Row]) -> None:
    assert_targets(text, expected)


def test_ranges_give_a_lower_and_an_upper_bound() -> None:
    first, second = extract_targets(
        clause("新增国家级专精特新“小巨人”企业1—2个、省级专精特新企业2-3家。")
    )
    assert (first.metric, first.value, first.upper, first.unit) == (
        "国家级专精特新小巨人企业",
        1,
        2,
        "个",
    )
    assert (second.value, second.upper, second.unit) == (2, 3, "家")
    assert only("建设特色小镇3～5个").upper == 5  # full-width tilde


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("覆盖率达到95%以上", ">="),
        ("覆盖率不低于95%", ">="),
        ("企业数量不少于30家", ">="),
        ("企业数量至少30家", ">="),
        ("营业收入超过50亿元", ">"),
        ("营业收入突破50亿元", ">"),
        ("营业收入高于50亿元", ">"),
        ("失业率控制在5.5%以内", "<="),
        ("失业率不超过5.5%", "<="),
        ("失业率5.5%以下", "<="),
        ("空置率低于5%", "<"),
        ("增速8%左右", "~"),
        ("企业数量约30家", "~"),
        ("企业数量近30家", "~"),
        ("企业数量达到30家", "="),
    ],
)
def test_comparator_words(text: str, comparator: str) -> None:
    assert only(text).comparator.value == comparator


def test_change_verbs_stay_in_the_metric() -> None:
    # 下降13.5% is a fall by 13.5 points, not a level of 13.5%: the verb must stay.
    assert_targets(
        "单位地区生产总值能耗下降13.5%，办理时限压缩至3个工作日以内",
        [("单位地区生产总值能耗下降", 13.5, "%", "="), ("办理时限", 3, "个工作日", "<=")],
    )


def test_a_baseline_is_not_a_target() -> None:
    assert_targets(
        "高新技术企业数量由1200家增加到2000家，研发投入强度从2.5%提高到3%。",
        [("高新技术企业数量", 2000, "家", "="), ("研发投入强度", 3, "%", "=")],
    )


def test_a_later_value_without_a_metric_keeps_the_metric_before_it() -> None:
    first, second = extract_targets(
        clause("到2025年全市规上工业增加值达到6000亿元，到2030年达到8000亿元。")
    )
    assert (first.metric, first.value, first.deadline) == ("规上工业增加值", 6000, 2025)
    assert (second.metric, second.value, second.deadline) == ("规上工业增加值", 8000, 2030)


def test_a_time_limit_is_a_target() -> None:
    assert_targets("力争3个月内完成整改", [("完成整改", 3, "个月", "<=")])
    assert_targets(
        "企业开办时间压缩至1个工作日内，审批时间压缩至80个工作日以内",
        [("企业开办时间", 1, "个工作日", "<="), ("审批时间", 80, "个工作日", "<=")],
    )


def test_a_period_is_kept_once() -> None:
    assert_targets(
        "市场监管部门每季度开展1次专项检查，企业每年研发投入增长10%",
        [("专项检查(每季度)", 1, "次", "="), ("企业每年研发投入增长", 10, "%", "=")],
    )


def test_a_horizon_is_not_part_of_the_metric() -> None:
    assert_targets(
        "三年内新增规上企业300家，力争用3年时间培育5家上市企业",
        [("规上企业", 300, "家", "="), ("上市企业", 5, "家", "=")],
    )


def test_units() -> None:
    assert_targets(
        "改造老旧小区3000个，惠及居民50万户，新增公共充电桩2万个，群众满意度达到90分以上，"
        "细颗粒物平均浓度控制在30微克/立方米以内，年接待游客8000万人次",
        [
            ("改造老旧小区", 3000, "个", "="),
            ("惠及居民", 500000, "户", "="),
            ("公共充电桩", 20000, "个", "="),
            ("群众满意度", 90, "分", ">="),
            ("细颗粒物平均浓度", 30, "微克/立方米", "<="),
            ("年接待游客", 80000000, "人次", "="),
        ],
    )
    assert_targets(
        "人均预期寿命达到81岁，婴儿死亡率控制在3‰以内",
        [("人均预期寿命", 81, "岁", "="), ("婴儿死亡率", 3, "‰", "<=")],
    )
    assert_targets(
        "新增标准机架2万架，算力规模达到5EFLOPS，千兆宽带接入速率达到1000Mbps，"
        "集装箱吞吐量达到300万标准箱，生猪出栏量达到120万头，新增造林1.5万株",
        [
            ("标准机架", 20000, "架", "="),
            ("算力规模", 5, "EFLOPS", "="),
            ("千兆宽带接入速率", 1000, "Mbps", "="),
            ("集装箱吞吐量", 3000000, "标准箱", "="),
            ("生猪出栏量", 1200000, "头", "="),
            ("造林", 15000, "株", "="),
        ],
    )
    assert extract_targets(clause("推进3架构融合，打造2头部企业")) == ()


def test_a_hedge_between_the_metric_and_its_verb() -> None:
    assert_targets(
        "动力电池回收利用率力争达到90%，森林覆盖率努力提高到65%以上",
        [("动力电池回收利用率", 90, "%", "="), ("森林覆盖率", 65, "%", ">=")],
    )
    assert only("动力电池回收利用率力争达到90%").hedged


def test_two_bounds_written_out_are_one_range() -> None:
    fine = only("违反本条规定的，处1万元以上5万元以下罚款。")
    assert (fine.metric, fine.value, fine.upper, fine.unit) == ("违反本条规定的:罚款", 1, 5, "万元")
    assert fine.kind is TargetKind.LIMIT
    mixed = only("情节严重的，处以罚款5000元至2万元。")
    assert (mixed.metric, mixed.value, mixed.upper, mixed.unit) == (
        "情节严重的:罚款",
        5000,
        20000,
        "元",
    )
    assert rows(extract_targets(clause("培育企业5家以上，新增项目10个"))) == [
        ("企业", 5, "家", ">="),
        ("项目", 10, "个", "="),
    ]


def test_an_item_number_in_a_circle_is_not_part_of_the_target() -> None:
    assert_targets(
        "③新增企业5家，⑴培育3家以上龙头企业", [("企业", 5, "家", "="), ("龙头企业", 3, "家", ">=")]
    )
    assert only("③新增企业5家").span == "企业5家"


def test_an_age_before_a_noun_belongs_to_the_metric() -> None:
    assert_targets(
        "65岁及以上老年人健康管理服务率达到70%以上，每千人口拥有3岁以下婴幼儿托位数达到4.5个",
        [
            ("65岁及以上老年人健康管理服务率", 70, "%", ">="),
            ("每千人口拥有3岁以下婴幼儿托位数", 4.5, "个", "="),
        ],
    )
    assert_targets("人均预期寿命达到80岁", [("人均预期寿命", 80, "岁", "=")])


def test_units_that_start_with_a_scale_character() -> None:
    assert_targets(
        "建设220千伏变电站5座，新增装机容量500千瓦，光伏装机达到300万千瓦，新建绿道3千米",
        [
            ("220千伏变电站", 5, "座", "="),
            ("装机容量", 500, "千瓦", "="),
            ("光伏装机", 3_000_000, "千瓦", "="),
            ("绿道", 3, "千米", "="),
        ],
    )


def test_more_than_and_per_time_units() -> None:
    assert_targets(
        "新增城镇就业1.2万余人，培育规上企业30多家，新增污水处理能力20万立方米/日",
        [
            ("城镇就业", 12000, "人", ">"),
            ("规上企业", 30, "家", ">"),
            ("污水处理能力", 200000, "立方米/日", "="),
        ],
    )


def test_chinese_decimals_and_one_hundred_percent() -> None:
    assert_targets(
        "森林覆盖率稳定在百分之六十二点五左右，新能源公交车占比达到百分之百",
        [("森林覆盖率", 62.5, "%", "~"), ("新能源公交车占比", 100, "%", "=")],
    )


# ---------------------------------------------------------------- deadlines, hedges, spans


def test_a_deadline_in_the_clause_overrides_the_context() -> None:
    (target,) = extract_targets(clause("到2027年设立5000名以上企业质量官。"), deadline=2025)
    assert target.deadline == 2027
    (target,) = extract_targets(clause("新增绿色工厂35家。"), deadline=2025)
    assert target.deadline == 2025
    first, second = extract_targets(clause("A类企业达到5家，2026年底前B类企业达到8家。"))
    assert (first.deadline, second.deadline) == (None, 2026)


def test_hedges_govern_to_the_next_comma() -> None:
    targets = extract_targets(
        clause(
            "力争到2026年全市检测机构达120家以上、年营业收入突破30亿元，"
            "新增省级质检中心2家，力争中国质量奖实现零的突破。"
        )
    )
    assert [(t.metric, t.hedged, t.deadline) for t in targets] == [
        ("检测机构", True, 2026),
        ("年营业收入", True, 2026),
        ("省级质检中心", False, 2026),
    ]
    assert only("苏州市力争到2025年培育国家级绿色工厂50家").metric == "国家级绿色工厂"
    assert only("争取培育3家上市企业").hedged
    assert not only("确保培育3家上市企业").hedged


def test_a_hedge_before_a_bare_year_governs_the_sentence() -> None:
    targets = extract_targets(clause("力争到2026年，A类指数达到90以上，B类企业达到8家。"))
    assert [t.hedged for t in targets] == [True, True]


def test_spans_quote_the_original_text() -> None:
    target = only("——食品抽檢合格率達到 98.5％以上，公共服務")
    assert (target.metric, target.value, target.span) == (
        "食品抽检合格率",
        98.5,
        "食品抽檢合格率達到 98.5％以上",
    )
    assert (
        only("力爭培育 3 家以上檢測認證「領航企業」。").span == "培育 3 家以上檢測認證「領航企業」"
    )


# ---------------------------------------------------------------- what is not a target


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：0571-87654321，手机：13912345678，传真：(0571)85012345。",
        "热线：400-123-4567，电子邮箱：zlc2024@hz.gov.cn",
        "地址：杭州市上城区解放东路18号市民中心C座3楼305室，邮编310016。",
        "邮寄地址：某某市监局东城办公区2号楼405质量科（某某区莞温路88号）。",
        "详见杭政办函〔2023〕15号文件和 http://www.hangzhou.gov.cn/art/2023/5/12/art_1229063.html",
        "省府办〔2024〕7號",
        "请于2023年10月14日前反馈意见。",
        "2024年1月26日",
        "二〇二四年三月五日",
        "（一）到2030年，主要指标如下。1、推进规划实施；（2）实施重点工程；③落实保障。",
        "围绕打造“4+5”产业集群，实施“513”工程，建立“1+N”政策体系。",
        "严格落实“四个最严”要求，加快“三品”战略示范城市建设。",
        "构建第三代半导体技术创新中心，全面贯彻党的二十大精神，开展“一镇一品”行动。",
        "坚持两个毫不动摇，走进千家万户，这一点十分重要，开展第三批试点。",
        "形成一批重大标志性技术，打造一个平台，推进一网通办、一窗通办。",
        "健全“双随机、一公开”监管，建立“三位一体”保护体系，推行六西格玛管理。",
        "落实“百千万工程”，共筑“半小时科研圈”，建设平安百年品质工程。",
        "优化政府颁布标准与市场自主制定标准二元结构，推进散裂中子源二期建设。",
        "建设5G网络，推广ISO 9001质量管理体系和GB/T 19580标准。",
        "全市14岁以下少年儿童可免费参观博物馆，年满18岁的居民可以报名。",
        "实施10千伏及以下农村电网改造，新建35kV线路应同步配套通信设施。",
        "孕产妇死亡率控制在10/10万以下。",
        "②支持龙头企业建设工业互联网平台；⑤台账管理纳入考核；⑴项目库动态更新。",
        "推行“十四五”规划，实施三年行动计划，近五年来成效明显。",
        "车桩比不高于2.5:1，会议于9:30开始。",
        "打造“2小时交通圈”，建设15分钟便民生活圈，提供24小时自助服务。",
    ],
)
def test_not_targets(text: str) -> None:
    assert_targets(text, [])


def test_numbers_inside_a_name_do_not_hide_the_target_after_it() -> None:
    assert_targets("建设5G基站3000座", [("5G基站", 3000, "座", "=")])
    assert_targets("到2025年评价认定“某某优品”50个以上", [("某某优品", 50, "个", ">=")])


def test_qualitative_goals_are_not_targets() -> None:
    assert_targets("工程质量抽查符合率不断提高，公共服务质量监测结果排在全省前列。", [])


# ---------------------------------------------------------------- documents


def test_document_deadlines_carry_down_the_heading_path() -> None:
    goals = ("一、总体要求", "（二）主要目标")
    clauses = [
        clause("（二）主要目标", id="h1", path=goals[:1], kind=ClauseKind.HEADING),
        clause("到2026年，质量水平全面提高。", id="c1", path=goals),
        clause("合格率达到98%以上。", id="c2", path=(*goals, "——产品质量")),
        clause("到2030年设立首席质量官300名。", id="c3", path=(*goals, "——人才")),
        clause("绿色工厂达到40家。", id="c4", path=(*goals, "——人才")),
        clause("新增检测机构5家。", id="c5", path=("二、重点任务",)),
        clause("联系电话：0571-87654321", id="c0", front_matter=True),
    ]
    targets = extract_document_targets(clauses)
    assert [(t.clause, t.deadline) for t in targets] == [
        ("c2", 2026),
        ("c3", 2030),  # its own year
        ("c4", 2026),  # a clause with targets frames nothing
        ("c5", None),  # another section
    ]


def test_an_outer_deadline_replaces_an_inner_one() -> None:
    outer, inner = ("一、目标",), ("一、目标", "（一）近期")
    clauses = [
        clause("到2025年，基本建成。", id="c1", path=inner),
        clause("达标企业达到10家。", id="c2", path=inner),
        clause("到2035年，全面建成。", id="c3", path=outer),
        clause("达标企业达到50家。", id="c4", path=inner),
    ]
    assert [t.deadline for t in extract_document_targets(clauses)] == [2025, 2035]


def test_front_matter_states_no_targets_but_a_heading_may() -> None:
    assert extract_document_targets([clause("新增检测机构5家", front_matter=True)]) == ()
    bullet = clause("——新增绿色工厂40家。", kind=ClauseKind.HEADING)
    assert [(t.metric, t.value) for t in extract_document_targets([bullet])] == [("绿色工厂", 40)]
    assert extract_document_targets([clause("（三）加强队伍建设", kind=ClauseKind.HEADING)]) == ()


@given(
    st.text(
        alphabet="达到新增培育以上左右约、和，。%家项个年月日第每一二三十百万亿0123456789.-“”率指数企业"
    )
)
def test_extraction_never_fails_and_spans_are_quotes(text: str) -> None:
    for target in extract_targets(clause(text)):
        assert target.span and target.span in text
        assert target.metric
        assert target.upper is None or target.upper > target.value


# ---------------------------------------------------------------- the sample pair

Golden = tuple[str, float, str, str, int | None, bool]

DRAFT_TARGETS: list[Golden] = [
    ("农产品质量安全例行监测合格率", 98, "%", ">=", 2025, False),
    ("食品抽检合格率", 98, "%", ">=", 2025, False),
    ("制造业产品质量合格率", 94, "%", ">=", 2025, False),
    ("消费品质量合格率", 94, "%", ">=", 2025, False),
    ("国际标准", 9, "项", ">=", 2025, False),
    ("国家标准", 300, "项", ">=", 2025, False),
    ("行业标准", 150, "项", ">=", 2025, False),
    ("智能工厂(车间)", 80, "家", "=", 2025, False),
    ("全社会研发费用投入占GDP比重", 4, "%", "~", 2025, False),
    ("各级政府质量奖组织", 20, "家", ">=", 2025, False),
    ("卓越绩效管理优秀单位", 100, "家", ">=", 2025, False),
    ("重点产品(每年)", 3, "类", ">=", 2025, False),
    ("制造业质量竞争力指数", 94, "", ">=", 2025, False),
    ("国家级或省级质量标准实验室、重点实验室、技术创新中心", 2, "家", ">=", 2025, False),
]

FINAL_TARGETS: list[Golden] = [
    ("农产品质量安全例行监测合格率", 98, "%", ">=", 2025, False),
    ("食品抽检合格率", 98.5, "%", ">=", 2025, False),
    ("制造业产品质量合格率", 95, "%", ">=", 2025, False),
    ("消费品质量合格率", 95, "%", ">=", 2025, False),
    ("政务服务一窗综合受理率", 100, "%", "=", 2025, False),
    ("网上可办率", 95, "%", ">=", 2025, False),
    ("制造业质量竞争力指数", 94, "", ">=", 2025, False),
    ("智能工厂(车间)", 80, "家", "=", 2025, False),
    ("省级以上专精特新企业", 600, "家", "=", 2025, False),
    ("国家级制造业单项冠军企业", 10, "家", "=", 2025, False),
    ("每万人口高价值发明专利拥有量", 26.9, "件", "=", 2025, False),
    ("全社会研发费用投入占GDP比重", 4, "%", "~", 2025, False),
    ("广东省政府质量奖组织", 2, "家", "=", 2025, False),
    ("地理标志保护产品", 1, "个", "=", 2025, False),
    ("中国建设工程鲁班奖、国家优质工程奖或中国土木工程詹天佑奖", 4, "项", ">=", 2025, False),
    ("省建设工程金匠奖", 40, "项", ">=", 2025, False),
    ("全国质量品牌提升示范区", 1, "个", ">=", 2025, False),
    ("检测认证领航企业", 3, "家", ">=", 2025, True),
    (
        "国家级质量标准实验室、市场监管重点实验室、市场监管技术创新中心、质检中心或产业计量测试中心",
        2,
        "家",
        ">=",
        2025,
        False,
    ),
    ("国际标准", 6, "项", "=", 2025, False),
    ("国家标准", 200, "项", "=", 2025, False),
    ("行业标准", 100, "项", "=", 2025, False),
    ("湾区标准", 30, "项", "=", 2025, False),
    ("东莞优品", 30, "个", ">=", 2025, False),
    ("检验检测认证机构", 450, "家", ">=", 2025, True),
    ("年营业收入", 100, "亿元", ">", 2025, True),
    ("首席质量官", 10000, "名", ">=", 2025, False),
]


def golden(targets: tuple[Target, ...]) -> list[Golden]:
    return [(t.metric, t.value, t.unit, t.comparator.value, t.deadline, t.hedged) for t in targets]


def paragraph_clauses(text: str, body_line: int) -> list[Clause]:
    """One clause per paragraph, headings nested by style: a segmentation independent of segment.py."""
    clauses: list[Clause] = []
    stack: list[tuple[str, str]] = []
    for number, para in enumerate(paragraphs(text), start=1):
        style = heading_style(para.text)
        is_heading = style is not None and "。" not in para.text
        if is_heading and style is not None:
            while stack and style[0] in {s for s, _ in stack}:
                stack.pop()
        path = tuple(title for _, title in stack)
        kind = ClauseKind.HEADING if is_heading else ClauseKind.CLAUSE
        clauses.append(
            Clause(
                f"p{number}",
                kind,
                path,
                para.text,
                canonical(para.text),
                para.line,
                para.line,
                front_matter=para.line < body_line,
            )
        )
        if is_heading and style is not None:
            stack.append((style[0], para.text))
    return clauses


SAMPLES = [("draft_2023.txt", 24, DRAFT_TARGETS), ("final_2024.txt", 20, FINAL_TARGETS)]


@pytest.mark.parametrize(("name", "body_line", "expected"), SAMPLES)
def test_sample_targets(name: str, body_line: int, expected: list[Golden]) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert golden(extract_document_targets(segment(Document(name, text)))) == expected
    # The same table from whole paragraphs: extraction does not lean on sentence splitting.
    assert golden(extract_document_targets(paragraph_clauses(text, body_line))) == expected


@pytest.mark.parametrize(("name", "body_line", "expected"), SAMPLES)
def test_sample_front_matter_has_no_targets(name: str, body_line: int, expected: object) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    front = [c for c in paragraph_clauses(text, body_line) if c.front_matter]
    assert front
    assert [t for c in front for t in extract_targets(c)] == []


def test_sample_spans_and_lines() -> None:
    text = (DATA / "final_2024.txt").read_text(encoding="utf-8")
    targets = extract_document_targets(segment(Document("final_2024.txt", text)))
    by_metric = {t.metric: t for t in targets}
    assert by_metric["食品抽检合格率"].span == "食品抽檢合格率达到98.5%以上"
    assert by_metric["食品抽检合格率"].line == 32
    assert by_metric["首席质量官"].span == "设立10000名以上首席质量官"
    assert by_metric["首席质量官"].line == 122
    assert by_metric["年营业收入"].span == "年营业收入突破 100 亿元"


def test_an_efficiency_ratio_may_carry_a_bare_number() -> None:
    assert_targets(
        "新建大型数据中心电能利用效率（PUE）控制在1.3以下。",
        [("大型数据中心电能利用效率(PUE)", 1.3, "", "<=")],
    )
    assert_targets("数据中心电能利用效率不高于1.25。", [("数据中心电能利用效率", 1.25, "", "<=")])
    assert_targets("能源利用效率稳步提高，达到国内先进水平。", [])


def test_a_deadline_opening_a_sentence_frames_the_sentences_after_it() -> None:
    clauses = [
        clause("到2025年，地区生产总值年均增长6%左右。", id="c1", path=("（二）主要目标",)),
        clause("研发经费投入强度达到2.8%。", id="c2", path=("（二）主要目标",)),
        clause("加快建设现代化产业体系。", id="c3", path=("（三）重点任务",)),
        clause("新增专精企业100家。", id="c4", path=("（三）重点任务",)),
    ]
    found = [(t.metric, t.deadline) for t in extract_document_targets(clauses)]
    assert found == [("地区生产总值年均增长", 2025), ("研发经费投入强度", 2025), ("专精企业", None)]


def test_hong_kong_deadlines_and_list_numbers() -> None:
    target = only("(b) 在2027年或之前，把創科人才增加至50000人。")
    assert (target.metric, target.value, target.unit, target.deadline) == (
        "创科人才",
        50000,
        "人",
        2027,
    )
    assert only("於2030年或以前，研發開支佔本地生產總值比例達到1.5%。").deadline == 2030
    assert only("（3）将企业上云率提高到60%。").metric == "企业上云率"
    assert only("将军县新增企业5家。").metric.startswith("将军县")  # a place, not 将 + metric


def test_a_year_opening_a_phrase_is_a_deadline() -> None:
    found = extract_targets(clause("2024年完成农村户厕改造5000户，2025年完成8000户。"))
    assert [(t.metric, t.value, t.deadline) for t in found] == [
        ("农村户厕改造", 5000, 2024),
        ("农村户厕改造", 8000, 2025),
    ]
    assert only("2024年以来，新增企业500家。").deadline is None  # since, not by
    assert only("自2024年3月起，新增企业500家。").deadline is None
    assert only("2024年起，每年新增企业50家。").deadline is None  # a start, not a deadline
    assert [t.metric for t in extract_targets(clause("新增企业500家，培育1000家。"))] == ["企业"]


def test_time_limits_caps_and_thousands_separators() -> None:
    assert_targets(
        "自受理申请之日起15日内作出决定，给予最高2000万元补助，充电站设置数量达1,200站",
        [
            ("作出决定", 15, "日", "<="),
            ("补助", 2000, "万元", "<="),
            ("充电站设置数量", 1200, "站", "="),
        ],
    )
    assert extract_targets(clause("每月15日前报送数据，于3月15日召开会议。")) == ()
    # A full-width comma between numbers lists them: never one number 120150.
    assert [t.value for t in extract_targets(clause("分别完成改造120，150户。"))] == [150]
    assert_targets(
        "每年减碳量不低于50万公吨，能量密度达到350瓦时/公斤以上",
        [("减碳量(每年)", 500000, "公吨", ">="), ("能量密度", 350, "瓦时/公斤", ">=")],
    )


def test_whom_an_award_is_for_is_no_part_of_its_metric() -> None:
    assert only("对认定为省级平台的给予一次性奖励200万元").metric == "一次性奖励"
    assert only("对首次认定的高新技术企业予以奖励30万元").metric == "奖励"
    assert only("对外贸易额达到500亿元").metric == "对外贸易额"


def test_a_time_limit_names_the_whole_action_after_it() -> None:
    assert_targets("应当在届满前30日内重新申请", [("重新申请", 30, "日", "<=")])


def test_a_flattened_table_row_gives_no_target() -> None:
    assert extract_targets(clause("2023年 5家 20个 1000家")) == ()


def test_a_bound_before_的_says_which_things_are_counted() -> None:
    assert_targets(
        "培育年营业收入超过100亿元的企业10家以上",
        [("年营业收入超过100亿元的企业", 10, "家", ">=")],
    )
    assert_targets("5家以上的企业完成改造", [("企业", 5, "家", ">=")])
    # A bound before the number and 的 after it is a condition, not a target.
    assert extract_targets(clause("对家庭年收入低于5万元的困难家庭给予一次性补助。")) == ()
    # A bounded measure, not a count, before 的 says which ones: no target.
    assert extract_targets(clause("对5000千瓦以下的小水电站开展清理整改。")) == ()
    # Unbounded, it is the target itself.
    assert_targets("确保实现地区生产总值增长6%的目标", [("地区生产总值增长", 6, "%", "=")])
    assert only("企业开办时间压减至1个工作日以内").metric == "企业开办时间"


def test_a_heading_number_is_no_part_of_the_metric() -> None:
    assert only("三、溫室氣體排放量較基準年減少２５％。").metric == "温室气体排放量较基准年减少"
    assert only("(一)新建自行车道150公里。").metric == "自行车道"
    assert only("2.新建自行车道150公里。").metric == "自行车道"


def test_taiwan_years_count_from_1911() -> None:
    assert only("至民國一百十九年，本市電動公車比例達百分之百。").deadline == 2030
    assert only("至民國115年底，設置充電樁3000座。").deadline == 2026
    assert only("到民國一百零九年，電動公車比例達百分之百。").deadline == 2020


def test_will_before_a_verb_is_not_part_of_the_metric() -> None:
    assert only("全市将新增高新技术企业500家。").metric == "高新技术企业"
    assert only("要培育单项冠军企业20家以上。").metric == "单项冠军企业"
