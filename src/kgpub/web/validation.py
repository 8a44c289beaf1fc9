"""``/validation``: the published build's SHACL report for curators, filtered and paged.

A curator works down the report: what is broken (Violations first), on which entity, in which source
file and line, and what to change. Sorting the whole report in SPARQL on every request cost seconds
a page at 10,000 works, so the report is read once per published snapshot into a sorted list
(:mod:`kgpub.web.listings` keeps it until the next build) and each request filters and slices that
list in Python: filter values never reach a query. Only the page's own rows are then joined to
their source documents and labels (their IRIs bound as RDF terms). The entities of one source
document, for the source filter, are read once per snapshot and document.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from kgpub.errors import UsageError
from kgpub.validation.provenance import KGPUB, ordered, sources_of
from kgpub.web import get_store, iris
from kgpub.web.listings import cache_of
from kgpub.web.negotiation import HTML, choose
from kgpub.web.queries import page_args

bp = Blueprint("validation", __name__)

SH = "http://www.w3.org/ns/shacl#"
SEVERITIES = ("Violation", "Warning", "Info")
_FORMATS = {"html": HTML, "json": "application/json", "csv": "text/csv"}
_PREFIXES = f"PREFIX sh: <{SH}>\n"

_ALL = _PREFIXES + """SELECT $vg ?e ?sev ?shape ?component ?msg ?path ?value WHERE { GRAPH $vg {
  ?r a sh:ValidationResult ; sh:focusNode ?e ; sh:resultSeverity ?sev .
  OPTIONAL { ?r sh:sourceShape ?shape } OPTIONAL { ?r sh:sourceConstraintComponent ?component }
  OPTIONAL { ?r sh:resultMessage ?msg } OPTIONAL { ?r sh:resultPath ?path FILTER(isIRI(?path)) }
  OPTIONAL { ?r sh:value ?value } } }"""
_IN_SOURCE = "SELECT DISTINCT $src ?e WHERE { GRAPH $src { ?e ?_p ?_o } FILTER(isIRI(?e)) }"
_COUNTS = _PREFIXES + """SELECT $vg ?sev ?shape ?component (COUNT(?r) AS ?n) WHERE { GRAPH $vg {
  ?r a sh:ValidationResult ; sh:resultSeverity ?sev .
  OPTIONAL { ?r sh:sourceShape ?shape } OPTIONAL { ?r sh:sourceConstraintComponent ?component } } }
