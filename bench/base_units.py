"""The tool's (value, unit, scale) in the base units the gold is written in.

Gold (bench/gold/targets/*.json) writes every quantity in base units: 五十万元 is
500000 元, 1.3万亿斤 is 1.3e12 斤, 三十日 is 30 日. Units are otherwise kept as the
text writes them (日 and 天, 个月, 个百分点 and % stay different units).

The tool folds 万/亿 of a count into `value` and says so in `scale` (10万个: value
100000, unit 个, scale 万), so a count's value is already in base units; money
keeps its scale in the unit (5000万元: value 5000, unit 万元). The table below
strips such a scale from the front of a unit:

| prefix | factor |
|---|---|
| 万亿 | 1e12 |
| 亿 | 1e8 |
| 万 | 1e4 |
| 千 | 1e3 |

unless what is left would not be a unit on its own, or the unit is one that
starts with 千 by name (千瓦, 千瓦时, 千米, 千克, 千伏, 千帕): 万千瓦 is 1e4 千瓦.

Two written forms of one unit are read as one (UNIT_ALIASES): 4个小时 and 4小时,
20个工作日 and 20工作日.

>>> to_base(1.5, "亿元")
(150000000.0, '元')
>>> to_base(100000, "个")
(100000.0, '个')
>>> to_base(120, "万千瓦")
(1200000.0, '千瓦')
>>> to_base(12, "千瓦时/百公里")
(12.0, '千瓦时/百公里')
>>> to_base(3, "万")
(3.0, '万')
>>> to_base(4, "个小时")
(4.0, '小时')
"""

from __future__ import annotations

SCALE_PREFIXES: tuple[tuple[str, float], ...] = (
    ("万亿", 1e12),
    ("亿", 1e8),
    ("万", 1e4),
    ("千", 1e3),
)

# Units whose name starts with a scale character but which are units in their own right.
NAMED_UNITS: frozenset[str] = frozenset({"千瓦", "千瓦时", "千米", "千克", "千伏", "千帕"})

UNIT_ALIASES: dict[str, str] = {"个小时": "小时", "个工作日": "工作日"}


def to_base(value: float, unit: str) -> tuple[float, str]:
    """(value, unit) with every leading scale folded into the value."""
    factor = 1.0
    head, sep, per = unit.partition("/")
    changed = True
    while changed:
        changed = False
        if head in NAMED_UNITS:
            break
        for prefix, scale in SCALE_PREFIXES:
            if head.startswith(prefix) and len(head) > len(prefix):
                head = head[len(prefix) :]
                factor *= scale
                changed = True
                break
    head = UNIT_ALIASES.get(head, head)
    return float(value) * factor, head + sep + per


def base_upper(upper: float | None, unit: str) -> float | None:
    """The upper bound of a range in base units (it is written in the lower bound's unit)."""
    return None if upper is None else to_base(upper, unit)[0]
