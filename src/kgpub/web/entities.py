"""Dereferenceable entity IRIs: ``/id/{type}/{key}`` → 303 → ``/id/{type}/{key}.{ext}``."""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from kgpub.web import get_store, settings
from kgpub.web.negotiation import HTML, choose, extension_of, media_type_for_extension, rdf_media_types

bp = Blueprint("entities", __name__)

_SAFE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,80}$")

DESCRIBE = """
PREFIX schema: <http://schema.org/>
CONSTRUCT { ?e ?p ?o . ?o schema:name ?label . }
WHERE { ?e ?p ?o OPTIONAL { ?o schema:name ?label } }
"""


def entity_iri(kind: str, key: str) -> str:
    if not _SAFE.match(kind) or not _KEY.match(key):
        abort(404)
    return f"{settings().base}id/{kind}/{key}"


@bp.route("/id/<kind>/<key>", methods=["GET", "HEAD"])
def negotiate(kind: str, key: str) -> BaseResponse:
    entity_iri(kind, key)
    media = choose([HTML, *rdf_media_types()[:4]], HTML)
    resp = redirect(url_for("entities.document", kind=kind, key=key, ext=extension_of(media)), 303)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/id/<kind>/<key>.<ext>", methods=["GET", "HEAD"])
def document(kind: str, key: str, ext: str) -> Response:
    iri = entity_iri(kind, key)
    media = media_type_for_extension(ext)
    if media is None:
        abort(404)
    store = get_store()
    node = ox.NamedNode(iri)
    triples = store.query(DESCRIBE, substitutions={"e": node})
    graph = list(triples)  # type: ignore[arg-type]
    if not graph:
        abort(404, description=f"no entity {iri}")
    if media == HTML:
        rows = sorted(((t.predicate.value, t.object) for t in graph if t.subject == node), key=lambda r: r[0])
        return Response(render_template("entity.html", iri=iri, rows=rows), mimetype=HTML)
    body = ox.serialize(graph, format=ox.RdfFormat.from_media_type(media))
    return Response(body, mimetype=media)
