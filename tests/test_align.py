"""Alignment: statuses, splits and merges, moves, thresholds, word diff."""

from __future__ import annotations

import random
from dataclasses import replace

from rapidfuzz import fuzz

from policydiff import AlignParams, Clause, ClauseKind, ClauseStatus, Document, Options, compare
from policydiff.align import (
    _heaviest_increasing,
    _nearest_first,
    align,
    lead_phrase,
    shares_lead,
    word_diff,
    words,
)
from policydiff.model import DiffOp
from policydiff.segment import match_key


def statuses(old: str, new: str, threshold: float = 0.5) -> list[str]:
    report = compare(Document("a.txt", old), Document("b.txt", new), options=Options(threshold))
    return [a.status.value for a in report.alignments]


def test_identical_documents_report_no_change(sample_pair: tuple[str, str]) -> None:
    draft, _ = sample_pair
    report = compare(Document("a.txt", draft), Document("b.txt", draft))
    assert {a.status for a in report.alignments} == {ClauseStatus.UNCHANGED}
    assert not any(a.script_only for a in report.alignments)


def test_edited_clause_is_modified_with_a_similarity() -> None:
    report = compare(
        Document("a.txt", "一、目标\n\n推动制造业数字化转型，培育一批示范企业。"),
        Document("b.txt", "一、目标\n\n推动制造业数字化转型，培育一批标杆企业和示范园区。"),
    )
    record = report.alignments[-1]
    assert record.status is ClauseStatus.MODIFIED
    assert 0.5 < record.similarity < 1
    assert record.edited


def test_unrelated_clauses_are_not_forced_together() -> None:
    found = statuses("一、目标\n\n加强耕地保护。", "一、目标\n\n发展海洋经济。")
    assert sorted(found) == ["added", "removed", "unchanged"]


def test_threshold_decides_whether_a_weak_pair_holds() -> None:
    old = "一、目标\n\n推动制造业数字化转型，培育示范企业。"
    new = "一、目标\n\n推动服务业数字化发展，建设示范园区和标杆企业。"
    assert "modified" in statuses(old, new, threshold=0.4)
    assert "modified" not in statuses(old, new, threshold=0.9)


def test_a_sentence_whose_action_changed_is_removed_and_added() -> None:
    # About 0.55 alike: the middle and the end live on, the lead action does not.
    old = "弘扬“开放包容，务实创新”的城市精神，推动产业发展与交通建设、人口布局、资源禀赋对接融合，争创全国文明典范城市。"
    new = "运用大数据和人工智能手段助力基层治理方式创新，完善社区网格服务平台，推动产业发展与交通建设、人口布局、资源禀赋对接融合，促进基层治理精准化、便民化发展，争创全国文明典范城市。"
    assert 50 <= fuzz.ratio(match_key(old), match_key(new)) < 65  # alike enough by itself
    assert sorted(statuses(old, new)) == ["added", "removed"]


def test_a_sentence_whose_lead_survives_is_modified_at_the_same_likeness() -> None:
    # About 0.59 alike, like the pair above, but the lead 完善农村寄递物流体系 stays.
    old = "完善农村寄递物流体系，推动快递进村，加快补齐农村物流短板。"
    new = "健全城乡冷链物流网络，完善农村寄递物流体系，支持邮政快递企业共建共享末端网点，补齐农村物流短板。"
    assert statuses(old, new) == ["modified"]


def test_a_rewritten_lead_is_an_edit_when_most_of_the_sentence_stayed() -> None:
    old = (
        "严格目标责任制，将考核结果纳入镇街领导班子和领导干部年度考核内容，作为评先评优的重要依据。"
    )
    new = "发挥好绩效评价的导向作用，将考核结果纳入镇街领导班子和领导干部年度考核内容，作为评先评优的重要依据。"
    assert not shares_lead(match_key(old), match_key(new))
    assert statuses(old, new) == ["modified"]  # about 0.80 alike


