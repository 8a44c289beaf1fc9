"""The web front over a remote store that goes away and comes back, all real: `oxigraph serve` on a
loopback port, the examples built into it by `kgpub build`, `kgpub serve` (gunicorn) in front.

While the store is gone every page that needs it answers 503 with ``Retry-After`` — the JSON error
shape or an HTML error page, never a 500, never the store's internal URL — within the bound set by
``remote_timeout``/``remote_retries``; once the store is back on the same port and location the
same server answers 200 again, without a restart. A query in flight when the store dies is a 503
too, never a truncated 200. A server that accepts connections but never answers (``oxigraph
serve`` frozen with SIGSTOP) is a 503 within ``remote_timeout``, and a page never waits longer than
``remote_page_timeout`` (``query_timeout`` for ``/sparql``) whatever ``remote_timeout`` says. No 503
carries a validator or a ``max-age`` a cache in front could keep past the recovery. The home page
keeps its figures with a notice that the store is away (``/health`` says 503), or answers 503 when
it has none."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest

from kgpub.web import create_app
from tests.conftest import BASE, EXAMPLES
from tests.live import BIN, kgpub_serve, thread_server
from tests.store.conftest import OxigraphServer, free_port

pytestmark = [pytest.mark.remote, pytest.mark.xdist_group("remote-outage")]

# two attempts, 0.2 s apart, each refused at once: an answer well inside a second; the bound below
# leaves room for a loaded machine
ENV = {"KGPUB_REMOTE_TIMEOUT": "3", "KGPUB_REMOTE_RETRIES": "2", "KGPUB_BASE": BASE, "KGPUB_WORKERS": "1"}
ANSWER_WITHIN_S = 3 * 2 + 5.0
PAGE_BOUND_WITHIN_S = 1.5 + 5.0  # far below remote_timeout (60 s): the page's own bound answered
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


def check_unavailable(site: Site, path: str, headers: dict[str, str], resp: httpx.Response,
                      codes: tuple[str, ...] = ("store-unavailable",)) -> None:
    """What every answer while the store is away must be: 503, Retry-After, nothing a cache may
    keep, no trace of the store's address, the JSON error shape or an HTML page."""
    assert resp.status_code == 503, (path, resp.status_code, resp.text[:300])
    assert resp.headers["Retry-After"].isdigit(), path
    assert "ETag" not in resp.headers and "Last-Modified" not in resp.headers, (path, dict(resp.headers))
    assert "max-age" not in resp.headers.get("Cache-Control", ""), (path, dict(resp.headers))
    assert resp.headers.get("Cache-Control") == "no-store", (path, dict(resp.headers))
    assert site.oxigraph.url not in resp.text and str(site.oxigraph.port) not in resp.text, (path, resp.text)
    if headers is HTML:
        assert resp.headers["Content-Type"].startswith("text/html"), path
        assert "Traceback" not in resp.text, path
    elif path == "/health":
        assert resp.json()["status"] == "unavailable"
    else:
        error = resp.json()["error"]
        assert error["status"] == 503 and error["code"] in codes, (path, error)


def check_home(http: httpx.Client, *, away: bool) -> None:
    """The home page: its figures either way; while the store is away a notice saying so, and
    nothing a cache may keep."""
    resp = http.get("/", headers=HTML)
    assert resp.status_code == 200, (resp.status_code, resp.text[:300])
    assert '<span class="what">works</span>' in resp.text  # the figures are there
    assert ('class="notice"' in resp.text) is away and ("not reachable right now" in resp.text) is away
    if away:
        assert resp.headers.get("Cache-Control") == "no-store" and "ETag" not in resp.headers


