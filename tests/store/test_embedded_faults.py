"""Embedded store under faults: a second writer, a writer killed with SIGKILL, readers across a publish."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgpub.errors import StoreLockedError
from kgpub.store import EmbeddedStore
from tests.store.conftest import spawn, wait_for
from tests.store.store_data import digest, graph_iri, ntriples, triples_of, work_triples
from tests.store.workers import VALUE, generation_ntriples

G = graph_iri("g")


def published(root: Path) -> set[str]:
    """Snapshot directories on disk."""
    return {p.name for p in (root / "snapshots").iterdir() if p.is_dir()}


def content(store: EmbeddedStore, graph: str) -> set[str]:
    from tests.store.store_data import canonical_triple

    q = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    return {canonical_triple(t) for t in store.query(q, substitutions={"g": ox.NamedNode(graph)})}


def test_a_second_writer_process_is_refused_clearly(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    with store.writer():
        child = spawn("try_write", str(tmp_path / "store"))
        name, message = wait_for(child, "StoreLocked").split(" ", 1)
        assert child.wait() == 0
    assert name == "StoreLockedError"
    assert "another kgpub build is writing to" in json.loads(message)
    assert "only one build may write" in json.loads(message)
    child = spawn("try_write", str(tmp_path / "store"))
    assert wait_for(child, "WROTE") == "WROTE"  # the lock died with its holder's writer
    child.wait()


def test_a_second_writer_in_the_same_process_is_refused(tmp_path: Path) -> None:
    a, b = EmbeddedStore(tmp_path / "store"), EmbeddedStore(tmp_path / "store")
    with a.writer(), pytest.raises(StoreLockedError), b.writer():
        pass


def big_nquads(path: Path, works: int) -> Path:
    lines = []
    for i in range(works):
        w = f"<http://example.org/id/work/big-{i}>"
        for j in range(10):
            lines.append(f'{w} <http://example.org/p{j}> "value {i} {j}" <{graph_iri("big")}> .\n')
    path.write_text("".join(lines))
    return path


@pytest.mark.parametrize("mode", ["bulk_load", "replace"])
def test_a_killed_writer_leaves_the_previous_snapshot(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "store"
    store = EmbeddedStore(root)
    old = ntriples(work_triples("g", 5))
    store.replace_graphs({G: old}, {G: digest(old)})
    before = published(root)
    if mode == "bulk_load":
        child = spawn("bulk_load", str(root), str(big_nquads(tmp_path / "big.nq", 60_000)))
        wait_for(child, "LOADING")
    else:
        graphs = {graph_iri(f"r{i}"): ntriples(work_triples(f"r{i}", 2000)) for i in range(50)}
        (tmp_path / "graphs.json").write_text(json.dumps({G: "", **graphs}))
        child = spawn("replace", str(root), str(tmp_path / "graphs.json"))
        wait_for(child, "GRAPH")  # mid-way: at least one graph replaced in the private copy
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    orphans = published(root) - before
    assert orphans, "the killed writer left its private snapshot behind"

    reopened = EmbeddedStore(root)
    assert reopened.graphs() == [G]
    assert content(reopened, G) == triples_of(old)
    assert reopened.graph_digests() == {G: digest(old)}

    new = ntriples(work_triples("g", 2, title="Next"))
    reopened.replace_graphs({G: new}, {G: digest(new)})
    for orphan in orphans:
        assert not (root / "snapshots" / orphan).exists()
        assert not (root / "snapshots" / (orphan + ".json")).exists()
    assert content(EmbeddedStore(root), G) == triples_of(new)


def test_a_failing_build_publishes_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store = EmbeddedStore(root)
    old = ntriples(work_triples("g", 3))
    store.replace_graphs({G: old}, {G: digest(old)})
    before = published(root)
    with pytest.raises(RuntimeError), store.writer() as w:
        w.replace_graphs({G: ""}, {G: digest("")})
        raise RuntimeError("mapping failed")
    assert published(root) == before
    assert content(store, G) == triples_of(old)


def test_a_reader_keeps_its_snapshot_while_two_builds_publish(tmp_path: Path) -> None:
    root = tmp_path / "store"
    writer = EmbeddedStore(root)
    writer.replace_graphs({G: generation_ntriples(1, 1001)}, {G: "1"})
    reader = EmbeddedStore(root)
    rows = iter(reader.query(f"SELECT ?v WHERE {{ ?s {VALUE} ?v }}"))
    first = next(rows)
    first_snapshot = reader.snapshot_id
    for gen in (2, 3):  # after two publishes the reader's snapshot directory is deleted
        writer.replace_graphs({G: generation_ntriples(gen, 1000 + gen)}, {G: str(gen)})
    assert first_snapshot not in published(root)
    values = [first["v"].value] + [row["v"].value for row in rows]
    assert values == ["1"] * 1001
    fresh = next(iter(reader.query(f"SELECT (COUNT(*) AS ?n) (MAX(?v) AS ?g) WHERE {{ ?s {VALUE} ?v }}")))
    assert (fresh["n"].value, fresh["g"].value) == ("1003", "3")
    assert reader.graph_digest(G) == "3"


def test_reader_processes_see_whole_snapshots_and_each_publish(tmp_path: Path) -> None:
    root = tmp_path / "store"
    control = tmp_path / "published"
    control.write_text("0")
    writer = EmbeddedStore(root)
    readers = [spawn("reader", str(root), str(control), "5") for _ in range(3)]
    for r in readers:
        wait_for(r, "READY")
    last = 6
    for gen in range(1, last + 1):
        writer.replace_graphs({G: generation_ntriples(gen, 1000 + gen)}, {G: str(gen)})
        control.write_text(f"{gen}" + (" last" if gen == last else ""))
    reports = [json.loads(wait_for(r, "{")) for r in readers]
    for r in readers:
        assert r.wait() == 0
    for report in reports:
        assert report["problems"] == []
        assert report["seen"][-1] == last
        assert report["seen"] == sorted(report["seen"])  # never back to an older snapshot
    assert len(published(root)) == 2  # current and previous; older ones are gone
    assert os.readlink(root / "current") != os.readlink(root / "previous")
