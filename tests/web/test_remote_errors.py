"""The remote store's error paths as a web client sees them, against a real ``oxigraph serve`` and the
real app over real HTTP: whatever goes wrong on the store side, neither the JSON error shape nor an
HTML page (error page, SPARQL query page) names the store's internal address — not its URL, not
its host and port, not redacted. (The store gone or frozen is tested in test_remote_outage.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from kgpub.store.remote import RemoteStore
from kgpub.web import create_app
from tests.conftest import BASE
from tests.live import thread_server
from tests.store.conftest import OxigraphServer, free_port, remote_config
from tests.store.store_data import digest, graph_iri, ntriples, work_triples

pytestmark = [pytest.mark.remote, pytest.mark.xdist_group("remote-errors")]

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}
HEAVY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # more than the server's 1 s limit lets it finish


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A server that stops slow queries by cutting their answer short (``--timeout-s 1``)."""
    server = OxigraphServer(tmp_path_factory.mktemp("limited"), free_port(), extra=("--timeout-s", "1"))
    server.start()
    try:
        store = RemoteStore(server.url, remote_config())
        text = ntriples(work_triples("a", 500))
        store.replace_graphs({graph_iri("a"): text}, {graph_iri("a"): digest(text)})
        store.close()
        yield server
    finally:
        server.stop()


def check_no_address(server: OxigraphServer, resp: httpx.Response) -> None:
    for spelling in (server.url, f"127.0.0.1:{server.port}", str(server.port)):
        assert spelling not in resp.text, (spelling, resp.text[:500])
    for name, value in resp.headers.items():
        assert str(server.port) not in value, (name, value)


def test_an_answer_cut_short_by_the_server_is_a_503_that_does_not_name_it(limited: OxigraphServer) -> None:
    app = create_app({"store": limited.url, "base": BASE, "query_timeout": 30.0, "remote_page_timeout": 30.0})
    with thread_server(app) as url:
        for headers in (JSON, HTML):
            resp = httpx.get(url + "/sparql?query=" + quote(HEAVY), headers=headers, timeout=60)
            assert resp.status_code == 503, resp.text[:300]
            assert resp.headers["Retry-After"].isdigit()
            check_no_address(limited, resp)
            if headers is JSON:
                assert resp.json()["error"]["code"] == "query-timeout"
                assert "incomplete answer" in resp.json()["error"]["message"]
            else:
                assert "incomplete answer" in resp.text and HEAVY.split()[0] in resp.text  # the query page


def test_a_wrong_server_layout_is_a_503_that_does_not_name_the_server(limited: OxigraphServer) -> None:
    """Endpoints the server does not have: every request answers 404."""
    wrong = limited.url + "/nowhere"
    app = create_app({"store": limited.url, "base": BASE, "remote_family": "generic",
                      "remote_query_url": wrong, "remote_graph_store_url": wrong})
    iri = BASE + "id/work/x"
    paths = [
        ("/sparql?query=" + quote("ASK { ?s ?p ?o }"), JSON),
        ("/sparql?query=" + quote("ASK { ?s ?p ?o }"), HTML),
        ("/id/work/x.html", HTML),
        ("/id/work/x.jsonld", JSON),
        ("/queries/person-works.json?person=" + quote(iri), JSON),
        ("/health", JSON),
        ("/", HTML),
    ]
    with thread_server(app) as url:
        for path, headers in paths:
            resp = httpx.get(url + path, headers=headers, timeout=60)
            assert resp.status_code == 503, (path, resp.status_code, resp.text[:300])
            assert resp.headers["Retry-After"].isdigit(), path
            check_no_address(limited, resp)
            if headers is JSON and path != "/health":
                assert resp.json()["error"]["code"] == "store-unavailable", path