def test_lead_phrase_skips_connectives_and_keeps_quotes_whole() -> None:
    assert lead_phrase("同时,推进“放管服”改革,优化营商环境") == "推进“放管服”改革"
    assert lead_phrase("坚持“稳中求进,以进促稳”,推动发展") == "坚持“稳中求进,以进促稳”"
    assert lead_phrase('坚持"稳中求进,以进促稳",推动发展') == '坚持"稳中求进,以进促稳"'
    assert lead_phrase("加快建设(含改扩建,新建)学校") == "加快建设(含改扩建,新建)学校"
    assert lead_phrase("为此") == "为此"


def test_a_clause_under_another_heading_still_pairs_by_content() -> None:
    old = "一、产业\n\n（一）扶持企业。支持中小企业开展技术改造和设备更新。\n\n二、服务\n\n（二）优化服务。推行一网通办。"
    new = "一、服务\n\n1、优化服务。推行一网通办。\n\n二、产业\n\n2、扶持企业。支持中小企业开展技术改造与设备更新。"
    report = compare(Document("a.txt", old), Document("b.txt", new))
    edited = [a for a in report.alignments if a.edited and a.old and a.new]
    assert len(edited) == 1
    assert edited[0].old[0].text.startswith("支持中小企业")
    assert edited[0].status in {ClauseStatus.MOVED, ClauseStatus.MODIFIED}
    moved = [a for a in report.alignments if a.status is ClauseStatus.MOVED]
    assert moved, "swapped sections must be reported as moved"


def test_moved_and_edited_says_so() -> None:
    old = "一、任务\n\n加强耕地保护。\n\n发展海洋经济，建设海洋强市。\n\n完善基础设施。"
    new = "一、任务\n\n发展海洋经济，建设现代海洋强市。\n\n加强耕地保护。\n\n完善基础设施。"
    report = compare(Document("a.txt", old), Document("b.txt", new))
    moved = [a for a in report.alignments if a.status is ClauseStatus.MOVED]
    assert len(moved) == 1
    assert moved[0].edited == (moved[0].old[0].text != "加强耕地保护。")


def test_every_clause_appears_in_exactly_one_record(sample_pair: tuple[str, str]) -> None:
    draft, final = sample_pair
    report = compare(Document("a.txt", draft), Document("b.txt", final))
    old_ids = [c.id for a in report.alignments for c in a.old]
    new_ids = [c.id for a in report.alignments for c in a.new]
    assert sorted(old_ids) == sorted(c.id for c in report.old.clauses)
    assert sorted(new_ids) == sorted(c.id for c in report.new.clauses)
    assert len(set(old_ids)) == len(old_ids) and len(set(new_ids)) == len(new_ids)


def test_heaviest_increasing_subsequence() -> None:
    ones = [1] * 6
    assert _heaviest_increasing([0, 1, 5, 2, 3, 4], ones) == {0, 1, 3, 4, 5}
    assert _heaviest_increasing([], []) == set()
    assert len(_heaviest_increasing([3, 2, 1], [1, 1, 1])) == 1
    # Two light clauses in order outweigh... only if together they weigh more.
    assert _heaviest_increasing([2, 0, 1], [5, 3, 3]) == {1, 2}
    assert _heaviest_increasing([2, 0, 1], [7, 3, 3]) == {0}


def test_the_moved_item_is_the_one_that_moved_not_the_ones_it_passed() -> None:
    old = (
        "一、措施\n\n1、规范涉企收费，清理各类不合理收费项目并公开收费目录清单。\n\n"
        "2、降低企业用电用气成本，落实阶段性降价政策并推进直购电改革。\n\n"
        "3、降低融资成本。\n\n（责任单位：市金融局）"
    )
    new = (
        "一、措施\n\n1、降低企业融资成本。\n\n（责任单位：市金融局）\n\n"
        "2、规范涉企收费，清理各类不合理收费项目并公开收费目录清单。\n\n"
        "3、降低企业用电用气成本，落实阶段性降价政策并推进直购电改革。"
    )
    report = compare(Document("a.txt", old), Document("b.txt", new))
    moved = [a.new[0].text for a in report.alignments if a.status is ClauseStatus.MOVED]
    assert moved == ["1、降低企业融资成本。", "（责任单位：市金融局）"]


