"""The kgpub stages' inputs: the references get exactly what kgpub produced, the serving stages real
entities of the built store. Nothing here measures or asserts a speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from bench import build, harness, serving, validate

ARTICLE = ox.NamedNode("http://schema.org/ScholarlyArticle")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def test_kgpub_stages_are_registered() -> None:
    assert harness.discover() == []
    for name in ("parse-map", "build", "store-write", "validate", "sparql-endpoint", "entity-pages"):
        stage = harness.STAGES[name]
        assert stage.kgpub is not None and stage.reference is not None
    assert harness.STAGES["validate"].slow_reference  # pyshacl: never in a quick run


def test_references_read_kgpub_mapping_and_the_built_store_holds_it(tmp_path: Path) -> None:
    ctx = harness.Context(40, 0, tmp_path)
    canonical = ox.Store()  # a store writes some literals canonically ("1.0"^^xsd:decimal): compare like that
    canonical.bulk_load(path=str(build.mapped_nquads(ctx)), format=ox.RdfFormat.N_QUADS)
    mapped = set(canonical)
    assert len({q.subject for q in mapped if q.object == ARTICLE}) >= 30
    store = ox.Store.read_only(str(Path(build.built_store(ctx)) / "current"))
    stored = set(store)
    assert mapped <= stored  # the build wrote every mapped quad, plus taxonomy and validation graphs
    merged = Path(validate.merged_ntriples(ctx)).read_text(encoding="utf-8").splitlines()
    assert len(merged) == len(set(merged)) == len({(q.subject, q.predicate, q.object) for q in stored})

    sample = serving._sample(ctx)
    assert sample["work"] and sample["person"]
    for iri in sample["work"]:
        assert list(store.quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, ARTICLE))
        assert serving._path(iri, "html").startswith("/id/work/") and serving._path(iri, "html").endswith(".html")
    assert Path(sample["snapshot"]).parent.name == "snapshots"


def test_store_write_side_gets_the_graphs_before_the_clock(tmp_path: Path) -> None:
    ctx = harness.Context(20, 0, tmp_path)
    args = {**build._prepare(ctx), "scratch": str(tmp_path / "scratch")}
    (tmp_path / "scratch").mkdir()
    state = build._setup_graphs(args, "kgpub")
    quads = build.kgpub_store_write(state)
    assert quads == sum(t.count("\n") for t in state["graphs"].values()) > 0
    (tmp_path / "ref").mkdir()
    canonical = ox.Store()
    canonical.bulk_load(path=args["nquads"], format=ox.RdfFormat.N_QUADS)
    build.oxigraph_bulk_load({**args, "scratch": str(tmp_path / "ref")})
    assert set(ox.Store.read_only(str(tmp_path / "ref" / "store"))) == set(canonical)


def test_peak_memory_reads_the_server_process(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(30_000_000); time.sleep(30)"])
    try:
        for _ in range(100):
            figures = serving.peak_mb(proc)
            if figures["server peak MB"] > 25:
                break
            subprocess.run([sys.executable, "-c", "import time; time.sleep(0.1)"], check=True)
        assert figures["server peak MB"] > 25
        assert "web worker peak MB" not in figures  # it has no children
    finally:
        proc.kill()
        proc.wait()
