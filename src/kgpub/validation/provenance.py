"""Joining validation results to the source documents and lines their entities came from.

A curator fixes a problem in a source file, so every result names the documents (and line spans)
that made statements about its focus node. The mapping stage writes one named graph per source
document; the provenance graph describes each document (file name, sha256, capture date), and
each record node carries its line span inside its document's graph (``kgpub:sourceLine``,
``kgpub:sourceLineEnd``); the provenance graph links each document to its graph
(``kgpub:namedGraph``) and names its file (``kgpub:fileName``).

The terms below are the ones the mapping stage writes; they are kept together here so that an
ontology change touches one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

import pyoxigraph as ox

from kgpub.validation.report import SourceRef, ValidationResult

KGPUB = "https://w3id.org/kgpub/ns#"

# Graphs that describe the build itself, not a source: never named as a result's source.
_NOT_SOURCES = ("graph/validation", "graph/provenance", "graph/reconciliation")
_CHUNK = 500

# ?this: focus node (bound by VALUES); ?g: a graph stating something about it; ?name: the file name
# of the source document whose statements ?g holds; ?start/?end: the record's line span in it (a byline
# slot has none of its own: it takes the span of the work record it belongs to).
_QUERY = f"""
SELECT DISTINCT ?this ?g ?name ?start ?end WHERE {{
  #VALUES#
  GRAPH ?g {{ ?this ?_p ?_o }}
  OPTIONAL {{ GRAPH ?g {{ ?this <{KGPUB}sourceLine> ?own_start }} }}
  OPTIONAL {{ GRAPH ?g {{ ?this <{KGPUB}sourceLineEnd> ?own_end }} }}
  OPTIONAL {{ GRAPH ?g {{ ?_owner <{KGPUB}authorship> ?this ; <{KGPUB}sourceLine> ?owner_start ;
                                  <{KGPUB}sourceLineEnd> ?owner_end }} }}
  OPTIONAL {{ GRAPH ?_pg {{ ?_doc <{KGPUB}namedGraph> ?g ; <{KGPUB}fileName> ?name }} }}
  BIND(COALESCE(?own_start, ?owner_start) AS ?start)
  BIND(COALESCE(?own_end, ?owner_end) AS ?end)
}}
"""


def _int(term: Any) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def sources_of(run: Callable[[str], Any], nodes: Iterable[ox.NamedNode]) -> dict[ox.NamedNode, set[SourceRef]]:
    """The source documents (and line spans) that made statements about each node; IRIs are
    looked up in batches of a few hundred."""
    iris = sorted(set(nodes), key=str)
    found: dict[ox.NamedNode, set[SourceRef]] = {}
    for i in range(0, len(iris), _CHUNK):
        chunk = iris[i : i + _CHUNK]
        values = "VALUES ?this { " + " ".join(str(n) for n in chunk) + " }"
        for row in run(_QUERY.replace("#VALUES#", values)):
            graph = row["g"].value
            if graph.endswith(_NOT_SOURCES):
                continue
            name = row["name"]
            ref = SourceRef(
                graph, name.value if name is not None else None, _int(row["start"]), _int(row["end"])
            )
            found.setdefault(row["this"], set()).add(ref)
    return found


def ordered(refs: Iterable[SourceRef]) -> tuple[SourceRef, ...]:
    """Documents in a stable order a curator can read: by file name, then line."""
    return tuple(sorted(refs, key=lambda s: (s.document or s.graph, s.line_start or 0)))


def attach_sources(run: Callable[[str], Any], results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """``results`` with ``sources`` filled in."""
    results = list(results)
    found = sources_of(run, (r.focus for r in results if isinstance(r.focus, ox.NamedNode)))
    out = []
    for r in results:
        refs = found.get(r.focus)  # type: ignore[arg-type]
        if refs:
            r = replace(r, sources=ordered(refs))
        out.append(r)
    return out
