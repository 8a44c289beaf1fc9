"""Protocol details beyond the W3C suite: negotiation, formats, HEAD, CORS, charsets, error bodies,
large results, the service description and the query page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kgpub.web import sparql_service
from tests.sparql.conftest import Live, start_live, stop_live

EX = "http://example.org/"
SELECT = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}label> ?name }} WHERE {{ ?s <{EX}name> ?name }}"
NAMES = ["<script>alert(1)</script>", "Person 0", "Person 1", "Person 2"]  # ORDER BY ?s: evil < p0
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    # a loaded test machine may need more than the 2 s the safety tests use for 100,000 rows
    server = start_live(tmp_path_factory.mktemp("store"), query_timeout=60)
    people = "".join(f'<{EX}p{i}> <{EX}name> "Person {i}" .\n' for i in range(3))
    people += f'<{EX}evil> <{EX}name> "<script>alert(1)</script>" .\n'
    people += f"<{EX}evil> <{EX}homepage> <javascript:alert(2)> .\n"
    rows = "".join(f'<{EX}r{i}> <{EX}n> "{i}" .\n' for i in range(100_000))
    server.load({f"{EX}people": people, f"{EX}rows": rows})
    yield server
    stop_live(server)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client


@pytest.mark.parametrize("media", RESULT_TYPES)
def test_select_and_ask_in_every_results_format(live: Live, http: httpx.Client, media: str) -> None:
    resp = http.get(live.url, params={"query": SELECT}, headers={"Accept": media})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(media)
    if media == "text/csv":  # lossy: pyoxigraph does not parse it back
        table = list(csv.reader(io.StringIO(resp.text, newline="")))
        assert table[0] == ["s", "name"] and [r[1] for r in table[1:]] == NAMES
        return
    rows = ox.parse_query_results(io.BytesIO(resp.content), format=RESULT_TYPES[media])
    assert isinstance(rows, ox.QuerySolutions)
    assert [s["name"].value for s in rows] == NAMES
    if media == "text/tab-separated-values":
        return  # TSV has no boolean form
    resp = http.get(live.url, params={"query": f"ASK {{ <{EX}p1> ?p ?o }}"}, headers={"Accept": media})
    assert bool(ox.parse_query_results(io.BytesIO(resp.content), format=RESULT_TYPES[media])) is True


@pytest.mark.parametrize("media", GRAPH_TYPES)
def test_construct_and_describe_in_every_rdf_format(live: Live, http: httpx.Client, media: str) -> None:
    for query, expected in ((CONSTRUCT, 4), (f"DESCRIBE <{EX}p1>", 1)):
        resp = http.post(live.url, data={"query": query}, headers={"Accept": media})
        assert resp.status_code == 200 and resp.headers["content-type"].startswith(media)
        assert len(list(ox.parse(resp.content, format=GRAPH_TYPES[media]))) == expected


def test_defaults_q_values_and_format_parameter(live: Live, http: httpx.Client) -> None:
    assert http.get(live.url, params={"query": CONSTRUCT}).headers["content-type"].startswith("text/turtle")
    assert (
        http.get(live.url, params={"query": SELECT})
        .headers["content-type"]
        .startswith("application/sparql-results+json")
    )
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    assert (
        http.get(live.url, params={"query": SELECT}, headers={"Accept": accept})
        .headers["content-type"]
        .startswith("text/csv")
    )
    resp = http.get(live.url, params={"query": SELECT, "format": "tsv"}, headers={"Accept": "text/csv"})
    assert resp.headers["content-type"].startswith("text/tab-separated-values")
    # a results type for a graph query (what rdflib sends): the graph default, not a 406
    resp = http.get(
        live.url, params={"query": CONSTRUCT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/turtle")
    resp = http.get(live.url, params={"query": CONSTRUCT, "format": "json"})
    assert resp.status_code == 406
    resp = http.get(live.url, params={"query": CONSTRUCT}, headers={"Accept": "image/png"})
    assert resp.status_code == 406
    assert "text/turtle" in resp.json()["error"]["offered"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_large_results_arrive_whole(live: Live, http: httpx.Client) -> None:
    query = f"SELECT ?s ?n WHERE {{ ?s <{EX}n> ?n }}"
    with http.stream("GET", live.url, params={"query": query}, headers={"Accept": "text/csv"}) as resp:
        assert resp.status_code == 200
        lines = sum(chunk.count(b"\n") for chunk in resp.iter_bytes())
        assert int(resp.headers["content-length"]) > 100_000
    assert lines == 100_001  # header + every row


def test_head_options_cors_and_methods(live: Live, http: httpx.Client) -> None:
    head = http.head(live.url, params={"query": SELECT})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("application/sparql-results+json")
    pre = http.options(
        live.url,
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in pre.headers
    got = http.get(live.url, params={"query": SELECT}, headers={"Origin": "https://elsewhere.example"})
    assert got.headers["Access-Control-Allow-Origin"] == "*"
    for method in ("PUT", "DELETE", "PATCH"):
        resp = http.request(method, live.url, params={"query": SELECT})
        assert resp.status_code == 405
        assert "POST" in resp.headers["Allow"]


def test_charsets(live: Live, http: httpx.Client) -> None:
    for charset in ("UTF-8", "utf-8", "Utf8"):
        resp = http.post(
            live.url,
            content="ASK { ?s ?p 'é' }".encode(),
            headers={"Content-Type": f"application/sparql-query; charset={charset}"},
        )
        assert resp.status_code == 200, charset
    for charset in ("UTF-16", "latin-1"):
        resp = http.post(
            live.url,
            content=b"ASK {}",
            headers={"Content-Type": f"application/sparql-query; charset={charset}"},
        )
        assert resp.status_code == 400
    resp = http.post(
        live.url, content=b"ASK { ?s ?p '\xe9' }", headers={"Content-Type": "application/sparql-query"}
    )
    assert resp.status_code == 400 and "UTF-8" in resp.json()["error"]["message"]


def test_syntax_errors_carry_the_parsers_message_and_position(live: Live, http: httpx.Client) -> None:
    resp = http.get(live.url, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMT 3"})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "query-syntax"
    assert "error at 1:" in error["message"] and "expected" in error["message"]


def test_relative_iris_resolve_against_the_endpoint(live: Live, http: httpx.Client) -> None:
    resp = http.post(live.url, data={"query": "SELECT ?x { BIND(<thing> AS ?x) }"})
    assert resp.json()["results"]["bindings"][0]["x"]["value"] == live.url.rsplit("/", 1)[0] + "/thing"


def test_service_description_names_the_exact_endpoint(live: Live, http: httpx.Client) -> None:
    for url in (live.url, live.url + "/"):
        resp = http.get(url, headers={"Accept": "text/turtle"})
        graph = ox.Store()
        graph.load(resp.content, format=ox.RdfFormat.TURTLE)
        sd = "http://www.w3.org/ns/sparql-service-description#"
        assert graph.query(f"ASK {{ ?s <{sd}endpoint> <{url}> }}")
        assert graph.query(f"ASK {{ ?d <{sd}namedGraph> [ <{sd}name> <{EX}people> ] }}")


def test_query_page_without_javascript(live: Live, http: httpx.Client, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "names.rq").write_text(
        "# title: All names\nSELECT ?name WHERE { ?s <http://example.org/name> ?name }\n"
    )
    monkeypatch.setattr(sparql_service, "data_dir", lambda name: tmp_path)
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    page = http.get(live.url, headers=browser)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "All names" in page.text and '<form class="sparql-form" method="get"' in page.text
    assert "/static/sparql.js" in page.text and "https://" not in page.text.split("<main>")[0]
    result = http.get(live.url, params={"query": SELECT, "format": "html"}, headers=browser)
    assert result.status_code == 200
    assert "<table" in result.text and "Person 2" in result.text
    assert "<script>alert(1)</script>" not in result.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.text
    links = http.get(live.url, params={"query": f"SELECT ?o {{ <{EX}evil> ?p ?o }}", "format": "html"})
    assert "javascript:alert(2)" in links.text and 'href="javascript:' not in links.text
    assert "format=csv" in result.text and "format=ttl" not in result.text
    bad = http.get(live.url, params={"query": "SELECT {", "format": "html"}, headers=browser)
    assert bad.status_code == 400 and "not answered" in bad.text
    refused = http.get(live.url, params={"query": "SELECT * { SERVICE <http://x/> {} }"}, headers=browser)
    assert refused.status_code == 400 and "SERVICE" in refused.text and "<textarea" in refused.text
    for name in ("sparql.js", "sparql.css"):
        assert http.get(live.url.replace("/sparql", f"/static/{name}")).status_code == 200
