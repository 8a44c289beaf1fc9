"""HTTP headers of published documents: validators (ETag, Last-Modified, 304) and ``Link``s.

Validators: on an embedded store a document cannot change while the snapshot it was rendered from
is current, so its ETag is derived from (snapshot id, URL, media type) and a revalidation is
answered before any query runs. Other stores get an ETag hashed from the body, and a Last-Modified
remembered from the first time that body was served.

Links: every document lists every format of the same description (``rel=alternate`` with its
type) and the canonical IRI of the document under the dataset base. Works add FAIR Signposting
(https://signposting.org/FAIR/): ``describedby`` for each RDF document, ``type`` for the schema.org
class, ``author`` for each resolved author, ``cite-as`` for the persistent identifier (the DOI,
else the arXiv abstract page) and ``related`` for the other identifier.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from flask import Response, request

from kgpub.store import Store
from kgpub.web import iris
from kgpub.web.describe import Description
from kgpub.web.listings import snapshot_key
from kgpub.web.negotiation import HTML

RENDER_VERSION = "pages-1"  # bump when rendering changes so cached copies are refetched

_first_seen: dict[str, datetime] = {}


def _now() -> datetime:
    return datetime.fromtimestamp(int(time.time()), tz=UTC)


def etag_for(store: Store, url: str, media_type: str) -> str | None:
    snap = snapshot_key(store)
    if snap is None:
        return None
    raw = f"{RENDER_VERSION}\n{snap}\n{url}\n{media_type}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def last_modified(store: Store) -> datetime | None:
    """When the current snapshot was published (its directory's mtime)."""
    current = getattr(store, "current_snapshot", None)
    if current is None:
        return None
    path: Path | None = current()
    if path is None:
        return None
    try:
        marker = path.with_suffix(".json")
        stamp = (marker if marker.exists() else path).stat().st_mtime
    except OSError:
        return None
    return datetime.fromtimestamp(int(stamp), tz=UTC)


def _not_modified(etag: str, modified: datetime | None) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    if request.if_modified_since is not None and modified is not None:
        return modified <= request.if_modified_since
    return False


def _stamp(resp: Response, etag: str, modified: datetime | None) -> None:
    resp.set_etag(etag)
    if modified is not None:
        resp.last_modified = modified


def precondition_response(store: Store, etag: str | None) -> Response | None:
    """A 304 before rendering, when the client's copy is of the current snapshot."""
    if etag is None:
        return None
    modified = last_modified(store)
    if not _not_modified(etag, modified):
        return None
    resp = Response(status=304)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    _stamp(resp, etag, modified)
    return resp


def conditional_response(store: Store, resp: Response, etag: str | None) -> Response:
    """Add validators to a full response; turn it into a 304 when the client's copy matches."""
    if etag is None:
        etag = hashlib.sha256(resp.get_data()).hexdigest()[:32]
        modified = _first_seen.setdefault(etag, _now())
        if len(_first_seen) > 100_000:
            _first_seen.clear()
    else:
        modified = last_modified(store) or _first_seen.setdefault(etag, _now())
    _stamp(resp, etag, modified)
    if _not_modified(etag, modified):
        resp.status_code = 304
        resp.set_data(b"")
        resp.headers.pop("Content-Length", None)
    return resp


# -- links ----------------------------------------------------------------------------------------
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
