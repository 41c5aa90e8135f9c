"""Quantitative targets: read them from clauses and pair them across two versions."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from .model import (
    Alignment,
    Clause,
    ClauseKind,
    Comparator,
    Direction,
    Target,
    TargetChange,
    TargetKind,
    TargetStatus,
)
from .normalise import canonical_map
from .patterns import CN_DIGITS, SCALES, heading_style
from .vocabulary import (
    ADVERBS,
    CHANGE_VERBS,
    COUNT_UNITS,
    DENOMINATORS,
    DURATION_UNITS,
    FACT_WORDS,
    GOAL_WORDS,
    HEDGES,
    INDEX_WORDS,
    LEVEL_VERBS,
    LIMIT_WORDS,
    MEASURE_UNITS,
    MONEY_UNITS,
    NOT_A_TARGET,
    NOUN_STOPS,
    OPENING_VERBS,
    PERIODS,
    PLAN_HEADINGS,
    POST_COMPARATORS,
    PRE_COMPARATORS,
    RATE_WORDS,
    RATIO_UNITS,
    REVIEW_HEADINGS,
    SCOPES,
    TIME_LIMIT_FORMS,
    UNIT_NOT_BEFORE,
    UNITS,
    Example,
)

# All matching below runs on the canonical text (simplified script, NFKC width,
# no spaces next to CJK), where "，" has become "," and "（" has become "(".

# ---------------------------------------------------------------- vocabulary

# Arabic digits, with thousands separators (1,200 or 12,000,000) read whole.
_AR = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# A Chinese numeral starts with a digit or 十 (千家万户 and 百年 are not numbers);
# 万 is part of it only when more digits follow (十万元 is 10 万元).
_CN = (
    rf"[一二三四五六七八九十两][{CN_DIGITS}]*(?:万[{CN_DIGITS}]+)?(?:点[零〇一二三四五六七八九]+)?"
)
_NUM = (
    rf"(?:(?<![\d.A-Za-z])(?P<ar>{_AR})"
    rf"|(?<![{CN_DIGITS}万亿第每\d])(?P<cn>{_CN}|(?<=百分之)百(?![{CN_DIGITS}])))"
)

_UNIT_ALT = "|".join(re.escape(u.surface) for u in sorted(UNITS, key=lambda u: -len(u.surface)))
_DENOMINATOR_UNITS = "|".join(re.escape(u.surface) for u in UNITS if u.denominator)
_KILO_UNITS = "|".join(u.surface[1:] for u in UNITS if u.surface.startswith("千"))
_PER_ALT = "|".join(
    re.escape(w.surface) for w in sorted(DENOMINATORS, key=lambda w: -len(w.surface))
)

_HAN = re.compile(r"[\u4e00-\u9fff]")
_LIST_COMMA = re.compile(r"(?<=[0-9０-９])，(?=[0-9０-９])")
# Item numbers in circles, brackets or with a stop: ① ⑴ ⒈ ❶ ➀ ㈠ ㉑.
_ENCLOSED_NUMBER = re.compile(
    r"[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u3220-\u3229\u3251-\u325f\u32b1-\u32bf]"
)

_POST = {w.surface: Comparator(w.meaning) for w in POST_COMPARATORS}
_POST_ALT = "|".join(sorted(_POST, key=len, reverse=True))

_FRACTION = (
    rf"(?<![{CN_DIGITS}\d])(?P<fden>[一二三四五六七八九十]{{1,2}}|\d{{1,3}})"
    rf"分之(?P<fnum>{_CN}|{_AR})"
)
_QUANTITY = re.compile(
    rf"(?:{_FRACTION}"  # 三分之二: a share, read as 66.67%
    rf"|翻(?P<fan>[一两二三四])番"  # 翻一番: doubles, 2 倍
    rf"|(?P<half>过半数|半数)"  # a quorum: more than half
    rf"|(?P<pct>百分之)?{_NUM}"
    rf"(?:%?(?P<sep>——|—|-|~|至|到)(?P<num2>{_AR}|{_CN}))?"
    rf"(?P<mult>万亿|亿|万|千(?!{_KILO_UNITS}))?"
    rf"(?P<more>余|多)?"  # 1.2万余人, 30多家: more than
    rf"(?P<unit>{_UNIT_ALT})?"
    rf"(?P<per>/(?:{_PER_ALT}))?)"  # 20万立方米/日, 12千瓦时/百公里
    rf"(?P<post>{_POST_ALT})?"
    rf"(?P<before>以前|之前|前)?"  # 开会十日前: a time limit counted back
)
_TIME_BEFORE = {w.surface: Comparator(w.meaning) for w in TIME_LIMIT_FORMS}
_DENOMINATOR_OK = frozenset(u.surface for u in UNITS if u.denominator)
_PER_TIME = frozenset({"年", "月", "周", "日", "天", "小时"})
_FAN = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}

_PRE = {w.surface: Comparator(w.meaning) for w in PRE_COMPARATORS}
_PRE_BY_LENGTH = sorted(_PRE, key=len, reverse=True)
_LEVEL_VERBS = tuple(w.surface for w in LEVEL_VERBS)
_CHANGE_VERBS = tuple(w.surface for w in CHANGE_VERBS)
_TRAILING = re.compile(
    "(?:" + "|".join(sorted((*_LEVEL_VERBS, *_PRE), key=len, reverse=True)) + ")$"
)
_CHANGE_END = re.compile("(?:" + "|".join(_CHANGE_VERBS) + ")$")
_BOUND_BEFORE_BASE = re.compile(
    "(" + "|".join(sorted(_PRE, key=len, reverse=True)) + ")[^,;:。的]{1,30}的$"
)
_RESPECTIVE_CHANGE = re.compile("分别(" + "|".join(_CHANGE_VERBS) + ")$")
_TO_VERB = re.compile("(?:" + "|".join(_CHANGE_VERBS) + ")(?:到|至)")

# Verbs that open a target ("新增…", "培育3家…") and are not part of the metric.
_VERBS = tuple(w.surface for w in OPENING_VERBS)
_VERB = "(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) + ")"
_VERB_CHAIN = rf"{_VERB}(?:\({_VERB}\))?(?:(?:或|和|及|与|、|并)?{_VERB}(?:\({_VERB}\))?)*"
_HEDGES = tuple(w.surface for w in HEDGES)
_PERIOD = re.compile("|".join(w.surface for w in PERIODS))
_SCOPES = tuple(w.surface for w in SCOPES)

ROC_YEAR_ZERO = 1911
# A year: 2025, 二〇二五, or Taiwan's 民国114年 (1911 + 114).
_YEAR = (
    r"(?:(?P<year>\d{4}|[〇零一二三四五六七八九]{4})"
    r"|民国\s?(?P<yearroc>\d{2,3}|[〇零一二三四五六七八九十百]{2,5}))"
)
# A deadline: 到2025年, 至2025年底, 2025年前, 2025年底前, Hong Kong's 在2027年或之前,
# and a bare year opening a phrase (2024年完成…, an annual breakdown); not a date
# such as 2025年3月, nor 2024年以来, 2024年度, 2024年内.
_DEADLINE = re.compile(
    rf"(?:(?:到|至|截至|截止到|截止)\s?{_YEAR}\s?年(?:底|末)?(?!\s?\d{{1,2}}\s?月)"
    rf"|(?:(?:在|于)\s?)?{_YEAR.replace('year', 'year2')}\s?年(?:底|末)?或?(?:前|之前|以前)"
    rf"|(?:^|(?<=[,;。:!?]))\s?{_YEAR.replace('year', 'year3')}\s?年"
    rf"(?!\s?[\d{CN_DIGITS}]|以来|来|度|初|中|内|间|份|底|末|或|前|之前|以前|后|以后|起|开始))"
)
# A deadline that frames what follows: "到2025年，…" opening a sentence.
_FRAMING = re.compile(rf"(?:^|[。;:!?])\s*(?:力争)?(?:{_DEADLINE.pattern})\s?[,，]")

# Markers of time that open a phrase (去年, 今年, 过去五年) are no part of its metric;
# 同比 and 预期增长 stand inside it.
_MARKERS = "|".join(
    sorted(
        (
            w.surface
            for w in (*FACT_WORDS, *GOAL_WORDS)
            if w.surface != "同比" and not w.surface.endswith(_CHANGE_VERBS)
        ),
        key=len,
        reverse=True,
    )
)
_LEAD = re.compile(
    "|".join(
        (
            r"[、,;:\s—\-]+",
            "|".join(_HEDGES),
            _DEADLINE.pattern,
            rf"(?P<period>{_PERIOD.pattern})",
            rf"用?[\d{CN_DIGITS}]+年(?:内|以内|时间)",  # 三年内: the horizon, not the metric
            rf"(?:{'|'.join(_SCOPES)})(?=.)",
            r"(?:其中|以及|同时)",
            rf"(?:{_MARKERS})(?:目标是|是)?",  # 去年, 今年, 过去五年: when, not what
            # 对认定为省级平台的给予奖励200万元: whom it is for, then the award it gets
            r"对[^,;:。]{1,40}?(?=给予|予以)",
            r"[(][a-zA-Z0-9]{1,2}[)]",  # a list item's number: (b), (3)
            # 把/将 put the metric before its verb (将覆盖率提高到90%); a place such as
            # 将军县 has no such verb after it.
            rf"(?:把|将)(?=[^,;。]{{1,30}}?(?:{'|'.join(sorted(_LEVEL_VERBS, key=len))}))",
            rf"(?:并且|并|且|还|再|将要|将|要)(?={_VERB})",  # 将新增: "will", not 将 + metric
            rf"(?P<verb>{_VERB_CHAIN})",
            "(?:" + "|".join(w.surface for w in ADVERBS) + ")",
        )
    )
)
_ACQ_END = re.compile(rf"{_VERB}$")
# A hedge or a deadline inside a phrase starts the target after it: 苏州市力争到2025年培育….
_CUT = re.compile(rf"(?:{'|'.join(_HEDGES)}|{_DEADLINE.pattern})")

# A metric that may carry a bare number: 指数达到85以上, 电能利用效率（PUE）控制在1.3以下;
# an abbreviation in brackets may follow it.
_INDEX_END = re.compile(
    "(?:" + "|".join(w.surface for w in INDEX_WORDS) + r")(?:\([A-Za-z0-9.]{1,12}\))?$"
)
# Metrics that each take the shared value: A合格率和B合格率达到95% is two targets.
_RATE_END = re.compile("(?:" + "|".join(w.surface for w in RATE_WORDS) + ")$")
_JOINERS = frozenset({"、", "和", "及", "与", ","})

_BOUNDARY = ",，。;；:：!！?？"
_AFTER_OK = _BOUNDARY + '、)）”’"》>…'
_AFTER_WORDS = ("和", "及", "与", "或", "并", "且")
# A noun after a number ends at a boundary or at the next number (a flattened table
# row, 2023年 5家 20个, has no noun after its numbers).
_NOUN = re.compile(rf"[^{_BOUNDARY}、\s…\d]+")
_NOUN_STOP = re.compile("|".join(w.surface for w in NOUN_STOPS))
_QUOTES = '“”‘’"「」『』'
_PAIRS = {"(": ")", "（": "）", "[": "]"}

# Numbers that are not quantities: addresses, dates, phone numbers, codes, ordinals, names.
_NOT_A_QUANTITY = re.compile("|".join(w.surface for w in NOT_A_TARGET))
_QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "<": ">", '"': '"'}
# Quoted text this short is a name ("1+N"政策体系, "三个一批"); longer quotes are citations.
_MAX_NAME = 30


@dataclass(frozen=True)
class Rule:
    """A named decision of the extractor with the examples that show it (tested)."""

    name: str
    description: str
    examples: tuple[Example, ...]


def _ex(*pairs: tuple[str, str]) -> tuple[Example, ...]:
    return tuple(Example(text, reading) for text, reading in pairs)


# ---------------------------------------------------------------- extraction


@dataclass(frozen=True)
class _Quantity:
    """A number with its unit as found in canonical text, [start, end)."""

    start: int
    end: int
    value: float
    upper: float | None
    unit: str
    comparator: Comparator | None  # from the word after it (以上, 左右); None if none
    scale: str = ""  # 万 in 10万个: folded into the value, kept to show it as written
    share: bool = False  # a share of a whole written as words: 三分之二, 过半数


@dataclass(frozen=True)
class _Left:
    """What stands between the start of a target's phrase and its number."""

    metric_start: int  # offsets in canonical text
    metric_end: int
    lead_start: int | None  # start of the opening words (每年选取, 培育), if any
    pre: Comparator | None  # from 不低于, 突破, 约...
    level_verb: bool  # a verb such as 达到 or 提高 stands before the number
    period: str
    respective: bool  # 分别
    suffix: str = ""  # a verb of change after 分别, which each listed metric takes


