"""write_dump: names, checksums, reproducible bytes, nothing left behind by a failed dump."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import pytest

from kgpub.errors import StoreError, UsageError
from kgpub.store import EmbeddedStore
from kgpub.store.dump import write_dump
from tests.store.store_data import canonical, digest, graph_iri, ntriples, quads_of, work_triples


@pytest.fixture
def filled(tmp_path: Path) -> tuple[EmbeddedStore, dict[str, str]]:
    store = EmbeddedStore(tmp_path / "store")
    graphs = {graph_iri("a"): ntriples(work_triples("a", 4)), graph_iri("b"): ntriples(work_triples("b", 2))}
    store.replace_graphs(graphs, {g: digest(t) for g, t in graphs.items()})
    return store, graphs


def test_trig_dump_into_a_directory(filled: tuple[EmbeddedStore, dict[str, str]], tmp_path: Path) -> None:
    store, graphs = filled
    out = tmp_path / "dumps"
    out.mkdir()
    path = write_dump(store, out, "trig")
    assert path == out / "dataset.trig"
    assert {canonical(q) for q in ox.parse(path.read_bytes(), ox.RdfFormat.TRIG)} == quads_of(graphs)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (out / "dataset.trig.sha256").read_text() == f"{sha}  dataset.trig\n"
    assert sorted(p.name for p in out.iterdir()) == ["dataset.trig", "dataset.trig.sha256"]


def test_an_unchanged_dataset_dumps_to_the_same_bytes(
    filled: tuple[EmbeddedStore, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = filled
    first = write_dump(store, tmp_path / "one.nq.gz").read_bytes()
    second = write_dump(store, tmp_path / "two.nq.gz").read_bytes()
    assert first == second


class Broken(EmbeddedStore):
    def dump(self, out: BinaryIO, media_type: str) -> None:
        out.write(b"<http://e/s> <http://e/p> <http://e/o> .\n")
        raise StoreError("the store went away mid-dump")


def test_a_failed_dump_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        write_dump(Broken(tmp_path / "store"), tmp_path / "dataset", "nquads")
    assert [p.name for p in tmp_path.iterdir()] == []


def test_unknown_format_is_a_usage_error(
    filled: tuple[EmbeddedStore, dict[str, str]], tmp_path: Path
) -> None:
    with pytest.raises(UsageError, match="nquads, trig"):
        write_dump(filled[0], tmp_path / "x", "turtle")
