"""The sample pair, checked against what a reader of both documents sees."""

from __future__ import annotations

import pytest

from policydiff import Alignment, ClauseStatus, Document, Report, Script, compare


@pytest.fixture(scope="module")
def report(sample_pair: tuple[str, str]) -> Report:
    draft, final = sample_pair
    return compare(Document("draft_2023.txt", draft), Document("final_2024.txt", final))


def record_with(report: Report, old: str | None = None, new: str | None = None) -> Alignment:
    for alignment in report.alignments:
        if old is not None and not any(old in c.text for c in alignment.old):
            continue
        if new is not None and not any(new in c.text for c in alignment.new):
            continue
        return alignment
    raise AssertionError(f"no record with old {old!r} / new {new!r}")


def test_scripts(report: Report) -> None:
    assert report.old.script is Script.SIMPLIFIED
    assert report.new.script is Script.MIXED
    spans = [(s.script, s.first_line, s.last_line) for s in report.new.script_spans]
    assert spans[0][0] is Script.TRADITIONAL and spans[-1][0] is Script.SIMPLIFIED
    assert spans[0][2] == 34 and spans[-1][1] == 36  # the switch at the page-broken 專精/特新


def test_front_matter_is_set_apart(report: Report) -> None:
    old_front = [c.text for c in report.old.clauses if c.front_matter]
    new_front = [c.text for c in report.new.clauses if c.front_matter]
    assert old_front[-1] == "2023年9月14日" and "联系电话：0769-23109796" in old_front
    assert new_front[-1] == "2024年1月26日" and "東府辦〔2024〕3號" in new_front
    assert report.old.body[0].text.startswith("关于贯彻落实《质量强国建设纲要》的实施意见")
    assert report.new.body[0].text == "東莞市質量強市建設實施方案"


@pytest.mark.parametrize("text", ["健全药品全生命周期管理", "健全以“双随机、一公开”监管"])
def test_clauses_the_same_but_for_script_are_unchanged(report: Report, text: str) -> None:
    assert record_with(report, old=text, new=text).status is ClauseStatus.UNCHANGED


def test_traditional_heading_matches_its_simplified_original(report: Report) -> None:
    record = record_with(report, old="一、总体要求", new="一、總體要求")
    assert record.status is ClauseStatus.UNCHANGED and record.script_only


def test_edited_clauses_pair_across_sections(report: Report) -> None:
    # draft （十四） ↔ final 9
    assert record_with(report, old="（十四）提高建筑材料质量水平", new="9、提高建筑材料质量水平")
    steel = record_with(report, old="加强建材质量监管", new="强化建材质量监管")
    assert steel.status in {ClauseStatus.MODIFIED, ClauseStatus.MOVED} and steel.edited
    # draft （二十四） ↔ final 18
    assert record_with(
        report, old="（二十四）提升质量基础设施服务效能", new="18、提升质量基础设施服务效能"
    )


def test_new_clause_is_added(report: Report) -> None:
    assert record_with(report, new="培育粤菜名店名品").status is ClauseStatus.ADDED


def test_dropped_clauses_are_removed(report: Report) -> None:
    for text in (
        "弘扬“创新驱动，质量引领”的东莞城市质量精神",  # only a later phrase lives on
        "支持具有国际化优势的专业机构",
        "以“质量月”等活动为载体",
        "（二十八）深化质量交流合作",
    ):
        assert record_with(report, old=text).status is ClauseStatus.REMOVED, text


def test_a_new_sentence_reusing_a_dropped_phrase_is_added(report: Report) -> None:
    assert record_with(report, new="运用数字技术和标准手段").status is ClauseStatus.ADDED


def test_reordered_brand_sections_are_moved(report: Report) -> None:
    # Draft （十九）（二十）（二十一） became final 16, 14, 15.
    moved = record_with(report, old="（十九）提升全面质量管理水平", new="16、提升企业质量管理能力")
    assert moved.status is ClauseStatus.MOVED
    inside = record_with(report, old="鼓励企业创新质量管理理念")
    assert inside.status is ClauseStatus.MOVED and inside.with_section  # moved along with 16、
    assert record_with(report, old="（二十）争创国内国际知名品牌", new="14、争创中国精品")


def test_page_broken_sentences_pair_as_whole_clauses(report: Report) -> None:
    record = record_with(report, old="支持新型储能、新能源汽车、机器人等新兴产业")
    assert record.old[0].line == 60 and record.old[0].end_line == 62
    assert record.status is ClauseStatus.MODIFIED
