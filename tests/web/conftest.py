"""Web fixtures: a store built from tests/web/fixture.trig (one snapshot, published the way a build
publishes it), the app over it, and a real HTTP server on a loopback port."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from werkzeug.serving import make_server

from kgpub.store import EmbeddedStore
from kgpub.web import create_app

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixture.trig"
BASE = "http://localhost:8080/"
ARTIFACTS = HERE.parents[1] / "test-artifacts"


def fixture_quads() -> list[ox.Quad]:
    return list(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))


def build_store(folder: Path, quads: list[ox.Quad]) -> EmbeddedStore:
    """Publish ``quads`` as one snapshot, graph by graph, through the store's one writer."""
    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for q in quads:
        by_graph[q.graph_name.value].append(ox.Triple(q.subject, q.predicate, q.object))
    texts = {g: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES).decode() for g, ts in by_graph.items()}
    store = EmbeddedStore(folder)
    store.replace_graphs(texts, {g: f"digest-{len(t)}" for g, t in texts.items()})
    return store


@pytest.fixture(scope="session")
def web_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web") / "store"
    build_store(folder, fixture_quads())
    return folder


@pytest.fixture(scope="session")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ontology, shapes and dumps for the dataset routes (independent of the repo's own files)."""
    root = tmp_path_factory.mktemp("data")
    (root / "ontology").mkdir()
    (root / "ontology" / "kgpub.ttl").write_text(
        "@prefix kgpub: <https://w3id.org/kgpub/ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        'kgpub:Authorship a owl:Class ; rdfs:label "Authorship" ; rdfs:comment "One slot of a byline." .\n'
        'kgpub:position a owl:DatatypeProperty ; rdfs:label "position" ; rdfs:comment "1-based slot." .\n'
    )
    (root / "shapes").mkdir()
    (root / "shapes" / "work.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <http://schema.org/> .\n"
        "<https://w3id.org/kgpub/shapes#Work> a sh:NodeShape ; sh:targetClass schema:ScholarlyArticle ;\n"
        "  sh:property [ sh:path schema:name ; sh:minCount 1 ] .\n"
    )
    dumps = root / "dumps"
    dumps.mkdir()
    (dumps / "kgpub.nq.gz").write_bytes(b"\x1f\x8b fake gzip body")
    (dumps / "kgpub.nq.gz.sha256").write_text("ab" * 32 + "  kgpub.nq.gz\n")
    (root / "secret.txt").write_text("outside the dump folder")
    return root


@pytest.fixture(scope="session")
def web_app(web_store_dir: Path, data_root: Path) -> Iterator[Flask]:
    # ontology and shapes are the repository's own (kgpub.project finds them); dumps are the fixture's
    app = create_app({"store": str(web_store_dir), "base": BASE, "dump_dir": str(data_root / "dumps")})
    app.config["TESTING"] = True
    yield app


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture(scope="session")
def live(web_app: Flask) -> Iterator[LiveServer]:
    server = make_server("127.0.0.1", 0, web_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", web_app)
    server.shutdown()
    thread.join(timeout=5)


def local(url: str, live: LiveServer) -> str:
    """An IRI under the dataset base, fetched from the test server instead."""
    assert url.startswith(BASE), url
    return live.url + "/" + url[len(BASE) :]
