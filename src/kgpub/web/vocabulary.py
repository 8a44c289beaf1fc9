"""The ontology at its namespace path (``/ns``) and the SHACL shapes (``/shapes``), negotiated.

Both are read from the project's data folders (:func:`kgpub.project.data_dir`), parsed once per
file modification time, and served as HTML (terms with labels and comments) or any RDF format.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, send_file

from kgpub import project
from kgpub.web import iris
from kgpub.web.negotiation import HTML, choose

bp = Blueprint("vocabulary", __name__)

FORMATS = [HTML, "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.ttl$")
_parsed: dict[tuple[str, float], list[ox.Triple]] = {}
_lock = threading.Lock()

TERMS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?t (SAMPLE(?ty) AS ?type) (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?comment) WHERE {
  ?t a ?ty FILTER(isIRI(?t)) OPTIONAL { ?t rdfs:label ?l } OPTIONAL { ?t rdfs:comment ?c } }
GROUP BY ?t ORDER BY ?type ?t"""


def _triples(path: Path) -> list[ox.Triple]:
    key = (str(path), path.stat().st_mtime)
    with _lock:
        if key not in _parsed:
            quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            _parsed[key] = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        return _parsed[key]


def _shape_files() -> list[Path]:
    folder = project.data_dir("shapes")
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _NAME.match(p.name) and p.is_file())


def _terms(triples: list[ox.Triple]) -> list[dict[str, str]]:
    mem = ox.Store()
    mem.extend([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
    out = []
    for r in mem.query(TERMS):  # type: ignore[union-attr]
        out.append(
            {
                "iri": r["t"].value,
                "name": iris.compact(r["t"].value),
                "type": iris.compact(r["type"].value) if r["type"] is not None else "",
                "label": r["label"].value if r["label"] is not None else "",
                "comment": r["comment"].value if r["comment"] is not None else "",
                "anchor": r["t"].value.rsplit("#", 1)[-1] if "#" in r["t"].value else "",
            }
        )
    return out


def _serve(triples: list[ox.Triple], media: str) -> Response:
    body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(media), prefixes=iris.PREFIXES)
    return Response(body, mimetype=media)


@bp.route("/ns")
def ontology() -> Response:
    path = project.data_dir("ontology") / "kgpub.ttl"
    if not path.is_file():
        abort(404, description="the ontology file is not installed")
    media = choose(FORMATS, HTML)
    triples = _triples(path)
    if media == HTML:
        html = render_template(
            "ns.html", title="kgpub vocabulary", namespace=iris.KGPUB, terms=_terms(triples)
        )
        resp = Response(html, mimetype=HTML)
    else:
        resp = _serve(triples, media)
    resp.vary.add("Accept")
    return resp


@bp.route("/shapes")
def shapes() -> Response:
    files = _shape_files()
    media = choose(FORMATS, HTML)
    if media == HTML:
        triples = [t for f in files for t in _triples(f)]
        html = render_template("shapes.html", files=[f.name for f in files], terms=_terms(triples))
        resp = Response(html, mimetype=HTML)
    else:
        resp = _serve([t for f in files for t in _triples(f)], media)
    resp.vary.add("Accept")
    return resp


@bp.route("/shapes/<name>")
def shape_file(name: str) -> Response:
    files = {f.name: f for f in _shape_files()}
    if name not in files:
        abort(404)
    resp = send_file(files[name], mimetype="text/turtle", conditional=True)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
