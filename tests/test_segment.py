"""Segmentation: heading hierarchy, clauses, front matter, line numbers."""

from __future__ import annotations

from policydiff.model import Clause, ClauseKind, Document
from policydiff.patterns import DATE_LINE
from policydiff.segment import match_key, segment, sentence_bounds


def clauses_of(text: str) -> tuple[Clause, ...]:
    return segment(Document("t.txt", text))


PLAN = """某某市人民政府办公室关于印发实施方案的通知

某府办〔2024〕12号

各镇人民政府，市直各单位：

现印发给你们，请认真贯彻执行。

某某市人民政府办公室

2024年3月1日

某某市数字政府建设实施方案

为加快数字政府建设，制定本方案。

一、总体要求

（一）指导思想。坚持以人民为中心；推进政务服务标准化。

（二）主要目标。到2025年，政务服务事项网上可办率达到100%。

——服务能力显著提升。建成一体化平台。新增应用场景20个以上。

二、重点任务

（一）优化政务服务

1、推进一网通办。整合业务系统，实现数据共享！

（1）建设统一入口。开通移动端服务。
"""


def test_heading_hierarchy_nests_by_order_of_first_appearance() -> None:
    cs = clauses_of(PLAN)
    last = cs[-1]
    assert last.text == "开通移动端服务。"
    assert last.path == (
        "二、重点任务",
        "（一）优化政务服务",
        "1、推进一网通办",
        "（1）建设统一入口",
    )
    assert last.line == 31


def test_a_title_with_its_body_on_the_same_line_is_a_heading() -> None:
    cs = clauses_of(PLAN)
    heading = next(c for c in cs if c.text == "（一）指导思想。")
    assert heading.kind is ClauseKind.HEADING
    assert heading.path == ("一、总体要求",)
    body = [c.text for c in cs if c.path == ("一、总体要求", "（一）指导思想")]
    assert body == ["坚持以人民为中心；", "推进政务服务标准化。"]


def test_goal_bullets_are_headings_of_their_own_paragraph_only() -> None:
    cs = clauses_of(PLAN)
    bullet = ("一、总体要求", "（二）主要目标", "——服务能力显著提升")
    assert [c.text for c in cs if c.path == bullet] == [
        "建成一体化平台。",
        "新增应用场景20个以上。",
    ]
    after = next(c for c in cs if c.text == "二、重点任务")
    assert after.path == ()


def test_front_matter_is_kept_and_marked() -> None:
    cs = clauses_of(PLAN)
    front = [c.text for c in cs if c.front_matter]
    assert front[0].startswith("某某市人民政府办公室关于印发")
    assert front[-1] == "2024年3月1日"
    assert "某府办〔2024〕12号" in front
    assert not any(c.front_matter for c in cs if c.text == "某某市数字政府建设实施方案")


def test_a_signer_and_date_on_one_line_end_the_notice() -> None:
    text = (
        "各镇人民政府：\n现将《方案》印发给你们，请认真贯彻执行。\n"
        "县政府办公室        2024年3月8日\n方案\n一、工作目标\n到2026年，普及率达到90%以上。"
    )
    front = [c.text for c in clauses_of(text) if c.front_matter]
    assert front[-1] == "县政府办公室        2024年3月8日" and len(front) == 3
    assert [
        c.text
        for c in clauses_of("县政府办公室　2024年3月8日\n一、目标\n加快发展。")
        if c.front_matter
    ] == ["县政府办公室　2024年3月8日"]
    # A heading or a label with a date is no signature.
    for line in ("二、实施日期  2024年3月1日", "截至 2024年3月8日"):
        assert not DATE_LINE.match(line), line
    # A sentence that ends in a date is not a signature.
    text = "请于\n各单位按要求报送材料，截止时间 2024年3月8日\n一、总则\n加强管理。"
    assert not any(c.front_matter for c in clauses_of(text))


