"""Score clause alignment against gold written by reading: pair precision/recall, statuses.

    python bench/score_alignment.py            # a table, one row per gold file and overall
    python bench/score_alignment.py --markdown # the same as a Markdown table
    python bench/score_alignment.py --misses   # and every wrong or missed link, per file
    python bench/score_alignment.py --pair statistics_law_2009_2024   # one file's misses

Gold files are bench/gold/alignment/<name>.json (format: bench/gold/alignment/README.md).
Each names an old and a new document (copies inside the repository) and lists
records a careful reader wrote: the old clause(s) and new clause(s) that
correspond, each given by its line and a piece of its text, and a status.

How a gold file is scored, exactly:

1. Both documents are run through the library (`policydiff.load.load`,
   `policydiff.pipeline.compare` with default options).
2. Every referenced clause is found among the tool's clauses of its side: the
   clause whose lines include the referenced line and whose text contains the
   referenced text (spaces ignored; `nth` picks the n-th such clause when one line
   writes the same sentence twice); if the tool split that clause further, the
   one holding the start of the referenced text. A reference that finds no clause
   is an error (the gold or the segmentation is broken), not a miss.
3. A *link* is a pair (old clause or NOTHING, new clause or NOTHING). A gold
   record with clauses on both sides gives every (old, new) pair of it (a merge of
   two old clauses into one new one gives two links); an added record gives
   (NOTHING, new) for each new clause, a removed record (old, NOTHING) for each old
   clause. The tool's records give links the same way.
4. *Labelled* clauses are those named in gold records. *Ignored* clauses (the
   optional "ignore" lists: clauses a reader could not pair one way or the other)
   never count. Predicted links are the tool's links with a labelled clause at at
   least one end and no ignored clause at either end; so the tool pairing a labelled
   clause with an unlabelled one is a wrong link, and leaving a labelled clause
   unpaired gives the link (clause, NOTHING).
5. pair precision = |predicted ∩ gold| / |predicted|; pair recall = |predicted ∩
   gold| / |gold|. A missed pair reported as removed + added costs recall (the gold
   link is missing) and precision (two wrong links to NOTHING); a wrong pair costs both.
6. A gold record is *reproduced* when exactly one tool record holds its clauses
   and that record holds the same clauses on both sides (ignored clauses aside;
   an unlabelled clause in the tool's record makes it another record). status
   accuracy = reproduced records whose tool status equals the gold status /
   reproduced records. `reproduced` in the table is the share of
   gold records reproduced. Records with their status, as precision and recall:
   record precision = reproduced records with the gold status / the tool's records
   that hold a labelled clause; record recall = the same / gold records.

The `overall` row sums the counts of the files not held out (micro average);
`holdout` files are checks nobody tunes on, summed in a `holdout` row of their own.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold" / "alignment"
STATUSES = ("unchanged", "modified", "moved", "added", "removed")

if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from policydiff.load import load  # noqa: E402
from policydiff.model import Alignment, Clause, ParsedDocument, Report  # noqa: E402
from policydiff.pipeline import compare  # noqa: E402

NOTHING = ""  # the other end of an added or removed clause's link
Link = tuple[str, str]  # (old clause id or NOTHING, new clause id or NOTHING)


class GoldError(ValueError):
    """A gold file that does not fit its documents."""


def gold_files(root: Path = ROOT) -> list[Path]:
    return sorted((root / "bench" / "gold" / "alignment").glob("*.json"))


def _squeeze(text: str) -> str:
    return "".join(text.split())


def locate(parsed: ParsedDocument, line: int, text: str, nth: int = 1) -> Clause:
    """The tool's clause on `line` that holds `text` (see the module docstring, step 2).

    `nth` picks among clauses of the same line that all hold `text` (a sentence
    written twice on one line), in the order they stand.
    """
    piece = _squeeze(text)
    on_line = [c for c in parsed.clauses if c.line <= line <= c.end_line]
    holding = [c for c in on_line if piece in _squeeze(c.text)]
    holding.sort(key=lambda c: c.line != line)  # stable: document order within each group
    if len(holding) >= nth:
        return holding[nth - 1]
    # The tool cut the referenced clause: take the piece that holds its start.
    lines = parsed.document.text.splitlines()
    if 1 <= line <= len(lines):
        raw = _squeeze(lines[line - 1])
        start = -1
        for _ in range(nth):
            start = raw.find(piece, start + 1)
        if start >= 0:
            position = 0
            for clause in (c for c in on_line if c.line == line):
                found = raw.find(_squeeze(clause.text), position)
                if found < 0:
                    continue
                end = found + len(_squeeze(clause.text))
                if found <= start < end:
                    return clause
                position = end
    raise GoldError(f"{parsed.document.path}:{line}: no clause holds {text!r} (occurrence {nth})")


@dataclass(frozen=True)
class Score:
    name: str
    holdout: bool
    labelled: int  # clauses named in gold records (both sides)
    records: int  # gold records
    gold_links: int
    predicted_links: int
    correct_links: int
    reproduced: int  # gold records the tool reproduced exactly
    status_correct: int  # ...of which with the gold status
    tool_records: int = 0  # the tool's records holding a labelled clause
    misses: tuple[str, ...] = ()  # readable lines for the links and statuses that differ

    def row(self) -> dict[str, object]:
        def ratio(num: int, den: int) -> float | None:
            return round(num / den, 4) if den else None

        return {
            "name": self.name,
            "holdout": self.holdout,
            "labelled": self.labelled,
            "records": self.records,
            "pair_precision": ratio(self.correct_links, self.predicted_links),
            "pair_recall": ratio(self.correct_links, self.gold_links),
            "records_reproduced": ratio(self.reproduced, self.records),
            "status_accuracy": ratio(self.status_correct, self.reproduced),
            "record_precision": ratio(self.status_correct, self.tool_records),
            "record_recall": ratio(self.status_correct, self.records),
            "gold_links": self.gold_links,
            "predicted_links": self.predicted_links,
            "correct_links": self.correct_links,
        }


def _links(old: set[str] | list[str], new: set[str] | list[str]) -> set[Link]:
    olds = list(old) or [NOTHING]
    news = list(new) or [NOTHING]
    return {(o, n) for o in olds for n in news}


@functools.cache
def _compare(old: Path, new: Path) -> Report:
    """The tool's report for a pair; cached, as every row and test asks for it again."""
    return compare(load(old), load(new))