def test_clauses_that_moved_with_their_section_say_so_unless_they_also_swapped() -> None:
    old = (
        "一、产业\n\n支持企业技术改造。\n\n培育专精特新企业。\n\n"
        "二、服务\n\n推行一网通办。\n\n推进证照分离改革。\n\n优化审批流程。"
    )
    along = (
        "一、服务\n\n推行一网通办。\n\n推进证照分离改革。\n\n优化审批流程。\n\n"
        "二、产业\n\n支持企业技术改造。\n\n培育专精特新企业。"
    )
    report = compare(Document("a.txt", old), Document("b.txt", along))
    moved = [a for a in report.alignments if a.status is ClauseStatus.MOVED]
    assert [a.with_section for a in moved if a.new[0].kind.value == "clause"] == [True, True]
    swapped = along.replace(
        "推行一网通办。\n\n推进证照分离改革。", "推进证照分离改革。\n\n推行一网通办。"
    )
    report = compare(Document("a.txt", old), Document("b.txt", swapped))
    flags = {
        a.new[0].text: a.with_section for a in report.alignments if a.status is ClauseStatus.MOVED
    }
    # One of the swapped pair reads "order changed within its section", the rest went along.
    assert [flags["推行一网通办。"], flags["推进证照分离改革。"]].count(False) == 1
    assert flags["优化审批流程。"] is True


def test_a_repeated_note_pairs_with_the_one_in_the_same_place() -> None:
    old = (
        "一、措施\n\n1、规范涉企收费。清理收费项目。（责任单位：市市场监管局）\n\n"
        "2、开展违规收费专项整治。查处违规收费。（责任单位：市市场监管局）"
    )
    new = (
        "一、措施\n\n1、规范涉企收费。清理收费项目。（责任单位：市市场监管局、市司法局）\n\n"
        "2、开展违规收费专项整治。查处违规收费。（责任单位：市市场监管局）"
    )
    report = compare(Document("a.txt", old), Document("b.txt", new))
    assert [a.status.value for a in report.alignments].count("unchanged") == 6
    edited = [a for a in report.alignments if a.edited]
    assert len(edited) == 1 and "市司法局" in edited[0].new[0].text


def test_numbers_are_whole_words_in_the_diff() -> None:
    assert "98.5%" in words("合格率达到98.5%以上")
    diff = word_diff("国家标准 300 项以上", "国家标准 200 项")
    deleted = [s.text for s in diff if s.op is DiffOp.DELETE]
    inserted = [s.text for s in diff if s.op is DiffOp.INSERT]
    assert any(text.startswith("300 ") for text in deleted), diff  # whole, space riding along
    assert any(text.startswith("200 ") for text in inserted), diff


def test_a_chance_common_word_does_not_split_a_rewrite() -> None:
    diff = word_diff("弘扬创新精神，推动质量发展。", "运用数字技术促进管理创新，推动质量提升。")
    rendered = "".join(
        {"=": s.text, "-": f"[-{s.text}-]", "+": f"{{+{s.text}+}}"}[s.op.value] for s in diff
    )
    assert rendered == "[-弘扬创新精神-]{+运用数字技术促进管理创新+}，推动质量[-发展-]{+提升+}。"


def test_diff_is_shown_in_simplified_script() -> None:
    diff = word_diff("推动质量提升", "推動質量全面提升")
    assert "".join(s.text for s in diff if s.op is not DiffOp.DELETE) == "推动质量全面提升"


def test_renumbering_is_not_a_word_change() -> None:
    diff = word_diff("第七条 鼓励企业上云。", "第八条 鼓励企业上云用数。")
    assert diff[0].op is DiffOp.EQUAL
    assert diff[0].text.startswith("第八条 ") and diff[0].old_side.startswith("第七条 ")
    assert [(s.op, s.text) for s in diff[1:]] == [(DiffOp.INSERT, "用数"), (DiffOp.EQUAL, "。")]


def test_a_number_that_stayed_is_never_folded_into_an_edit() -> None:
    diff = word_diff("研发投入增长5%左右", "研发经费提高5%以上")
    assert (DiffOp.EQUAL, "5%") in [(s.op, s.text) for s in diff]


