"""Measure policydiff's targets (and aligned clauses) against gold written by reading.

    python bench/accuracy.py              # a plain table per pair and overall
    python bench/accuracy.py --markdown   # the tables of docs/accuracy.md
    python bench/accuracy.py --json       # the same numbers for machines

For every bench/gold/targets/<name>.json the pair of documents it names (copies
in bench/data/) is loaded and compared with policydiff's library
(`policydiff.load.load`, `policydiff.pipeline.compare`). A predicted target
matches a gold one when side, line, value and upper bound (in base units, see
bench/base_units.py) and base unit agree; each gold entry matches at most one
prediction. Extraction precision/recall/F1 count the targets of the report's
target rows (goals and limits; facts, when the model has `Report.facts`, are not
targets). Pairing precision/recall/F1 are over matched targets: a predicted pair
counts when both its ends matched gold, and a gold pair when both its targets
were found; a predicted pair is right when it is a gold pair (or one of the
gold's `also_pairs`, which are right but not required). Comparator accuracy is
the share of matched targets whose comparator agrees. A gold file with `scope`
counts only predictions on lines inside the scope. A gold file's sample of facts
(`old_facts`, `new_facts`) gives fact recall: how many of them the tool calls facts,
and how many it lists as targets instead. Holdout pairs (gold
`holdout: true`) are reported apart and in the overall row. When
bench/score_alignment.py exists, its `alignment_rows(root)` is printed as well.
See docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "gold" / "targets"
sys.path.insert(0, str(ROOT / "bench"))
if importlib.util.find_spec("policydiff") is None:  # a clean clone, not installed
    sys.path.insert(0, str(ROOT / "src"))

from base_units import base_upper, to_base  # noqa: E402

from policydiff.load import load  # noqa: E402
from policydiff.pipeline import compare, document_targets  # noqa: E402

SIDES = ("old", "new")


@dataclass(frozen=True)
class Quantity:
    """A target on one side, in base units: gold's or the tool's."""

    side: str
    line: int
    value: float
    upper: float | None
    unit: str
    comparator: str
    kind: str | None
    order: int  # position, to match repeated keys in reading order

    def key(self) -> tuple[str, int, str]:
        return (self.side, self.line, self.unit)

    def same_amount(self, other: Quantity) -> bool:
        if not _close(self.value, other.value):
            return False
        if self.upper is None or other.upper is None:
            return self.upper is None and other.upper is None
        return _close(self.upper, other.upper)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@dataclass
class Counts:
    """Counts that add up over pairs."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    comparator_right: int = 0
    kind_known: int = 0
    kind_right: int = 0
    gold_pairs: int = 0  # gold pairs whose two targets were both found
    predicted_pairs: int = 0  # predicted pairs whose two ends both matched gold
    right_pairs: int = 0  # predicted pairs that are gold pairs or also_pairs
    required_right: int = 0  # predicted pairs that are gold pairs
    gold_pairs_all: int = 0
    gold_facts: int = 0  # the gold's sample of facts (old_facts, new_facts)
    facts_found: int = 0  # of those, listed by the tool as facts
    facts_measured: int = 0  # gold facts of sides whose model says a target's kind
    facts_as_targets: int = 0  # of those, listed by the tool as targets
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong_pairs: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in (
            "gold",
            "predicted",
            "matched",
            "comparator_right",
            "kind_known",
            "kind_right",
            "gold_pairs",
            "predicted_pairs",
            "right_pairs",
            "required_right",
            "gold_pairs_all",
            "gold_facts",
            "facts_found",
            "facts_measured",
            "facts_as_targets",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def scores(c: Counts) -> dict[str, float | int | None]:
    """Precision, recall, F1 of extraction and of pairing, comparator and kind accuracy."""
    p = _ratio(c.matched, c.predicted)
    r = _ratio(c.matched, c.gold)
    pp = _ratio(c.right_pairs, c.predicted_pairs)
    pr = _ratio(c.required_right, c.gold_pairs)
    return {
        "gold": c.gold,
        "predicted": c.predicted,
        "matched": c.matched,
        "precision": p,
        "recall": r,
        "f1": _f1(p, r) if c.gold or c.predicted else None,
        "gold_pairs": c.gold_pairs_all,
        "pairs_found": c.gold_pairs,
        "predicted_pairs": c.predicted_pairs,
        "right_pairs": c.right_pairs,
        "pair_precision": pp,
        "pair_recall": pr,
        "pair_f1": _f1(pp, pr),
        "comparator_accuracy": _ratio(c.comparator_right, c.matched),
        "kind_accuracy": _ratio(c.kind_right, c.kind_known),
        "gold_facts": c.gold_facts or None,
        "fact_recall": _ratio(c.facts_found, c.facts_measured),
        "facts_as_targets": c.facts_as_targets if c.gold_facts else None,
    }


def gold_quantities(gold: dict[str, Any], side: str, what: str = "targets") -> list[Quantity]:
    out = []
    for i, e in enumerate(gold.get(f"{side}_{what}", [])):
        value, unit = to_base(e["value"], e["unit"])
        upper = base_upper(e["upper"], e["unit"])
        out.append(Quantity(side, e["line"], value, upper, unit, e["comparator"], e["kind"], i))
    return out


def _enum_value(x: Any) -> str | None:
    if x is None:
        return None
    return str(getattr(x, "value", x))


def predicted(
    report: Any, in_order: dict[str, list[Any]]
) -> tuple[list[Quantity], list[tuple[int, int]], list[Any]]:
    """The report's targets on each side (old first) and its pairs, as indexes into that list.

    Works before and after `Target.kind` and `Report.facts` exist: a row whose
    target says it is a fact is left out (facts are not targets).
    """
    quantities: list[Quantity] = []
    targets: list[Any] = []
    pairs: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    # `in_order`: each side's `document_targets`, so that equal targets on one line
    # match gold in reading order.
    used: set[tuple[str, int]] = set()

    def order(side: str, t: Any) -> int:
        for i, d in enumerate(in_order[side]):
            if (side, i) not in used and d == t:
                used.add((side, i))
                return i
        return len(in_order[side]) + len(quantities)

    def add(side: str, t: Any) -> int | None:
        kind = _enum_value(getattr(t, "kind", None))
        if kind == "fact":
            return None
        if id(t) in seen:
            return seen[id(t)]
        value, unit = to_base(t.value, t.unit)
        upper = base_upper(t.upper, t.unit)
        comparator = _enum_value(t.comparator) or ""
        q = Quantity(side, t.line, value, upper, unit, comparator, kind, order(side, t))
        quantities.append(q)
        targets.append(t)
        seen[id(t)] = len(quantities) - 1
        return seen[id(t)]

    for row in report.targets:
        o = add("old", row.old) if row.old is not None else None
        n = add("new", row.new) if row.new is not None else None
        if o is not None and n is not None:
            pairs.append((o, n))
    return quantities, pairs, targets


def match(gold: list[Quantity], preds: list[Quantity]) -> dict[int, int]:
    """gold index -> prediction index, one to one, in reading order among equal keys."""
    by_key: dict[tuple[str, int, str], list[int]] = {}
    for j in sorted(range(len(preds)), key=lambda j: preds[j].order):
        by_key.setdefault(preds[j].key(), []).append(j)
    taken: set[int] = set()
    out: dict[int, int] = {}
    for i, g in enumerate(gold):
        for j in by_key.get(g.key(), []):
            if j not in taken and g.same_amount(preds[j]):
                out[i] = j
                taken.add(j)
                break
    return out


def _show(q: Quantity, span: str = "") -> str:
    upper = f"-{q.upper:g}" if q.upper is not None else ""
    text = f" «{span}»" if span else ""
    return f"{q.side}:{q.line} {q.comparator}{q.value:g}{upper}{q.unit}{text}"


def score_pair(gold: dict[str, Any]) -> Counts:
    old_doc = load(str(ROOT / gold["old"]))
    new_doc = load(str(ROOT / gold["new"]))
    report = compare(old_doc, new_doc)
    in_order = {side: list(document_targets(getattr(report, side))) for side in SIDES}
    preds, pred_pairs, pred_targets = predicted(report, in_order)
    scope = gold.get("scope")
    if scope:

        def inside(q: Quantity) -> bool:
            first, last = scope[q.side]
            return bool(first <= q.line <= last)

        keep = [j for j, q in enumerate(preds) if inside(q)]
        renumber = {j: k for k, j in enumerate(keep)}
        pred_targets = [pred_targets[j] for j in keep]
        preds = [preds[j] for j in keep]
        pred_pairs = [
            (renumber[o], renumber[n]) for o, n in pred_pairs if o in renumber and n in renumber
        ]

    c = Counts()
    golds = {side: gold_quantities(gold, side) for side in SIDES}
    matched: dict[str, dict[int, int]] = {}  # side -> gold index -> prediction index
    for side in SIDES:
        side_preds = [j for j, q in enumerate(preds) if q.side == side]
        m = match(golds[side], [preds[j] for j in side_preds])
        matched[side] = {i: side_preds[k] for i, k in m.items()}
        c.gold += len(golds[side])
        c.predicted += len(side_preds)
        c.matched += len(m)
        for i, j in matched[side].items():
            g, p = golds[side][i], preds[j]
            c.comparator_right += g.comparator == p.comparator
            if p.kind is not None:
                c.kind_known += 1
                c.kind_right += g.kind == p.kind
        for i, g in enumerate(golds[side]):
            if i not in matched[side]:
                written = gold[f"{side}_targets"][i]["written"]
                c.misses.append(_show(g, written))
        hit = set(matched[side].values())
        for j in side_preds:
            if j not in hit:
                c.extras.append(_show(preds[j], getattr(pred_targets[j], "span", "")))

    gold_of = {side: {j: i for i, j in matched[side].items()} for side in SIDES}
    required = {tuple(p) for p in gold["pairs"]}
    allowed = required | {tuple(p) for p in gold.get("also_pairs", [])}
    c.gold_pairs_all = len(required)
    _score_facts(gold, in_order, preds, c)
    c.gold_pairs = sum(1 for o, n in required if o in matched["old"] and n in matched["new"])
    for o, n in pred_pairs:
        go, gn = gold_of["old"].get(o), gold_of["new"].get(n)
        if go is None or gn is None:
            continue
        c.predicted_pairs += 1
        if (go, gn) in allowed:
            c.right_pairs += 1
            c.required_right += (go, gn) in required
        else:
            c.wrong_pairs.append(f"{_show(preds[o])} ~ {_show(preds[n])}")
    return c


def _score_facts(
    gold: dict[str, Any], in_order: dict[str, list[Any]], preds: list[Quantity], c: Counts
) -> None:
    """Recall of the gold's sample of facts: found as facts, or wrongly listed as targets.

    The tool's facts of a side are the quantities `document_targets` finds there whose
    `kind` is "fact"; before the model has `Target.kind`, fact recall is not measured.
    """
    for side in SIDES:
        facts = gold_quantities(gold, side, "facts")
        if not facts:
            continue
        c.gold_facts += len(facts)
        found = []
        quantities = in_order[side]
        if any(hasattr(t, "kind") for t in quantities):
            c.facts_measured += len(facts)
        for t in quantities:
            if _enum_value(getattr(t, "kind", None)) == "fact":
                value, unit = to_base(t.value, t.unit)
                comparator = _enum_value(t.comparator) or ""
                upper = base_upper(t.upper, t.unit)
                found.append(Quantity(side, t.line, value, upper, unit, comparator, "fact", 0))
        c.facts_found += len(match(facts, found))
        c.facts_as_targets += len(match(facts, [q for q in preds if q.side == side]))


def gold_files(names: Sequence[str] = ()) -> list[Path]:
    files = sorted(GOLD.glob("*.json"))
    if names:
        files = [f for f in files if f.stem in names]
    return files


def alignment_rows() -> list[dict[str, Any]] | None:
    """bench/score_alignment.py's rows, when that scorer exists."""
    path = ROOT / "bench" / "score_alignment.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("score_alignment", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_alignment"] = module
    spec.loader.exec_module(module)
    rows: list[dict[str, Any]] = module.alignment_rows(ROOT)
    return rows


