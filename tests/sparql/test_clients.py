"""Independent clients against the live endpoint: SPARQLWrapper and rdflib's SPARQLStore, every
query form and every result format they can ask for."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.sparql.conftest import Live, start_live, stop_live

EX = "http://example.org/"
SELECT = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?name"
ASK = f"ASK {{ <{EX}ada> <{EX}name> ?n }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}label> ?name }} WHERE {{ ?s <{EX}name> ?name }}"
DESCRIBE = f"DESCRIBE <{EX}ada>"
XSD = "http://www.w3.org/2001/XMLSchema#"
NAMES = ["Ada Lovelace", "Grace Hopper", "Émilie du Châtelet"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = start_live(tmp_path_factory.mktemp("store"), query_timeout=30)
    data = "".join(
        f'<{EX}{key}> <{EX}name> "{name}" .\n<{EX}{key}> <{EX}born> "{year}"^^<{XSD}gYear> .\n'
        for key, name, year in (
            ("ada", NAMES[0], 1815),
            ("grace", NAMES[1], 1906),
            ("emilie", NAMES[2], 1706),
        )
    )
    server.load({f"{EX}people": data})
    yield server
    stop_live(server)


def _wrapper(live: Live, query: str, fmt: str, method: str) -> object:
    sw = SPARQLWrapper(live.url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw.query().convert()


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_select_and_ask(live: Live, method: str) -> None:
    got = _wrapper(live, SELECT, JSON, method)
    assert [b["name"]["value"] for b in got["results"]["bindings"]] == NAMES  # type: ignore[index]
    xml = _wrapper(live, SELECT, XML, method)
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == NAMES  # type: ignore[attr-defined]
    for fmt, delimiter in ((CSV, ","), (TSV, "\t")):
        raw = _wrapper(live, SELECT, fmt, method)
        text = io.StringIO(raw.decode("utf-8"))  # type: ignore[attr-defined]
        quoting = csv.QUOTE_MINIMAL if fmt == CSV else csv.QUOTE_NONE  # TSV keeps Turtle's quotes
        rows = list(csv.reader(text, delimiter=delimiter, quoting=quoting))
        names = [r[1] for r in rows[1:]]
        assert names == (NAMES if fmt == CSV else [f'"{n}"' for n in NAMES])
    assert _wrapper(live, ASK, JSON, method)["boolean"] is True  # type: ignore[index]
    ask_xml = _wrapper(live, ASK, XML, method)
    assert ask_xml.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_sparqlwrapper_construct_and_describe(live: Live, fmt: str) -> None:
    for query, expected in ((CONSTRUCT, 3), (DESCRIBE, 2)):
        graph = _wrapper(live, query, fmt, GET)
        if not isinstance(graph, rdflib.Graph):  # SPARQLWrapper leaves some formats as bytes
            graph = rdflib.Graph().parse(data=graph, format={TURTLE: "turtle", JSONLD: "json-ld"}[fmt])  # type: ignore[arg-type]
        assert len(graph) == expected


@pytest.mark.parametrize("accept", ["application/n-triples", "text/turtle"])
def test_sparqlwrapper_only_conneg(live: Live, accept: str) -> None:
    sw = SPARQLWrapper(live.url)
    sw.setQuery(CONSTRUCT)
    sw.setOnlyConneg(True)
    sw.addCustomHttpHeader("Accept", accept)
    body = sw.query().response.read()
    graph = rdflib.Graph().parse(data=body, format="nt" if "n-triples" in accept else "turtle")
    assert {str(o) for o in graph.objects()} == set(NAMES)


@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(live: Live, return_format: str, method: str) -> None:
    store = SPARQLStore(query_endpoint=live.url, returnFormat=return_format, method=method)
    graph = rdflib.Graph(store=store)
    names = [str(row.name) for row in graph.query(SELECT)]  # type: ignore[union-attr]
    assert names == NAMES
    if return_format in ("xml", "json"):
        assert graph.query(ASK).askAnswer is True
        built = graph.query(CONSTRUCT).graph
        assert built is not None and {str(o) for o in built.objects()} == set(NAMES)
        described = graph.query(DESCRIBE).graph
        assert described is not None and len(described) == 2
        # a triple pattern test is an ASK, which CSV/TSV cannot express
        assert (rdflib.URIRef(f"{EX}ada"), rdflib.URIRef(f"{EX}name"), rdflib.Literal(NAMES[0])) in graph