GROUP BY $vg ?sev ?shape ?component"""
_DOCUMENTS = f"""SELECT ?src ?name WHERE {{ GRAPH ?_pg {{ ?_doc <{KGPUB}namedGraph> ?src ; <{KGPUB}fileName> ?name }} }}
ORDER BY ?name"""
# ?e is bound by a VALUES block of the page's entity IRIs, which come from the store (never the client)
_LABELS = """SELECT ?e (MIN(?n) AS ?label) WHERE { #VALUES# ?e <http://schema.org/name> ?n } GROUP BY ?e"""


def report_graph() -> ox.NamedNode:
    return ox.NamedNode(iris.base() + "graph/validation")


def _iri_param(name: str) -> ox.NamedNode | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return ox.NamedNode(value)
    except ValueError:
        raise UsageError(f"{name} must be an absolute IRI, not {value!r}") from None


def filters() -> dict[str, ox.NamedNode]:
    """The request's filters as RDF terms, keyed by the query variable they bind."""
    out: dict[str, ox.NamedNode] = {}
    sev = request.args.get("severity")
    if sev:
        if sev not in SEVERITIES:
            raise UsageError(f"severity must be one of {', '.join(SEVERITIES)}, not {sev!r}")
        out["sev"] = ox.NamedNode(SH + sev)
    for param, var in (("shape", "shape"), ("component", "component"), ("source", "src"), ("entity", "e")):
        term = _iri_param(param)
        if term is not None:
            out[var] = term
    return out


def _term_text(term: Any) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ("" if term is None else str(term))


def _index() -> list[dict[str, Any]]:
    """Every result of the published report, Violations first, then by entity and message."""
    store = get_store()

    def compute() -> list[dict[str, Any]]:
        rows = []
        for r in store.query(_ALL, substitutions={"vg": report_graph()}):
            sev = _term_text(r["sev"]).rsplit("#", 1)[-1]
            rows.append(
                {
                    "severity": sev,
                    "entity": _term_text(r["e"]),
                    "term": r["e"],
                    "shape": _term_text(r["shape"]) or None,
                    "component_iri": _term_text(r["component"]) or None,
                    "path": iris.compact(r["path"].value) if r["path"] is not None else None,
                    "value": _term_text(r["value"]) if r["value"] is not None else None,
                    "message": _term_text(r["msg"]),
                }
            )
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        rows.sort(key=lambda x: (rank.get(x["severity"], 3), x["entity"], x["message"], x["path"] or "",
                                 x["value"] or ""))
        return rows

    return cache_of().get("validation-index", store, compute)


def _entities_in(source: ox.NamedNode) -> frozenset[str]:
    store = get_store()

    def compute() -> frozenset[str]:
        return frozenset(r["e"].value for r in store.query(_IN_SOURCE, substitutions={"src": source}))

    return cache_of().get("validation-source " + source.value, store, compute)


def _matches(row: dict[str, Any], bound: dict[str, ox.NamedNode], in_source: frozenset[str] | None) -> bool:
    if "sev" in bound and row["severity"] != bound["sev"].value.rsplit("#", 1)[-1]:
        return False
    if "shape" in bound and row["shape"] != bound["shape"].value:
        return False
    if "component" in bound and row["component_iri"] != bound["component"].value:
        return False
    if "e" in bound and row["entity"] != bound["e"].value:
        return False
    return in_source is None or row["entity"] in in_source


def _labels(store: Any, entities: set[ox.NamedNode]) -> dict[ox.NamedNode, str]:
    """One query for the names of all entities on the page (a page holds at most max_page_size)."""
    if not entities:
        return {}
    values = "VALUES ?e { " + " ".join(str(e) for e in sorted(entities, key=str)) + " }"
    rows = store.query(_LABELS.replace("#VALUES#", values))
    return {r["e"]: r["label"].value for r in rows if r["label"] is not None}


def page_rows(bound: dict[str, ox.NamedNode], limit: int, offset: int) -> tuple[list[dict[str, Any]], bool]:
    store = get_store()
    in_source: frozenset[str] | None = None
    if "src" in bound:  # only known documents are looked up (and cached): a client cannot grow the cache
        known = {src for src, _name in counts()["documents"]}
        in_source = _entities_in(bound["src"]) if bound["src"].value in known else frozenset()
    chosen: list[dict[str, Any]] = []
    skipped = 0
    for row in _index():
        if not _matches(row, bound, in_source):
            continue
        if skipped < offset:
            skipped += 1
            continue
        chosen.append(row)
        if len(chosen) > limit:
            break
    more = len(chosen) > limit
    chosen = chosen[:limit]
    entities = {r["term"] for r in chosen if isinstance(r["term"], ox.NamedNode)}
    found = sources_of(lambda q: store.query(q), entities)
    labels = _labels(store, entities)
    out = []
    for r in chosen:
        entity = r["term"]
        out.append(
            {
                "severity": r["severity"],
                "entity": r["entity"],
                "label": labels.get(entity),
                "link": iris.link_for(entity.value) if isinstance(entity, ox.NamedNode) else None,
                "shape": r["shape"],
                "component": (r["component_iri"] or "").rsplit("#", 1)[-1] or None,
                "path": r["path"],
                "value": r["value"],
                "message": r["message"],
                "sources": [str(src) for src in ordered(found.get(entity, ()))],
            }
        )
    return out, more


def counts() -> dict[str, Any]:
    """Results per severity, per shape and per constraint component (once per snapshot)."""
    store = get_store()

    def compute() -> dict[str, Any]:
        by_sev: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        by_shape: dict[str, int] = {}
        by_component: dict[str, int] = {}
        for row in store.query(_COUNTS, substitutions={"vg": report_graph()}):
            n = int(row["n"].value)
            sev = _term_text(row["sev"]).rsplit("#", 1)[-1]
            by_sev[sev] = by_sev.get(sev, 0) + n
            if isinstance(row["shape"], ox.NamedNode):
                by_shape[row["shape"].value] = by_shape.get(row["shape"].value, 0) + n
            if isinstance(row["component"], ox.NamedNode):
                by_component[row["component"].value] = by_component.get(row["component"].value, 0) + n
        documents = [(r["src"].value, r["name"].value) for r in store.query(_DOCUMENTS)]
        return {
            "severity": by_sev,
            "shape": sorted(by_shape.items(), key=lambda kv: (-kv[1], kv[0])),
            "component": sorted(by_component.items(), key=lambda kv: (-kv[1], kv[0])),
            "documents": documents,
        }

    return cache_of().get("validation-counts", store, compute)


@bp.route("/validation", methods=["GET", "HEAD"])
@bp.route("/validation.<ext>", methods=["GET", "HEAD"])
def report(ext: str | None = None) -> Response:
    if ext is not None:
        if ext not in _FORMATS:
            raise UsageError(f"no format {ext!r} here", hint="use .html, .json or .csv")
        media = _FORMATS[ext]
    elif request.args.get("format") in _FORMATS:  # ?format=json|csv|html, like the extensions
        media = _FORMATS[request.args["format"]]
    else:
        media = choose(list(_FORMATS.values()), HTML)
    bound = filters()
    limit, offset = page_args()
    rows, more = page_rows(bound, limit, offset)
    args = {k: v for k, v in request.args.items() if k in ("severity", "shape", "component", "source", "entity")}
    keep = {"format": request.args["format"]} if "format" in request.args else {}
    next_url = (
        request.path + "?" + urlencode({**args, **keep, "limit": limit, "offset": offset + limit}) if more else None
    )
    if media == HTML:
        resp = Response(
            render_template("validation.html", rows=rows, counts=counts(), args=args, next_url=next_url,
                            offset=offset, limit=limit, severities=SEVERITIES, compact=iris.compact),
            mimetype=HTML,
        )
    elif media == "text/csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        columns = ["severity", "entity", "label", "shape", "component", "path", "value", "message", "sources"]
        writer.writerow(columns)
        for row in rows:
            writer.writerow([" ".join(row[c]) if c == "sources" else (row[c] or "") for c in columns])
        resp = Response(buf.getvalue(), mimetype="text/csv")
    else:
        c = counts()
        resp = jsonify({"filters": args, "limit": limit, "offset": offset, "next": next_url,
                        "counts": {"severity": c["severity"], "shape": dict(c["shape"])}, "results": rows})
    if next_url:
        resp.headers["Link"] = f'<{next_url}>; rel="next"'
    resp.headers["Vary"] = "Accept"
    return resp
