"""docs/schema/compare.schema.json describes the JSON that `compare --format json` writes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from policydiff import Report, compare, load
from policydiff.render import json as json_render

from .conftest import ROOT
from .test_markdown import sample_targets

SCHEMA_PATH = ROOT / "docs" / "schema" / "compare.schema.json"
CASES = ROOT / "tests" / "data" / "cases"

Json = dict[str, Any]


def closed(node: Any) -> Any:
    """The schema with every object closed: what the tests hold json.py to.

    The published schema is open, because docs/json.md lets /1 gain fields; closing it
    here makes a field that json.py writes and the schema does not name a failure.
    """
    if isinstance(node, dict):
        out = {key: closed(value) for key, value in node.items()}
        if "properties" in node and "required" in node:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [closed(item) for item in node]
    return node


@pytest.fixture(scope="module")
def published() -> Json:
    schema: Json = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def validator(published: Json) -> Draft202012Validator:
    return Draft202012Validator(closed(published))


def test_published_schema_accepts_added_fields(published: Json, sample: Report) -> None:
    document = output(sample)
    document["old"]["future_field"] = 1
    assert Draft202012Validator(published).is_valid(document)


@pytest.fixture(scope="module")
def sample() -> Report:
    return compare(
        load(str(ROOT / "data" / "draft_2023.txt")), load(str(ROOT / "data" / "final_2024.txt"))
    )


def output(report: Report) -> Json:
    """The document exactly as the CLI prints it, parsed back."""
    result: Json = json.loads(json_render.render(report))
    return result


def assert_valid(validator: Draft202012Validator, document: Json) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_schema_names_the_version_json_writes(validator: Draft202012Validator) -> None:
    assert validator.schema["properties"]["schema"]["const"] == json_render.SCHEMA


def test_sample_pair_output_is_valid(validator: Draft202012Validator, sample: Report) -> None:
    assert_valid(validator, output(sample))


def test_sample_pair_with_targets_is_valid(validator: Draft202012Validator, sample: Report) -> None:
    # targets.py is not wired yet: hand-made target records exercise that part of the schema.
    document = output(sample_targets(sample))
    assert {t["status"] for t in document["targets"]} == {"changed", "added", "removed"}
    assert_valid(validator, document)


@pytest.mark.parametrize(
    "golden", sorted(CASES.glob("*/expected.json")), ids=lambda p: p.parent.name
)
def test_golden_json_is_valid(validator: Draft202012Validator, golden: Path) -> None:
    assert_valid(validator, json.loads(golden.read_text(encoding="utf-8")))


def _first(document: Json, status: str) -> Json:
    record: Json = next(r for r in document["clauses"] if r["status"] == status)
    return record


def _target(document: Json, status: str) -> Json:
    record: Json = next(t for t in document["targets"] if t["status"] == status)
    return record


MUTATIONS: dict[str, Callable[[Json], None]] = {
    "wrong schema name": lambda d: d.update(schema="policydiff.compare/2"),
    "missing summary count": lambda d: d["summary"]["clauses"].pop("moved"),
    "field the schema does not name": lambda d: d["old"].update(title="x"),
    "unknown clause status": lambda d: _first(d, "modified").update(status="changed"),
    "added record with an old side": lambda d: _first(d, "added").update(
        old=_first(d, "removed")["old"]
    ),
    "removed record with a new side": lambda d: _first(d, "removed").update(
        new=_first(d, "added")["new"]
    ),
    "line 0": lambda d: _first(d, "modified")["old"][0].update(line=0),
    "similarity over 1": lambda d: _first(d, "modified").update(similarity=1.5),
    "unknown diff op": lambda d: _first(d, "modified")["diff"][0].update(op="~"),
    "clause id missing": lambda d: _first(d, "modified")["new"][0].pop("id"),
    "clause id not c<n>": lambda d: _first(d, "modified")["new"][0].update(id="x1"),
    "script span mixed": lambda d: d["new"]["script_spans"][0].update(script="mixed"),
    "added target with an old side": lambda d: _target(d, "added").update(
        old=_target(d, "removed")["old"]
    ),
    "changed target without a new side": lambda d: _target(d, "changed").update(new=None),
    "comparator sign": lambda d: _target(d, "changed")["old"].update(comparator="≥"),
    "value as text": lambda d: _target(d, "changed")["new"].update(value="98.5"),
}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_mutated_output_is_invalid(
    validator: Draft202012Validator, sample: Report, mutation: str
) -> None:
    document = copy.deepcopy(output(sample_targets(sample)))
    assert_valid(validator, document)
    MUTATIONS[mutation](document)
    assert not validator.is_valid(document), f"the schema accepts: {mutation}"
