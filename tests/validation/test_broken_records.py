"""Deliberately broken records, one per Violation rule in shapes/, in one Turtle source file: the
build publishes every one of them (nothing dropped), each produces its Violation with a message, the
entity and the lines of the file that describe it, and `kgpub validate` exits 1.

The records are the failing examples of tests/validation/rule_cases.py, each in a namespace of its
own (a Turtle file may redeclare ``:``) and with identifiers of its own, so no case trips a
cross-record rule of another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgpub.cli import main
from kgpub.validation import load_shapes
from kgpub.validation.vocab import COMPONENTS, SH, VIOLATION

from .rule_cases import CASES, PREFIXES

FILE = "broken.ttl"


def violation_rules() -> list[str]:
    rules = []
    for root in load_shapes():
        for shape in (root, *root.properties):
            if shape.severity != VIOLATION:
                continue
            for c in shape.constraints:
                name = c.value.value.rsplit("#", 1)[-1] if c.name == "sparql" else c.name  # type: ignore[union-attr]
                rules.append(f"{shape.node.value.rsplit('#', 1)[-1]}/{name}")
    return sorted(rules)


_PARAM = {SH + component: param for param, component in COMPONENTS.items()}


def rule_of_json(result: dict[str, str]) -> str:
    """The rule name of rule_cases.py for one result of `kgpub validate --format json`."""
    shape = result["shape"].rsplit(":", 1)[-1].rsplit("#", 1)[-1]
    if result["constraint"]:
        return f"{shape}/{result['constraint'].rsplit('#', 1)[-1]}"
    return f"{shape}/{_PARAM[SH + result['component'].split(':', 1)[1]]}"


@dataclass(frozen=True)
class Case:
    rule: str
    namespace: str
    line: int  # the line holding the case's statements


def write_cases(path: Path) -> list[Case]:
    lines = [line for line in PREFIXES.strip().splitlines()]
    cases = []
    for i, rule in enumerate(violation_rules()):
        namespace = f"http://example.org/case/{i}/"
        text = CASES[rule][0].replace("2303.06182", f"2303.{10000 + i:05d}").replace("10.1145/", f"10.1145/c{i}-")
        lines += ["", f"# {rule}", f"@prefix : <{namespace}> ."]
        lines.append(text)
        cases.append(Case(rule, namespace, len(lines)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cases


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    root = tmp_path_factory.mktemp("broken")
    cases = write_cases(root / FILE)
    store = root / "store"
    run = CliRunner().invoke(
        main, ["build", str(root / FILE), "--store", str(store), "--base", "https://kg.example.org/"]
    )
    assert run.exit_code == 1, run.output  # published, with Violations
    return store, cases


def test_every_violation_rule_has_a_broken_record() -> None:
    rules = violation_rules()
    assert len(rules) > 40 and all(rule in CASES for rule in rules)


def test_each_broken_record_gives_its_violation_with_entity_and_line(broken: tuple[Path, list[Case]]) -> None:
    store, cases = broken
    run = CliRunner().invoke(main, ["validate", "--store", str(store), "--format", "json"])
    assert run.exit_code == 1, run.output
    results = json.loads(run.output)["results"]
    missing = []
    for case in cases:
        mine = [
            r
            for r in results
            if rule_of_json(r) == case.rule and r["severity"] == "Violation" and r["focus"].startswith(case.namespace)
        ]
        if not mine:
            missing.append(case.rule)
            continue
        for r in mine:
            assert r["message"], case.rule
            lines = {(s["document"], s["line_start"], s["line_end"]) for s in r["sources"]}
            assert (FILE, case.line, case.line) in lines, (case.rule, r["focus"], r["sources"])
    assert missing == []
    stats = json.loads(CliRunner().invoke(main, ["stats", "--store", str(store), "--json"]).output)
    counts = json.loads(run.output)["counts"]
    assert stats["validation results"] == counts and counts["Violation"] >= len(cases)


def test_the_text_report_names_entity_and_line(broken: tuple[Path, list[Case]]) -> None:
    store, cases = broken
    run = CliRunner().invoke(main, ["validate", "--store", str(store)])
    assert run.exit_code == 1
    text = run.output
    for case in cases:
        assert f"{FILE}:{case.line}" in text, case.rule
    assert "== Violation" in text or "Violation" in text.splitlines()[0]


RECORDS = "works.jsonl"
BAD_RECORDS = [  # (line, field) the parser must name; every record is still published
    ('{"type": "work", "id": "w1", "title": "Good", "arxiv_id": "2301.00001"}', None),
    ('{"type": "work", "id": "w2", "title": "Bad DOI", "doi": "10.bad"}', "doi"),
    ('{"type": "work", "id": "w3", "title": "Bad date", "date": "2023-02-30"}', "date"),
    ('{"type": "person", "id": "p1", "name": "Ann Lee", "orcid": "0000-0002-1825-0098"}', "orcid"),
    ('{"type": "work", "id": "w4", "title": "Bad arXiv id", "arxiv_id": "2301.1"}', "arxiv_id"),
]


def test_values_the_parsers_refuse_stay_in_the_report_with_file_line_and_field(tmp_path: Path) -> None:
    """A value a parser refuses never reaches the graph, so no shape sees it: the build keeps the
    diagnostic in the store and `kgpub validate` reports it beside the shapes' results."""
    (tmp_path / RECORDS).write_text("\n".join(line for line, _ in BAD_RECORDS) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    built = CliRunner().invoke(main, ["build", str(tmp_path / RECORDS), "--store", str(store)])
    assert built.exit_code in (0, 1), built.output
    run = CliRunner().invoke(main, ["validate", "--store", str(store), "--format", "json"])
    report = json.loads(run.output)
    found = {(d["line"], d["field"]) for d in report["diagnostics"] if d["severity"] == "error"}
    for n, (_, field) in enumerate(BAD_RECORDS, 1):
        if field is not None:
            assert (n, field) in found, (n, field, report["diagnostics"])
    assert all(d["document"].endswith(RECORDS) and d["message"] and d["code"] for d in report["diagnostics"])
    assert report["diagnostic_counts"]["error"] == len(found) >= 4
    text = CliRunner().invoke(main, ["validate", "--store", str(store)]).output
    assert "== Source diagnostics" in text
    for n, (_, field) in enumerate(BAD_RECORDS, 1):
        if field is not None:
            assert f"{RECORDS}:{n}: error: {field}:" in text, text
    works = "SELECT (COUNT(?w) AS ?n) WHERE { ?w a <http://schema.org/ScholarlyArticle> }"
    counted = CliRunner().invoke(main, ["query", works, "--store", str(store), "--format", "csv"])
    assert counted.output.split()[-1] == "4", counted.output  # no record was dropped
    stats = json.loads(CliRunner().invoke(main, ["stats", "--store", str(store), "--json"]).output)
    assert stats["source diagnostics"] == report["diagnostic_counts"]
