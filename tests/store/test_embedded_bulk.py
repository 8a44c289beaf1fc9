"""The embedded writer's bulk path (large batches) must store exactly what transactional loads store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgpub.errors import StoreError
from kgpub.store import EmbeddedStore, snapshot
from tests.store.store_data import TRICKY, canonical, digest, graph_iri, ntriples, quads_of, work_triples


def dataset(store: EmbeddedStore) -> set[str]:
    return {canonical(q) for q in store.db().quads_for_pattern(None, None, None)}


def texts() -> dict[str, str]:
    plain = ntriples(work_triples("a", 20) + TRICKY)
    commented = (
        "# a comment line\n"
        + ntriples(work_triples("b", 3))
        + "<http://e/s> <http://e/p> <http://e/o> . # end\n"
    )
    unterminated = ntriples(work_triples("c", 2)).rstrip("\n")
    tight = '<http://e/s> <http://e/p> _:b1.\n_:b1 <http://e/p> "tight".\n'
    return {
        graph_iri("a"): plain,
        graph_iri("b"): commented,
        graph_iri("c"): unterminated,
        graph_iri("d"): tight,
    }


@pytest.mark.parametrize("bulk_bytes", [0, 1 << 40])
def test_bulk_and_transactional_paths_store_the_same(tmp_path: Path, monkeypatch, bulk_bytes: int) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(snapshot, "BULK_BYTES", bulk_bytes)
    store = EmbeddedStore(tmp_path / "store")
    first = texts()
    store.replace_graphs(first, {g: digest(t) for g, t in first.items()})
    assert dataset(store) == quads_of(first)
    second = {graph_iri("a"): ntriples(work_triples("a", 2, title="Again")), graph_iri("e"): ntriples(TRICKY)}
    store.replace_graphs(second, {g: digest(t) for g, t in second.items()})
    assert dataset(store) == quads_of({**first, **second})
    assert not list((tmp_path / "store" / "snapshots").glob("*.load.nq"))  # the spool file is gone
    assert store.graph_digests() == {g: digest(t) for g, t in {**first, **second}.items()}


@pytest.mark.parametrize(
    "bad",
    ["<http://e/s> <http://e/p> .\n", "<http://e/s> <http://e/p> <http://e/o> <http://e/x> .\n"],
    ids=["missing-term", "extra-term"],
)
def test_bad_text_in_a_bulk_batch_names_its_graph(tmp_path: Path, monkeypatch, bad: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(snapshot, "BULK_BYTES", 0)
    store = EmbeddedStore(tmp_path / "store")
    good = ntriples(work_triples("a", 2))
    with pytest.raises(StoreError, match="graph/bad is not N-Triples"):
        store.replace_graphs({graph_iri("a"): good, graph_iri("bad"): bad}, {})
    assert store.graphs() == []  # nothing was published
    assert not any((tmp_path / "store" / "snapshots").iterdir())


def test_plain_line_detection() -> None:
    assert snapshot._plain_lines('<a> <b> "c" .\n<a> <b> <d> .\n')
    assert not snapshot._plain_lines('<a> <b> "c" .\n\n')
    assert not snapshot._plain_lines('<a> <b> "c" . # note .\n')
    assert not snapshot._plain_lines('<a> <b> "c" .')