def _cn_number(text: str) -> float:
    """二十五 -> 25, 一万二千 -> 12000, 二〇二五 -> 2025, 六十二点五 -> 62.5."""
    whole, _, fraction = text.partition("点")
    if fraction:
        return _cn_number(whole) + _cn_number(fraction) / 10.0 ** len(fraction)
    digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if len(text) > 1 and all(ch in digits for ch in text):
        return float("".join(str(digits[ch]) for ch in text))
    scales = {"十": 10, "百": 100, "千": 1000}
    total = section = digit = 0
    for ch in text:
        if ch in digits:
            digit = digits[ch]
        elif ch in scales:
            section += (digit or 1) * scales[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
    return float(total + section + digit)


def _number(text: str) -> float:
    return float(text.replace(",", "")) if text[0].isdigit() else _cn_number(text)


def _blocked(canon: str) -> list[tuple[int, int]]:
    """Spans of `canon` in which no number is a target."""
    spans = [m.span() for m in _NOT_A_QUANTITY.finditer(canon)]
    style = heading_style(canon)
    if style is not None:
        spans.append((0, style[1]))
    index = 0
    while index < len(canon):
        close = _QUOTE_PAIRS.get(canon[index])
        end = canon.find(close, index + 1) if close else -1
        if end != -1 and end - index <= _MAX_NAME:
            spans.append((index, end + 1))
            index = end + 1
        else:
            index += 1
    return spans


def _quantities(canon: str, rules: bool = False) -> list[_Quantity]:
    blocked = _blocked(canon)
    found: list[_Quantity] = []
    for m in _QUANTITY.finditer(canon):
        start, end = m.span()
        if any(a < end and start < b for a, b in blocked):
            continue
        quantity = _quantity(m, canon, rules)
        if quantity is not None:
            found.append(quantity)
    return _join_ranges(found, canon)


_RANGE_JOINS = ("", "至", "到", "-", "—", "——", "~")


def _join_ranges(found: list[_Quantity], canon: str) -> list[_Quantity]:
    """Two bounds written out in full are one range: 1万元以上5万元以下, 5000元至2万元."""
    joined: list[_Quantity] = []
    for q in found:
        last = joined[-1] if joined else None
        if (
            last is not None
            and canon[last.end : q.start] in _RANGE_JOINS
            and last.upper is None
            and q.upper is None
            and last.comparator in (None, Comparator.GE)
            and q.comparator in (None, Comparator.LE)
            and (canon[last.end : q.start] or last.comparator or q.comparator)
        ):
            unit = last.unit
            if not unit and q.unit in _MONEY_SCALE:  # 三千以上八千元以下: the unit once, at the end
                unit = _MONEY_SCALE[q.unit][0]
            upper = _in_unit(q.value, q.unit, unit)
            if upper is not None and upper > last.value:
                joined[-1] = _Quantity(last.start, q.end, last.value, upper, unit, None, last.scale)
                continue
        joined.append(q)
    return joined


def _pre_word(canon: str, start: int) -> str:
    """The bounding word (不少于, 最长不得超过…) just before `start`, or ""."""
    return next(
        (w for w in _PRE_BY_LENGTH if canon.endswith(w, 0, start)),
        "",
    )


def _years_limited(
    canon: str, start: int, end: int, post: str | None, pre: str, rules: bool
) -> bool:
    """Whether N年 at `start` is a duration a rule sets: bounded, in a sentence of duty."""
    if rules and _followed_by_boundary(canon, end):
        return True  # 记录应当保存二年。
    if not (post or pre or canon.endswith(("期为", "期限为", "年到", "年至"), 0, start)):
        return False
    return (
        rules or _DUTY.search(canon) is not None or _PERIOD_NAME.search(canon, 0, start) is not None
    )


def _quantity(m: re.Match[str], canon: str, rules: bool = False) -> _Quantity | None:
    end = m.end()
    post = m["post"]
    if m["fden"]:
        share = _number(m["fnum"]) / _number(m["fden"])
        comparator = _POST[post] if post else None
        value = round(share * 100, 2)
        return _Quantity(m.start(), end, value, None, "%", comparator, share=True)
    if m["half"]:
        half = Comparator.GT if m["half"] == "过半数" else _POST.get(post or "")
        return _Quantity(m.start(), end, 50.0, None, "%", half, share=True)
    if m["fan"]:
        return _Quantity(m.start(), end, float(2 ** _FAN[m["fan"]]), None, "倍", None)
    number = m["ar"] or m["cn"]
    unit = m["unit"] or ""
    chinese = m["cn"] is not None
    pre = _pre_word(canon, m.start())
    if unit in DURATION_UNITS and not post and canon.endswith("前", 0, m.start()):
        post = "前"  # 停止使用前三十日公告: at least that long before
    if m["before"]:
        if unit in DURATION_UNITS and not post:
            post = m["before"]
        else:
            end = m.start("before")
    if m["per"] and unit not in _DENOMINATOR_OK and m["per"][1:] not in _PER_TIME:
        end = m.start("per")  # only a measure takes a denominator
    opens_range = post in ("以上", "及以上") and canon[end : end + 1] in CN_DIGITS + "0123456789"
    if chinese and not (unit or m["pct"] or opens_range):
        return None  # a Chinese numeral with no measure word is a name (十四五, 十九大)
    firm_pre = bool(pre) and _PRE[pre] in (Comparator.GE, Comparator.LE)
    if chinese and number == "一" and not (post or firm_pre or m["num2"] or m["mult"]):
        return None  # 一批, 一个: an article, not a count
    if chinese and unit == "分" and number == "十":
        return None  # 十分重要
    following = canon[end : end + 1]
    if unit and not post and following and following in UNIT_NOT_BEFORE.get(unit, ""):
        return None
    decimal = "." in number or "点" in number
    if unit == "年" and not (decimal or _years_limited(canon, m.start(), end, post, pre, rules)):
        return None  # 2025年, 十四五 are no durations; 五年内 in a rule is
    if unit == "日" and (canon[max(0, m.start() - 1) : m.start()] == "月"):
        return None  # 每月15日前, 3月15日: a day of the month
    if unit == "日" and not post and not pre:
        return None  # 15日内, 不少于三十日 limit time; 15日 alone is a day of the month
    if unit in ("岁", "周岁") and _HAN.match(following):
        return None  # 65岁及以上老年人, 3岁以下婴幼儿: an age names who is counted
    if m["pct"]:
        if unit:
            return None
        unit = "%"
    value = _number(number)
    upper = _number(m["num2"]) if m["num2"] else None
    mult = m["mult"]
    scale = ""
    if unit == "成":
        unit, value = "%", value * 10  # 七成 is 70%
        upper = upper * 10 if upper is not None else None
    if mult and unit in MONEY_UNITS:
        unit = mult + unit  # money keeps its scale: 1.5亿元 is 1.5 亿元
    elif mult and unit:
        value *= SCALES[mult]  # 1万名 is 10000 名
        upper = upper * SCALES[mult] if upper is not None else None
        scale = mult
    elif mult:
        unit = mult
    if upper is not None and upper <= value:
        return None  # 2023-10 or 5-3: not a range
    if unit and m["per"] and end > m.start("per"):
        unit += m["per"]
    if post in _TIME_BEFORE and post not in _POST and unit not in DURATION_UNITS:
        post = None
    comparator = (
        _POST.get(post, _TIME_BEFORE.get(post or ""))
        if post
        else (Comparator.GT if m["more"] else None)
    )
    return _Quantity(m.start(), end, value, upper, unit, comparator, scale)


def _read_left(canon: str, start: int, end: int) -> _Left:
    """Split canon[start:end] into leading words, the metric, and the words before the number."""
    cuts = list(_CUT.finditer(canon, start, end))
    pos = cuts[-1].end() if cuts else start
    lead_start: int | None = None
    periods = _PERIOD.findall(canon, start, end)
    period = periods[-1] if periods else ""
    while pos < end:
        m = _LEAD.match(canon, pos, end)
        if m is None or m.end() == pos:
            break
        if (m["verb"] or m["period"]) and lead_start is None:
            lead_start = m.start()
        pos = m.end()
    stop = end
    pre: Comparator | None = None
    level = False
    while stop > pos:
        m = _TRAILING.search(canon, pos, stop)
        if m is None:
            break
        word = m.group()
        if word in _PRE and pre is None:
            pre = _PRE[word]
        level = True
        stop = m.start()
    level = level or _CHANGE_END.search(canon, pos, stop) is not None
    if pre is None:
        # 持股不得超过已发行股份总数的百分之十: the bound stands before the base of a share
        share_of = _BOUND_BEFORE_BASE.search(canon, pos, stop)
        if share_of is not None:
            pre = _PRE[share_of.group(1)]
    respective = "分别" in canon[stop:end]
    suffix = ""
    change = _RESPECTIVE_CHANGE.search(canon, pos, stop)
    if change is not None and not respective:
        # A和B分别降低13.5%、18%: each metric falls by its own value
        respective, suffix, stop = True, change.group(1), change.start()
    if stop <= pos and cuts and cuts[-1].group() in _HEDGES:
        # 回收利用率力争达到90%: the hedge stands between the metric and its verb.
        before = _read_left(canon, start, cuts[-1].start())
        if before.metric_end > before.metric_start:
            pos, stop, lead_start = before.metric_start, before.metric_end, before.lead_start
    return _Left(pos, stop, lead_start, pre, level, period, respective, suffix)


def _noun_after(canon: str, pos: int, *, action: bool = False) -> tuple[int, int]:
    """The noun a number counts when it comes first: 5家以上[省级"小巨人"企业]; or,
    after a time limit (`action`), what is to be done in it: 30日内[重新申请]."""
    if canon.startswith("的", pos):
        pos += 1
    m = _NOUN.match(canon, pos)
    end = m.end() if m else pos
    stop = None if action else _NOUN_STOP.search(canon, pos + 1, end)
    return pos, stop.start() if stop else end


def _clean_metric(text: str) -> str:
    """The metric as reported: no quotation marks, no dangling brackets or particles."""
    text = "".join(ch for ch in text if ch not in _QUOTES).strip()
    changed = True
    while changed and text:
        changed = False
        for opener, closer in _PAIRS.items():
            if text.endswith(closer) and text.count(opener) < text.count(closer):
                text, changed = text[:-1], True
            if text.startswith(opener) and text.count(opener) > text.count(closer):
                text, changed = text[1:], True
        stripped = text.strip("、,;:—-的 ")
        changed = changed or stripped != text
        text = stripped
    return text


def _qualifies_next(canon: str, q: _Quantity, rest: Sequence[_Quantity]) -> bool:
    """Whether `q` is followed by 的 and a noun that the next number, in the same
    phrase, counts."""
    if not canon.startswith("的", q.end) or not rest:
        return False
    between = canon[q.end : rest[0].start]
    return not any(ch in _BOUNDARY for ch in between)


def _followed_by_boundary(canon: str, pos: int) -> bool:
    return pos >= len(canon) or canon[pos] in _AFTER_OK or canon.startswith(_AFTER_WORDS, pos)


def _hedge_spans(canon: str) -> list[tuple[int, int]]:
    """Where 力争 and its kin govern: to the next comma, or the sentence if only a year follows."""
    spans = []
    for m in re.finditer("|".join(_HEDGES), canon):
        comma = _next(canon, m.end(), _BOUNDARY)
        if _DEADLINE.fullmatch(canon[m.end() : comma].strip()):
            comma = _next(canon, comma + 1, "。;；!?！？")
        spans.append((m.start(), comma))
    return spans


def _next(canon: str, pos: int, chars: str) -> int:
    return next((i for i in range(pos, len(canon)) if canon[i] in chars), len(canon))


def _year(m: re.Match[str]) -> int:
    roc = m["yearroc"] or m["year2roc"] or m["year3roc"]
    if roc:
        return ROC_YEAR_ZERO + int(_number(roc))
    return int(_number(m["year"] or m["year2"] or m["year3"]))


@dataclass(frozen=True)
class _Found:
    """A target found in canonical text, before it is quoted from the original."""

    metric: str
    start: int
    end: int
    quantity: _Quantity
    comparator: Comparator
    period: str


# ---------------------------------------------------------------- named rules of _find


@dataclass(frozen=True)
class _Spot:
    """A number being judged: the clause's text, the number, all numbers of the clause
    (`after` is the index of the next one), and, once read, the words before it."""

    canon: str
    quantity: _Quantity
    quantities: Sequence[_Quantity]
    after: int
    left: _Left | None = None
    noun: str = ""  # the noun after the number, when the number comes first


@dataclass(frozen=True)
class SkipRule:
    """A named reason why a number is no target, with the examples that show it."""

    rule: Rule
    applies: Callable[[_Spot], bool]


def _is_baseline(s: _Spot) -> bool:
    q = s.quantity
    return s.canon[q.start - 1 : q.start] in ("由", "从") and bool(_TO_VERB.match(s.canon, q.end))


def _is_table_cell(s: _Spot) -> bool:
    return any(p.end == s.quantity.start for p in s.quantities)


def _is_qualifier(s: _Spot) -> bool:
    return not s.quantity.share and _qualifies_next(s.canon, s.quantity, s.quantities[s.after :])


def _is_condition(s: _Spot) -> bool:
    q, canon = s.quantity, s.canon
    bounded_measure = q.comparator is not None and q.unit not in COUNT_UNITS
    return (
        canon.startswith("的", q.end)
        and ((s.left is not None and s.left.pre is not None) or bounded_measure)
        and not _FINE.match(canon, q.end + 1)
        and not q.share
    )


BASELINE = SkipRule(
    Rule(
        "baseline",
        "由/从 a number and a verb of change to another: the first is where it starts",
        _ex(("示范企业由120家增加到200家", "示范企业 200 家 =")),
    ),
    _is_baseline,
)
SKIP_BEFORE_METRIC: tuple[SkipRule, ...] = (
    SkipRule(
        Rule(
            "table-cells",
            "numbers with no words between are cells of a table row flattened into a line",
            _ex(("示范园区 5家 20个 1000家", "")),
        ),
        _is_table_cell,
    ),
    SkipRule(
        Rule(
            "qualifier",
            "a bound followed by 的 and the noun the next number counts says which are counted",
            _ex(("培育年产值超过10亿元的企业5家", "年产值超过10亿元的企业 5 家 =")),
        ),
        _is_qualifier,
    ),
)
SKIP_BEFORE_NOUN: tuple[SkipRule, ...] = (
    SkipRule(
        Rule(
            "when",
            "a count before a noun that ends in 时 states when a rule applies, no target",
            _ex(("有3个以上申请人时，应当招标", "")),
        ),
        lambda s: s.noun.endswith("时"),
    ),
    SkipRule(
        Rule(
            "measure-names-kind",
            "a bounded measure before a noun says which kind (4500千克以下货车), no target",
            _ex(("4500千克及以下普通货车除外", "")),
        ),
        lambda s: (
            s.quantity.comparator is not None
            and s.quantity.unit.split("/")[0] in MEASURE_UNITS
            and bool(s.noun)
        ),
    ),
)
CONDITION = SkipRule(
    Rule(
        "condition",
        "a bound word before the number, or a bounded measure, then 的: says which ones "
        "qualify (a fine's cap and a quorum excepted)",
        _ex(
            ("对年收入低于3万元的农户给予补助", ""),
            ("5家以上的企业参与共建", "企业 5 家 >="),
        ),
    ),
    _is_condition,
)


def _find(canon: str, rules: bool = False) -> list[_Found]:
    """The targets in one canonical text, in order."""
    quantities = _quantities(canon, rules)
    found: list[_Found] = []
    style = heading_style(canon)
    cursor = style[1] if style else 0  # 三、 or (一) opening the clause is no part of a metric
    index = 0
    baseline: _Quantity | None = None
    while index < len(quantities):
        q = quantities[index]
        index += 1
        if q.start < cursor:
            continue  # inside the noun of the previous target
        spot = _Spot(canon, q, quantities, index)
        if BASELINE.applies(spot):
            baseline = q
            continue
        if any(rule.applies(spot) for rule in SKIP_BEFORE_METRIC):
            continue
        boundary = max((canon.rfind(ch, 0, q.start) for ch in _BOUNDARY), default=-1)
        left_start = max(cursor, boundary + 1)
        left = _read_left(canon, left_start, q.start)
        if baseline is not None and left.metric_end == baseline.end:
            left = replace(left, metric_end=baseline.start - 1)
        if CONDITION.applies(replace(spot, left=left)):
            continue
        comparator = q.comparator or left.pre or Comparator.EQ
        metric = canon[left.metric_start : left.metric_end]
        later = left.level_verb or _DEADLINE.search(canon, left_start, q.start) is not None
        if not metric and later and found and found[-1].quantity.unit == q.unit:
            # 到2025年达到6000亿元，到2030年达到8000亿元 (or 2024年完成5000户，2025年完成
            # 8000户): the later value keeps the metric.
            found.append(_Found(found[-1].metric, left.metric_start, q.end, q, comparator, ""))
            cursor = q.end
            continue
        # 3家以上[noun]: a bounded count with a noun after it counts that noun, whatever precedes.
        # 提前二十日告知, 应当十二小时值守: a duration a rule imposes on an action
        limited_time = q.unit in DURATION_UNITS and (
            left.pre is not None or canon.endswith(_MUST, 0, q.start)
        )
        bounded = q.comparator is not None or q.upper is not None or limited_time
        counts_next = bounded and not q.share and not _followed_by_boundary(canon, q.end)
        if not metric or counts_next or _ACQ_END.search(metric):
            duration = q.unit in DURATION_UNITS
            noun_start, noun_end = _noun_after(canon, q.end, action=duration)
            noun = _clean_metric(canon[noun_start:noun_end])
            noun_spot = replace(spot, left=left, noun=noun)
            if any(rule.applies(noun_spot) for rule in SKIP_BEFORE_NOUN):
                continue
            # 15分钟生活圈 names a place; a duration counts nothing after it unless bounded (3天内)
            if noun and q.unit and (q.comparator or limited_time or not duration):
                start = left.lead_start if left.lead_start is not None else q.start
                found.append(_Found(noun, start, noun_end, q, comparator, left.period))
                cursor = noun_end
                continue
        metric = _clean_metric(metric)
        if not metric:
            continue
        if not q.unit and not (_INDEX_END.search(metric) and (left.level_verb or q.comparator)):
            continue
        fine_follows = _FINE.match(canon, q.end + canon.startswith("的", q.end)) is not None
        ends = fine_follows or q.share or _followed_by_boundary(canon, q.end)
        if not (left.level_verb or ends):
            continue
        cursor = q.end
        if left.respective:
            group = _respective(canon, quantities, index - 1, left)
            if group:
                found.extend(group)
                index += len(group) - 1
                cursor = group[-1].end
                continue
        for part_start, part in _coordinated(canon, left.metric_start, left.metric_end, metric):
            found.append(_Found(part, part_start, q.end, q, comparator, left.period))
    return found


def _split_list(
    canon: str, start: int, end: int, closes: Callable[[str], bool]
) -> list[tuple[int, str]]:
    """The items of the list canon[start:end], cut at 、和及与或 only where the item so far
    `closes` (so the 及 of 普及率 cuts nothing)."""
    items = []
    item_start = start
    for index in range(start, end):
        if canon[index] in "、和及与或" and closes(canon[item_start:index]):
            items.append((item_start, canon[item_start:index]))
            item_start = index + 1
    items.append((item_start, canon[item_start:end]))
    return items


def _is_rate(text: str) -> bool:
    return len(text) >= 3 and _RATE_END.search(text) is not None


def _coordinated(canon: str, start: int, end: int, metric: str) -> list[tuple[int, str]]:
    """Rates joined by 和/、 sharing one value are separate targets; any other list is one."""
    parts = _split_list(canon, start, end, _is_rate)
    if len(parts) > 1 and all(_is_rate(p) and "或" not in p for _, p in parts):
        return [(s, _clean_metric(p)) for s, p in parts]
    return [(start, metric)]


def _respective(canon: str, quantities: list[_Quantity], first: int, left: _Left) -> list[_Found]:
    """A、B分别达到X、Y: pair the listed metrics with the listed values, or give up."""
    group = [quantities[first]]
    for q in quantities[first + 1 :]:
        if canon[group[-1].end : q.start] not in _JOINERS:
            break
        group.append(q)
    for closes in (_is_rate, lambda item: len(item) >= 2):
        items = _split_list(canon, left.metric_start, left.metric_end, closes)
        if len(items) == len(group) > 1:
            return [
                _Found(
                    _clean_metric(name) + left.suffix,
                    start,
                    q.end,
                    q,
                    q.comparator or left.pre or Comparator.EQ,
                    left.period,
                )
                for (start, name), q in zip(items, group, strict=True)
            ]
    return []


# ---------------------------------------------------------------- kinds and rules


@dataclass(frozen=True)
class _KindContext:
    """What a kind rule sees: the clause's canonical text, the target, and its setting."""

    canon: str
    found: _Found
    pre: str  # the bounding word before the number, if any
    past: bool  # the paragraph or section reports what happened
    rules: bool = False  # the document is made of articles (第X条): a law or regulation
    planned: bool = False  # a deadline or a hedge governs it (到2025年, 力争)


@dataclass(frozen=True)
class KindRule:
    """A rule that decides a target's kind when it applies (tried in order)."""

    rule: Rule
    kind: TargetKind
    applies: Callable[[_KindContext], bool]


_FINE = re.compile("|".join(w.surface for w in LIMIT_WORDS if w.meaning == "fine"))
_DUTY = re.compile(
    "|".join(w.surface for w in LIMIT_WORDS if w.meaning == "duty")
    + "|应当|必须|须|最长|最短|期限|时限|之日起|届满"
)
# 比去年, 高于上年 compare with the past; they do not report it.
_FACT = re.compile(
    "(?<![比于较])(?:"
    + "|".join(sorted((w.surface for w in FACT_WORDS), key=len, reverse=True))
    + ")"
)
_GOAL = re.compile(
    "(?<![比于较超])(?:"
    + "|".join(sorted((w.surface for w in GOAL_WORDS), key=len, reverse=True))
    + ")"
)
_REVIEW_HEADING = re.compile("|".join(w.surface for w in REVIEW_HEADINGS))
_PLAN_HEADING = re.compile("|".join(w.surface for w in PLAN_HEADINGS))
_SENTENCE_MARKS = "。;；!?！？"
_MUST = ("应当", "必须")
# Verbs of a plan in a regulation: a level to reach (为 only links), or an opening verb
# before a count (新增企业5家).
_RULE_LEVEL_VERB = re.compile("|".join(w for w in _LEVEL_VERBS if w not in ("为", "均", "分别")))
_OPENING_VERB = re.compile(_VERB)
_PERIOD_NAME = re.compile("(?:期|期限|时限)$")


def _sentence(canon: str, pos: int) -> tuple[int, int]:
    start = max((canon.rfind(ch, 0, pos) for ch in _SENTENCE_MARKS), default=-1) + 1
    return start, _next(canon, pos, _SENTENCE_MARKS)


def _is_fine(c: _KindContext) -> bool:
    q = c.found.quantity
    if q.unit not in MONEY_UNITS and not q.unit.endswith(MONEY_UNITS) and q.unit != "倍":
        return False
    start, end = _sentence(c.canon, q.start)
    after = c.canon[q.end : min(end, q.end + 12)]
    return (
        _FINE.match(after.lstrip("的")) is not None
        or _FINE.search(c.canon, max(start, q.start - 4), q.start) is not None
    )


def _is_time_limit(c: _KindContext) -> bool:
    q = c.found.quantity
    must = c.canon.endswith(_MUST, 0, q.start)
    if q.unit not in DURATION_UNITS or (c.found.comparator is Comparator.EQ and not must):
        return False
    start, end = _sentence(c.canon, q.start)
    action_after = c.found.start >= q.start or c.found.end > q.end
    named_period = _PERIOD_NAME.search(c.found.metric) is not None
    duty = _DUTY.search(c.canon, start, end) is not None
    return action_after or named_period or duty or c.rules


def _is_duty(c: _KindContext) -> bool:
    if c.found.quantity.share:  # a quorum a rule sets: 经过半数同意
        start, end = _sentence(c.canon, c.found.quantity.start)
        return c.rules or _DUTY.search(c.canon, start, end) is not None
    if c.pre.startswith("不得"):
        return True
    q = c.found.quantity
    phrase = max((c.canon.rfind(ch, 0, q.start) for ch in _BOUNDARY), default=-1) + 1
    bound = _BOUND_BEFORE_BASE.search(c.canon, phrase, q.start)
    return bound is not None and bound.group(1).startswith("不得")


def _is_frequency(c: _KindContext) -> bool:
    q = c.found.quantity
    return q.unit == "次" and bool(c.found.period) and (q.comparator is not None or bool(c.pre))


def _marker(c: _KindContext) -> str | None:
    """fact or goal: the last marker before the number in its sentence."""
    start, _ = _sentence(c.canon, c.found.quantity.start)
    marks = [
        (m.start(), "fact") for m in _FACT.finditer(c.canon, start, c.found.quantity.start)
    ] + [(m.start(), "goal") for m in _GOAL.finditer(c.canon, start, c.found.quantity.start)]
    return max(marks)[1] if marks else None


def _is_rule_number(c: _KindContext) -> bool:
    if not c.rules or c.planned:
        return False
    q = c.found.quantity
    phrase = min(
        max((c.canon.rfind(ch, 0, q.start) for ch in _BOUNDARY), default=-1) + 1, c.found.start
    )
    if _RULE_LEVEL_VERB.search(c.canon, phrase, q.start):
        return False  # 达到, 提高到: a level to reach
    counted = q.unit in COUNT_UNITS or _unit_family(q.unit) in MONEY_UNITS
    # 新增企业5家 counts what a plan adds; 新建数据中心的PUE不高于1.25 bounds a property
    return not (counted and _OPENING_VERB.search(c.canon, phrase, q.start))


def _is_fact(c: _KindContext) -> bool:
    marker = _marker(c)
    return marker == "fact" or (marker is None and c.past)


KIND_RULES: tuple[KindRule, ...] = (
    KindRule(
        Rule(
            "fine",
            "a sum or multiple followed by 罚款/罚金 (or right after it) is a rule's fine",
            _ex(
                ("擅自改建的，处四十万元以下罚款", "擅自改建的:罚款 40 万元 <= limit"),
                ("并处违法收入二倍以上四倍以下罚款", "罚款 2-4 倍 = limit"),
            ),
        ),
        TargetKind.LIMIT,
        _is_fine,
    ),
    KindRule(
        Rule(
            "time-limit",
            "a bounded duration before an action, or in a sentence of duty, is a time limit",
            _ex(
                ("当事人应当自收到通知之日起十五日内缴纳", "缴纳 15 日 <= limit"),
                ("保存期限不少于三十日", "保存期限 30 日 >= limit"),
                ("服务窗口应当十二小时值守", "值守 12 小时 = limit"),
                ("停业前二十日告知用户", "告知用户 20 日 >= limit"),
            ),
        ),
        TargetKind.LIMIT,
        _is_time_limit,
    ),
    KindRule(
        Rule(
            "duty",
            "a number bounded by 不得… or 最… is a rule's minimum or maximum",
            _ex(("评审组成员不得少于三人", "评审组成员 3 人 >= limit")),
        ),
        TargetKind.LIMIT,
        _is_duty,
    ),
    KindRule(
        Rule(
            "frequency",
            "a bounded count of times per period is a frequency a rule sets",
            _ex(("每季度召开会议至少一次", "召开会议(每季度) 1 次 >= limit")),
        ),
        TargetKind.LIMIT,
        _is_frequency,
    ),
    KindRule(
        Rule(
            "rule-document",
            "in a document of articles (第X条), a law or regulation, a number is a limit "
            "unless it is planned: a deadline, a hedge, a level verb (达到) before it, or an "
            "opening verb (新增) before a count",
            _ex(
                ("第三条 申请人年龄不超过60周岁。", "申请人年龄 60 周岁 <= limit"),
                ("第四条 到2030年，全省新增示范园区20个。", "示范园区 20 个 ="),
            ),
        ),
        TargetKind.LIMIT,
        _is_rule_number,
    ),
    KindRule(
        Rule(
            "fact",
            "a number after a marker of the past (去年, 过去五年, 同比), or in a review "
            "section or paragraph with no marker of a plan after it, reports a fact",
            _ex(
                ("去年城镇新增就业60万人", "城镇新增就业 600000 人 = fact"),
                ("一、上年工作回顾\n粮食产量达到300万吨。", "粮食产量 3000000 吨 = fact"),
            ),
        ),
        TargetKind.FACT,
        _is_fact,
    ),
)


def _kind(canon: str, found: _Found, past: bool) -> TargetKind:
    context = _KindContext(canon, found, _pre_word(canon, found.quantity.start), past)
    return next((r.kind for r in KIND_RULES if r.applies(context)), TargetKind.GOAL)


# How much of the paragraph before a clause a fine's name may look back on (characters).
PARAGRAPH_CONTEXT = 400
# How much of a fine's condition and whom its name keeps.
MAX_CONDITION = 24
_WHOM = re.compile(r"对([^,;:。]{1,30}?)[,]?(?:可以|应当|还|并|再)*(?:处以|处)")
_CONDITION_PARTS = re.compile("[,:;。]")


def _fine_name(canon: str, found: _Found, before: str = "") -> str:
    """A fine named by what it punishes and whom: the last 的-condition before it in the
    clause (有下列行为之一的, 情节严重的) and the 对…处 before it in its sentence."""
    q = found.quantity
    text = before + "。" + canon[: q.start]
    parts = [p.strip() for p in _CONDITION_PARTS.split(text) if p.strip()]
    condition = next((p for p in reversed(parts) if p.endswith("的")), "")
    style = heading_style(condition)
    if style is not None:
        condition = condition[style[1] :]
    sentence_start, _ = _sentence(canon, q.start)
    whoms = list(_WHOM.finditer(canon, sentence_start, q.start))
    whom = f"对{whoms[-1].group(1)}" if whoms else ""
    word = _FINE.search(canon, q.end)
    fine = word.group() if word else "罚款"
    name = ",".join(x for x in (condition[-MAX_CONDITION:], whom[:MAX_CONDITION]) if x)
    return f"{name}:{fine}" if name else fine


def _analyse(
    clause: Clause, deadline: int | None, past: bool = False, before: str = "", rules: bool = False
) -> tuple[tuple[Target, ...], int | None]:
    """The clause's targets and the deadline it frames for what follows ("到2025年，…")."""
    # NFKC turns ② into 2; read as a separator first, an item number never
    # becomes a count (②支持… is not 2支).
    text = _ENCLOSED_NUMBER.sub("，", clause.text)
    # Thousands are separated by an ASCII comma; 120，150户 is a list of two.
    text = _LIST_COMMA.sub("、", text)
    canon, origin = canonical_map(text)
    found = _find(canon, rules)
    deadlines = [(m.start(), _year(m)) for m in _DEADLINE.finditer(canon)]
    hedges = _hedge_spans(canon)
    targets = []
    for f in found:
        own = [year for pos, year in deadlines if pos < f.quantity.start]
        suffix = f.period and f.period not in f.metric
        metric = f"{f.metric}({f.period})" if suffix else f.metric
        planned = (
            bool(own) or deadline is not None or any(a <= f.quantity.start < b for a, b in hedges)
        )
        context = _KindContext(canon, f, _pre_word(canon, f.quantity.start), past, rules, planned)
        rule = next((r for r in KIND_RULES if r.applies(context)), None)
        kind = rule.kind if rule else TargetKind.GOAL
        if rule is not None and rule.rule.name == "fine":
            metric = _fine_name(canon, f, before)
        targets.append(
            Target(
                metric=metric,
                value=f.quantity.value,
                unit=f.quantity.unit,
                comparator=f.comparator,
                span=clause.text[origin[f.start] : origin[f.end - 1] + 1],
                clause=clause.id,
                line=clause.line_at(origin[f.start]),
                deadline=own[-1] if own else deadline,
                hedged=any(a <= f.quantity.start < b for a, b in hedges),
                upper=f.quantity.upper,
                scale=f.quantity.scale,
                kind=kind,
            )
        )
    framing = _FRAMING.search(canon)
    return tuple(targets), _year(framing) if framing else None


def extract_targets(clause: Clause, *, deadline: int | None = None) -> tuple[Target, ...]:
    """The targets stated in one clause, in order of their numbers.

    `deadline` is the year in force from the context; a year the clause states
    itself (到2025年, 2025年前) applies to the targets after it instead.

    >>> from policydiff.model import ClauseKind
    >>> [(t.metric, t.value, t.unit, t.comparator.value) for t in extract_targets(
    ...     Clause("c1", ClauseKind.CLAUSE, (), "药品抽检合格率达到99%以上", "", 1, 1))]
    [('药品抽检合格率', 99.0, '%', '>=')]
    """
    return _analyse(clause, deadline)[0]


def extract_document_targets(clauses: Sequence[Clause]) -> tuple[Target, ...]:
    """All targets of a document in order, with deadlines carried from framing clauses.

    A clause that opens with 到2025年， sets the deadline for the clauses after
    it whose heading path starts with its own ("到2025年，A增长6%。B达到2.8%。"),
    until another such clause at the same or an outer level. Front
    matter states no targets; headings are read too, since a goal bullet's
    title can be a target (——新增绿色工厂40家。).
    """
    frames: list[tuple[tuple[str, ...], int]] = []
    targets: list[Target] = []
    paragraph_line = -1
    paragraph = ""
    # A document of articles (第X条) is a law or regulation: its bounded durations are limits.
    rules = any(_is_article(c) for c in clauses if not c.front_matter)
    paragraph_past: bool | None = None  # the last marker of the paragraph so far
    for clause in clauses:
        if clause.front_matter:
            continue
        context = next(
            (year for path, year in reversed(frames) if clause.path[: len(path)] == path), None
        )
        if clause.line != paragraph_line or clause.kind is ClauseKind.HEADING:
            paragraph_line, paragraph_past, paragraph = clause.line, None, ""
        past = _review_section(clause.path) if paragraph_past is None else paragraph_past
        # The paragraph so far: a fine's condition (有下列行为之一的；…) may stand before it.
        found, framing = _analyse(clause, context, past, paragraph[-PARAGRAPH_CONTEXT:], rules)
        paragraph = (paragraph + clause.normalized)[-PARAGRAPH_CONTEXT:]
        targets.extend(found)
        if _paragraph_marker(clause.normalized):
            paragraph_past = True  # 过去五年，…: the rest of the paragraph reports too
        if framing is not None:
            depth = len(clause.path)
            frames = [(p, y) for p, y in frames if p[:depth] != clause.path]
            frames.append((clause.path, framing))
    return tuple(targets)


def _is_article(clause: Clause) -> bool:
    style = heading_style(clause.text)
    return style is not None and style[0] == "article"


def _review_section(path: Sequence[str]) -> bool:
    """Whether a heading above reviews past work (一、2024年工作回顾) and plans nothing."""
    return any(_REVIEW_HEADING.search(h) and not _PLAN_HEADING.search(h) for h in path)


def _paragraph_marker(text: str) -> bool | None:
    """True when the clause's last marker is of the past, False of a plan, None if none."""
    marks = [(m.start(), True) for m in _FACT.finditer(text)]
    marks += [(m.start(), False) for m in _GOAL.finditer(text)]
    return max(marks)[1] if marks else None


# ---------------------------------------------------------------- pairing

# Metric similarity (rapidfuzz ratio, 0-100) needed to pair two targets.
MIN_SIMILARITY = 60.0
# Added when the clause alignment matched the two targets' clauses.
CLAUSE_BONUS = 15.0
# Added when the alignment matched the blocks (articles, paragraphs) of the two targets.
BLOCK_BONUS = 20.0
# The least metric similarity of two targets of matched clauses that pair.
CLAUSE_MIN_SIMILARITY = 30.0
# Blocking of the fallback: the rarest character pairs of a metric looked up, and
# the most candidates taken from each.
BLOCK_KEYS = 3
BLOCK_SIZE = 50
# A metric that contains the other whole (at least this long) is as good as this similar.
CONTAINED_MIN_CHARS = 4
CONTAINED_SIMILARITY = 80.0

_MONEY_SCALE = {
    "元": ("元", 1.0),
    "千元": ("元", 1e3),
    "万元": ("元", 1e4),
    "亿元": ("元", 1e8),
    "万亿元": ("元", 1e12),
    "美元": ("美元", 1.0),
    "千美元": ("美元", 1e3),
    "万美元": ("美元", 1e4),
    "亿美元": ("美元", 1e8),
}


# Counts of days (五日内 → 五个工作日内) and of hours pair across their wordings; the
# change of unit still shows.
_DAY_COUNTS = {u: ("日", 1.0) for u in ("日", "天", "工作日", "个工作日")}
_HOUR_COUNTS = {u: ("小时", 1.0) for u in ("小时", "个小时")}
_CONVERTIBLE = _MONEY_SCALE | _DAY_COUNTS | _HOUR_COUNTS


def _in_unit(value: float, unit: str, target_unit: str) -> float | None:
    """`value` in `unit` expressed in `target_unit`, or None when they do not convert."""
    if unit == target_unit:
        return value
    a, b = _CONVERTIBLE.get(unit), _CONVERTIBLE.get(target_unit)
    if a is None or b is None or a[0] != b[0]:
        return None
    return value * a[1] / b[1]


def metric_similarity(a: str, b: str) -> float:
    """How alike two metric names are, 0-100: character ratio, or containment of a long name."""
    score = float(fuzz.ratio(a, b))
    short, long_ = sorted((a, b), key=len)
    if len(short) >= CONTAINED_MIN_CHARS and short in long_:
        score = max(score, CONTAINED_SIMILARITY)
    return score


def pair_targets(
    old: Sequence[Target],
    new: Sequence[Target],
    *,
    clause_pairs: Collection[tuple[str, str]] = (),
    block_pairs: Collection[tuple[str, str]] = (),
) -> tuple[TargetChange, ...]:
    """Pair the targets of two versions and say what became of each.

    Pairing follows the clauses: first, targets of clauses the alignment matched
    (`clause_pairs`) pair with each other, best metric similarity first (plus
    CLAUSE_BONUS, so a reworded metric in the same clause still pairs, never one
    under CLAUSE_MIN_SIMILARITY). Then the targets left over pair by metric
    similarity alone (MIN_SIMILARITY or more), among candidates that share a
    unit and one of the rarer character pairs of the metric: near-linear, no
    all-pairs scoring. The units must agree (元, 万元 and 亿元 convert). Ties go
    to the same deadline, then the same value, then the earlier targets. Rows
    come in the new document's order (added ones where they stand), then the
    removed ones in the old document's order.
    """
    partner: dict[int, int] = {}
    taken: set[int] = set()

    def take(candidates: list[tuple[float, bool, bool, int, int]]) -> None:
        for *_, j, i in sorted(candidates):
            if j not in partner and i not in taken:
                partner[j] = i
                taken.add(i)

    take(_clause_candidates(old, new, clause_pairs, block_pairs))
    take(_same_metric_candidates(old, new, taken, set(partner)))
    take(_blocked_candidates(old, new, taken, set(partner)))
    rows = [_change(old[partner[j]], n) if j in partner else _added(n) for j, n in enumerate(new)]
    rows.extend(
        TargetChange(TargetStatus.REMOVED, o.metric, o, None)
        for i, o in enumerate(old)
        if i not in taken
    )
    return tuple(rows)


Candidate = tuple[float, bool, bool, int, int]


def _condition(metric: str) -> str:
    """What a fine applies to: its name before the addressee and the fine word."""
    return metric.split(":", 1)[0].split(",", 1)[0]


def _candidate(o: Target, n: Target, i: int, j: int, bonus: float) -> Candidate | None:
    if _in_unit(o.value, o.unit, n.unit) is None:
        return None
    similarity = metric_similarity(o.metric, n.metric)
    if not bonus and o.kind is TargetKind.LIMIT and n.kind is TargetKind.LIMIT:
        # Rules repeat their wording (对单位, :罚款); apart from matched clauses two
        # limits pair only when what they apply to is alike too.
        similarity = min(similarity, metric_similarity(_condition(o.metric), _condition(n.metric)))
    if similarity < (CLAUSE_MIN_SIMILARITY if bonus else MIN_SIMILARITY):
        return None
    return (-(similarity + bonus), o.deadline != n.deadline, o.value != n.value, j, i)


def _clause_candidates(
    old: Sequence[Target],
    new: Sequence[Target],
    clause_pairs: Collection[tuple[str, str]],
    block_pairs: Collection[tuple[str, str]] = (),
) -> list[Candidate]:
    """Candidates within clauses the alignment matched, or within matched blocks
    (articles, paragraphs): each bonus adds up."""
    old_at: dict[str, list[int]] = defaultdict(list)
    new_at: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(old):
        old_at[o.clause].append(i)
    for j, n in enumerate(new):
        new_at[n.clause].append(j)
    matched, blocks = set(clause_pairs), set(block_pairs)
    found = []
    for old_clause, new_clause in sorted(matched | blocks):
        bonus = CLAUSE_BONUS * ((old_clause, new_clause) in matched)
        bonus += BLOCK_BONUS * ((old_clause, new_clause) in blocks)
        for i in old_at.get(old_clause, ()):
            for j in new_at.get(new_clause, ()):
                c = _candidate(old[i], new[j], i, j, bonus)
                if c is not None:
                    found.append(c)
    return found


def block_pairs(
    old: Sequence[Clause], new: Sequence[Clause], records: Iterable[Alignment]
) -> set[tuple[str, str]]:
    """Clause pairs whose blocks the alignment matched: a block is an article (第X条 and
    the paragraphs after it) or else a paragraph, matched when their first clauses are."""
    old_block, old_members = _blocks(old)
    new_block, new_members = _blocks(new)
    pairs: set[tuple[str, str]] = set()
    for record in records:
        for o in record.old:
            for n in record.new:
                if old_block[o.id] == o.id and new_block[n.id] == n.id:
                    pairs.update((a, b) for a in old_members[o.id] for b in new_members[n.id])
    return pairs


def _blocks(clauses: Sequence[Clause]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each clause's block head, and each head's clauses."""
    head_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    head: Clause | None = None
    in_article = False
    for c in clauses:
        style = heading_style(c.text)
        article = style is not None and style[0] == "article"
        new_paragraph = head is None or (c.line != head.line and not in_article)
        if article or c.kind is ClauseKind.HEADING or new_paragraph:
            head, in_article = c, article
        assert head is not None
        head_of[c.id] = head.id
        members[head.id].append(c.id)
    return head_of, members


def _same_metric_candidates(
    old: Sequence[Target], new: Sequence[Target], old_taken: set[int], new_taken: set[int]
) -> list[Candidate]:
    """Candidates left unpaired that keep their metric word for word (the common case)."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, n in enumerate(new):
        if j not in new_taken:
            index[n.metric, _unit_family(n.unit)].append(j)
    found = []
    for i, o in enumerate(old):
        if i in old_taken:
            continue
        same = index.get((o.metric, _unit_family(o.unit)), ())
        for j in same[:BLOCK_SIZE]:
            c = _candidate(o, new[j], i, j, 0.0)
            if c is not None:
                found.append(c)
    return found


def _unit_family(unit: str) -> str:
    family = _CONVERTIBLE.get(unit)
    return family[0] if family else unit


def _grams(metric: str) -> set[str]:
    return {metric[k : k + 2] for k in range(len(metric) - 1)} or {metric}


def _blocked_candidates(
    old: Sequence[Target], new: Sequence[Target], old_taken: set[int], new_taken: set[int]
) -> list[Candidate]:
    """Candidates among targets left unpaired: same unit family, a shared rare character pair."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, n in enumerate(new):
        if j not in new_taken:
            for gram in _grams(n.metric):
                index[_unit_family(n.unit), gram].append(j)
    found = []
    for i, o in enumerate(old):
        if i in old_taken:
            continue
        family = _unit_family(o.unit)
        keys = sorted(
            ((family, g) for g in _grams(o.metric) if (family, g) in index),
            key=lambda key: (len(index[key]), key),
        )
        seen: set[int] = set()
        for key in keys[:BLOCK_KEYS]:
            for j in index[key][:BLOCK_SIZE]:
                if j in seen:
                    continue
                seen.add(j)
                c = _candidate(o, new[j], i, j, 0.0)
                if c is not None:
                    found.append(c)
    return found


def _added(new: Target) -> TargetChange:
    return TargetChange(TargetStatus.ADDED, new.metric, None, new)


def _change(old: Target, new: Target) -> TargetChange:
    """The row for a pair; pair_targets pairs only units that convert."""
    base = _in_unit(old.value, old.unit, new.unit)
    base = old.value if base is None else base
    delta = round(new.value - base, 9)  # 0.6 - 0.5 is 0.1, not 0.0999…
    relative = None if new.unit in RATIO_UNITS or base == 0 else round(delta / base, 9)
    # A change of unit counts (issue: value, unit, comparator or deadline), even
    # 5000万元 -> 0.5亿元; the delta (0) says the amount itself stayed.
    differs = (
        old.value != new.value
        or old.upper != new.upper
        or old.unit != new.unit
        or old.comparator != new.comparator
        or old.deadline != new.deadline
    )
    return TargetChange(
        status=TargetStatus.CHANGED if differs else TargetStatus.UNCHANGED,
        metric=new.metric,
        old=old,
        new=new,
        delta=delta,
        relative=relative,
        direction=Direction.UP if delta > 0 else Direction.DOWN if delta < 0 else None,
        comparator_changed=old.comparator != new.comparator,
    )


RULES: tuple[Rule, ...] = (
    BASELINE.rule,
    *(r.rule for r in SKIP_BEFORE_METRIC),
    CONDITION.rule,
    *(r.rule for r in SKIP_BEFORE_NOUN),
    *(r.rule for r in KIND_RULES),
)
"""Every named rule of the extractor, with its examples (tests run them all)."""
