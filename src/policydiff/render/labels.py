"""The words every renderer shows around the documents' own text: statuses, headers, notes, in
English or Chinese, and the names of the two sides.

A renderer asks `Labels.word("key")`, `Labels.clause(status)` or `Labels.target(status)`;
it never spells a label itself, so `--lang` covers every format. `--labels A,B` names the
two sides (征求意见稿, 印发稿) wherever "old" and "new" would stand.

>>> zh = labels("zh")
>>> zh.clause(ClauseStatus.ADDED), zh.target(TargetStatus.CHANGED), zh.old
('新增', '变化', '原文')
>>> labels("en", "征求意见稿,印发稿").new
'印发稿'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import UsageError
from ..model import ClauseStatus, TargetStatus

LANGUAGES = ("en", "zh")

_CLAUSE = {
    "en": {
        ClauseStatus.UNCHANGED: "unchanged",
        ClauseStatus.MODIFIED: "modified",
        ClauseStatus.MOVED: "moved",
        ClauseStatus.ADDED: "added",
        ClauseStatus.REMOVED: "removed",
    },
    "zh": {
        ClauseStatus.UNCHANGED: "未变",
        ClauseStatus.MODIFIED: "修改",
        ClauseStatus.MOVED: "移动",
        ClauseStatus.ADDED: "新增",
        ClauseStatus.REMOVED: "删除",
    },
}
_TARGET = {
    "en": {
        TargetStatus.CHANGED: "changed",
        TargetStatus.UNCHANGED: "unchanged",
        TargetStatus.ADDED: "added",
        TargetStatus.REMOVED: "removed",
    },
    "zh": {
        TargetStatus.CHANGED: "变化",
        TargetStatus.UNCHANGED: "未变",
        TargetStatus.ADDED: "新增",
        TargetStatus.REMOVED: "删除",
    },
}
# Every other word a report shows. `{}` fields are filled by the renderer.
_WORDS: Mapping[str, Mapping[str, str]] = {
    "old": {"en": "Old", "zh": "原文"},
    "new": {"en": "New", "zh": "修改后"},
    "clauses": {"en": "clauses", "zh": "条款"},
    "targets": {"en": "targets", "zh": "目标"},
    "Targets": {"en": "Targets", "zh": "目标"},
    "Facts": {
        "en": "Facts (reported results, not targets)",
        "zh": "事实（已报告的结果，不是目标）",
    },
    "side": {"en": "side", "zh": "版本"},
    "status": {"en": "status", "zh": "状态"},
    "metric": {"en": "metric", "zh": "指标"},
    "value": {"en": "value", "zh": "数值"},
    "old value": {"en": "old", "zh": "原值"},
    "new value": {"en": "new", "zh": "新值"},
    "change": {"en": "change", "zh": "变动"},
    "by": {"en": "by", "zh": "年限"},
    "lines": {"en": "lines", "zh": "行"},
    "line": {"en": "line", "zh": "行"},
    "where": {"en": "where", "zh": "位置"},
    "unit": {"en": "unit", "zh": "单位"},
    "comparator": {"en": "comparator", "zh": "比较"},
    "delta": {"en": "delta", "zh": "差值"},
    "relative": {"en": "relative", "zh": "相对变动"},
    "direction": {"en": "direction", "zh": "方向"},
    "text": {"en": "text", "zh": "原文摘录"},
    "up": {"en": "up", "zh": "上升"},
    "down": {"en": "down", "zh": "下降"},
    "hedged": {"en": "力争", "zh": "力争"},
    "pp": {"en": "pp", "zh": "个百分点"},
    "unit change": {"en": "unit", "zh": "单位"},
    "summary": {"en": "Summary", "zh": "概况"},
    "contents": {"en": "Contents", "zh": "目录"},
    "target changes": {"en": "Target changes", "zh": "目标变化"},
    "clause changes": {"en": "Clause changes", "zh": "条款对照"},
    "comparison table": {"en": "Comparison table (新旧对照)", "zh": "修改对照表"},
    "no differences": {
        "en": "no differences: the two documents say the same",
        "zh": "没有差异：两个文本内容相同",
    },
    "no targets": {
        "en": "No quantitative targets were found in either document.",
        "zh": "两个文本都没有找到量化目标。",
    },
    "no target changed": {"en": "No target changed.", "zh": "没有目标变化。"},
    "no clause changed": {"en": "No clause changed.", "zh": "没有条款变化。"},
    "top of document": {"en": "(top of document)", "zh": "（正文开头）"},
    "top level": {"en": "(top level)", "zh": "（顶层）"},
    "front matter": {
        "en": "front matter: {} records (notice, contacts, signature), not listed",
        "zh": "文头文尾：{} 项（通知、联系人、落款），不列出",
    },
    "more targets": {
        "en": "{} unchanged targets not listed (--targets all lists them)",
        "zh": "另有 {} 个未变目标未列出（--targets all 全部列出）",
    },
    "moved with section": {"en": "moved with its section", "zh": "随所在章节一起移动"},
    "order changed": {"en": "order changed within its section", "zh": "在本节内调整了顺序"},
    "moved from": {"en": "moved from {}", "zh": "移自 {}"},
    "was under": {"en": "was under {}", "zh": "原在 {}"},
    "moved to": {"en": "moved to {}", "zh": "移至 {}"},
    "script only": {"en": "script/width only", "zh": "仅繁简或全半角不同"},
    "merge of": {"en": "merge of {}", "zh": "由 {} 条合并"},
    "split into": {"en": "split into {}", "zh": "拆分为 {} 条"},
    "moved and edited": {"en": "moved+edited", "zh": "移动+修改"},
    "similarity": {"en": "similarity {}", "zh": "相似度 {}"},
    "mixed scripts": {
        "en": "warning: {} mixes scripts: {}; it is compared in simplified form",
        "zh": "注意：{} 繁简混排（{}），按简体比较",
    },
    "script at": {"en": "{0} in {1}", "zh": "{1}{0}"},
    "script in lines": {"en": "{0} in lines {1}–{2}", "zh": "第 {1}–{2} 行{0}"},
    "list separator": {"en": ", ", "zh": "，"},
    "simplified": {"en": "simplified", "zh": "简体"},
    "traditional": {"en": "traditional", "zh": "繁体"},
    "mixed": {"en": "mixed", "zh": "繁简混排"},
    "unknown": {"en": "unknown", "zh": "未知"},
    "deleted": {"en": "deleted", "zh": "删除"},
    "inserted": {"en": "inserted", "zh": "增加"},
    "legend": {
        "en": "Deletions are struck through in red, insertions underlined in green.",
        "zh": "删除的文字以红色删除线标出，增加的文字以绿色下划线标出。",
    },
    "partner": {"en": "see the other side", "zh": "查看对应位置"},
    "generated": {"en": "Made with policydiff", "zh": "由 policydiff 生成"},
}


@dataclass(frozen=True)
class Labels:
    """The language of a report and the names of its two sides."""

    lang: str = "en"
    old: str = "Old"
    new: str = "New"

    def word(self, key: str, *fields: object) -> str:
        return _WORDS[key][self.lang].format(*fields)

    def clause(self, status: ClauseStatus) -> str:
        return _CLAUSE[self.lang][status]

    def target(self, status: TargetStatus) -> str:
        return _TARGET[self.lang][status]


def labels(lang: str = "en", sides: str | None = None) -> Labels:
    """Labels in `lang` ("en" or "zh"); `sides` "A,B" names the old and new side."""
    if lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    old, new = _WORDS["old"][lang], _WORDS["new"][lang]
    if sides is not None:
        parts = [part.strip() for part in sides.replace("，", ",").split(",")]
        if len(parts) != 2 or not all(parts):
            raise UsageError(f"--labels needs two names separated by a comma, got {sides!r}")
        old, new = parts
    return Labels(lang, old, new)


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for, as gettext reads it: LC_ALL, LC_MESSAGES, then LANG
    (LANGUAGE first when it is set); "zh" for a Chinese locale (zh_CN.UTF-8, zh_TW), else "en".

    >>> default_lang({"LANG": "zh_CN.UTF-8"}), default_lang({"LANG": "C.UTF-8"}), default_lang({})
    ('zh', 'en', 'en')
    """
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
