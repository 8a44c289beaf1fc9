"""The arXiv category taxonomy published as a graph of its own, so that topic IRIs have labels.

The taxonomy is data (``ontology/arxiv-taxonomy.ttl``, a SKOS concept scheme) read by the parsers
to resolve codes; publishing the same file lets a consumer (and the entity pages) read a topic's
``skos:prefLabel``, ``skos:notation`` and archive without a second source.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from kgpub.identity import graph_iri
from kgpub.project import data_file


@cache
def _taxonomy_ntriples() -> str:
    path = data_file("ontology", "arxiv-taxonomy.ttl")
    quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    body = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    return body.decode("utf-8") if body else ""


def taxonomy_graph(base: str) -> tuple[str, str]:
    """(graph IRI, N-Triples text) of the taxonomy graph under ``base``."""
    return graph_iri(base, "taxonomy"), _taxonomy_ntriples()
