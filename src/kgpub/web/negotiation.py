"""Content negotiation over pyoxigraph's own format table.

Media types, file extensions and names come from ``pyoxigraph.RdfFormat`` and
``QueryResultsFormat`` (the one authoritative table); this module only decides which of the offered
ones a request wants: ``?format=`` (a name, an extension or a media type) wins, then Accept with
q-values (werkzeug's parser), and a missing Accept or ``*/*`` gets the caller's default.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from flask import request

from kgpub.errors import NotAcceptableError

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
    "rdf+xml": "application/rdf+xml",
    "xml+rdf": "application/rdf+xml",
    "json+ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
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


def _from_format_param(value: str, offered: Sequence[str]) -> str:
    key = value.strip().lower()
    media = _ALIASES.get(key, _EQUIVALENT.get(key, key))
    if media in offered:
        return media
    raise NotAcceptableError(
        f"format {value!r} is not offered here", offered=offered, hint="use one of the offered media types"
    )


def choose(offered: Sequence[str], default: str, *, param: str = "format") -> str:
    """Pick the response media type, or raise 406 listing what is offered."""
    explicit = request.values.get(param) if param else None
    if explicit:
        return _from_format_param(explicit, offered)
    accept = request.accept_mimetypes
    if not accept or not request.headers.get("Accept", "").strip():
        return default
    best: tuple[float, int, str] | None = None
    for raw, quality in accept:
        media = _EQUIVALENT.get(raw.lower(), raw.lower())
        if quality <= 0:
            continue
        if media in ("*/*",):
            candidates = [default]
        elif media.endswith("/*"):
            candidates = [o for o in offered if o.startswith(media[:-1])]
        else:
            candidates = [media] if media in offered else []
        for cand in candidates:
            # specificity: an exact match beats a wildcard at the same q
            spec = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
            if accept.quality(cand) <= 0 and spec < 2:
                continue
            rank = (quality, spec, cand)
            if best is None or rank[:2] > best[:2]:
                best = rank
    if best is None:
        raise NotAcceptableError(
            "none of the media types in Accept is offered here",
            offered=offered,
            hint="ask for one of the offered media types, or use ?format=",
        )
    return best[2]