def test_parts_of_a_plan_hold_its_numbered_sections() -> None:
    text = "第一部分 总体要求\n一、指导思想\n坚持稳中求进。\n第二篇 重点任务\n一、产业升级\n新增企业100家。"
    paths = {c.text: c.path for c in clauses_of(text)}
    assert paths["新增企业100家。"] == ("第二篇 重点任务", "一、产业升级")
    assert paths["第二篇 重点任务"] == ()
    assert match_key("第二部分 重点任务") == match_key("第三篇 重点任务") == "重点任务"


def test_the_attachment_list_stands_outside_the_last_section() -> None:
    text = "三、保障措施\n（一）加强领导。成立领导小组。\n附件：1.任务分解表\n2.创建标准"
    by_text = {c.text: c.path for c in clauses_of(text)}
    assert by_text["附件：1.任务分解表"] == ()
    assert by_text["2.创建标准"] == ("附件：1.任务分解表",)
    # A sentence that begins with 附件 is a sentence of its section.
    text = (
        "一、总体要求\n附件1所列项目按季度报送进度。\n各单位要认真落实。\n二、保障措施\n加强领导。"
    )
    by_text = {c.text: c.path for c in clauses_of(text)}
    assert by_text["附件1所列项目按季度报送进度。"] == ("一、总体要求",)
    assert by_text["加强领导。"] == ("二、保障措施",)
    # 附件 above the title labels the document itself: no section is open yet.
    assert [c.path for c in clauses_of("附件\n某某方案\n一、目标\n加快发展。")][-1] == ("一、目标",)


def test_no_front_matter_without_a_signature_date() -> None:
    assert not any(c.front_matter for c in clauses_of("一、总则\n\n（一）为规范管理，制定本办法。"))