def test_pages_answer_503_while_the_store_is_away_and_200_once_it_is_back(site: Site) -> None:
    with httpx.Client(base_url=site.url, timeout=60) as http:
        for path, headers in pages(site):
            assert http.get(path, headers=headers).status_code == 200, path
        check_home(http, away=False)
        site.oxigraph.stop()
        try:
            for path, headers in pages(site):
                started = time.monotonic()
                resp = http.get(path, headers=headers)
                took = time.monotonic() - started
                check_unavailable(site, path, headers, resp)
                assert took < ANSWER_WITHIN_S, (path, took)
                if headers is HTML:
                    assert "not reachable" in resp.text, path
            check_home(http, away=True)
        finally:
            site.oxigraph.start()  # same port, same location: the data is still there
        for path, headers in pages(site):
            resp = http.get(path, headers=headers)
            assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
        assert http.get("/health").json()["graphs"] > 0
        check_home(http, away=False)


@contextmanager
def frozen(oxigraph: OxigraphServer) -> Iterator[None]:
    """SIGSTOP: the kernel still accepts connections for it, nothing answers; SIGCONT after."""
    assert oxigraph.process is not None
    oxigraph.process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        oxigraph.process.send_signal(signal.SIGCONT)


def test_a_store_that_accepts_but_never_answers_is_a_503_within_remote_timeout(site: Site) -> None:
    with httpx.Client(base_url=site.url, timeout=60) as http:
        check_home(http, away=False)
        with frozen(site.oxigraph):
            for path, headers in pages(site):
                started = time.monotonic()
                resp = http.get(path, headers=headers)
                took = time.monotonic() - started
                check_unavailable(site, path, headers, resp, ("store-unavailable", "query-timeout"))
                assert took < ANSWER_WITHIN_S, (path, took)
            check_home(http, away=True)
        for path, headers in pages(site):  # the same server, not restarted
            resp = http.get(path, headers=headers)
            assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
        check_home(http, away=False)


def test_a_page_waits_remote_page_timeout_at_most_whatever_remote_timeout_says(site: Site) -> None:
    """remote_timeout 60 s, 3 retries (the defaults): the page's own bound answers first."""
    app = create_app({"store": site.oxigraph.url, "base": BASE, "remote_timeout": 60.0, "remote_retries": 3,
                      "remote_page_timeout": 1.5, "query_timeout": 1.5})
    ask = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    paths = [(site.person + ".html", HTML), ("/queries/person-works.json?person=" + site.person_iri, JSON),
             (ask, JSON), (ask, HTML), ("/health", JSON)]
    with thread_server(app) as url, httpx.Client(base_url=url, timeout=120) as http:
        with frozen(site.oxigraph):
            for path, headers in paths:
                started = time.monotonic()
                resp = http.get(path, headers=headers)
                took = time.monotonic() - started
                check_unavailable(site, path, headers, resp, ("store-unavailable", "query-timeout"))
                assert took < PAGE_BOUND_WITHIN_S, (path, took)
                if headers is JSON and path != "/health":
                    hint = resp.json()["error"].get("hint", "")
                    bound = "query_timeout" if path.startswith("/sparql") else "remote_page_timeout"
                    assert bound in hint or hint == "try again in a few seconds", (path, hint)
            # a client's lower time limit holds on a remote store as in the sandbox
            started = time.monotonic()
            resp = httpx.get(site.url + ask + "&timeout=0.5", headers=JSON, timeout=60)
            assert resp.status_code == 503 and time.monotonic() - started < ANSWER_WITHIN_S, resp.text[:300]
            assert resp.json()["error"]["code"] == "query-timeout"
        assert http.get(site.person + ".html", headers=HTML).status_code == 200


def test_a_home_page_with_no_figures_kept_is_a_503_while_the_store_is_away() -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    app = create_app({"store": nobody, "base": BASE, "remote_retries": 2})
    with thread_server(app) as url:
        for headers in (HTML, {"Accept": "text/turtle"}):  # the page, and the VoID it negotiates to
            resp = httpx.get(url + "/", headers=headers, timeout=60)
            assert resp.status_code == 503, resp.text[:300]
            assert resp.headers["Retry-After"].isdigit() and resp.headers["Cache-Control"] == "no-store"
            assert nobody not in resp.text and nobody.rsplit(":", 1)[1] not in resp.text
        assert httpx.get(url + "/health", timeout=60).status_code == 503


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
