"""kgpub's SPARQL-compiled engine and pyshacl (an independent SHACL implementation) find the same
results — same focus nodes, paths, values, severities and constraint components — on the project's
shapes over a generated graph, and on a zoo of every construct the engine compiles."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.project import data_dir
from kgpub.validation import validate_store
from kgpub.validation.reference import kgpub_keys, pyshacl_keys
from kgpub.validation.sample import generate, merged_ntriples

ZOO = Path(__file__).resolve().parent / "zoo"
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(autouse=True)
def _quiet_rdflib() -> None:
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals are planted on purpose


def test_zoo_of_constructs_matches_pyshacl() -> None:
    store = ox.Store()
    store.load(
        path=str(ZOO / "data.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://example.org/g")
    )
    report = validate_store(store, ZOO, sources=False)
    ntriples = ox.serialize(
        ox.parse(path=str(ZOO / "data.ttl"), format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES
    )
    ours, theirs = kgpub_keys(report.results), pyshacl_keys(ntriples or b"", ZOO)
    assert ours - theirs == set(), "found only by kgpub"
    assert theirs - ours == set(), "found only by pyshacl"
    components = {k[4].removeprefix(SH) for k in ours}
    assert len(components) >= 14, sorted(components)  # the zoo really exercises the constructs
    assert {k[3].removeprefix(SH) for k in ours} == {"Violation", "Warning", "Info"}


def test_generated_graph_matches_pyshacl_on_the_project_shapes() -> None:
    nquads = generate(60, defects=6)
    store = ox.Store()
    store.load(nquads.encode(), ox.RdfFormat.N_QUADS)
    assert 1500 < len(store) < 10_000
    report = validate_store(store, sources=False)
    ours = kgpub_keys(report.results)
    theirs = pyshacl_keys("".join(merged_ntriples(nquads)), data_dir("shapes"))
    assert ours - theirs == set(), "found only by kgpub"
    assert theirs - ours == set(), "found only by pyshacl"
    by_severity = Counter(k[3].removeprefix(SH) for k in ours)
    assert min(by_severity[s] for s in ("Violation", "Warning", "Info")) > 0, by_severity
    assert len({k[4] for k in ours}) >= 6