def test_a_repeated_formula_stays_in_its_own_article() -> None:
    # Two articles close with the same formula; the new text adds an article between
    # them, so by position alone the formulas would cross.
    old = (
        "第一章 罚则\n\n"
        "第十条 擅自占用防汛通道的，责令限期改正，处一千元以上五千元以下罚款。涉嫌犯罪的，移送司法机关处理。\n\n"
        "第十一条 伪造检验报告的，没收违法所得，处二万元以上十万元以下罚款。涉嫌犯罪的，移送司法机关处理。\n"
    )
    new = (
        "第一章 罚则\n\n"
        "第十条 擅自占用防汛通道的，责令限期改正，处二千元以上一万元以下罚款。\n\n"
        "第十一条 未按规定公示收费标准的，责令改正，处五百元罚款。涉嫌犯罪的，移送司法机关处理。\n\n"
        "第十二条 伪造检验报告的，没收违法所得，处五万元以上二十万元以下罚款。涉嫌犯罪的，移送司法机关处理。\n"
    )
    report = compare(Document("a.txt", old), Document("b.txt", new))
    pairs = {
        (a.old[0].line, a.new[0].line)
        for a in report.alignments
        if a.old and a.new and a.old[0].text.startswith("涉嫌犯罪")
    }
    assert (5, 7) in pairs  # the fraud article's formula goes with the fraud article
    assert (3, 5) not in pairs  # not to the new fee article, whatever its position


def test_the_context_bonus_is_the_knob_that_keeps_formulas_home() -> None:
    # The fine of the first article was raised to exactly what the second one's was:
    # by words alone, the old first fine pairs with the new second one.
    old = (
        "第一章 罚则\n\n第五条 占用防汛通道的，责令限期改正。单位有前款行为的，另处三万元以下罚款。\n\n"
        "第六条 迟报检验资料的，责令改正。单位有前款行为的，另处一万元以下罚款。\n"
    )
    new = (
        "第一章 罚则\n\n第五条 占用防汛通道的，责令限期改正。单位有前款行为的，另处六万元以下罚款。\n\n"
        "第六条 迟报检验资料的，责令改正。单位有前款行为的，另处三万元以下罚款。\n"
    )

    def fine_pairs(options: Options) -> set[tuple[int, int]]:
        report = compare(Document("a.txt", old), Document("b.txt", new), options=options)
        return {
            (a.old[0].line, a.new[0].line)
            for a in report.alignments
            if a.old and a.new and a.old[0].text.startswith("单位有")
        }

    assert fine_pairs(Options()) == {(3, 3), (5, 5)}
    no_bonus = Options(align=replace(AlignParams(), context_bonus=0.0))
    assert (3, 5) in fine_pairs(no_bonus)


def test_a_sentence_that_grew_keeps_its_pair() -> None:
    # Too little alike by ratio (about 0.35), but the action and most words stayed.
    old = "一、任务\n\n（一）食品安全。严格落实食品安全属地责任，确保群众吃得放心。推进农贸市场升级改造。"
    new = (
        "一、任务\n\n1、食品安全。严格落实食品安全属地责任，坚持党政同责，强化企业主体责任，"
        "加强生产、流通、消费各环节监管，健全追溯体系和应急处置机制。推进农贸市场升级改造。"
    )
    report = compare(Document("a.txt", old), Document("b.txt", new))
    grown = [a for a in report.alignments if a.old and a.old[0].text.startswith("严格落实")]
    assert len(grown) == 1 and grown[0].status is ClauseStatus.MODIFIED
    assert grown[0].similarity < 0.5