def score_file(path: Path, root: Path = ROOT) -> Score:
    gold = json.loads(path.read_text(encoding="utf-8"))
    report = _compare(root / gold["old"], root / gold["new"])

    def ids(parsed: ParsedDocument, refs: list[dict[str, object]]) -> list[str]:
        return [
            locate(parsed, int(str(r["line"])), str(r["text"]), int(str(r.get("nth", 1)))).id
            for r in refs
        ]

    ignore = gold.get("ignore", {})
    ignored_old = set(ids(report.old, ignore.get("old", [])))
    ignored_new = set(ids(report.new, ignore.get("new", [])))
    gold_records: list[tuple[set[str], set[str], str]] = []
    for record in gold["records"]:
        old_ids = set(ids(report.old, record["old"]))
        new_ids = set(ids(report.new, record["new"]))
        gold_records.append((old_ids, new_ids, record["status"]))
    labelled_old = set().union(*(r[0] for r in gold_records)) if gold_records else set()
    labelled_new = set().union(*(r[1] for r in gold_records)) if gold_records else set()

    gold_links: set[Link] = set()
    for old_ids, new_ids, _ in gold_records:
        gold_links |= _links(old_ids, new_ids)

    def counted(link: Link) -> bool:
        old_id, new_id = link
        if old_id in ignored_old or new_id in ignored_new:
            return False
        return old_id in labelled_old or new_id in labelled_new

    predicted: set[Link] = set()
    by_old: dict[str, Alignment] = {}
    by_new: dict[str, Alignment] = {}
    tool_records = 0
    for record in report.alignments:
        old_ids = [c.id for c in record.old]
        new_ids = [c.id for c in record.new]
        tool_records += bool(
            labelled_old.intersection(old_ids) or labelled_new.intersection(new_ids)
        )
        for cid in old_ids:
            by_old[cid] = record
        for cid in new_ids:
            by_new[cid] = record
        predicted |= {link for link in _links(old_ids, new_ids) if counted(link)}
    gold_links = {link for link in gold_links if counted(link)}

    old_clauses = {c.id: c for c in report.old.clauses}
    new_clauses = {c.id: c for c in report.new.clauses}

    def show(link: Link) -> str:
        old_id, new_id = link
        o = old_clauses.get(old_id)
        n = new_clauses.get(new_id)
        left = f"old {o.line} {o.text[:24]}" if o else "NOTHING"
        right = f"new {n.line} {n.text[:24]}" if n else "NOTHING"
        return f"{left}  ->  {right}"

    misses = [f"missed  {show(link)}" for link in sorted(gold_links - predicted)]
    misses += [f"wrong   {show(link)}" for link in sorted(predicted - gold_links)]
    reproduced = status_correct = 0
    for old_ids, new_ids, status in gold_records:
        tool = {id(by_old[c]): by_old[c] for c in old_ids} | {
            id(by_new[c]): by_new[c] for c in new_ids
        }
        if len(tool) != 1:
            continue
        (record,) = tool.values()
        tool_old = {c.id for c in record.old} - ignored_old
        tool_new = {c.id for c in record.new} - ignored_new
        if tool_old == old_ids and tool_new == new_ids:
            reproduced += 1
            status_correct += record.status.value == status
            if record.status.value != status:
                first = (min(old_ids) if old_ids else NOTHING, min(new_ids) if new_ids else NOTHING)
                misses.append(f"status  {show(first)}: gold {status}, tool {record.status.value}")
    return Score(
        name=gold["name"],
        holdout=bool(gold.get("holdout", False)),
        labelled=len(labelled_old) + len(labelled_new),
        records=len(gold_records),
        gold_links=len(gold_links),
        predicted_links=len(predicted),
        correct_links=len(predicted & gold_links),
        reproduced=reproduced,
        status_correct=status_correct,
        tool_records=tool_records,
        misses=tuple(misses),
    )


