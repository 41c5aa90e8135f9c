"""The Word 修改对照表: it opens with python-docx, the targets table comes first, deletions are
struck through in red and insertions underlined in green, and LibreOffice converts it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from typer.testing import CliRunner

from policydiff import compare
from policydiff.cli import app
from policydiff.load import load
from policydiff.model import DiffOp

from .conftest import DATA, ROOT

DRAFT = str(DATA / "draft_2023.txt")
FINAL = str(DATA / "final_2024.txt")
LAW = ROOT / "bench" / "data" / "laws" / "statistics_law"


def write(tmp_path: Path, old: str, new: str, *flags: str, name: str = "r.docx") -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["compare", old, new, "-o", str(out), *flags])
    assert result.exit_code == 1, result.output  # the documents differ
    return out


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docx")
    return write(folder, DRAFT, FINAL, "--lang", "zh", "--labels", "征求意见稿,印发稿")


def runs(path: Path) -> list[docx.text.run.Run]:
    document = docx.Document(str(path))
    return [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    ]


def test_targets_table_first_then_one_table_per_section(sample_docx: Path) -> None:
    document = docx.Document(str(sample_docx))
    first = [cell.text for cell in document.tables[0].rows[0].cells]
    assert first == ["状态", "指标", "原值", "新值", "变动", "年限", "行"]
    assert [c.text for c in document.tables[0].rows[1].cells][:4] == [
        "变化",
        "食品抽检合格率",
        "≥98%",
        "≥98.5%",
    ]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) == len(document.tables) - 1
    assert headings[1] == "一、总体要求"
    heads = [cell.text for cell in document.tables[1].rows[0].cells]
    assert heads == ["征求意见稿 (draft_2023.txt)", "印发稿 (final_2024.txt)"]


def test_runs_carry_the_marks(sample_docx: Path) -> None:
    report = compare(load(DRAFT), load(FINAL))
    deleted = {s.text for a in report.alignments for s in a.diff if s.op is DiffOp.DELETE}
    inserted = {s.text for a in report.alignments for s in a.diff if s.op is DiffOp.INSERT}
    struck = [r for r in runs(sample_docx) if r.font.strike]
    underlined = [r for r in runs(sample_docx) if r.font.underline]
    assert struck and underlined
    assert all(r.font.color.rgb == RGBColor(0xB3, 0x1D, 0x28) for r in struck)
    assert all(r.font.color.rgb == RGBColor(0x22, 0x86, 0x3A) for r in underlined)
    assert any(r.text in deleted for r in struck)
    assert any(r.text in inserted for r in underlined)
    assert not any(r.font.strike and r.font.underline for r in runs(sample_docx))


def test_same_report_same_bytes(tmp_path: Path) -> None:
    one = write(tmp_path, DRAFT, FINAL, name="a.docx").read_bytes()
    two = write(tmp_path, DRAFT, FINAL, name="b.docx").read_bytes()
    assert one == two


def test_a_corpus_pair(tmp_path: Path) -> None:
    out = write(tmp_path, str(LAW / "2009-06-27.txt"), str(LAW / "2024-09-13.txt"))
    document = docx.Document(str(out))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "第一条" in text and "加强统计监督" in text
    assert any(c.text.endswith("罚款") for c in document.tables[0].rows[1].cells)


def test_format_docx_to_stdout_is_the_same_bytes(tmp_path: Path) -> None:
    out = write(tmp_path, DRAFT, FINAL)
    result = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", DRAFT, FINAL, "--format", "docx"],
        capture_output=True,
        check=False,
        env=None,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == out.read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it_to_pdf(sample_docx: Path, tmp_path: Path) -> None:
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(sample_docx),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    pdf = tmp_path / "r.pdf"
    assert pdf.exists(), result.stdout + result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?!s)", data)
    assert len(pages) >= 3, "the sample's tables run over several pages"


def dump(path: Path) -> str:
    """The Word file as text a reviewer can read: headings, and each table row as cells
    separated by ` | `, struck runs as [-…-] and underlined ones as {+…+}."""
    document = docx.Document(str(path))
    body = document.element.body
    lines: list[str] = []
    tables = iter(document.tables)
    paragraphs = iter(document.paragraphs)
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = next(paragraphs)
            if paragraph.text:
                lines.append(f"[{paragraph.style.name}] {paragraph.text}")
        elif tag == "tbl":
            for row in next(tables).rows:
                cells = []
                for cell in row.cells:
                    marked = ""
                    for run in cell.paragraphs[0].runs:
                        if run.font.strike:
                            marked += f"[-{run.text}-]"
                        elif run.font.underline:
                            marked += f"{{+{run.text}+}}"
                        else:
                            marked += run.text
                    cells.append(marked)
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def test_golden_articles_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/data/docx/articles.txt: the articles case's 对照表, reviewed by reading."""
    case = ROOT / "tests" / "data" / "cases" / "articles"
    monkeypatch.chdir(case)
    out = write(tmp_path, "old.txt", "new.txt", "--lang", "zh")
    golden = ROOT / "tests" / "data" / "docx" / "articles.txt"
    if os.environ.get("POLICYDIFF_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(dump(out), encoding="utf-8")
    assert dump(out) == golden.read_text(encoding="utf-8")