def test_clauses_split_at_sentence_ends_but_not_inside_brackets() -> None:
    text = "加快建设。推进改革（责任单位：市发改局；市财政局）；完善机制！是否可行？"
    pieces = [text[a:b] for a, b in sentence_bounds(text)]
    assert pieces == [
        "加快建设。",
        "推进改革（责任单位：市发改局；市财政局）；",
        "完善机制！",
        "是否可行？",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "打造“数字政府。”推进改革。"
    assert [text[a:b] for a, b in sentence_bounds(text)] == ["打造“数字政府。”", "推进改革。"]


def test_every_character_lands_in_exactly_one_clause() -> None:
    cs = clauses_of(PLAN)
    joined = "".join(c.text for c in cs)
    assert joined == "".join(PLAN.split())


def test_ids_are_unique_and_in_order() -> None:
    ids = [c.id for c in clauses_of(PLAN)]
    assert ids == [f"c{n}" for n in range(1, len(ids) + 1)]


def test_match_key_ignores_numbering_script_and_end_marks() -> None:
    assert match_key("（十四）提高建筑材料质量水平。") == match_key("9、提高建築材料質量水平")
    assert match_key("——质量品牌建设取得明显成效。") == "质量品牌建设取得明显成效"
    assert match_key("②推进中小企业数字化转型。") == match_key("①推进中小企业数字化转型")
    assert match_key("參、執行策略") == match_key("叁、执行策略") == "执行策略"


def test_sample_page_broken_sentences_are_whole_clauses(sample_pair: tuple[str, str]) -> None:
    draft, final = sample_pair
    wanted = {
        draft: ["支持新型储能、新能源汽车"],
        final: ["專精特新企业", "着力打造", "加强机构自律", "直播电商等新业态新模式"],
    }
    for text, fragments in wanted.items():
        cs = clauses_of(text)
        for fragment in fragments:
            assert any(fragment in c.text for c in cs), fragment


def test_articles_are_provisions_not_titles() -> None:
    cs = clauses_of(
        "第一章 总则\n\n第一条 为了规范管理，制定本办法。\n\n第二条 本办法自发布之日起施行。"
    )
    assert [(c.kind.value, c.text) for c in cs] == [
        ("heading", "第一章 总则"),
        ("clause", "第一条 为了规范管理，制定本办法。"),
        ("clause", "第二条 本办法自发布之日起施行。"),
    ]
    assert cs[1].path == ("第一章 总则", "第一条")


def test_a_numbered_whole_sentence_is_not_a_title() -> None:
    cs = clauses_of("一、主要任务\n\n1、支持企业上云，新增上云企业500家。\n\n2、完善标准体系。")
    assert [c.kind.value for c in cs] == ["heading", "clause", "heading"]
    assert cs[1].path == ("一、主要任务", "1、")


def test_a_clause_rejoined_across_a_page_break_knows_each_characters_line() -> None:
    cs = clauses_of(
        "（一）推进转型。推进数字化转型，建设一体化平\n\n台，提升办事效率和群众满意度。"
    )
    body = cs[-1]
    assert (body.line, body.end_line) == (1, 3)
    assert body.line_at(body.text.index("台")) == 3
    assert body.line_at(0) == 1


def test_a_notice_without_headings_is_body_not_front_matter() -> None:
    notice = "各区人民政府：\n\n请于每月报送2次工作进展。\n\n某某市人民政府办公室\n\n2024年5月6日"
    cs = clauses_of(notice)
    assert not any(c.front_matter for c in cs)
    assert cs[-1].text == "2024年5月6日"


def test_a_section_that_skips_a_level_still_nests_by_convention() -> None:
    text = "一、总体要求\n\n（一）指导思想\n\n1．坚持创新\n\n二、重点任务\n\n1．加快数字化转型\n\n（一）推进智能制造\n\n推广工业互联网。"
    cs = clauses_of(text)
    assert cs[-1].path == ("二、重点任务", "（一）推进智能制造")


def test_preface_items_before_chapters_do_not_swallow_them() -> None:
    text = (
        "（一）编制依据\n\n依据有关规划编制。\n\n一、总体要求\n\n（一）指导思想\n\n坚持稳中求进。"
    )
    cs = clauses_of(text)
    assert cs[-1].path == ("一、总体要求", "（一）指导思想")
    assert next(c for c in cs if c.text == "一、总体要求").path == ()


def test_taiwan_and_hong_kong_numbering() -> None:
    tw = clauses_of(
        "壹、計畫緣起\n\n一、背景說明\n\n推動數位轉型。\n\n貳、推動策略\n\n一、強化基礎建設\n\n布建網路。"
    )
    assert tw[-1].path == ("貳、推動策略", "一、強化基礎建設")
    hk = clauses_of(
        "1. 創新科技\n\n1.1 人才\n\n(a) 增加創科人才至 50000 人。\n\n(b) 設立培訓計劃。"
    )
    assert hk[-1].path == ("1. 創新科技", "1.1 人才")
    assert [c.text for c in hk[-2:]] == ["(a) 增加創科人才至 50000 人。", "(b) 設立培訓計劃。"]
    assert clauses_of("1.5亿元用于专项补助。")[0].path == ()  # a decimal is not a 1.1 heading


def test_an_amount_at_the_start_of_a_paragraph_is_not_a_1_1_heading() -> None:
    cs = clauses_of("一、资金安排\n\n1.5 亿元用于专项补助。\n\n1.1 人才政策\n\n引进高层次人才。")
    assert [(c.kind.value, c.path) for c in cs] == [
        ("heading", ()),
        ("clause", ("一、资金安排",)),
        ("heading", ("一、资金安排",)),
        ("clause", ("一、资金安排", "1.1 人才政策")),
    ]


def test_a_line_of_zero_width_characters_is_blank() -> None:
    # Web pages leave lines of &#8203; between paragraphs: no clause, no break in a sentence.
    text = "一、总则\n第一条 为了加强管理，\n\u200b\n制定本办法。\n\ufeff\u200d\n第二条 本办法适用于全区。\n"
    texts = [c.text for c in segment(Document("a.txt", text))]
    assert texts == ["一、总则", "第一条 为了加强管理，制定本办法。", "第二条 本办法适用于全区。"]
