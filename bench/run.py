"""Benchmark `policydiff compare` as a whole process against git diff and difflib.

    python bench/run.py              # sizes 1, 4, 16; 5 timed runs each after a warm-up
    python bench/run.py --runs 7 --sizes 1,4

Inputs are built from the sample pair in data/: each size k is the pair's bodies
repeated k times, every copy with its numbers perturbed and its top-level
sections shuffled (seeded, so every run builds the same files), so alignment has
real work to do. Timings are wall-clock medians of whole processes (Python
start-up included); peak RSS comes from the kernel's accounting of each child
(os.wait4). git diff and the difflib baseline get the same files after
normalisation (simplified script, NFKC), so they compare like with like.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SEED = 20240126

DIFFLIB_BASELINE = r"""
import difflib, re, sys
def clauses(path):
    text = open(path, encoding="utf-8").read()
    return [c for c in re.split(r"(?<=[。！？；])|\n+", text) if c.strip()]
a, b = clauses(sys.argv[1]), clauses(sys.argv[2])
ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
print(sum(1 for op in ops if op[0] != "equal"))
"""

_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、", re.MULTILINE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Timing:
    median: float
    peak_rss_mb: float


def body(text: str) -> str:
    """The document without the notice in front: from the line before the first 一、 heading."""
    first = _TOP_HEADING.search(text)
    if first is None:
        return text
    start = text.rfind("\n\n", 0, max(first.start() - 2, 0))
    return text[start + 2 if start >= 0 else 0 :]


def sections(text: str) -> list[str]:
    starts = [m.start() for m in _TOP_HEADING.finditer(text)]
    if not starts:
        return [text]
    cuts = [0, *starts[1:], len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def perturb(text: str, rng: random.Random) -> str:
    def change(match: re.Match[str]) -> str:
        value = match.group()
        if len(value) == 4 and value.startswith("20"):  # keep years years
            return value
        if "." in value:
            return f"{float(value) * rng.uniform(0.8, 1.2):.1f}"
        return str(max(1, round(int(value) * rng.uniform(0.8, 1.2))))

    return _NUMBER.sub(change, text)


def build(k: int, source: Path, rng: random.Random) -> str:
    parts = sections(body(source.read_text(encoding="utf-8")))
    copies = []
    for copy in range(k):
        shuffled = list(parts)
        if copy:  # the first copy keeps the document's own order
            rng.shuffle(shuffled)
        copies.append(perturb("".join(shuffled), rng) if copy else "".join(shuffled))
    return "\n\n".join(copies)


def normalised(path: Path) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from policydiff.normalise import fold_width, to_simplified

    out = path.with_suffix(".norm.txt")
    out.write_text(to_simplified(fold_width(path.read_text(encoding="utf-8"))), encoding="utf-8")
    return out


def run_once(command: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # git diff exits 1 when files differ
        raise SystemExit(f"{command[:3]} exited {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(command: list[str], runs: int) -> Timing:
    run_once(command)  # warm-up: file cache, jieba's dictionary cache, .pyc files
    samples = [run_once(command) for _ in range(runs)]
    return Timing(
        statistics.median(s[0] for s in samples),
        max(s[1] for s in samples),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,16", help="comma-separated repeat counts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    OUT.mkdir(parents=True, exist_ok=True)
    # The console script beside this interpreter, not a PATH shim (pyenv's adds ~60 ms).
    script = Path(sys.executable).parent / "policydiff"
    compare = [str(script)] if script.exists() else [sys.executable, "-m", "policydiff"]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs: median of {args.runs} after one warm-up\n")
    columns = [("size", 5), ("old KB", 7), ("new KB", 7), ("policydiff", 11), ("RSS MB", 7)]
    columns += [("git diff", 9), ("difflib", 8), ("ratio", 6)]
    header = " ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    previous: float | None = None
    growth: list[str] = []
    for k in sizes:
        rng = random.Random(SEED + k)
        old = OUT / f"old_x{k}.txt"
        new = OUT / f"new_x{k}.txt"
        old.write_text(build(k, ROOT / "data" / "draft_2023.txt", rng), encoding="utf-8")
        new.write_text(build(k, ROOT / "data" / "final_2024.txt", rng), encoding="utf-8")
        ours = measure([*compare, "compare", str(old), str(new), "--format", "json"], args.runs)
        old_norm, new_norm = normalised(old), normalised(new)
        git = measure(
            ["git", "diff", "--no-index", "--word-diff", str(old_norm), str(new_norm)], args.runs
        )
        difflib = measure(
            [sys.executable, "-c", DIFFLIB_BASELINE, str(old_norm), str(new_norm)], args.runs
        )
        print(
            f"{'x' + str(k):>5} {old.stat().st_size / 1024:7.0f} {new.stat().st_size / 1024:7.0f} "
            f"{ours.median:10.3f}s {ours.peak_rss_mb:7.0f} {git.median:8.3f}s "
            f"{difflib.median:7.3f}s {ours.median / git.median:5.0f}x"
        )
        if previous is not None:
            growth.append(f"x{sizes[sizes.index(k) - 1]}→x{k}: {ours.median / previous:.1f}×")
        previous = ours.median
    print("\nratio = policydiff ÷ git diff.")
    if growth:
        print("policydiff growth: " + ", ".join(growth))


if __name__ == "__main__":
    main()
