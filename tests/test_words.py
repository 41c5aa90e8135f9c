"""Word segmentation for diffs: jieba's words, with its dictionary read on demand."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff import words as words_module
from policydiff.normalise import to_simplified
from policydiff.words import _import_jieba, words


def test_words_are_exactly_jiebas_with_its_whole_dictionary(sample_pair: tuple[str, str]) -> None:
    jieba = _import_jieba()
    full = jieba.Tokenizer()  # jieba's own dictionary, loaded whole
    text = to_simplified(sample_pair[1])[:6000]
    pieces = [p for p in text.split("\n") if p.strip()]
    for piece in pieces:
        expected = full.lcut(piece, HMM=False)
        ours = words_module._cut(piece)
        assert ours == expected


def test_numbers_and_latin_words_stay_whole() -> None:
    assert words("GDP比重稳定在4.5%左右") == ["GDP", "比重", "稳定", "在", "4.5%", "左右"]
    assert words("国家标准 300 项") == ["国家标准 ", "300 ", "项"]


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYDIFF_CACHE", str(tmp_path))
    words_module._segmenter.cache_clear()
    try:
        words("加快建设")  # builds the cache in tmp_path
        (database,) = tmp_path.glob("jieba-*.sqlite")
        database.write_bytes(b"not a database")
        words_module._segmenter.cache_clear()
        assert words("推动高质量发展") == ["推动", "高质量", "发展"]
        assert database.stat().st_size > 1_000_000  # built afresh
    finally:
        words_module._segmenter.cache_clear()


def test_a_cache_damaged_inside_is_rebuilt_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_pair: tuple[str, str]
) -> None:
    monkeypatch.setenv("POLICYDIFF_CACHE", str(tmp_path))
    words_module._segmenter.cache_clear()
    try:
        words("加快建设")
        (database,) = tmp_path.glob("jieba-*.sqlite")
        with database.open("r+b") as handle:  # a page in the middle goes bad
            handle.seek(database.stat().st_size // 2)
            handle.write(b"\0" * 200_000)
        words_module._segmenter.cache_clear()
        # A long text reads many pages of the file, the damaged one among them.
        text = to_simplified(sample_pair[0]).replace("\n", "")[:4000]
        assert words_module._cut(text) == words_module._import_jieba().Tokenizer().lcut(
            text, HMM=False
        )
        assert not list(tmp_path.glob("*.part"))
    finally:
        words_module._segmenter.cache_clear()


def test_a_worker_thread_uses_the_cached_lexicon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lexicon opened on one thread serves others: no rebuild, the same words."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("POLICYDIFF_CACHE", str(tmp_path))
    words_module._segmenter.cache_clear()
    try:
        assert words("加快建设") == ["加快", "建设"]  # opens the lexicon on this thread
        (database,) = tmp_path.glob("jieba-*.sqlite")
        built = database.stat().st_mtime_ns
        texts = ["推动高质量发展", "完善体制机制", "提高服务水平", "加强监督管理"] * 8
        with ThreadPoolExecutor(max_workers=4) as pool:
            found = list(pool.map(words, texts))
        assert found[:4] == [
            ["推动", "高质量", "发展"],
            ["完善", "体制", "机制"],
            ["提高", "服务水平"],
            ["加强", "监督管理"],
        ]
        assert found == found[:4] * 8
        assert database.stat().st_mtime_ns == built  # not rebuilt
        assert words_module._segmenter.cache_info().currsize == 1
    finally:
        words_module._segmenter.cache_clear()


def test_a_forked_child_opens_its_own_lexicon() -> None:
    """SQLite's connection must not cross a fork: the child's lexicon is a new one."""
    import os

    words("加快建设")
    _, lexicon = words_module._segmenter()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether it got a fresh lexicon that works
        try:
            fresh = words_module._segmenter()[1] is not lexicon
            ok = fresh and words("推动高质量发展") == ["推动", "高质量", "发展"]
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert words_module._segmenter()[1] is lexicon  # the parent keeps its own


def test_a_text_cut_before_is_not_cut_again() -> None:
    first = words("完善体制机制")
    _, lexicon = words_module._segmenter()
    assert lexicon.cuts["完善体制机制"] == tuple(first)
    first.append("x")  # the caller's list is its own
    assert words("完善体制机制") == ["完善", "体制", "机制"]
