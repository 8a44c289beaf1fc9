"""Where an IRI leads: the app's own path for the IRIs it publishes, an outbound link, or nothing.

The store holds IRIs minted under ``settings().base``; the app may be reached under any host (a
test server on a loopback port, a proxy), so links to our own entities are written as paths, and
a request path is turned back into an IRI under the base. Topics live in the arXiv taxonomy's
namespace (``https://w3id.org/kgpub/arxiv/``) and are served locally under ``/id/topic/``.

``safe_href`` is the Jinja filter every ``href`` goes through: autoescape alone lets
``javascript:`` and ``data:`` IRIs become clickable, so only http(s), mailto and our own paths pass.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

from kgpub.web import settings

SCHEMA = "http://schema.org/"
KGPUB = "https://w3id.org/kgpub/ns#"
ARXIV = "https://w3id.org/kgpub/arxiv/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES = {
    "schema": SCHEMA, "kgpub": KGPUB, "arxiv": ARXIV, "skos": SKOS, "foaf": FOAF, "rdf": RDF,
    "rdfs": RDFS, "dcterms": DCT, "prov": PROV, "sh": SH, "void": VOID, "dcat": DCAT, "xsd": XSD,
    "owl": OWL,
}  # fmt: skip

KINDS = ("work", "person", "authorship", "organization", "profile", "listing", "source", "topic")
_KIND = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_KEY = re.compile(r"^[A-Za-z0-9_.~-]{1,120}$")
_SAFE_SCHEMES = ("http", "https", "mailto")


def base() -> str:
    b: str = settings().base
    return b if b.endswith("/") else b + "/"


def valid_kind_key(kind: str, key: str) -> bool:
    return bool(_KIND.match(kind) and _KEY.match(key)) and ".." not in key


def candidate_iris(kind: str, key: str) -> list[str]:
    """The IRIs a path ``/id/{kind}/{key}`` may name (a topic may be minted locally or in the taxonomy)."""
    own = f"{base()}id/{kind}/{key}"
    return [own, ARXIV + key] if kind == "topic" else [own]


def _site() -> tuple[str, str]:
    """(base, script root): what turns an IRI into our path."""
    return base(), (request.script_root if request else "")


def local_path(iri: str, site: tuple[str, str] | None = None) -> str | None:
    """The app path serving ``iri``, or None when it is not ours."""
    b, root = site or _site()
    if iri.startswith(b + "id/"):
        rest = iri[len(b) :]
        if "#" in rest or "?" in rest:
            return None
        return f"{root}/{rest}"
    if iri.startswith(ARXIV) and _KEY.match(iri[len(ARXIV) :]):
        return f"{root}/id/topic/{iri[len(ARXIV) :]}"
    return None


def _kind_of_path(path: str | None) -> str | None:
    if path is None:
        return None
    parts = path.rsplit("/", 2)
    return parts[-2] if len(parts) == 3 else None


def kind_of(iri: str) -> str | None:
    """The ``{type}`` segment of one of our entity IRIs."""
    return _kind_of_path(local_path(iri))


def document_iri(iri: str, ext: str) -> str:
    """The IRI of the per-format document describing ``iri`` (under the base, whatever the host)."""
    path = local_path(iri)
    if path is None:
        return iri
    rel = path[len(request.script_root) :] if request else path
    return f"{base()}{rel.lstrip('/')}.{ext}"


def safe_href(value: object) -> str | None:
    """An href only for http(s)/mailto IRIs or our own paths; anything else renders as text."""
    text = str(value or "").strip()
    if not text:
        return None
    if text.startswith("/") and not text.startswith("//"):
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    return text


def link_for(iri: str) -> str | None:
    """What an entity link should point at: our path when we serve it, else a safe outbound href.
    Graph names under the base are identifiers, not pages: they stay text."""
    return link_and_kind(iri)[0]


def link_and_kind(iri: str) -> tuple[str | None, str | None]:
    """(:func:`link_for`, :func:`kind_of`) of one IRI, the base and script root looked up once
    (a page makes a hundred entity links, each lookup goes through Flask's context proxies)."""
    site = _site()
    path = local_path(iri, site)
    if iri.startswith(site[0] + "graph/"):
        return None, _kind_of_path(path)
    return path or safe_href(iri), _kind_of_path(path)


def compact(iri: str) -> str:
    """``schema:name`` for display."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
