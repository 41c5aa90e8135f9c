"""policydiff history: targets followed through more than two versions."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff import Document, load
from policydiff.history import History, history
from policydiff.model import TargetStatus
from policydiff.render import history as render

from .conftest import ROOT

NATIONAL = ROOT / "bench" / "data" / "work_reports" / "national"
YEARS = ("2019", "2020", "2021", "2022")


def test_a_target_is_followed_through_changes_additions_and_removals() -> None:
    texts = [
        "一、目标\n到2025年，森林覆盖率达到30%以上。\n新建公园20个。",
        "一、目标\n到2025年，森林覆盖率达到32%以上。\n新建公园20个。",
        "一、目标\n到2025年，森林覆盖率达到32%以上。\n新增绿道500公里。",
    ]
    followed = history([Document(f"v{i}.txt", t) for i, t in enumerate(texts, 1)])
    names = ("覆盖率", "公园", "绿道")
    table = {
        next(n for n in names if n in row.metric): [render.cell(s) for s in row.steps]
        for row in followed.rows
    }
    assert table == {
        "覆盖率": ["≥30%", "≥32% ↑", "≥32%"],
        "公园": ["20个", "20个", "removed"],
        "绿道": ["", "", "+ 500公里"],
    }
    statuses = [[s and s.status for s in row.steps] for row in followed.rows]
    assert statuses[0] == [None, TargetStatus.CHANGED, TargetStatus.UNCHANGED]
    assert [row.changes for row in followed.rows] == [1, 1, 1]


def test_one_version_is_not_a_history() -> None:
    with pytest.raises(Exception, match="at least two versions"):
        history([Document("a.txt", "一、目标")])


@pytest.fixture(scope="module")
def national() -> History:
    return history([load(NATIONAL / f"{year}.txt") for year in YEARS])


def row_of(followed: History, metric: str, first: str) -> list[str]:
    """The cells of the row whose metric holds `metric` and whose first cell is `first`."""
    rows = [[render.cell(s) for s in row.steps] for row in followed.rows if metric in row.metric]
    found = [cells for cells in rows if cells[0] == first]
    assert len(found) == 1, rows
    return found[0]


def test_the_national_work_reports_year_by_year(national: History) -> None:
    assert [v.document.name for v in national.versions] == [f"{y}.txt" for y in YEARS]
    # The annual goals as each report set them (read from the reports by hand):
    # new urban jobs 11 M or more, 9 M in 2020, 11 M again; CPI about 3%, 3.5% in 2020;
    # special-purpose local government bonds 2.15, 3.75, 3.65, 3.65 trillion yuan.
    assert row_of(national, "城镇新增就业", "≥1100万人") == [
        "≥1100万人",
        "≥900万人 ↓",
        "≥1100万人 ↑",
        "≥1100万人",
    ]
    assert row_of(national, "居民消费价格", "≈3%") == ["≈3%", "≈3.5% ↑", "≈3% ↓", "≈3%"]
    assert row_of(national, "专项债券", "2.15万亿元") == [
        "2.15万亿元",
        "3.75万亿元 ↑",
        "3.65万亿元 ↓",
        "3.65万亿元",
    ]
    assert sum(1 for row in national.rows if all(row.steps)) >= 5


def test_the_four_formats_carry_the_same_table(national: History) -> None:
    rows = list(csv.reader(render.render_csv(national).removeprefix("\ufeff").splitlines()))
    assert rows[0] == ["metric", *(f"{y}.txt" for y in YEARS)]
    assert len(rows) == len(national.rows) + 1
    assert ["≥1100万人", "≥900万人 ↓", "≥1100万人 ↑", "≥1100万人"] in [r[1:] for r in rows]
    payload = json.loads(render.render_json(national))
    assert payload["schema"] == "policydiff.history/1"
    assert [v["path"].rsplit("/", 1)[-1] for v in payload["versions"]] == [
        f"{y}.txt" for y in YEARS
    ]
    jobs = [
        r
        for r in payload["rows"]
        if "城镇新增就业" in r["metric"]
        and r["steps"][1]
        and r["steps"][1]["target"]
        and r["steps"][1]["target"]["value"] == 9_000_000
    ]
    assert [s["status"] for s in jobs[0]["steps"]] == [None, "changed", "changed", "unchanged"]
    assert [s["direction"] for s in jobs[0]["steps"]] == [None, "down", "up", None]
    markdown = render.render_markdown(national)
    assert "| metric | 2019.txt | 2020.txt | 2021.txt | 2022.txt |" in markdown
    assert (
        len([line for line in markdown.splitlines() if line.startswith("| ")])
        == len(national.rows) + 1
    )


def test_the_command_writes_csv_for_excel(tmp_path: Path) -> None:
    versions = [tmp_path / f"v{i}.txt" for i in (1, 2, 3)]
    for path, rate in zip(versions, (30, 30, 35), strict=True):
        path.write_text(f"一、目标\n森林覆盖率达到{rate}%以上。\n", encoding="utf-8")
    out = tmp_path / "h.csv"
    args = ["history", *map(str, versions), "--format", "csv", "-o", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "policydiff", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "metric,v1.txt,v2.txt,v3.txt",
        "森林覆盖率,≥30%,≥30%,≥35% ↑",
    ]
    one = subprocess.run(
        [sys.executable, "-m", "policydiff", "history", str(versions[0])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert one.returncode == 2 and one.stderr.startswith("policydiff: error: history needs")
