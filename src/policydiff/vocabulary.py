"""The domain vocabulary of targets as data: units, comparator words, verbs, time limits.

Every regular expression of targets.py (and the decimal-heading lookahead of
patterns.py) is built from these tables; the unit list of docs/targets.md is
generated from them (`python -m policydiff.vocabulary`). Each row carries at least
one example sentence and its expected reading, which tests/test_targets_vocabulary.py
runs: a reading is "metric value unit comparator", with "-upper" after a range's
value, "-" for no unit and the kind after it when it is not a goal; several
targets are joined by " | "; "" means no target.

Adding a unit is one row of UNITS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# Digits and scale characters of Chinese numerals.
CN_DIGITS = "〇零一二三四五六七八九十百千两"


class UnitKind(StrEnum):
    """What a measure word measures."""

    COUNT = "count"  # things counted: 家, 项, 人
    MEASURE = "measure"  # physical quantities: 吨, 公里, 千瓦时
    DURATION = "duration"  # time: 日, 个月, 小时
    MONEY = "money"  # 元, 美元: keep their 万/亿 in the unit
    RATIO = "ratio"  # %, ‰, 个百分点, 倍


@dataclass(frozen=True)
class Example:
    """A sentence of our own wording and the targets it must give (see the module doc)."""

    text: str
    reading: str


@dataclass(frozen=True)
class Unit:
    """A measure word after a number.

    `not_before`: characters after it that make it part of another word (3家 but
    not 家庭). `denominator`: a /per-unit may follow (千瓦时/百公里, 人/万人).
    `scaled`: 万/亿 before it multiply the number (1万名 is 10000 名).
    """

    surface: str
    kind: UnitKind
    examples: tuple[Example, ...]
    not_before: str = ""
    denominator: bool = False
    scaled: bool = True


def _u(
    surface: str,
    kind: UnitKind,
    text: str,
    reading: str,
    not_before: str = "",
    *,
    denominator: bool = False,
) -> Unit:
    return Unit(surface, kind, (Example(text, reading),), not_before, denominator)


C, M, D, Y, R = UnitKind.COUNT, UnitKind.MEASURE, UnitKind.DURATION, UnitKind.MONEY, UnitKind.RATIO

UNITS: tuple[Unit, ...] = (
    _u("%", R, "绿化覆盖率达到45%", "绿化覆盖率 45 % ="),
    _u("‰", R, "事故死亡率控制在1.5‰以内", "事故死亡率 1.5 ‰ <="),
    _u("个百分点", R, "负债率下降2个百分点", "负债率下降 2 个百分点 ="),
    _u("百分点", R, "负债率下降0.5百分点", "负债率下降 0.5 百分点 ="),
    _u("倍", R, "产值增长到原来的1.5倍以上", "产值增长到原来 1.5 倍 >="),
    _u(
        "成",
        R,
        "装配式建筑占比达到七成以上",
        "装配式建筑占比 70 % >=",
        "为立本果员效功熟绩交片网套型就都长品",
    ),
    _u("个工作日", D, "申请人应当在五个工作日内补正材料", "补正材料 5 个工作日 <= limit"),
    _u("工作日", D, "办结时间压缩至3工作日以内", "办结时间 3 工作日 <="),
    _u("个月", D, "整改期限最长不超过六个月", "整改期限 6 个月 <= limit"),
    _u("年", D, "主管人员应当具备从业经历三年以上", "主管人员应当具备从业经历 3 年 >= limit"),
    _u("日", D, "行政机关应当自受理之日起二十日内作出决定", "作出决定 20 日 <= limit"),
    _u("天", D, "检测机构应当在7天内出具报告", "出具报告 7 天 <= limit", "然津下"),
    _u("个小时", D, "连续作业时间不得超过4个小时", "连续作业时间 4 个小时 <= limit"),
    _u("小时", D, "应急响应时间不超过2小时", "应急响应时间 2 小时 <="),
    _u("分钟", D, "平均通勤时间控制在40分钟以内", "平均通勤时间 40 分钟 <="),
    _u("周", D, "报名截止日期前两周内公布名单", "公布名单 2 周 <= limit", "年期边转"),
    _u("美元", Y, "出口额达到30亿美元", "出口额 30 亿美元 ="),
    _u("元", Y, "职工平均收入达到5万元", "职工平均收入 5 万元 =", "素件器化"),
    _u("人次", C, "接待游客8000万人次", "接待游客 80000000 人次 ="),
    _u(
        "人",
        C,
        "城镇新增就业12万人",
        "城镇新增就业 120000 人 =",
        "民才员口类工士",
        denominator=True,
    ),
    _u("家", C, "新增孵化器5家", "孵化器 5 家 =", "庭具电居族乡园"),
    _u("项", C, "制定地方标准20项", "地方标准 20 项 =", "目"),
    _u("个", C, "建设示范园区10个", "示范园区 10 个 =", "人体性别案", denominator=True),
    _u("件", C, "办理提案300件", "办理提案 300 件 =", "事"),
    _u("名", C, "引进高层次人才200名", "高层次人才 200 名 =", "单称义录牌片"),
    _u("类", C, "每年选取重点产品5类以上", "重点产品(每年) 5 类 >=", "似"),
    _u("座", C, "新建污水处理厂3座", "污水处理厂 3 座 ="),
    _u("所", C, "新建幼儿园12所", "幼儿园 12 所 =", "有属谓在以"),
    _u("条", C, "新开公交线路8条", "新开公交线路 8 条 =", "件例约款"),
    _u("台", C, "新增新能源农机500台", "新能源农机 500 台 =", "湾阶"),
    _u("套", C, "新建保障性住房2万套", "保障性住房 20000 套 ="),
    _u("户", C, "完成危房改造800户", "危房改造 800 户 =", "口籍外型"),
    _u("辆", C, "新增公交车200辆", "公交车 200 辆 ="),
    _u("张", C, "新增养老床位3000张", "养老床位 3000 张 =", "家"),
    _u("处", C, "修复历史建筑15处", "修复历史建筑 15 处 =", "理置罚"),
    _u("场", C, "举办招聘会50场", "招聘会 50 场 =", "景所地"),
    _u("部", C, "推出精品图书10部", "精品图书 10 部 =", "门分署长"),
    _u("篇", C, "发布研究报告30篇", "研究报告 30 篇 ="),
    _u("款", C, "推出文创产品40款", "文创产品 40 款 ="),
    _u("种", C, "引进种质资源600种", "种质资源 600 种 =", "类子植养"),
    _u("宗", C, "盘活闲置土地25宗", "盘活闲置土地 25 宗 ="),
    _u("支", C, "组建应急队伍12支", "应急队伍 12 支 ="),
    _u("床", C, "医院床位达到1200床", "医院床位 1200 床 ="),
    _u("间", C, "改造教室60间", "改造教室 60 间 ="),
    _u("批", C, "认定示范基地2批", "示范基地 2 批 =", "准复示评"),
    _u("次", C, "每年开展演练至少一次", "演练(每年) 1 次 >= limit", "要数序"),
    _u("架", C, "引进支线飞机4架", "支线飞机 4 架 =", "构设空"),
    _u("艘", C, "建造渔船30艘", "建造渔船 30 艘 ="),
    _u("头", C, "生猪存栏达到300万头", "生猪存栏 3000000 头 =", "部脑雁羊"),
    _u("株", C, "补植苗木5000株", "补植苗木 5000 株 ="),
    _u("棵", C, "种植行道树800棵", "种植行道树 800 棵 ="),
    _u("站", C, "建成充电站1200站", "充电站 1200 站 =", "点长台"),
    _u("周岁", C, "申请人年龄不超过60周岁", "申请人年龄 60 周岁 <="),
    _u("岁", C, "人均预期寿命达到80岁", "人均预期寿命 80 岁 ="),
    _u(
        "分",
        C,
        "群众满意度测评达到八十分以上",
        "群众满意度测评 80 分 >=",
        "之别类级析布配工区局会支批期享解散",
    ),
    _u("平方公里", M, "城区面积达到120平方公里", "城区面积 120 平方公里 ="),
    _u("平方米", M, "人均住房面积达到40平方米", "人均住房面积 40 平方米 =", denominator=True),
    _u("公里", M, "新建高速公路150公里", "高速公路 150 公里 =", denominator=True),
    _u("千米", M, "改造管网30千米", "改造管网 30 千米 ="),
    _u("米", M, "海堤高程达到5米", "海堤高程 5 米 =", "粮饭面"),
    _u("公顷", M, "新增湿地200公顷", "湿地 200 公顷 ="),
    _u("亩", M, "建设高标准农田10万亩", "高标准农田 100000 亩 ="),
    _u("斤", M, "粮食产量稳定在1.3万亿斤以上", "粮食产量 1300000000000 斤 >="),
    _u(
        "吨标准煤",
        M,
        "单位产值能耗降至0.4吨标准煤/万元",
        "单位产值能耗 0.4 吨标准煤/万元 =",
        denominator=True,
    ),
    _u("吨", M, "粮食产量稳定在500万吨以上", "粮食产量 5000000 吨 >=", denominator=True),
    _u("公吨", M, "回收废纸2万公吨", "回收废纸 20000 公吨 ="),
    _u("公斤", M, "化肥用量减少到每亩20公斤", "化肥用量减少到每亩 20 公斤 =", denominator=True),
    _u("千克", M, "人均垃圾产生量0.8千克", "人均垃圾产生量 0.8 千克 =", denominator=True),
    _u(
        "微克",
        M,
        "细颗粒物平均浓度降至30微克/立方米",
        "细颗粒物平均浓度 30 微克/立方米 =",
        denominator=True,
    ),
    _u(
        "毫克", M, "出水化学需氧量不高于30毫克/升", "出水化学需氧量 30 毫克/升 <=", denominator=True
    ),
    _u("立方米", M, "节约用水1000万立方米", "节约用水 10000000 立方米 =", denominator=True),
    _u(
        "升",
        M,
        "乘用车平均油耗降至4.0升/百公里",
        "乘用车平均油耗 4 升/百公里 =",
        "级格值高至到为",
        denominator=True,
    ),
    _u(
        "千瓦时",
        M,
        "电动车能耗降至12.0千瓦时/百公里",
        "电动车能耗 12 千瓦时/百公里 =",
        denominator=True,
    ),
    _u("瓦时", M, "电池能量密度达到300瓦时/公斤", "电池能量密度 300 瓦时/公斤 =", denominator=True),
    _u("千瓦", M, "新增光伏装机50万千瓦", "光伏装机 500000 千瓦 =", denominator=True),
    _u("兆瓦", M, "建成储能电站100兆瓦", "储能电站 100 兆瓦 ="),
    _u("标准箱", M, "集装箱吞吐量达到300万标准箱", "集装箱吞吐量 3000000 标准箱 ="),
    _u("标箱", M, "港口吞吐量达到20万标箱", "港口吞吐量 200000 标箱 ="),
    _u("EFLOPS", M, "算力规模达到5EFLOPS", "算力规模 5 EFLOPS ="),
    _u("PFLOPS", M, "智能算力达到500PFLOPS", "智能算力 500 PFLOPS ="),
    _u("Gbps", M, "家庭宽带接入能力达到10Gbps", "家庭宽带接入能力 10 Gbps ="),
    _u("Mbps", M, "农村宽带速率达到100Mbps以上", "农村宽带速率 100 Mbps >="),
)
"""Measure words, longest match first when read (个百分点 before 个)."""

LATIN_UNITS = tuple(u.surface for u in UNITS if u.surface.isascii() and u.surface.isalpha())
MONEY_UNITS = tuple(u.surface for u in UNITS if u.kind is UnitKind.MONEY)
COUNT_UNITS = frozenset(u.surface for u in UNITS if u.kind is UnitKind.COUNT) - {"岁", "周岁", "分"}
MEASURE_UNITS = frozenset(u.surface for u in UNITS if u.kind is UnitKind.MEASURE)
DURATION_UNITS = frozenset(u.surface for u in UNITS if u.kind is UnitKind.DURATION)
RATIO_UNITS = frozenset({"%", "‰"})
UNIT_NOT_BEFORE = {u.surface: u.not_before for u in UNITS if u.not_before}


@dataclass(frozen=True)
class Word:
    """A word of the grammar (a comparator, a verb, a time-limit form) with its meaning."""

    surface: str
    meaning: str
    examples: tuple[Example, ...]


def _w(surface: str, meaning: str, text: str, reading: str) -> Word:
    return Word(surface, meaning, (Example(text, reading),))


# Denominators after a measure word with `denominator`: 千瓦时/百公里, 吨标准煤/万元.
DENOMINATORS: tuple[Word, ...] = (
    _w("百公里", "per", "货车油耗降至20升/百公里", "货车油耗 20 升/百公里 ="),
    _w("万元", "per", "单位增加值用水量降至30立方米/万元", "单位增加值用水量 30 立方米/万元 ="),
    _w("立方米", "per", "臭氧浓度控制在160微克/立方米以内", "臭氧浓度 160 微克/立方米 <="),
    _w("万人", "per", "每万人口全科医生数达到4人/万人", "每万人口全科医生数 4 人/万人 ="),
    _w("千人", "per", "婴幼儿托位数达到4.5个/千人", "婴幼儿托位数 4.5 个/千人 ="),
    _w("升", "per", "出水总磷不高于0.3毫克/升", "出水总磷 0.3 毫克/升 <="),
    _w("公斤", "per", "电池密度达到260瓦时/公斤", "电池密度 260 瓦时/公斤 ="),
    _w("千克", "per", "电池密度达到250瓦时/千克", "电池密度 250 瓦时/千克 ="),
    _w("年", "per", "处理能力达到50万吨/年", "处理能力 500000 吨/年 ="),
    _w("月", "per", "巡查不少于2次/月", "巡查 2 次/月 >="),
    _w("周", "per", "开放时间不少于40小时/周", "开放时间 40 小时/周 >="),
    _w("日", "per", "污水处理能力20万立方米/日", "污水处理能力 200000 立方米/日 ="),
    _w("天", "per", "供水能力达到5万吨/天", "供水能力 50000 吨/天 ="),
    _w("小时", "per", "通行能力达到3000辆/小时", "通行能力 3000 辆/小时 ="),
    _w("人", "per", "人均绿地达到15平方米/人", "人均绿地 15 平方米/人 ="),
)

# Words after a number that bound it.
POST_COMPARATORS: tuple[Word, ...] = (
    _w("及以上", ">=", "优良率达到80%及以上", "优良率 80 % >="),
    _w("以上", ">=", "覆盖率达到95%以上", "覆盖率 95 % >="),
    _w("及以下", "<=", "误差控制在1%及以下", "误差 1 % <="),
    _w("以下", "<=", "空置率降到5%以下", "空置率 5 % <="),
    _w("以内", "<=", "增幅控制在3%以内", "增幅 3 % <="),
    _w("之内", "<=", "办结时间压缩到10个工作日之内", "办结时间 10 个工作日 <="),
    _w("左右", "~", "经济增速5%左右", "经济增速 5 % ~"),
    _w("内", "<=", "力争3个月内完成整改", "完成整改 3 个月 <= limit"),
)
# Words just before a number that bound it; the longest is tried first (不超过 before 超过).
PRE_COMPARATORS: tuple[Word, ...] = (
    _w("不低于", ">=", "森林覆盖率不低于40%", "森林覆盖率 40 % >="),
    _w("不少于", ">=", "公示期不少于三十日", "公示期 30 日 >= limit"),
    _w("提前", ">=", "决定停业的，应当提前二十日告知用户", "告知用户 20 日 >= limit"),
    _w("最长", "<=", "试用期最长为六个月", "试用期 6 个月 <= limit"),
    _w("最短", ">=", "借用期最短三个月", "借用期 3 个月 >= limit"),
    _w("不得少于", ">=", "评审专家不得少于五人", "评审专家 5 人 >= limit"),
    _w("至少", ">=", "检查频次至少2次", "检查频次 2 次 >="),
    _w("过半数", ">", "方案须经全体委员过半数通过", "方案须经全体委员 50 % > limit"),
    _w("满", ">=", "申请人应当从事相关工作满3年", "申请人应当从事相关工作 3 年 >= limit"),
    _w("至少有", ">=", "确保每个班组至少有一人持证", "每个班组 1 人 >="),
    _w("超过", ">", "营业收入超过100亿元", "营业收入 100 亿元 >"),
    _w("突破", ">", "旅游收入突破800亿元", "旅游收入 800 亿元 >"),
    _w("高于", ">", "增速高于6%", "增速 6 % >"),
    _w("多于", ">", "参训人员多于300人", "参训人员 300 人 >"),
    _w("大约", "~", "投资规模大约50亿元", "投资规模 50 亿元 ~"),
    _w("约", "~", "总投资约20亿元", "总投资 20 亿元 ~"),
    _w("接近", "~", "城镇化率接近70%", "城镇化率 70 % ~"),
    _w("近", "~", "总投资近30亿元", "总投资 30 亿元 ~"),
    _w("不超过", "<=", "负债率不超过60%", "负债率 60 % <="),
    _w("不得超过", "<=", "延长期限最长不得超过六十日", "延长期限 60 日 <= limit"),
    _w("不高于", "<=", "空置率不高于8%", "空置率 8 % <="),
    _w("不得高于", "<=", "收费标准不得高于200元", "收费标准 200 元 <= limit"),
    _w("不得低于", ">=", "委员中专家的比例不得低于三分之一", "委员中专家的比例 33.33 % >= limit"),
    _w("不得多于", "<=", "每组人数不得多于12人", "每组人数 12 人 <= limit"),
    _w("不多于", "<=", "每班学生不多于45人", "每班学生 45 人 <="),
    _w("控制在", "<=", "能耗增量控制在300万吨标准煤", "能耗增量 3000000 吨标准煤 <="),
    _w("最高", "<=", "单个项目补助最高200万元", "单个项目补助 200 万元 <="),
    _w("最多", "<=", "每户补贴最多2万元", "每户补贴 2 万元 <="),
    _w("低于", "<", "失业率低于5.5%", "失业率 5.5 % <"),
    _w("少于", "<", "抽检批次少于100批", "抽检批次 100 批 <"),
    _w("不足", "<", "覆盖率不足50%", "覆盖率 50 % <"),
)

# Verbs between a metric and its value that mean "reaches this level"; not part of the metric.
LEVEL_VERBS: tuple[Word, ...] = (*(
    _w(verb, "level", f"优良天数比例{verb}85%", "优良天数比例 85 % =")
    for verb in (
        "达到了", "达到", "累计达", "达", "为", "稳定在", "保持在", "维持在", "提高到",
        "提高至", "提升到", "提升至", "增加到", "增加至", "增长到", "增长至", "增至",
        "上升到", "上升至", "扩大到", "扩大至", "降低到", "降低至", "降到", "降至",
        "下降到", "下降至", "减少到", "减少至", "缩短到", "缩短至", "压缩到", "压缩至",
        "压减到", "压减至", "控制到",
    )
    ),
    _w("一般", "hedge", "办理时间一般不超过15个工作日", "办理时间 15 个工作日 <="),
    _w("原则上", "hedge", "办理时间原则上不超过20个工作日", "办理时间 20 个工作日 <="),
    _w("分别", "respective", "优良率和达标率分别达到90%和95%", "优良率 90 % = | 达标率 95 % ="),
    _w("分别", "respective change", "能耗和排放分别降低5%、8%", "能耗降低 5 % = | 排放降低 8 % ="),
    _w("均", "each", "优良率和达标率均达到90%", "优良率 90 % = | 达标率 90 % ="),
)  # fmt: skip
# Verbs that open a target ("新增…", "培育3家…") and are not part of the metric; a
# lookahead keeps a noun that starts with the verb (组织机构, 建设用地).
_SPECIAL_OPENERS = {
    "并处": ("违反规定的，并处罚款5000元", "违反规定的:罚款 5000 元 = limit"),
    "处以": ("情节严重的，处以罚款2万元", "情节严重的:罚款 2 万元 = limit"),
    "给予": ("对获评企业给予奖励50万元", "奖励 50 万元 ="),
    "予以": ("对新认定的平台予以补助100万元", "补助 100 万元 ="),
    "累计": ("累计建成充电桩2万个", "充电桩 20000 个 ="),
    "实现": ("实现新增就业3万人", "就业 30000 人 ="),
    "完成": ("完成造林5万亩", "造林 50000 亩 ="),
}
OPENING_VERBS: tuple[Word, ...] = tuple(
    _w(
        verb,
        "opens",
        *_SPECIAL_OPENERS.get(
            verb, (f"{re.sub(r'[(].*', '', verb)}示范基地5个", "示范基地 5 个 =")
        ),
    )
    for verb in (
        "累计新增",
        "新增",
        "新建",
        "新培育",
        "培育",
        "设立",
        "建成",
        "创建",
        "创成",
        "争创",
        "打造",
        "拥有",
        "引进",
        "招引",
        "选取",
        "遴选",
        "评价认定",
        "认定",
        "评定",
        "评选",
        "推出",
        "发布",
        "制修订",
        "制定",
        "制订",
        "修订",
        "主导",
        "参与",
        "扶持",
        "支持",
        "吸引",
        "带动",
        "组建",
        "举办",
        "开展",
        "实施",
        "完成",
        "建立",
        "实现",
        "推动",
        "培养",
        "培训",
        "获评",
        "获批",
        "入选",
        "累计",
        "并处",
        "处以",
        "给予",
        "予以",
        "严守",
        "守住",
        "坚守",
        "抓好",
        "办好",
        "推进",
        "组织(?!化|机构|体系)",
        "建设(?!工程|用地|单位|项目|标准)",
    )
)
HEDGES: tuple[Word, ...] = tuple(
    _w(word, "hedge", f"{word}新增示范企业5家", "示范企业 5 家 =")
    for word in ("力争", "争取", "努力", "力求")
)
PERIODS: tuple[Word, ...] = tuple(
    _w(word, "period", f"{word}新增示范企业5家", f"示范企业({word}) 5 家 =")
    for word in ("每年度", "每年", "每半年", "每季度", "每月", "每周")
)
SCOPES: tuple[Word, ...] = tuple(
    _w(word, "scope", f"{word}新增示范企业5家", "示范企业 5 家 =")
    for word in ("全市", "我市", "本市", "全省", "我省", "本省", "全区", "全县")
)
# Adverbs that open a phrase and are no part of its metric.
ADVERBS: tuple[Word, ...] = tuple(
    _w(word, "adverb", f"{word}新增示范企业5家", "示范企业 5 家 =")
    for word in ("积极", "大力", "进一步", "持续", "不断", "稳步", "逐步", "普遍", "确保")
)
# Metrics that may carry a bare number (an index); an abbreviation in brackets may follow.
INDEX_WORDS: tuple[Word, ...] = tuple(
    _w(word, "index", f"区域创新{word}达到85以上", f"区域创新{word} 85 - >=")
    for word in ("指数", "系数", "得分", "评分", "分值", "指标值", "比值", "效率")
)
# Metrics that each take a shared value: A合格率和B合格率达到95% is two targets.
RATE_WORDS: tuple[Word, ...] = tuple(
    _w(word, "rate", f"城区绿化{word}和乡村绿化{word}达到90%",
       f"城区绿化{word} 90 % = | 乡村绿化{word} 90 % =")
    for word in ("率", "比重", "比例", "占比", "指数", "系数", "满意度", "覆盖面", "得分", "评分")
)  # fmt: skip
# Verbs that end the noun a number counts when the number comes first.
NOUN_STOPS: tuple[Word, ...] = tuple(
    _w(word, "stop", f"推动5家以上企业{word}示范项目", "企业 5 家 >=")
    for word in (
        "开展", "实施", "进行", "参与", "纳入", "实现", "通过", "获得", "获评", "入选",
        "成为", "达到", "形成", "建立", "参加", "申报", "落地", "上线", "投产", "完成",
        "提供", "覆盖", "带动", "牵头", "组建", "承担", "申请", "从事", "应用", "享受",
        "入驻", "落户",
    )
)  # fmt: skip
# Verbs of change stay in the metric: 能耗下降13.5% is a fall, not a level of 13.5%.
CHANGE_VERBS: tuple[Word, ...] = tuple(
    _w(verb, "change", f"工业产值{verb}6%", f"工业产值{verb} 6 % =")
    for verb in ("增长", "提高", "提升", "下降", "降低", "减少", "增加", "上升", "扩大", "缩短")
)

# How a time limit is written after its number; the number's unit must be a duration.
TIME_LIMIT_FORMS: tuple[Word, ...] = (
    _w("内", "<=", "行政机关应当在十五日内作出答复", "作出答复 15 日 <= limit"),
    _w("以内", "<=", "应当在三十日以内办结", "办结 30 日 <= limit"),
    _w("之内", "<=", "应当在七日之内通知当事人", "通知当事人 7 日 <= limit"),
    _w("前", ">=", "应当于开会十日前通知全体股东", "通知全体股东 10 日 >= limit"),
    _w("以前", ">=", "应当在举行听证七日以前告知当事人", "告知当事人 7 日 >= limit"),
    _w("之前", ">=", "应当在届满三十日之前提出申请", "提出申请 30 日 >= limit"),
)

# Words whose presence makes a number a rule's limit rather than a plan's goal.
LIMIT_WORDS: tuple[Word, ...] = (
    _w("罚款", "fine", "未按规定登记的，处六千元以上六万元以下罚款",
       "未按规定登记的:罚款 6000-60000 元 = limit"),
    _w("罚金", "fine", "情节严重的，并处十万元以下罚金", "情节严重的:罚金 10 万元 <= limit"),
    _w("不得", "duty", "每个班组不得少于二人", "每个班组 2 人 >= limit"),
)  # fmt: skip

# Words that make a sentence a report of what happened (a fact, not a target), and
# words that make it a plan again.
FACT_WORDS: tuple[Word, ...] = (
    _w("刚刚过去的", "past", "刚刚过去的一年，新增企业300家", "企业 300 家 = fact"),
    _w("去年", "past", "去年全区产值增长5.2%", "产值增长 5.2 % = fact"),
    _w("上年", "past", "上年粮食产量达到300万吨", "粮食产量 3000000 吨 = fact"),
    _w("过去一年", "past", "过去一年，新增城镇就业60万人", "城镇就业 600000 人 = fact"),
    _w("过去五年", "past", "过去五年，累计建成高速公路800公里", "高速公路 800 公里 = fact"),
    _w("一年来", "past", "一年来，新增市场主体30万户", "市场主体 300000 户 = fact"),
    _w("五年来", "past", "五年来，改造老旧小区1200个", "改造老旧小区 1200 个 = fact"),
    _w("同比", "past", "外贸进出口同比增长8%", "外贸进出口同比增长 8 % = fact"),
    _w("已建成", "done", "全省已建成充电桩8万个", "充电桩 80000 个 = fact"),
    _w("已完成", "done", "全省已完成造林3万亩", "造林 30000 亩 = fact"),
    _w("已实现", "done", "全市已实现新增就业2万人", "就业 20000 人 = fact"),
    _w("已累计", "done", "全区已累计培育企业40家", "企业 40 家 = fact"),
)
GOAL_WORDS: tuple[Word, ...] = (
    _w("今年", "plan", "去年增长5%，今年预期增长5.5%左右",
       "增长 5 % = fact | 预期增长 5.5 % ~"),
    _w("目标是", "plan", "去年完成情况良好，目标是新增就业10万人", "就业 100000 人 ="),
    _w("预期目标", "plan", "去年增长5%，预期目标是经济增长5.5%左右",
       "增长 5 % = fact | 经济增长 5.5 % ~"),
    _w("预期增长", "plan", "去年增长5%，今年收入预期增长6%",
       "增长 5 % = fact | 收入预期增长 6 % ="),
    _w("明年", "plan", "一年来成效明显，明年新增企业100家", "企业 100 家 ="),
    _w("力争", "plan", "过去五年基础扎实，力争新增企业100家", "企业 100 家 ="),
    _w("确保", "plan", "一年来成效明显，确保完成造林5万亩", "造林 50000 亩 ="),
)  # fmt: skip
# A heading with one of these (and none of PLAN_HEADINGS) opens a review of past work:
# every number under it is a fact.
REVIEW_HEADINGS: tuple[Word, ...] = (
    _w("回顾", "review", "一、工作回顾\n新增就业岗位10万个。", "就业岗位 100000 个 = fact"),
    _w("工作总结", "review", "一、工作总结\n建成公园20个。", "公园 20 个 = fact"),
)
PLAN_HEADINGS: tuple[Word, ...] = (
    _w("目标", "plan", "一、工作回顾和今后目标\n新增就业岗位10万个。", "就业岗位 100000 个 ="),
    _w("任务", "plan", "一、成效回顾和主要任务\n建成公园20个。", "公园 20 个 ="),
)

# Numbers that are not quantities, each with a sentence whose number is none.
NOT_A_TARGET: tuple[Word, ...] = (
    _w(r"(?:https?://|ftp://|www\.)[!-~]+", "url", "详见www.example.gov.cn/2025", ""),
    _w(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", "e-mail", "邮箱a12@b.cn", ""),
    _w(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|gov|edu|info)(?:[/?#:][!-~]*)?",
       "domain", "网址sample12.gov.cn/a/3", ""),
    _w(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}[-—])\d{7,8}(?!\d)", "landline", "电话0755-12345678", ""),
    _w(r"(?<!\d)1[3-9]\d{9}(?!\d)", "mobile", "手机13800001111", ""),
    _w(r"(?<!\d)[48]00[-—]?\d{3}[-—]?\d{4}(?!\d)", "hotline", "热线400-123-4567", ""),
    _w(r"(?<!\d)\d{4}\s?年(?:\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?)?", "date",
       "于2024年5月8日起施行", ""),
    _w(r"(?<!\d)\d{1,2}\s?月\s?\d{1,2}\s?日", "day", "每年6月5日为宣传日", ""),
    _w(r"(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)", "iso date", "截至2024-06-30的数据", ""),
    _w(r"[〇零一二三四五六七八九]{4}年", "year", "二〇二四年工作要点", ""),
    _w(r"(?<!\d)\d{1,2}:\d{2}(?!\d)", "time", "上午9:30开放", ""),
    _w(r"[\[(][12]\d{3}[\])]\s?\d+\s?号", "document number", "依据某府〔2024〕3号文", ""),
    _w(r"\d+号(?:楼|院|馆|厂房)?(?:\d+(?:室|房)?)?", "address", "地址为某路552号", ""),
    _w(r"\d+(?:栋|幢|层|楼|室)\d*", "room", "位于3楼305室", ""),
    _w(r"第[\d零〇一二三四五六七八九十百千两]+", "ordinal", "第三批试点12个县", ""),
    _w(r"每[\d零〇一二三四五六七八九十百千万两]+(?:\.\d+)?", "per-capita base",
       "每万人口拥有量", ""),
    _w(r"[A-Za-z]+(?:/[A-Za-z]+)?(?:\s(?=\d{4}))?-?\d+(?:[.:-]\d+)*", "code",
       "通过ISO 9001认证", ""),
    _w(rf"\d+(?:\.\d+)?(?!{'|'.join(LATIN_UNITS)})[A-Za-z]+", "name with letters",
       "推广5G应用", ""),
    _w(r"\d+\s?\+\s?\d+|\d+\+|\+\d+", "plus", "构建1+N政策体系", ""),
    _w(r"\d+(?:\.\d+)?千伏", "voltage class", "新建220千伏变电站", ""),
    _w(r"\d+(?:\.\d+)?/\d*(?:十万|万|千|百)", "rate per population", "发病率控制在10/10万", ""),
    _w(r"[(][\d一二三四五六七八九十]{1,3}[)]", "item number", "(二)完善制度", ""),
    _w(r"(?:^|(?<=[。;:]))\s*\d{1,2}[、.](?!\d)", "item opening", "3、加强监管", ""),
)  # fmt: skip


SCALE_WORDS = ("万亿", "亿", "万", "千", "百")


def unit_ahead() -> str:
    """A regex matching a (scaled) unit ahead: what makes "1.2 公里" an amount, not a heading."""
    units = "|".join(
        re.escape(u.surface) + (f"(?![{re.escape(u.not_before)}])" if u.not_before else "")
        for u in sorted(UNITS, key=lambda u: -len(u.surface))
    )
    return (
        rf"(?:{'|'.join(SCALE_WORDS)})*(?:{units})|(?:{'|'.join(SCALE_WORDS)})(?![\u4e00-\u9fff])"
    )


def unit_list_markdown() -> str:
    """The unit list of docs/targets.md, generated from UNITS."""
    lines = ["| unit | kind | /per | not before | example |", "|---|---|---|---|---|"]
    for u in UNITS:
        per = "yes" if u.denominator else ""
        lines.append(
            f"| {u.surface} | {u.kind.value} | {per} | {u.not_before} | {u.examples[0].text} |"
        )
    return "\n".join(lines)


DOC_BEGIN = "<!-- units: generated by `python -m policydiff.vocabulary`; do not edit -->"
DOC_END = "<!-- end of units -->"


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    import sys
    from pathlib import Path

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/targets.md")
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(DOC_BEGIN)
    _, _, tail = rest.partition(DOC_END)
    path.write_text(f"{head}{DOC_BEGIN}\n{unit_list_markdown()}\n{DOC_END}{tail}", encoding="utf-8")
