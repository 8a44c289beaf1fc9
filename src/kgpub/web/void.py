"""The dataset description at ``/.well-known/void``: VoID + DCAT, with statistics, the SPARQL
endpoint, the dumps and the license; negotiated (HTML or any RDF format).

It is also a crawler's way in: ``void:rootResource`` lists the source documents and one example of
each class, and every entity's RDF links to its neighbours, so following links in RDF alone
reaches the whole graph. Statistics come from the per-snapshot cache.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from kgpub.web import get_store, iris, listings, settings
from kgpub.web.describe import dataset_iri
from kgpub.web.dumps import dump_files
from kgpub.web.negotiation import HTML, choose

bp = Blueprint("void", __name__)

VOID_FORMATS = [HTML, "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOCABULARIES = (iris.SCHEMA, iris.FOAF, iris.SKOS, iris.DCT, iris.PROV, iris.KGPUB)


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> ox.Triple:
    obj = ox.NamedNode(o) if isinstance(o, str) else o
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(iris.XSD + "integer"))


def void_triples() -> list[ox.Triple]:
    store = get_store()
    stats = listings.stats(store)
    base, ds = iris.base(), dataset_iri()
    a = iris.RDF + "type"
    out = [
        _t(ds, a, iris.VOID + "Dataset"),
        _t(ds, a, iris.DCAT + "Dataset"),
        _t(ds, iris.DCT + "title", ox.Literal(settings().title)),
        _t(ds, iris.DCT + "description", ox.Literal("Scholarly works, people, topics and their sources.")),
        _t(ds, iris.VOID + "sparqlEndpoint", base + "sparql"),
        _t(ds, iris.VOID + "uriSpace", ox.Literal(base + "id/")),
        _t(ds, iris.VOID + "triples", _int(stats.quads)),
        _t(ds, iris.VOID + "entities", _int(sum(stats.classes.values()))),
        _t(ds, iris.VOID + "classes", _int(len(stats.classes))),
        _t(ds, iris.RDFS + "seeAlso", base + "sitemap.xml"),
        _t(ds, iris.VOID + "feature", "http://www.w3.org/ns/formats/Turtle"),
        _t(ds, iris.VOID + "feature", "http://www.w3.org/ns/formats/JSON-LD"),
        _t(base + "sparql", a, iris.DCAT + "DataService"),
        _t(base + "sparql", a, SD + "Service"),
        _t(base + "sparql", iris.DCAT + "endpointURL", base + "sparql"),
        _t(base + "sparql", iris.DCAT + "servesDataset", ds),
        _t(ds, iris.DCAT + "accessService", base + "sparql"),
    ]
    if settings().license:
        out.append(_t(ds, iris.DCT + "license", settings().license))
    for vocab in VOCABULARIES:
        out.append(_t(ds, iris.VOID + "vocabulary", vocab))
    for i, (cls, count) in enumerate(sorted(stats.classes.items()), start=1):
        part = f"{base}.well-known/void#class-{i}"
        out += [_t(ds, iris.VOID + "classPartition", part), _t(part, iris.VOID + "class", cls),
                _t(part, iris.VOID + "entities", _int(count))]  # fmt: skip
    examples = listings.examples(store)
    roots = {iri for iri in examples.values() if iris.local_path(iri)}
    roots |= {iri for cls, iri in examples.items() if cls == iris.KGPUB + "SourceDocument"}
    for iri in sorted(roots):
        out.append(_t(ds, iris.VOID + "exampleResource", iri))
    for source in sorted(stats.graphs):
        if source.startswith(base + "graph/source/"):
            out.append(_t(ds, iris.VOID + "rootResource", base + "id/source/" + source.rsplit("/", 1)[1]))
    for item in dump_files():
        url = base + "dumps/" + item.name
        dist = url + "#distribution"
        out += [
            _t(ds, iris.VOID + "dataDump", url),
            _t(ds, iris.DCAT + "distribution", dist),
            _t(dist, a, iris.DCAT + "Distribution"),
            _t(dist, iris.DCAT + "downloadURL", url),
            _t(
                dist,
                iris.DCAT + "mediaType",
                "https://www.iana.org/assignments/media-types/" + item.media_type,
            ),
            _t(dist, iris.DCAT + "byteSize", _int(item.size)),
        ]
        if item.sha256:
            checksum = url + "#sha256"
            out += [
                _t(dist, SPDX + "checksum", checksum),
                _t(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256"),
                _t(checksum, SPDX + "checksumValue", ox.Literal(item.sha256)),
            ]
    return out


def void_response(media: str) -> Response:
    body = ox.serialize(void_triples(), format=ox.RdfFormat.from_media_type(media), prefixes=iris.PREFIXES)
    resp = Response(body, mimetype=media)
    resp.headers["Link"] = f'<{iris.base()}.well-known/void>; rel="canonical"'
    return resp


@bp.route("/.well-known/void")
def void() -> Response:
    media = choose(VOID_FORMATS, HTML)
    if media == HTML:
        triples = void_triples()
        turtle = (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=iris.PREFIXES) or b"").decode()
        stats = listings.stats(get_store())
        html = render_template("void.html", turtle=turtle, stats=stats, dumps=dump_files())
        resp = Response(html, mimetype=HTML)
    else:
        resp = void_response(media)
    resp.vary.add("Accept")
    return resp
