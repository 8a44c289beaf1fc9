"""The web front over a remote store that goes away and comes back, all real: `oxigraph serve` on a
loopback port, the examples built into it by `kgpub build`, `kgpub serve` (gunicorn) in front.

While the store is gone every page that needs it answers 503 with ``Retry-After`` — the JSON error
shape or an HTML error page, never a 500, never the store's internal URL — within the bound set by
``remote_timeout``/``remote_retries``; once the store is back on the same port and location the
same server answers 200 again, without a restart. A query in flight when the store dies is a 503
too, never a truncated 200."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.conftest import BASE, EXAMPLES
from tests.live import BIN, kgpub_serve
from tests.store.conftest import OxigraphServer, free_port

pytestmark = [pytest.mark.remote, pytest.mark.xdist_group("remote-outage")]

# two attempts, 0.2 s apart, each refused at once: an answer well inside a second; the bound below
# leaves room for a loaded machine
ENV = {"KGPUB_REMOTE_TIMEOUT": "3", "KGPUB_REMOTE_RETRIES": "2", "KGPUB_BASE": BASE, "KGPUB_WORKERS": "1"}
ANSWER_WITHIN_S = 3 * 2 + 5.0
JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}


@dataclass
class Site:
    oxigraph: OxigraphServer
    url: str
    person: str  # a person's path /id/person/…
    person_iri: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("outage")
    oxigraph = OxigraphServer(root / "oxigraph", free_port())
    oxigraph.start()
    try:
        env = {**os.environ, **ENV}
        built = subprocess.run([str(BIN / "kgpub"), "build", "-q", str(EXAMPLES), "--store", oxigraph.url],
                               capture_output=True, text=True, timeout=300, env=env)
        assert built.returncode in (0, 1), built.stderr[-2000:]  # 1: data warnings, still published
        with kgpub_serve(oxigraph.url, env=ENV) as url:
            query = "SELECT ?p WHERE { ?p a <http://schema.org/Person> } ORDER BY ?p LIMIT 1"
            rows = httpx.get(url + "/sparql", params={"query": query}, headers=JSON, timeout=30).json()
            iri = rows["results"]["bindings"][0]["p"]["value"]
            yield Site(oxigraph, url, "/id/" + iri.split("/id/", 1)[1], iri)
    finally:
        oxigraph.stop()


def pages(site: Site) -> list[tuple[str, dict[str, str]]]:
    """What needs the store: entity pages in HTML and RDF, SPARQL, a named query, health."""
    return [
        (site.person + ".html", HTML),
        (site.person + ".ttl", {}),
        (site.person + ".jsonld", JSON),
        ("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", JSON),
        ("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", HTML),
        ("/queries/person-works.json?person=" + site.person_iri, JSON),
        ("/queries/person-works?person=" + site.person_iri, HTML),
        ("/health", JSON),
    ]


def test_pages_answer_503_while_the_store_is_away_and_200_once_it_is_back(site: Site) -> None:
    with httpx.Client(base_url=site.url, timeout=60) as http:
        for path, headers in pages(site):
            assert http.get(path, headers=headers).status_code == 200, path
        site.oxigraph.stop()
        try:
            for path, headers in pages(site):
                started = time.monotonic()
                resp = http.get(path, headers=headers)
                took = time.monotonic() - started
                assert resp.status_code == 503, (path, resp.status_code, resp.text[:300])
                assert took < ANSWER_WITHIN_S, (path, took)
                assert resp.headers["Retry-After"].isdigit(), path
                assert site.oxigraph.url not in resp.text and str(site.oxigraph.port) not in resp.text, path
                if headers is HTML:
                    assert resp.headers["Content-Type"].startswith("text/html"), path
                    assert "not reachable" in resp.text, path
                elif path == "/health":
                    assert resp.json()["status"] == "unavailable"
                else:
                    error = resp.json()["error"]
                    assert (error["status"], error["code"]) == (503, "store-unavailable"), path
        finally:
            site.oxigraph.start()  # same port, same location: the data is still there
        for path, headers in pages(site):
            resp = http.get(path, headers=headers)
            assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
        assert http.get("/health").json()["graphs"] > 0


def test_a_query_in_flight_when_the_store_dies_is_a_503_never_a_partial_answer(site: Site) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, httpx.Response] = {}

    def ask() -> None:
        outcome["resp"] = httpx.get(site.url + "/sparql", params={"query": slow}, headers=JSON, timeout=60)

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(1.0)  # the query is running on the store
    site.oxigraph.stop()
    try:
        thread.join(ANSWER_WITHIN_S + 5)
        assert not thread.is_alive(), "the query in flight never came back"
        resp = outcome["resp"]
        assert resp.status_code == 503, (resp.status_code, resp.text[:300])
        assert resp.json()["error"]["code"] == "store-unavailable"
    finally:
        site.oxigraph.start()
    assert httpx.get(site.url + "/health", timeout=30).status_code == 200
