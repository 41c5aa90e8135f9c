"""policydiff batch: one reference against many documents, in parallel, rerun-safe."""

from __future__ import annotations

import csv
import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff import batch
from policydiff.cli import FailOn, exit_code

REFERENCE = "一、发展目标\n到2025年，城市绿化覆盖率达到40%以上，新建公园20个。\n二、保障措施\n加强统筹协调，落实工作责任。\n"
SAME = REFERENCE
RAISED = REFERENCE.replace("40%", "45%")
DROPPED = "一、发展目标\n到2025年，新建公园20个，新增停车位3000个。\n二、保障措施\n加强统筹协调，落实工作责任。\n"

JUDGE = functools.partial(exit_code, fail_on=FailOn.any)


def write_docs(folder: Path, *, bad: bool = True) -> tuple[str, Path]:
    """The reference and a folder of documents: the same, one target raised, one dropped
    (and one more added), and a binary file that cannot be read as text."""
    reference = folder / "outline.txt"
    reference.write_text(REFERENCE, encoding="utf-8")
    docs = folder / "plans"
    docs.mkdir()
    (docs / "a_same.txt").write_text(SAME, encoding="utf-8")
    (docs / "b_raised.txt").write_text(RAISED, encoding="utf-8")
    (docs / "c_dropped.txt").write_text(DROPPED, encoding="utf-8")
    if bad:
        (docs / "d_bad.txt").write_bytes(b"\x00\x01binary\x00" * 10)
    return str(reference), docs


def run_pairs(folder: Path, docs: Path, reference: str, **kwargs: object) -> batch.BatchResult:
    pairs = batch.pairs_for(reference, batch.expand([str(docs)], exclude=[reference]))
    return batch.run_batch(pairs, out_dir=folder / "out", judge=JUDGE, **kwargs)  # type: ignore[arg-type]


