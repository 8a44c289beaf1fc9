"""RDF and SPARQL result formats: pyoxigraph's table, plus the names clients use for them.

pyoxigraph's ``RdfFormat`` / ``QueryResultsFormat`` are the authoritative table of media types and
file extensions; this module adds only what it lacks (short names such as ``ttl`` or ``json``, and
media types clients send that mean the same format) so the CLI and the web agree on one list.
"""

from __future__ import annotations

import pyoxigraph as ox

HTML = "text/html"

RDF_FORMATS: tuple[ox.RdfFormat, ...] = (
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.JSON_LD,
    ox.RdfFormat.RDF_XML,
    ox.RdfFormat.N_QUADS,
    ox.RdfFormat.TRIG,
)
RESULT_FORMATS: tuple[ox.QueryResultsFormat, ...] = (
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
)
# extra names clients send for the same formats
_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "xml+rdf": "application/rdf+xml",
    "json+ld": "application/ld+json",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "html": HTML,
}
# equivalent media types clients use
_EQUIVALENT = {
    "application/json": "application/sparql-results+json",
    "text/xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
    "application/xhtml+xml": HTML,
}


def _bare(media_type: str) -> str:
    """pyoxigraph names CSV/TSV with ``; charset=utf-8``; Accept and ?format= name the bare type."""
    return media_type.split(";", 1)[0].strip()


def rdf_media_types() -> list[str]:
    return [_bare(f.media_type) for f in RDF_FORMATS]


def result_media_types() -> list[str]:
    return [_bare(f.media_type) for f in RESULT_FORMATS]


def extension_of(media_type: str) -> str:
    if media_type == HTML:
        return "html"
    if media_type == "application/ld+json":
        return "jsonld"
    return ox.RdfFormat.from_media_type(media_type).file_extension  # type: ignore[union-attr]


def media_type_for_extension(ext: str) -> str | None:
    if ext == "html":
        return HTML
    if ext == "jsonld":
        return "application/ld+json"
    fmt = ox.RdfFormat.from_extension(ext)
    return fmt.media_type if fmt else None


def media_type_for_name(name: str) -> str:
    """A format name, extension or media type (``json``, ``ttl``, ``text/csv``) → its media type."""
    key = name.strip().lower()
    return _ALIASES.get(key, _EQUIVALENT.get(key, key))
