"""Benchmark `policydiff compare` as a whole process against git diff and difflib.

    python bench/run.py              # sizes 1, 4, 16, 64; start-up; batch of 300; hard cases
    python bench/run.py --runs 7 --sizes 1,4 --batch 0 --hard no

Inputs are built from the sample pair in data/: each size k is the pair's bodies
repeated k times, every copy with its numbers perturbed and its top-level
sections shuffled (seeded, so every run builds the same files), so alignment has
real work to do. Timings are wall-clock medians of whole processes (Python
start-up included); peak RSS comes from the kernel's accounting of each child
(os.wait4). git diff and the difflib baseline get the same files after
normalisation (simplified script, NFKC), so they compare like with like.

Sizes of 64 and more are timed once (after the warm-up): a run takes tens of
seconds. Then:
- start-up: `python -c pass` and the sample pair (`compare --format json`) as
  fresh processes, interleaved, median of --startup-runs each;
- batch: `policydiff batch` of the draft against N copies of the final (numbers
  perturbed, so every pair differs) plus one binary file that must fail, --jobs 2;
- two hard cases (--hard): 6,000 copies of one short responsibility note, and
  10,000 short target paragraphs, each against a slightly edited copy; run once
  with a time limit and a cap on memory (so a quadratic case cannot take the
  machine down), and reported as they end.
The child processes may write .pyc files (PYTHONDONTWRITEBYTECODE is dropped), as
an installed package has them.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import re
import resource
import shutil
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


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(
    command: list[str], *, ok: tuple[int, ...] = (0, 1), memory_cap: int | None = None
) -> tuple[float, float, float]:
    def cap() -> None:
        if memory_cap:
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, preexec_fn=cap
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:  # git diff exits 1 when files differ
        raise SystemExit(f"{command[:3]} exited {process.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss / 1024, cpu  # ru_maxrss is in KiB on Linux


def measure(command: list[str], runs: int, *, ok: tuple[int, ...] = (0, 1)) -> Timing:
    run_once(command, ok=ok)  # warm-up: file cache, jieba's dictionary cache, .pyc files
    samples = [run_once(command, ok=ok) for _ in range(runs)]
    return Timing(
        statistics.median(s[0] for s in samples),
        max(s[1] for s in samples),
    )


def startup(compare: list[str], runs: int) -> tuple[float, float, float, float]:
    """Medians of `python -c pass` and of the sample pair, run in turns: wall-clock
    times, then CPU times (user + system), which a busy machine inflates less."""
    sample = [*compare, "compare", str(ROOT / "data" / "draft_2023.txt")]
    sample += [str(ROOT / "data" / "final_2024.txt"), "--format", "json"]
    bare = [sys.executable, "-c", "pass"]
    run_once(bare), run_once(sample)
    pairs = [(run_once(bare), run_once(sample)) for _ in range(runs)]
    return (
        statistics.median(p[0][0] for p in pairs),
        statistics.median(p[1][0] for p in pairs),
        statistics.median(p[0][2] for p in pairs),
        statistics.median(p[1][2] for p in pairs),
    )


def batch_inputs(count: int) -> tuple[Path, Path]:
    """The draft as the reference; `count` perturbed copies of the final and a bad file."""
    folder = OUT / f"batch_{count}"
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    final = (ROOT / "data" / "final_2024.txt").read_text(encoding="utf-8")
    rng = random.Random(SEED)
    for n in range(count):
        text = final if n == 0 else perturb(final, rng)
        (docs / f"city_{n:03d}.txt").write_text(text, encoding="utf-8")
    (docs / "zz_broken.txt").write_bytes(b"\x00\x01 not a text file \x00" * 50)
    return folder, docs


def hard_cases() -> list[tuple[str, Path, Path]]:
    """Inputs that were quadratic: one note repeated, and many short target paragraphs."""
    note = "（责任单位：市市场监管局）"
    other = "（责任单位：市发展改革委）"
    old = OUT / "hard_notes_old.txt"
    new = OUT / "hard_notes_new.txt"
    old.write_text("一、任务分工\n" + "\n".join([note] * 6000) + "\n", encoding="utf-8")
    lines = [other if n % 97 == 0 else note for n in range(6000)]
    new.write_text("一、任务分工\n" + "\n".join(lines) + "\n", encoding="utf-8")
    rng = random.Random(SEED)
    t_old = OUT / "hard_targets_old.txt"
    t_new = OUT / "hard_targets_new.txt"
    units = ["个", "家", "项", "%", "万人", "公里"]
    rows = [(n, rng.choice(units), rng.randint(5, 900)) for n in range(10000)]
    t_old.write_text(
        "一、主要目标\n" + "\n".join(f"{n + 1}. 指标{n}达到{v}{u}。" for n, u, v in rows),
        encoding="utf-8",
    )
    t_new.write_text(
        "一、主要目标\n"
        + "\n".join(
            f"{n + 1}. 指标{n}达到{v + (1 if n % 10 == 0 else 0)}{u}。" for n, u, v in rows
        ),
        encoding="utf-8",
    )
    return [
        ("6,000 repeated notes (240 KB)", old, new),
        ("10,000 short target paragraphs", t_old, t_new),
    ]


def limited(command: list[str], seconds: float, memory_cap: int) -> str:
    """One run under a time limit and an address-space cap: what happened, in words."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, preexec_fn=cap
    )
    try:
        _, stderr = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return f"stopped after {seconds:.0f} s (time limit)"
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        last = (stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        return f"failed after {elapsed:.1f} s: {last[:80]}"
    return f"{elapsed:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,16,64", help="comma-separated repeat counts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    parser.add_argument("--startup-runs", type=int, default=11, help="runs for the start-up row")
    parser.add_argument(
        "--batch", type=int, default=300, help="documents in the batch row (0: none)"
    )
    parser.add_argument("--hard", choices=("yes", "no"), default="yes", help="run the hard cases")
    parser.add_argument("--hard-limit", type=float, default=120, help="seconds per hard case")
    parser.add_argument("--hard-memory", type=float, default=3, help="GiB cap per hard case")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    OUT.mkdir(parents=True, exist_ok=True)
    # The console script beside this interpreter, not a PATH shim (pyenv's adds ~60 ms).
    script = Path(sys.executable).parent / "policydiff"
    compare = [str(script)] if script.exists() else [sys.executable, "-m", "policydiff"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f", load average {os.getloadavg()[0]:.1f}"
    )
    print(f"runs: median of {args.runs} after one warm-up (sizes of 64 and more: one run)\n")
    bare, sample, bare_cpu, sample_cpu = startup(compare, args.startup_runs)
    print(
        f"start-up, median of {args.startup_runs}: python -c pass {bare:.3f}s, "
        f"sample pair {sample:.3f}s (policydiff's own {sample - bare:.3f}s); "
        f"CPU time {bare_cpu:.3f}s and {sample_cpu:.3f}s\n"
    )
    columns = [("size", 5), ("old KB", 7), ("new KB", 7), ("policydiff", 11), ("RSS MB", 7)]
    columns += [("git diff", 9), ("difflib", 8), ("ratio", 6)]
    header = " ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    previous: Timing | None = None
    growth: list[str] = []
    for k in sizes:
        rng = random.Random(SEED + k)
        old = OUT / f"old_x{k}.txt"
        new = OUT / f"new_x{k}.txt"
        old.write_text(build(k, ROOT / "data" / "draft_2023.txt", rng), encoding="utf-8")
        new.write_text(build(k, ROOT / "data" / "final_2024.txt", rng), encoding="utf-8")
        runs = args.runs if k < 64 else 1
        ours = measure([*compare, "compare", str(old), str(new), "--format", "json"], runs)
        old_norm, new_norm = normalised(old), normalised(new)
        git = measure(
            ["git", "diff", "--no-index", "--word-diff", str(old_norm), str(new_norm)], runs
        )
        difflib = measure(
            [sys.executable, "-c", DIFFLIB_BASELINE, str(old_norm), str(new_norm)], runs
        )
        print(
            f"{'x' + str(k):>5} {old.stat().st_size / 1024:7.0f} {new.stat().st_size / 1024:7.0f} "
            f"{ours.median:10.3f}s {ours.peak_rss_mb:7.0f} {git.median:8.3f}s "
            f"{difflib.median:7.3f}s {ours.median / git.median:5.0f}x"
        )
        if previous is not None:
            step = f"x{sizes[sizes.index(k) - 1]}→x{k}"
            growth.append(
                f"{step}: time {ours.median / previous.median:.1f}×, "
                f"memory {ours.peak_rss_mb / previous.peak_rss_mb:.1f}×"
            )
        previous = ours
    print("\nratio = policydiff ÷ git diff.")
    if growth:
        print("policydiff growth: " + "; ".join(growth))
    if args.batch:
        folder, docs = batch_inputs(args.batch)
        command = [*compare, "batch", str(ROOT / "data" / "draft_2023.txt"), str(docs)]
        command += ["-d", str(folder / "out"), "--jobs", "2", "-q"]
        elapsed, rss, cpu = run_once(command, ok=(2,))  # 2: the broken file fails, as it must
        table = (folder / "out" / "targets.csv").read_text(encoding="utf-8-sig").splitlines()
        print(
            f"\nbatch: draft against {args.batch} documents + 1 broken, 2 jobs: {elapsed:.1f}s "
            f"({elapsed / args.batch * 1000:.0f} ms a pair), CPU {cpu:.1f}s (all processes; "
            f"÷ 2 cores = {cpu / 2:.1f}s), peak RSS {rss:.0f} MB (largest process); "
            f"targets.csv {len(table)} rows"
        )
    if args.hard == "yes":
        print()
        cap = int(args.hard_memory * 2**30)
        for label, old, new in hard_cases():
            command = [*compare, "compare", str(old), str(new), "--format", "json"]
            print(f"{label}: {limited(command, args.hard_limit, cap)}")


if __name__ == "__main__":
    main()
