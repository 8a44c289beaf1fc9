"""The thin path, as a user runs it: `kgpub build examples/`, `kgpub serve`, then curl."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pyoxigraph as ox

from tests.conftest import EXAMPLES
from tests.live import BIN, kgpub_serve


def test_build_serve_fetch_entity_and_sparql(tmp_path: Path) -> None:
    store = tmp_path / "store"
    built = subprocess.run([str(BIN / "kgpub"), "build", str(EXAMPLES), "--store", str(store)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "sources read: 3" in built.stdout
    with kgpub_serve(store) as url:
        q = "SELECT ?w ?t WHERE { ?w a <http://schema.org/ScholarlyArticle> ; <http://schema.org/name> ?t } ORDER BY ?t"
        resp = httpx.get(url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("application/sparql-results+json")
        rows = json.loads(resp.text)["results"]["bindings"]
        titles = {r["t"]["value"] for r in rows}
        assert "Green Federated Learning" in titles and len({r["w"]["value"] for r in rows}) >= 20

        work = next(r["w"]["value"] for r in rows if r["t"]["value"] == "Green Federated Learning")
        path = httpx.URL(work).path
        first = httpx.get(url + path, headers={"Accept": "text/turtle"})
        assert first.status_code == 303 and first.headers["vary"] == "Accept"
        doc = httpx.get(url + first.headers["location"], headers={"Accept": "text/turtle"})
        assert doc.status_code == 200 and doc.headers["content-type"].startswith("text/turtle")
        triples = [q.triple for q in ox.parse(doc.content, format=ox.RdfFormat.TURTLE)]
        assert ox.Triple(ox.NamedNode(work), ox.NamedNode("http://schema.org/name"),
                         ox.Literal("Green Federated Learning")) in triples