def run(names: Sequence[str] = ()) -> dict[str, Any]:
    rows = []
    totals = {"all": Counts(), "tuned": Counts(), "holdout": Counts()}
    details = {}
    for path in gold_files(names):
        gold = json.loads(path.read_text(encoding="utf-8"))
        c = score_pair(gold)
        holdout = bool(gold.get("holdout"))
        totals["all"].add(c)
        totals["holdout" if holdout else "tuned"].add(c)
        rows.append({"name": gold["name"], "holdout": holdout, **scores(c)})
        details[gold["name"]] = {
            "missed": c.misses,
            "extra": c.extras,
            "wrong_pairs": c.wrong_pairs,
        }
    overall = {name: scores(c) for name, c in totals.items()}
    return {"targets": rows, "overall": overall, "details": details, "alignment": alignment_rows()}


def _fmt(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else ""
    if isinstance(x, float):
        return f"{x:.2f}"
    return str(x)


COLUMNS = (
    ("name", "pair"),
    ("holdout", "holdout"),
    ("gold", "gold"),
    ("predicted", "found"),
    ("matched", "right"),
    ("precision", "P"),
    ("recall", "R"),
    ("f1", "F1"),
    ("gold_pairs", "gold pairs"),
    ("pairs_found", "both found"),
    ("pair_precision", "pair P"),
    ("pair_recall", "pair R"),
    ("pair_f1", "pair F1"),
    ("comparator_accuracy", "comparator"),
    ("kind_accuracy", "kind"),
    ("gold_facts", "gold facts"),
    ("fact_recall", "fact R"),
    ("facts_as_targets", "facts as targets"),
)


def _table_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = list(result["targets"])
    labels = {"all": "overall", "tuned": "overall (not holdout)", "holdout": "overall (holdout)"}
    for name, s in result["overall"].items():
        rows.append({"name": labels[name], "holdout": name == "holdout", **s})
    return rows


def _generic_columns(rows: Iterable[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key not in cols:
                cols.append(key)
    return cols


def markdown(result: dict[str, Any]) -> str:
    out = ["### Targets", ""]
    out.append("| " + " | ".join(label for _, label in COLUMNS) + " |")
    out.append("|" + "---|" * len(COLUMNS))
    for row in _table_rows(result):
        out.append("| " + " | ".join(_fmt(row.get(k)) for k, _ in COLUMNS) + " |")
    alignment = result["alignment"]
    if alignment:
        cols = _generic_columns(alignment)
        out += ["", "### Aligned clauses", ""]
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        for row in alignment:
            out.append("| " + " | ".join(_fmt(row.get(k)) for k in cols) + " |")
    return "\n".join(out) + "\n"


def plain(result: dict[str, Any], verbose: bool) -> str:
    rows = _table_rows(result)
    cells = [[label for _, label in COLUMNS]]
    cells += [[_fmt(row.get(k)) for k, _ in COLUMNS] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS))]
    out = ["targets"]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    alignment = result["alignment"]
    if alignment:
        cols = _generic_columns(alignment)
        acells = [cols] + [[_fmt(row.get(k)) for k in cols] for row in alignment]
        aw = [max(len(r[i]) for r in acells) for i in range(len(cols))]
        out += ["", "aligned clauses"]
        out += ["  ".join(c.ljust(w) for c, w in zip(r, aw, strict=True)) for r in acells]
    if verbose:
        for name, d in result["details"].items():
            out += ["", f"== {name}"]
            out += [f"  missed  {m}" for m in d["missed"]]
            out += [f"  extra   {e}" for e in d["extra"]]
            out += [f"  wrong pair {w}" for w in d["wrong_pairs"]]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--markdown", action="store_true", help="the tables of docs/accuracy.md")
    fmt.add_argument("--json", action="store_true", help="every number, for machines")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list missed, extra and wrongly paired"
    )
    parser.add_argument("names", nargs="*", help="gold names to score (default: all)")
    args = parser.parse_args(argv)
    result = run(args.names)
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    elif args.markdown:
        sys.stdout.write(markdown(result))
    else:
        sys.stdout.write(plain(result, args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
