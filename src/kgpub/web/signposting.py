"""``Link`` headers of entity documents: alternates, canonical, and FAIR Signposting.

Every document lists every format of the same description (``rel=alternate`` with its type) and
the canonical IRI of the document under the dataset base. Works add Signposting
(https://signposting.org/FAIR/): ``describedby`` for each RDF document, ``type`` for the
schema.org class, ``author`` for each resolved author, ``cite-as`` for the persistent identifier
(the DOI, else the arXiv abstract page) and ``related`` for the other identifier.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import request

from kgpub.web import iris
from kgpub.web.describe import Description
from kgpub.web.negotiation import HTML

FORMATS = {
    "html": HTML,
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}


def _link(target: str, rel: str, media: str | None = None) -> str:
    safe = quote(target, safe=":/?#[]@!$&'()*+,;=%~.-_")
    out = f'<{safe}>; rel="{rel}"'
    if media:
        out += f'; type="{media}"'
    return out


def identifiers(desc: Description) -> tuple[str | None, str | None]:
    """(DOI URL, arXiv abstract URL) from the work's sameAs links."""
    doi = arxiv = None
    for obj in desc.objects(desc.iri, iris.SCHEMA + "sameAs"):
        value = obj.value
        if value.startswith(("https://doi.org/", "http://doi.org/", "http://dx.doi.org/")) and doi is None:
            doi = value
        elif value.startswith(("https://arxiv.org/abs/", "http://arxiv.org/abs/")) and arxiv is None:
            arxiv = value
    return doi, arxiv


def link_header(iri: str, ext: str, desc: Description | None) -> str:
    path = iris.local_path(iri) or ""
    host = request.host_url.rstrip("/")
    links = [
        _link(f"{host}{path}.{other}", "alternate", media) for other, media in FORMATS.items() if other != ext
    ]
    links.append(_link(iris.document_iri(iri, ext), "canonical"))
    if desc is None:
        return ", ".join(links)
    if iris.SCHEMA + "ScholarlyArticle" in desc.types(iri) or iris.kind_of(iri) == "work":
        for other, media in FORMATS.items():
            if other != "html":
                links.append(_link(f"{host}{path}.{other}", "describedby", media))
        links.append(_link(iris.SCHEMA + "ScholarlyArticle", "type"))
        links.append(_link(iris.SCHEMA + "AboutPage", "type"))
        for author in desc.objects(iri, iris.SCHEMA + "author"):
            links.append(_link(author.value, "author"))
        doi, arxiv = identifiers(desc)
        if doi:
            links.append(_link(doi, "cite-as"))
            if arxiv:
                links.append(_link(arxiv, "related"))
        elif arxiv:
            links.append(_link(arxiv, "cite-as"))
    return ", ".join(links)
