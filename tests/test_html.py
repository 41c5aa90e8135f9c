"""The HTML report: self-contained, escaped, and checked in a real browser (Debian's headless
Chromium driven by Playwright; .ci/system-deps installs it). The browser tests are skipped
only when Chromium or Playwright is missing."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policydiff.cli import app

from .conftest import DATA, ROOT

DRAFT = str(DATA / "draft_2023.txt")
FINAL = str(DATA / "final_2024.txt")
LAW = ROOT / "bench" / "data" / "laws" / "statistics_law"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE_OLD = (
    "一、总则\n\n第一条 正文<script>alert(1)</script>保留。\n\n第二条 原有内容不变的一句话。\n"
)
HOSTILE_NEW = (
    '一、总则\n\n第一条 正文<img src=x onerror="alert(2)">"><b onclick=alert(3)>粗</b>保留。\n\n'
    "第二条 原有内容不变的一句话。\n\n第三条 新增</div></main><iframe src=x></iframe>一句。\n"
)


def html_of(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["compare", *args, "-o", str(out)])
    assert result.exit_code == 1, result.output  # the documents differ
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "old.txt").write_text(HOSTILE_OLD, encoding="utf-8")
    (folder / "new.txt").write_text(HOSTILE_NEW, encoding="utf-8")
    out = folder / "report.html"
    result = CliRunner().invoke(
        app, ["compare", str(folder / "old.txt"), str(folder / "new.txt"), "-o", str(out)]
    )
    assert result.exit_code == 1, result.output  # the documents differ
    return out


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "report.html"
    result = CliRunner().invoke(app, ["compare", DRAFT, FINAL, "-o", str(out)])
    assert result.exit_code == 1, result.output  # the documents differ
    return out


def test_the_suffix_picks_html_and_the_page_is_self_contained(sample_html: Path) -> None:
    page = sample_html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=")
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"(src|href)=\"(?!#)", page), "only links inside the page"
    assert "url(" not in page and "@import" not in page


def test_escaped_document_text_adds_no_tag(hostile: Path) -> None:
    page = hostile.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "<iframe" not in page and "<b " not in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page


def test_html_is_deterministic(tmp_path: Path) -> None:
    assert html_of(tmp_path, DRAFT, FINAL) == html_of(tmp_path, DRAFT, FINAL)


def test_labels_and_language_reach_the_page(tmp_path: Path) -> None:
    page = html_of(tmp_path, DRAFT, FINAL, "--lang", "zh", "--labels", "征求意见稿,印发稿")
    assert '<html lang="zh-CN">' in page
    assert "征求意见稿: draft_2023.txt" in page and "印发稿: final_2024.txt" in page
    assert '<span class="badge">修改</span>' in page and "目标变化" in page


def test_changed_targets_come_first(sample_html: Path) -> None:
    page = sample_html.read_text(encoding="utf-8")
    statuses = re.findall(r'<tr class="(changed|added|removed|unchanged)">', page)
    assert statuses[:7] == ["changed"] * 7
    assert statuses.index("added") < statuses.index("removed") < statuses.index("unchanged")


def test_a_corpus_pair_renders_with_moves_linked_both_ways(tmp_path: Path) -> None:
    page = html_of(tmp_path, str(LAW / "2009-06-27.txt"), str(LAW / "2024-09-13.txt"))
    for index in re.findall(r'class="row st-moved" id="r(\d+)"', page):
        assert f'href="#g{index}"' in page and f'id="g{index}"' in page
        assert f'href="#r{index}"' in page


# ---------------------------------------------------------------- in a browser


def _browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (.ci/system-deps installs it)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from _browser()


class Loaded:
    """A page opened in the browser, with what it logged and fetched."""

    def __init__(self, browser: Any, path: Path, width: int) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 800})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.as_uri()
        self.page.goto(self.url)

    def js(self, script: str) -> Any:
        return self.page.evaluate(script)


def test_browser_loads_with_no_error_and_fetches_nothing(browser: Any, sample_html: Path) -> None:
    loaded = Loaded(browser, sample_html, 1280)
    assert loaded.errors == []
    assert loaded.requests == [loaded.url]


@pytest.mark.parametrize("width", [1280, 1400, 390])
def test_no_horizontal_overflow(browser: Any, sample_html: Path, width: int) -> None:
    loaded = Loaded(browser, sample_html, width)
    assert loaded.js("document.documentElement.scrollWidth") <= width


def test_old_and_new_stand_side_by_side_at_1280(browser: Any, sample_html: Path) -> None:
    loaded = Loaded(browser, sample_html, 1280)
    old, new = loaded.js(
        """() => {
        const row = document.querySelector('.row.st-modified');
        const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top]; };
        return [box(row.querySelector('.cell.old')), box(row.querySelector('.cell.new'))];
    }"""
    )
    assert abs(old[2] - new[2]) < 2, "both cells start on one line"
    assert old[1] <= new[0], "old on the left, new on the right"
    assert new[1] - new[0] > 400 and old[1] - old[0] > 400


def test_one_column_on_a_phone(browser: Any, sample_html: Path) -> None:
    loaded = Loaded(browser, sample_html, 390)
    old_top, new_top = loaded.js(
        """() => {
        const row = document.querySelector('.row.st-modified');
        return [row.querySelector('.cell.old').getBoundingClientRect().top,
                row.querySelector('.cell.new').getBoundingClientRect().top];
    }"""
    )
    assert new_top > old_top


def test_changes_are_highlighted(browser: Any, sample_html: Path) -> None:
    loaded = Loaded(browser, sample_html, 1280)
    deleted, inserted = loaded.js(
        """() => {
        const look = e => { const s = getComputedStyle(e);
            return [s.textDecorationLine, s.color, s.backgroundColor]; };
        return [look(document.querySelector('.cell del')),
                look(document.querySelector('.cell ins'))];
    }"""
    )
    assert "line-through" in deleted[0] and deleted[1] == "rgb(179, 29, 40)"
    assert "underline" in inserted[0] and inserted[1] == "rgb(34, 134, 58)"
    assert deleted[2] != "rgba(0, 0, 0, 0)" and inserted[2] != "rgba(0, 0, 0, 0)"


def _in_view(loaded: Loaded, selector: str) -> bool:
    return bool(
        loaded.js(
            f"""() => {{ const r = document.querySelector('{selector}').getBoundingClientRect();
            return r.top >= -1 && r.top < window.innerHeight; }}"""
        )
    )


def test_a_moved_clause_links_to_its_partner_and_back(browser: Any, sample_html: Path) -> None:
    loaded = Loaded(browser, sample_html, 1280)
    index = loaded.js("document.querySelector('.row.st-moved:not(.ghost)').id.slice(1)")
    assert not _in_view(loaded, f"#g{index}")
    loaded.page.click(f"#r{index} a.partner")
    assert loaded.page.url.endswith(f"#g{index}")
    assert _in_view(loaded, f"#g{index}")
    assert loaded.js(f"document.querySelector('#g{index}').matches(':target')")
    loaded.page.click(f"#g{index} a.partner")
    assert loaded.page.url.endswith(f"#r{index}") and _in_view(loaded, f"#r{index}")


def test_a_hostile_document_injects_no_element(browser: Any, hostile: Path) -> None:
    loaded = Loaded(browser, hostile, 1280)
    counts = loaded.js(
        """['script', 'img', 'iframe', 'b'].map(t => document.getElementsByTagName(t).length)"""
    )
    assert counts == [0, 0, 0, 0]
    assert loaded.js("document.querySelectorAll('[onclick], [onerror]').length") == 0
    text = loaded.js("document.body.innerText")
    assert "<script>alert(1)</script>" in text and "<iframe src=x></iframe>" in text
    assert loaded.dialogs == [] and loaded.errors == []


def test_a_target_links_to_the_row_of_its_clause(sample_html: Path) -> None:
    page = sample_html.read_text(encoding="utf-8")
    row = re.search(r'<tr class="changed"><td>changed</td><td>食品抽检合格率</td>.*?</tr>', page)
    assert row
    anchor = re.search(r'<a href="#(r\d+)">34 → 32</a>', row.group(0))
    assert anchor
    target_row = re.search(rf'<div class="row[^"]*" id="{anchor.group(1)}">.*?</div></div>', page)
    assert target_row and "98.5%" in target_row.group(0)
