"""Dereferenceable entity IRIs: ``/id/{type}/{key}`` → 303 → ``/id/{type}/{key}.{ext}``.

The IRI itself is negotiated (Accept with q-values, ``?format=``, ``Vary: Accept``, 406 listing the
offered formats); the per-format documents are plain resources with ``Link`` alternates, a canonical
link, FAIR Signposting on works, and validators (ETag, Last-Modified) answering 304. A merged-away
IRI answers 301 to its survivor; an unknown one a 404 that points at the search.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from kgpub.errors import UsageError
from kgpub.web import get_store, iris, settings
from kgpub.web.describe import MAX_INCOMING, describe, document_triples, exists, merged_into
from kgpub.web.errors import error_response
from kgpub.web.headers import conditional_response, etag_for, link_header, precondition_response
from kgpub.web.negotiation import HTML, choose, extension_of, media_type_for_extension
from kgpub.web.render import render_page
from kgpub.web.render.values import link_html

bp = Blueprint("entities", __name__)
bp.app_template_filter("href")(iris.safe_href)
bp.app_template_global("link_html")(link_html)


@bp.app_context_processor
def _site() -> dict[str, str]:
    return {"dataset_title": settings().title}


ENTITY_FORMATS = [HTML, "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
PAGE_INCOMING = 200
TOPIC_PAGE_INCOMING = 12
EXTENSIONS = {extension_of(m): m for m in ENTITY_FORMATS}


def _resolve(kind: str, key: str) -> tuple[str | None, str | None]:
    """(entity IRI, survivor IRI when merged away); (None, None) when unknown."""
    if not iris.valid_kind_key(kind, key):
        return None, None
    store = get_store()
    for iri in iris.candidate_iris(kind, key):
        survivor = merged_into(store, iri)
        if survivor is not None:
            return iri, survivor
        if exists(store, iri):
            return iri, None
    return None, None


def _not_found(kind: str, key: str) -> Response:
    return error_response(
        404,
        "not-found",
        f"there is no {kind} /id/{kind}/{key} in this dataset",
        hint="search by name or title at /search?q=… or browse from the home page",
        search=True,
    )


def _split(key: str) -> tuple[str, str | None]:
    stem, dot, ext = key.rpartition(".")
    if dot and ext in EXTENSIONS:
        return stem, ext
    return key, None


@bp.route("/id/<kind>/<key>", methods=["GET", "HEAD"])
def entity(kind: str, key: str) -> BaseResponse:
    stem, ext = _split(key)
    if ext is not None:
        return document(kind, stem, ext)
    iri, survivor = _resolve(kind, key)
    if iri is None:
        return _not_found(kind, key)
    if survivor is not None:
        return _moved(survivor, None)
    media = choose(ENTITY_FORMATS, HTML)
    target = f"{request.script_root}/id/{kind}/{key}.{extension_of(media)}"
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "format"]
    if kept:  # paging and sorting of the page survive the redirect
        target += "?" + urlencode(kept)
    resp = redirect(target, 303)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _moved(survivor: str, ext: str | None) -> BaseResponse:
    path = iris.local_path(survivor)
    if path is None:
        abort(404)
    resp = redirect(path + (f".{ext}" if ext else ""), 301)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def document(kind: str, key: str, ext: str) -> BaseResponse:
    media = media_type_for_extension(ext)
    if media is None or media not in ENTITY_FORMATS:
        abort(404)
    if request.args.get("format"):
        raise UsageError("a document URL has a fixed format", hint=f"drop ?format= or ask /id/{kind}/{key}")
    iri, survivor = _resolve(kind, key)
    if iri is None:
        return _not_found(kind, key)
    if survivor is not None:
        return _moved(survivor, ext)
    store = get_store()
    etag = etag_for(store, request.full_path, media)
    early = precondition_response(store, etag)
    if early is not None:
        early.headers["Link"] = link_header(iri, ext, None)
        return early
    # an HTML page lists a topic's or a person's works itself (paged); its description needs fewer
    # statements pointing at the entity, a topic page a few (its list comes from the topic lists;
    # these give its embedded JSON-LD some works, as statements its RDF documents also make)
    incoming = MAX_INCOMING if media != HTML else TOPIC_PAGE_INCOMING if kind == "topic" else PAGE_INCOMING
    desc = describe(store, iri, incoming=incoming)
    if media == HTML:
        body = render_page(kind, desc).encode("utf-8")
        mimetype = HTML
    else:
        doc_iri = iris.document_iri(iri, ext)
        fmt = ox.RdfFormat.from_media_type(media)
        body = ox.serialize(document_triples(desc, doc_iri), format=fmt, prefixes=iris.PREFIXES)  # type: ignore[assignment]
        mimetype = media
    resp = Response(body, mimetype=mimetype)
    resp.headers["Link"] = link_header(iri, ext, desc)
    return conditional_response(store, resp, etag)


@bp.after_request
def _vary(resp: Response) -> Response:
    """Every answer under /id/ may depend on Accept (the IRI is negotiated, errors too)."""
    resp.vary.add("Accept")
    return resp