def test_one_report_per_pair_and_a_table_of_the_references_targets(tmp_path: Path) -> None:
    reference, docs = write_docs(tmp_path)
    result = run_pairs(tmp_path, docs, reference, jobs=2)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "a_same.json",
        "b_raised.json",
        "batch.json",
        "c_dropped.json",
        "targets.csv",
        "targets.md",
    ]
    states = {o.pair.name: o.state for o in result.outcomes}
    assert states == {
        "a_same": "compared",
        "b_raised": "compared",
        "c_dropped": "compared",
        "d_bad": "failed",
    }
    (bad,) = [o for o in result.outcomes if o.state == "failed"]
    assert "binary" in bad.error and bad.code == 2
    assert result.code == 2  # an input error among the pairs

    report = json.loads((out / "b_raised.json").read_text(encoding="utf-8"))
    assert report["old"]["path"] == reference and report["new"]["path"].endswith("b_raised.txt")

    raw = (out / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [
        "reference",
        "line",
        "metric",
        "reference value",
        "a_same",
        "b_raised",
        "c_dropped",
        "d_bad",
    ]
    by_value = {row[3]: row for row in rows[1:] if row[0]}
    assert by_value["≥40%"][4:] == ["≥40% (unchanged)", "≥45% (changed)", "— (removed)", ""]
    assert by_value["20个"][4:] == ["20个 (unchanged)", "20个 (unchanged)", "20个 (unchanged)", ""]
    assert rows[-2][2:] == ["targets added", "", "0", "0", "1", ""]
    assert rows[-1][2] == "error" and "binary" in rows[-1][7]

    markdown = (out / "targets.md").read_text(encoding="utf-8")
    assert "| ≥45% (changed) |" in markdown.replace("&#124;", "|")
    assert "## Failed" in markdown and "d\\_bad.txt" in markdown


def test_a_rerun_skips_the_pairs_already_done(tmp_path: Path) -> None:
    reference, docs = write_docs(tmp_path)
    first = run_pairs(tmp_path, docs, reference, jobs=1)
    table = (tmp_path / "out" / "targets.csv").read_bytes()
    second = run_pairs(tmp_path, docs, reference, jobs=1)
    assert [o.state for o in second.outcomes] == ["skipped", "skipped", "skipped", "failed"]
    assert (tmp_path / "out" / "targets.csv").read_bytes() == table  # same table from the index
    assert second.code == first.code
    # A document that changed is compared again; so is every pair after a new option.
    (docs / "a_same.txt").write_text(RAISED, encoding="utf-8")
    third = run_pairs(tmp_path, docs, reference, jobs=1)
    assert [o.state for o in third.outcomes] == ["compared", "skipped", "skipped", "failed"]
    fourth = run_pairs(
        tmp_path, docs, reference, jobs=1, settings=batch.Settings(report_format="markdown")
    )
    assert [o.state for o in fourth.outcomes][:3] == ["compared"] * 3
    assert (tmp_path / "out" / "a_same.md").exists()


def test_an_internal_error_is_the_pairs_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, docs = write_docs(tmp_path, bad=False)
    from policydiff import pipeline

    real = pipeline.compare

    def flaky(old: object, new: object, **kwargs: object) -> object:
        if "b_raised" in getattr(new, "path", ""):
            raise RuntimeError("boom")
        return real(old, new, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "compare", flaky)
    result = run_pairs(tmp_path, docs, reference, jobs=1)
    states = [(o.pair.name, o.state, o.error) for o in result.outcomes]
    assert states == [
        ("a_same", "compared", ""),
        ("b_raised", "failed", "internal error: RuntimeError: boom"),
        ("c_dropped", "compared", ""),
    ]
    assert result.outcomes[1].code == exit_code(error=RuntimeError("boom"))


def test_expand_reads_folders_and_globs_and_leaves_out_the_reference(tmp_path: Path) -> None:
    _, docs = write_docs(tmp_path, bad=False)
    (docs / ".hidden.txt").write_text("x", encoding="utf-8")
    inside = docs / "outline.txt"
    inside.write_text(REFERENCE, encoding="utf-8")
    found = batch.expand([str(docs), str(docs / "*.txt")], exclude=[str(inside)])
    assert [Path(p).name for p in found] == ["a_same.txt", "b_raised.txt", "c_dropped.txt"]
    with pytest.raises(batch.UsageError, match="no file matches"):
        batch.expand([str(tmp_path / "nothing*.txt")])
    assert batch._names(["x/a.txt", "y/a.txt", "a.docx"]) == ["a", "a-2", "a-3"]


def test_reports_written_among_the_documents_are_not_documents(tmp_path: Path) -> None:
    reference, docs = write_docs(tmp_path, bad=False)
    for _ in range(2):
        found = batch.expand([str(docs)], exclude=[reference], out_dir=str(docs))
        pairs = batch.pairs_for(reference, found)
        batch.run_batch(pairs, out_dir=docs, judge=JUDGE, jobs=1)
        assert [p.name for p in pairs] == ["a_same", "b_raised", "c_dropped"]
    assert (docs / "a_same.json").exists() and (docs / "targets.csv").exists()


def test_a_manifest_lists_pairs_relative_to_itself(tmp_path: Path) -> None:
    _, docs = write_docs(tmp_path, bad=False)
    manifest = tmp_path / "pairs.csv"
    manifest.write_text(
        "old,new,name\noutline.txt,plans/b_raised.txt,raised\n,plans/c_dropped.txt,\n",
        encoding="utf-8-sig",
    )
    pairs = batch.read_manifest(str(manifest), reference=str(docs / "a_same.txt"))
    assert [(Path(p.reference).name, Path(p.document).name, p.name) for p in pairs] == [
        ("outline.txt", "b_raised.txt", "raised"),
        ("a_same.txt", "c_dropped.txt", "c_dropped"),
    ]
    manifest.write_text("a,b\nx,y\n", encoding="utf-8")
    with pytest.raises(batch.InputError, match="columns old and new"):
        batch.read_manifest(str(manifest))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_the_command_exits_as_compare_does(tmp_path: Path) -> None:
    reference, docs = write_docs(tmp_path, bad=False)
    out = str(tmp_path / "out")
    plain = run_cli("batch", reference, str(docs), "-d", out, "--jobs", "2")
    assert plain.returncode == 1, plain.stderr
    assert plain.stdout == ""
    assert "3 pairs: 3 compared, 0 done before, 0 failed" in plain.stderr
    strict = run_cli("batch", reference, str(docs), "-d", out, "--fail-on", "targets", "-q")
    assert strict.returncode == 1 and strict.stderr == ""
    (docs / "zz_bad.txt").write_bytes(b"\x00\x00")
    failing = run_cli("batch", reference, str(docs), "-d", out, "-j", "1", "--fail-on", "targets")
    assert failing.returncode == 2
    errors = [line for line in failing.stderr.splitlines() if "error" in line]
    assert errors == [f"policydiff: error: {docs / 'zz_bad.txt'}: " + errors[0].split(": ", 3)[3]]
    assert "3 done before, 1 failed" in failing.stderr


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    result = run_cli("batch", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert result.stderr.startswith("policydiff: error: give REFERENCE and DOCS")
    result = run_cli("batch", str(tmp_path / "missing.txt"), str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_dask_runs_the_pairs_on_a_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    reference, docs = write_docs(tmp_path)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        result = run_pairs(tmp_path, docs, reference, scheduler=cluster.scheduler_address)
    assert [o.state for o in result.outcomes] == ["compared"] * 3 + ["failed"]
    (tmp_path / "local").mkdir()
    run_pairs(tmp_path / "local", docs, reference, jobs=1)  # the same pairs, no Dask
    for name in ("a_same.json", "b_raised.json", "targets.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (
            tmp_path / "local" / "out" / name
        ).read_bytes()


def test_fail_on_is_part_of_the_hash() -> None:
    plain = batch._digest(batch.Settings(), b"a", b"b")
    assert plain == batch._digest(batch.Settings(), b"a", b"b")
    assert plain != batch._digest(batch.Settings(policy="fail-on=targets"), b"a", b"b")
    assert plain != batch._digest(batch.Settings(), b"a", b"c")
    assert FailOn.targets.value == "targets"


def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import os

    reference, docs = write_docs(tmp_path, bad=False)
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "100"}  # rich: stderr is a terminal
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policydiff",
            "batch",
            reference,
            str(docs),
            "-d",
            str(tmp_path / "o"),
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "comparing" in result.stderr and "3/3" in result.stderr
    quiet = subprocess.run(
        [
            sys.executable,
            "-m",
            "policydiff",
            "batch",
            reference,
            str(docs),
            "-d",
            str(tmp_path / "o"),
            "-q",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert quiet.returncode == 1 and quiet.stderr == ""
