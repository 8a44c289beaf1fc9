"""Incremental validation on a remote store (a real `oxigraph serve`): the rebuild after an edit
validates incrementally against the server, which holds the new graphs by then, and publishes the
report a full validation of the final data gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.generator import generate
from kgpub.pipeline import build
from kgpub.store import open_store
from kgpub.validation import validate_store
from kgpub.validation.published import read_published
from tests.store.conftest import remote_config
from tests.validation.test_incremental_build import BASE, VGRAPH, change_work_list, edit_title

pytestmark = pytest.mark.remote
_DATA = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def _final_data(store) -> ox.Store:  # type: ignore[no-untyped-def]
    mem = ox.Store()
    for row in store.query(_DATA):
        graph = row["g"].value
        if graph != VGRAPH and graph.startswith(BASE):  # not the report, not the store's own state
            mem.add(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
    return mem


def test_remote_rebuild_validates_incrementally_and_equals_full(oxigraph_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "c"
    generate(corpus, works=150, seed=5)
    config = remote_config(store=oxigraph_server.url, base=BASE)
    build([corpus], config=config, progress=False)
    edit_title(corpus)
    change_work_list(corpus)
    again = build([corpus], config=config, progress=False)
    assert any(n.startswith("validation: incremental") for n in again.notes), again.notes
    store = open_store(oxigraph_server.url, config)
    published = read_published(store, VGRAPH)
    assert published.report is not None, published.problem
    full = validate_store(_final_data(store), sources=False)
    assert {(r.key, r.message) for r in published.report.results} == {(r.key, r.message) for r in full.results}
    shutil.rmtree(corpus)
