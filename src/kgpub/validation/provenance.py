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

# The join is made in Python from four plain patterns: as one query with OPTIONALs, the store
# evaluated each OPTIONAL over every record of every graph before joining on the few hundred ?this
# (≈ 0.14 s per batch, most of a build's validation time at 10,000 works). Together the patterns
# give the rows that query gave, (?this ?g ?name ?start ?end): every graph ?g stating something
# about ?this; the record's own line span in ?g or, for a byline slot, its work record's span;
# the file name of the document whose statements ?g holds. A missing part stays unbound (None),
# several values give one row per combination, as OPTIONAL would. (The two span predicates are a
# FILTER, not a VALUES: given a VALUES the store scanned every span of every graph first.)
_VALUES = "#VALUES#"
_GRAPHS = "SELECT DISTINCT ?this ?g WHERE { #VALUES# GRAPH ?g { ?this ?_p ?_o } }"
_OWN = f"""SELECT DISTINCT ?this ?g ?p ?v WHERE {{ #VALUES#
  GRAPH ?g {{ ?this ?p ?v }} FILTER(?p IN (<{KGPUB}sourceLine>, <{KGPUB}sourceLineEnd>)) }}"""
_OWNER = f"""SELECT DISTINCT ?this ?g ?start ?end WHERE {{ #VALUES#
  GRAPH ?g {{ ?_owner <{KGPUB}authorship> ?this ; <{KGPUB}sourceLine> ?start ; <{KGPUB}sourceLineEnd> ?end }} }}"""
_DOCUMENTS = f"""SELECT DISTINCT ?g ?name WHERE {{
  GRAPH ?_pg {{ ?_doc <{KGPUB}namedGraph> ?g ; <{KGPUB}fileName> ?name }} }}"""

Key = tuple[Any, str]  # (?this, graph IRI)


def _int(term: Any) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _spans(run: Callable[[str], Any], values: str) -> dict[Key, set[tuple[Any, Any]]]:
    """(start, end) terms per (node, graph), exactly as COALESCE over the OPTIONALs would bind them."""
    own: dict[Key, tuple[set[Any], set[Any]]] = {}
    for row in run(_OWN.replace(_VALUES, values)):
        starts, ends = own.setdefault((row["this"], row["g"].value), (set(), set()))
        (starts if row["p"].value.endswith("sourceLine") else ends).add(row["v"])
    owner: dict[Key, set[tuple[Any, Any]]] = {}
    for row in run(_OWNER.replace(_VALUES, values)):
        owner.setdefault((row["this"], row["g"].value), set()).add((row["start"], row["end"]))
    spans: dict[Key, set[tuple[Any, Any]]] = {}
    for key in own.keys() | owner.keys():
        starts, ends = own.get(key, (set(), set()))
        slots = owner.get(key) or {(None, None)}
        spans[key] = {
            (s if s is not None else os_, e if e is not None else oe)
            for s in starts or {None}
            for e in ends or {None}
            for os_, oe in slots
        }
    return spans


def _order(ref: SourceRef) -> tuple[str, int, int, str, str]:
    """Document, then lines; the rest only breaks ties (they were left in set order before)."""
    return (ref.document or ref.graph, ref.line_start or 0, ref.line_end or 0, ref.graph, ref.document or "")


def sources_of(run: Callable[[str], Any], nodes: Iterable[ox.NamedNode]) -> dict[ox.NamedNode, set[SourceRef]]:
    """The source documents (and line spans) that made statements about each node; IRIs are
    looked up in batches of a few hundred."""
    iris = sorted(set(nodes), key=str)
    documents: dict[str, set[str | None]] = {}
    if iris:
        for row in run(_DOCUMENTS):
            documents.setdefault(row["g"].value, set()).add(row["name"].value)
    found: dict[ox.NamedNode, set[SourceRef]] = {}
    for i in range(0, len(iris), _CHUNK):
        values = "VALUES ?this { " + " ".join(str(n) for n in iris[i : i + _CHUNK]) + " }"
        spans = _spans(run, values)
        for row in run(_GRAPHS.replace(_VALUES, values)):
            node, graph = row["this"], row["g"].value
            if graph.endswith(_NOT_SOURCES):
                continue
            here = found.setdefault(node, set())
            for start, end in spans.get((node, graph)) or {(None, None)}:
                for name in documents.get(graph) or {None}:
                    here.add(SourceRef(graph, name, _int(start), _int(end)))
    return found


def ordered(refs: Iterable[SourceRef]) -> tuple[SourceRef, ...]:
    """Documents in the order a curator reads them: by file name, then line."""
    return tuple(sorted(refs, key=_order))


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
