"""The whole build, then the named queries and pages' data, on the embedded store and on a real
`oxigraph serve`: both must publish the same graph and answer the same."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.config import load_config
from kgpub.pipeline import build
from kgpub.queries import bind, get_named_query, paged_text
from kgpub.store import open_store
from tests.conftest import BASE, EXAMPLES

pytestmark = pytest.mark.remote


def _coauthor_rows(location: str, config) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    store = open_store(location, config)
    who = store.query('SELECT ?p WHERE { ?p <http://schema.org/name> "Kiwan Maeng" }')
    person = next(iter(who))["p"]  # type: ignore[call-overload]
    q = get_named_query("person-coauthors")
    rows = store.query(paged_text(q, 100, 0), substitutions=bind(q, {"person": person.value}, store))
    return sorted((r["name"].value, int(r["shared"].value)) for r in rows)  # type: ignore[union-attr]


def test_examples_build_the_same_on_both_stores(tmp_path: Path, oxigraph_server) -> None:  # type: ignore[no-untyped-def]
    embedded = load_config(None, environ={}, overrides={"store": str(tmp_path / "store"), "base": BASE})
    remote = load_config(None, environ={}, overrides={"store": oxigraph_server.url, "base": BASE,
                                                      "remote_retries": 3})
    first = build([EXAMPLES], config=embedded, progress=False)
    second = build([EXAMPLES], config=remote, progress=False)
    assert first.entities == second.entities and first.validation == second.validation
    assert second.graphs_written == first.graphs_written > 0
    again = build([EXAMPLES], config=remote, progress=False)
    assert again.graphs_written == 0  # unchanged sources write nothing, on the remote store too

    def quads(location: str, config) -> set[str]:  # type: ignore[no-untyped-def]
        store = open_store(location, config)
        # blank nodes (the SHACL report's results) get other labels on each store: compare the rest
        q = ("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
             "FILTER(!STRSTARTS(STR(?g), 'https://w3id.org/kgpub/store') && !isBlank(?s) && !isBlank(?o)) }")
        return {" ".join(str(r[v]) for v in ("g", "s", "p", "o")) for r in store.query(q)}  # type: ignore[union-attr]

    local = quads(str(tmp_path / "store"), embedded)
    assert len(local) > 1500 and local == quads(oxigraph_server.url, remote)
    counts = open_store(str(tmp_path / "store"), embedded).stats().graphs
    assert counts == open_store(oxigraph_server.url, remote).stats().graphs
    assert _coauthor_rows(str(tmp_path / "store"), embedded) == _coauthor_rows(oxigraph_server.url, remote)
    assert ox.NamedNode(BASE + "graph/validation").value in open_store(oxigraph_server.url, remote).graphs()