def test_a_sentence_split_with_others_put_between_is_one_record() -> None:
    old = "一、服务\n\n（一）生活服务。丰富家政养老服务供给，积极引进品牌首店，发展沉浸式体验消费。"
    new = (
        "一、服务\n\n1、生活服务。丰富家政养老服务供给。培育本地特色餐饮名店。"
        "完善定制公交服务。大力引进品牌首店，推动商圈综合升级，发展沉浸式体验消费。"
    )
    report = compare(Document("a.txt", old), Document("b.txt", new))
    split = [a for a in report.alignments if len(a.new) > 1]
    assert len(split) == 1
    assert [c.text[:4] for c in split[0].new] == ["丰富家政", "大力引进"]
    added = [a.new[0].text[:4] for a in report.alignments if a.status is ClauseStatus.ADDED]
    assert added == ["培育本地", "完善定制"]


def test_a_list_item_read_as_a_title_on_one_side_still_pairs() -> None:
    def clause(kind: ClauseKind, text: str) -> Clause:
        return Clause("c1", kind, (), text, text, 1, 1, key=match_key(text))

    old = [clause(ClauseKind.CLAUSE, "（四）对档案资料定期开展内部核查的规则应当明确。")]
    new = [clause(ClauseKind.HEADING, "（四）对档案资料定期开展内部核查的规则应当明确；")]
    assert [a.status for a in align(old, new, threshold=0.5)] == [ClauseStatus.UNCHANGED]
    edited = [clause(ClauseKind.HEADING, "（四）对档案资料定期开展内部核查的规则和流程应当明确")]
    assert [a.status for a in align(old, edited, threshold=0.5)] == [ClauseStatus.MODIFIED]
    other = [clause(ClauseKind.HEADING, "（四）档案资料的保管期限")]
    assert len(align(old, other, threshold=0.5)) == 2


def test_nearest_first_is_the_greedy_of_all_pairs_by_distance() -> None:
    rng = random.Random(7)
    for _ in range(200):
        old_size, new_size = rng.randint(5, 40), rng.randint(5, 40)
        olds = sorted(rng.sample(range(old_size), rng.randint(1, old_size // 2)))
        news = sorted(rng.sample(range(new_size), rng.randint(1, new_size // 2)))
        ranked = sorted((abs(i / old_size - j / new_size), i, j) for i in olds for j in news)
        expected, used_old, used_new = [], set(), set()
        for _, i, j in ranked:
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                expected.append((i, j))
        assert sorted(_nearest_first(olds, news, old_size, new_size)) == sorted(expected)


def test_thousands_of_repeated_notes_pair_in_place_without_ranking_every_pair() -> None:
    note = "（责任单位：市发展改革局）"
    old = "\n\n".join([note] * 3000)
    lines = [note] * 3000
    for k in range(0, 3000, 97):
        lines[k] = "（责任单位：市发展改革局、市财政局）"
    report = compare(Document("a.txt", old), Document("b.txt", "\n\n".join(lines)))
    edited = [a for a in report.alignments if a.status is not ClauseStatus.UNCHANGED]
    assert len(edited) == len(range(0, 3000, 97))
    assert all(a.status is ClauseStatus.MODIFIED for a in edited)
    assert all(a.old[0].line == a.new[0].line for a in report.alignments)


def test_sentences_of_two_sections_merged_into_one_are_one_record() -> None:
    old = (
        "一、产业\n\n（一）基础支撑。开展重点领域共性技术研究，提升核心零部件的可靠性和耐久性。\n\n"
        "（二）竞争水平。推动产业技术迭代。支持电子信息、高端装备、生物医药等领域企业从规模扩张向质量提升转变，壮大产业。"
    )
    new = (
        "一、产业\n\n1、基础支撑。实施标准化领航工程和稳链工程，开展新兴产业共性技术研究，"
        "支持电子信息、高端装备、生物医药等领域企业从规模扩张向质量提升转变，发挥链主企业作用，"
        "编制标准体系规划与路线图，提升核心零部件的可靠性和耐久性，助力产业链锻长板。\n\n"
        "2、竞争水平。推动产业技术迭代和质量升级。"
    )
    report = compare(Document("a.txt", old), Document("b.txt", new))
    merged = [a for a in report.alignments if len(a.old) > 1]
    assert len(merged) == 1
    assert [c.text[:4] for c in merged[0].old] == ["开展重点", "支持电子"]
    assert [a.status for a in report.alignments].count(ClauseStatus.REMOVED) == 0
