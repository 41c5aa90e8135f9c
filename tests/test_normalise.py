"""Normalisation: canonical form, page-break repair, script detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policydiff.model import Script
from policydiff.normalise import (
    canonical,
    canonical_map,
    detect_script,
    page_number_lines,
    paragraphs,
)


def test_traditional_and_simplified_share_a_canonical_form() -> None:
    assert canonical("推動營商環境持續優化") == canonical("推动营商环境持续优化")


def test_width_variants_fold() -> None:
    assert canonical("覆蓋率達到９５％") == canonical("覆盖率达到95%")
    assert canonical("（一）") == canonical("(一)")


def test_whitespace_next_to_chinese_is_ignored_but_kept_between_latin_words() -> None:
    assert canonical("新建 600 家 企业") == "新建600家企业"
    assert canonical("R&D 经费 占 GDP 比重") == "R&D经费占GDP比重"
    assert canonical("smart city 建设") == "smart city建设"


def test_bracket_variants_fold() -> None:
    assert canonical("「放管服」改革") == canonical("“放管服”改革")


def test_canonical_map_points_back_to_the_original() -> None:
    original = "新增 標準 30 項"
    text, origin = canonical_map(original)
    assert text == "新增标准30项"
    start = text.index("30")
    # A span [a, b) of canonical text is original[origin[a] : origin[b - 1] + 1].
    assert original[origin[start] : origin[start + 1] + 1] == "30"
    assert origin[-1] == len(original)


def test_canonical_is_idempotent_on_a_mixed_sample() -> None:
    sample = "到２０２５年，全市質量 整體水平 達到 95% 以上；「一網通辦」"
    assert canonical(canonical(sample)) == canonical(sample)


def test_page_break_inside_a_sentence_is_rejoined() -> None:
    text = (
        "（三）优化服务。推进政务服务标准化，建设一体化平\n\n台，提升办事效率。\n\n（四）加强保障"
    )
    paras = paragraphs(text)
    assert [p.text for p in paras] == [
        "（三）优化服务。推进政务服务标准化，建设一体化平台，提升办事效率。",
        "（四）加强保障",
    ]
    assert paras[0].breaks == ((0, 1), (24, 3))
    assert paras[0].line_at(23) == 1
    assert paras[0].line_at(24) == 3


def test_page_numbers_of_a_pdf_copy_are_page_breaks() -> None:
    for number in ("- 3 -", "— 12 —", "第3页", "第 3 页 共 12 页", "3/12", "7"):
        text = f"建设数字化转型促进中心，提供咨询、培\n\n{number}\n\n训等服务。\n\n加强保障。"
        paras = paragraphs(text)
        assert [p.text for p in paras] == [
            "建设数字化转型促进中心，提供咨询、培训等服务。",
            "加强保障。",
        ], number
        assert paras[1].line == 7
    # A decorated page number between whole paragraphs goes too; a bare number stays.
    assert [p.text for p in paragraphs("加强保障。\n\n- 4 -\n\n强化考核。")] == [
        "加强保障。",
        "强化考核。",
    ]
    assert len(paragraphs("主要指标如下：\n\n2025\n\n强化考核。")) == 3
    # A number the line wrapped on, not set apart by blank lines, is text.
    assert [p.text for p in paragraphs("到2025年，规上工业企业达到\n12000\n家以上。")] == [
        "到2025年，规上工业企业达到12000家以上。"
    ]
    assert page_number_lines("增长0–\n- 5\n5 -\n·3·\nPage 2 of 9") == {4, 5}  # dashes pair up


def test_real_paragraph_breaks_stay() -> None:
    text = "为推进高质量发展，制定本方案。\n\n一、总体要求\n\n（一）加强组织领导\n\n坚持统筹协调，形成工作合力。"
    assert len(paragraphs(text)) == 4


def test_titles_signatures_and_headings_are_not_joined_to_what_follows() -> None:
    text = "某某市人民政府办公室\n\n关于印发某某市数字经济发展规划的通知\n\n各区人民政府：\n\n现印发给你们。"
    assert len(paragraphs(text)) == 4
    heading = "（一）聚焦产业升级，提高制造业竞争力\n\n坚持制造业当家，推动产业升级。"
    assert len(paragraphs(heading)) == 2


def test_a_line_ending_in_a_comma_is_always_cut() -> None:
    assert len(paragraphs("推动企业上云，\n\n加快数字化转型。")) == 1


def test_script_detection_reports_runs_of_lines() -> None:
    text = "質量強國建設綱要\n\n推動經濟高質量發展\n\n加快建设数字政府\n\n优化营商环境"
    script, spans = detect_script(text)
    assert script is Script.MIXED
    assert [(s.script, s.first_line, s.last_line) for s in spans] == [
        (Script.TRADITIONAL, 1, 3),
        (Script.SIMPLIFIED, 5, 7),
    ]


def test_script_detection_of_plain_texts() -> None:
    assert detect_script("加快建设数字政府")[0] is Script.SIMPLIFIED
    assert detect_script("加快建設數字政府")[0] is Script.TRADITIONAL
    assert detect_script("2025 100%")[0] is Script.UNKNOWN


def test_characters_both_scripts_use_do_not_make_a_line_simplified() -> None:
    # 制 and 里 are simplified forms of 製 and 裏, and traditional characters too.
    text = "伍、管考機制\n\n新建自行車道150公里。\n\n健全管理體制"
    assert detect_script(text) == (Script.TRADITIONAL, detect_script(text)[1])
    assert len(detect_script(text)[1]) == 1
    assert detect_script("新建自行车道150公里")[0] is Script.SIMPLIFIED


def test_text_without_convertible_characters_converts_to_itself(
    sample_pair: tuple[str, str],
) -> None:
    """The skip in to_simplified is exact: no t2s entry changes text it lets through."""
    from policydiff.normalise import _converter, _script_chars, to_simplified

    convertible = _script_chars().convertible
    assert convertible is not None and "量" not in convertible and "們" in convertible
    converter = _converter("t2s")
    for _, _, mapping in converter.dict_cache.values():
        for key in mapping:
            if convertible.isdisjoint(key):
                assert converter.convert(key) == key
    for line in "\n".join(sample_pair).splitlines():
        assert to_simplified(line) == converter.convert(line)


def test_the_script_character_sets_are_cached_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policydiff import normalise

    monkeypatch.setenv("POLICYDIFF_CACHE", str(tmp_path))
    computed = normalise._read_script_chars()
    normalise._script_chars.cache_clear()
    try:
        assert normalise._script_chars() == computed  # computed, then saved
        (cached,) = tmp_path.glob("opencc-chars-*.json")
        normalise._script_chars.cache_clear()

        def unreachable() -> object:
            raise AssertionError("read from the dictionaries again")

        with monkeypatch.context() as patch:
            patch.setattr(normalise, "_read_script_chars", unreachable)
            assert normalise._script_chars() == computed  # from the file
        normalise._script_chars.cache_clear()
        cached.write_text("{not json", encoding="utf-8")
        assert normalise._script_chars() == computed  # a damaged file is rebuilt
        assert json.loads(cached.read_text(encoding="utf-8"))
        assert not list(tmp_path.glob("*.part"))
    finally:
        normalise._script_chars.cache_clear()


def test_the_variant_character_sets_are_cached_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policydiff import normalise

    monkeypatch.setenv("POLICYDIFF_CACHE", str(tmp_path))
    normalise._variant_chars.cache_clear()
    try:
        computed = normalise._variant_chars()
        assert computed is not None and "衞" in computed.hong_kong
        assert "量" not in computed.any  # in phrase keys, but no entry changes it
        assert len(list(tmp_path.glob("opencc-variants-*.json"))) == 1
        normalise._variant_chars.cache_clear()

        def unreachable() -> object:
            raise AssertionError("read from the dictionaries again")

        with monkeypatch.context() as patch:
            patch.setattr(normalise, "_read_variant_chars", unreachable)
            assert normalise._variant_chars() == computed  # from the file
    finally:
        normalise._variant_chars.cache_clear()
