"""Every rule in shapes/ fires on its failing example and stays silent on its passing one."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kgpub.project import data_dir
from kgpub.validation import ValidationResult, load_shapes, validate_store
from kgpub.validation.vocab import COMPONENTS, SH

from .rule_cases import CASES, PREFIXES

_PARAM = {SH + component: param for param, component in COMPONENTS.items()}
SHAPES = load_shapes()


def _local(term: ox.NamedNode | ox.BlankNode) -> str:
    return term.value.rsplit("#", 1)[-1]


def rule_of(result: ValidationResult) -> str:
    if result.constraint is not None:
        return f"{_local(result.shape)}/{_local(result.constraint)}"
    return f"{_local(result.shape)}/{_PARAM[result.component.value]}"


def declared_rules() -> set[str]:
    rules = set()
    for root in SHAPES:
        for shape in (root, *root.properties):
            for c in shape.constraints:
                name = _local(c.value) if c.name == "sparql" else c.name  # type: ignore[arg-type]
                rules.add(f"{_local(shape.node)}/{name}")
    return rules


def rules_fired(turtle: str) -> set[str]:
    store = ox.Store()
    store.load(
        (PREFIXES + turtle).encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://example.org/g")
    )
    return {rule_of(r) for r in validate_store(store, shapes=SHAPES, sources=False).results}


def test_every_rule_has_a_case_and_every_case_a_rule() -> None:
    declared = declared_rules()
    assert declared - CASES.keys() == set(), "rules without examples"
    assert CASES.keys() - declared == set(), "examples for rules that no longer exist"


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fails_on_its_failing_example(rule: str) -> None:
    assert rule in rules_fired(CASES[rule][0])


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_passes_on_its_passing_example(rule: str) -> None:
    assert rule not in rules_fired(CASES[rule][1])


def test_every_rule_is_listed_in_the_shapes_readme() -> None:
    readme = (data_dir("shapes") / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| [^|]+ \| (?:Violation|Warning|Info) \| `([^`]+)` \|", readme, flags=re.M))
    assert listed == declared_rules()