def _total(name: str, scores: list[Score], holdout: bool) -> Score:
    return Score(
        name,
        holdout,
        *(
            sum(getattr(s, f) for s in scores)
            for f in (
                "labelled",
                "records",
                "gold_links",
                "predicted_links",
                "correct_links",
                "reproduced",
                "status_correct",
                "tool_records",
            )
        ),
    )


def alignment_rows(root: Path = ROOT) -> list[dict[str, object]]:
    """One row per gold file, then `overall` (files not held out) and `holdout` (those only)."""
    scores = [score_file(path, root) for path in gold_files(root)]
    rows = [s.row() for s in scores]
    rows.append(_total("overall", [s for s in scores if not s.holdout], False).row())
    held = [s for s in scores if s.holdout]
    if held:
        rows.append(_total("holdout", held, True).row())
    return rows


COLUMNS = (
    ("name", "pair"),
    ("holdout", "holdout"),
    ("labelled", "clauses"),
    ("records", "records"),
    ("pair_precision", "pair P"),
    ("pair_recall", "pair R"),
    ("records_reproduced", "reproduced"),
    ("status_accuracy", "status"),
    ("record_precision", "record P"),
    ("record_recall", "record R"),
)


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(rows: list[dict[str, object]], markdown: bool = False) -> str:
    cells = [[_cell(row[key]) for key, _ in COLUMNS] for row in rows]
    heads = [head for _, head in COLUMNS]
    if markdown:
        lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(heads)]
    out = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True))]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--misses", action="store_true", help="also list every wrong, missed link and status"
    )
    parser.add_argument("--pair", metavar="NAME", help="list the misses of this gold file only")
    args = parser.parse_args(argv)
    if args.misses or args.pair:
        for path in gold_files(ROOT):
            if args.pair and path.stem != args.pair:
                continue
            score = score_file(path, ROOT)
            print(f"== {score.name}")
            print("\n".join(score.misses) or "(none)")
    rows = alignment_rows(ROOT)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(table(rows, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
