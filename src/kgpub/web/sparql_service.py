"""What /sparql answers besides query results: its SPARQL 1.1 Service Description, and a query
page for browsers (a plain HTML form, so it works without JavaScript; the script only adds
conveniences).

The service description is built as pyoxigraph triples and serialised natively, with the exact
endpoint URL of the request, the result formats (W3C format IRIs from pyoxigraph's table) and the
dataset's named graphs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Response, render_template, request
from werkzeug.datastructures import MultiDict

from kgpub.errors import KgpubError
from kgpub.project import data_dir
from kgpub.sandbox import CheckedQuery
from kgpub.web import get_store, settings
from kgpub.web.errors import public
from kgpub.web.negotiation import (
    HTML,
    RDF_FORMATS,
    RESULT_FORMATS,
    choose,
    rdf_media_types,
    result_media_types,
)

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SD_OFFERED = ("text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples")
# pyoxigraph names JSON-LD by a newer IRI; the W3C format registry (and SD readers) use this one
W3C_FORMAT_IRIS = {"https://www.w3.org/ns/formats/data/JSON-LD": "http://www.w3.org/ns/formats/JSON-LD"}
MAX_TABLE_ROWS = 1000
DOWNLOADS = {
    "SELECT": ("json", "xml", "csv", "tsv"),
    "CONSTRUCT": ("ttl", "nt", "jsonld", "rdf", "nq", "trig"),
}
DEFAULT_QUERY = (
    "SELECT ?class (COUNT(?s) AS ?n)\nWHERE { ?s a ?class }\nGROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 20\n"
)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description(endpoint: str, graphs: list[str]) -> list[ox.Triple]:
    """The service description graph of an endpoint serving ``graphs``."""
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    out = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(
            service, _sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    formats: list[ox.RdfFormat | ox.QueryResultsFormat] = [*RESULT_FORMATS, *RDF_FORMATS]
    for fmt in formats:
        iri = W3C_FORMAT_IRIS.get(fmt.iri, fmt.iri)
        out.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)))
    for i, graph in enumerate(graphs):
        named, inner = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        out += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(graph)),
            ox.Triple(named, _sd("graph"), inner),
            ox.Triple(inner, RDF_TYPE, _sd("Graph")),
        ]
    return out


def describe_or_page(params: MultiDict[str, str]) -> Response:
    """GET /sparql without a query: the service description, or the query page for a browser."""
    media = choose([*SD_OFFERED, HTML], SD_OFFERED[0])
    if media == HTML:
        return _page(DEFAULT_QUERY, status=200)
    try:
        graphs = get_store().graphs()
    except KgpubError:
        graphs = []  # an empty or unreachable store still describes its service
    fmt = ox.RdfFormat.from_media_type(media)
    body = ox.serialize(description(request.base_url, graphs), format=fmt, prefixes={"sd": SD})
    resp = Response(body, mimetype=media)
    resp.headers["Vary"] = "Accept"
    return resp


# -- the query page -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Example:
    name: str
    title: str
    text: str


def examples(folder: Path | None = None) -> list[Example]:
    """The example queries: ``sparql/*.rq``, titled by their ``# title:`` header line."""
    folder = folder or data_dir("sparql")
    found = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        titles = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("# title:")]
        title = titles[0] if titles else path.stem
        found.append(Example(path.stem, title, text))
    return found


def _download_links(query: str, form: str, params: MultiDict[str, str]) -> list[tuple[str, str]]:
    keep = [(k, v) for k in ("default-graph-uri", "named-graph-uri", "timeout") for v in params.getlist(k)]
    names = DOWNLOADS["CONSTRUCT" if form in ("CONSTRUCT", "DESCRIBE") else "SELECT"]
    return [(n, "?" + urlencode([("query", query), *keep, ("format", n)])) for n in names]


def _page(query: str, *, status: int, **context: object) -> Response:
    html = render_template(
        "sparql.html",
        query=query,
        examples=examples(),
        endpoint=request.base_url,
        timeout=settings().query_timeout,
        max_rows=MAX_TABLE_ROWS,
        **context,
    )
    return Response(html, status=status, mimetype="text/html")


def error_page(query: str, exc: KgpubError) -> Response:
    """The query page showing why a query was refused, with the query still in the editor."""
    message, hint = public(exc)
    return _page(query, status=exc.http_status, error=message, hint=hint)


def result_page(query: str, checked: CheckedQuery, params: MultiDict[str, str]) -> Response:
    """Run a query for a browser and show (the first rows of) its result as a table."""
    from kgpub.web.sparql import evaluate

    try:
        answer = evaluate(checked, params, result_media_types()[0], rdf_media_types()[1])
    except KgpubError as exc:
        return error_page(query, exc)
    links = _download_links(query, answer.form, params)
    with answer.body:
        if answer.form == "CONSTRUCT":
            head = ["subject", "predicate", "object"]
            triples = ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
            rows = [[t.subject, t.predicate, t.object] for t in itertools.islice(triples, MAX_TABLE_ROWS + 1)]
            return _page(query, status=200, head=head, rows=rows, links=links, form=answer.form)
        parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            return _page(query, status=200, boolean=bool(parsed), links=links, form=answer.form)
        head = [v.value for v in parsed.variables]
        rows = [[s[v] for v in head] for s in itertools.islice(parsed, MAX_TABLE_ROWS + 1)]
        return _page(query, status=200, head=head, rows=rows, links=links, form=answer.form)
