"""Merging an incremental run into the published report graph in place, in the build's snapshot.

Reading the whole published report back and writing it out again costs time in proportion to the
report, which grows with the graph (≈ 0.2 ms a result to read at 3,000 results). Here the report
graph of the build's private snapshot is changed where the change is: the results of re-validated
focus nodes are deleted (with their path nodes), the new ones loaded, ``sh:conforms`` recomputed.
Every query is bound to focus nodes by VALUES (IRIs from the store), so the cost follows the focus.

The focus must first be closed under the published cross-record links (:func:`close_focus`): a
result of another node that names a re-validated node as its value is replaced too, so its node is
re-validated (:meth:`Report.updated_with` drops such results for the same reason).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from kgpub.validation import vocab
from kgpub.validation.report import Report

_PREFIX = f"PREFIX sh: <{vocab.SH}>\n"
_CHUNK = 400
_PENDING = "<urn:kgpub:validation:pending>"  # marks loaded results until they are linked; never published
_NAMING = _PREFIX + """SELECT DISTINCT ?f WHERE { VALUES ?v { #V# } GRAPH #G# {
  ?r sh:value ?v ; sh:sourceConstraintComponent sh:SPARQLConstraintComponent ; sh:focusNode ?f } }"""
_DELETE = _PREFIX + """DELETE { GRAPH #G# { ?rep sh:result ?r . ?r ?p ?o . ?n ?np ?no } }
WHERE { GRAPH #G# { VALUES ?f { #V# } ?r sh:focusNode ?f . ?rep sh:result ?r . ?r ?p ?o .
  OPTIONAL { ?r sh:resultPath/(sh:none|!sh:none)* ?n . FILTER(isBlank(?n)) ?n ?np ?no } } }"""
_LINK = _PREFIX + """DELETE { GRAPH #G# { ?r #P# ?x } } INSERT { GRAPH #G# { ?rep sh:result ?r } }
WHERE { GRAPH #G# { ?r #P# ?x . ?rep a sh:ValidationReport } }"""
_CONFORMS = _PREFIX + """DELETE { GRAPH #G# { ?rep sh:conforms ?old } } INSERT { GRAPH #G# { ?rep sh:conforms ?now } }
WHERE { GRAPH #G# { ?rep a sh:ValidationReport ; sh:conforms ?old .
  BIND(NOT EXISTS { ?r sh:resultSeverity sh:Violation } AS ?now) } }"""
_COUNTS = _PREFIX + """SELECT ?severity (COUNT(?r) AS ?n) WHERE { GRAPH #G# { ?r sh:resultSeverity ?severity } }
GROUP BY ?severity"""


def _chunks(nodes: Iterable[ox.NamedNode]) -> Iterable[str]:
    ordered = sorted(set(nodes), key=str)
    for i in range(0, len(ordered), _CHUNK):
        yield " ".join(str(n) for n in ordered[i : i + _CHUNK])


def close_focus(run: Callable[[str], Any], vgraph: str, focus: set[ox.NamedNode]) -> set[ox.NamedNode]:
    """``focus`` plus, transitively, the nodes whose published cross-record results name one of
    them as the value; ``run`` queries the published store."""
    out, todo = set(focus), set(focus)
    graph = str(ox.NamedNode(vgraph))
    while todo:
        found: set[ox.NamedNode] = set()
        for values in _chunks(todo):
            found.update(r["f"] for r in run(_NAMING.replace("#G#", graph).replace("#V#", values)))
        todo = {n for n in found if isinstance(n, ox.NamedNode)} - out
        out |= todo
    return out


def merge_in_place(db: ox.Store, vgraph: str, scope: Iterable[ox.NamedNode], newer: Report) -> dict[str, int]:
    """Replace the results of ``scope`` in graph ``vgraph`` of ``db`` by ``newer``'s; returns the
    results per severity afterwards."""
    graph = ox.NamedNode(vgraph)
    g = str(graph)
    for values in _chunks(scope):
        db.update(_DELETE.replace("#G#", g).replace("#V#", values))
    if newer.results:
        lines = [line for line in Report(newer.results).to_ntriples().split("\n") if line]
        report = next(line.split(" ", 1)[0] for line in lines if line.endswith(f"<{vocab.SH}ValidationReport> ."))
        result_lines = [line for line in lines if not line.startswith(report + " ")]
        typed = f" <{vocab.RDF}type> <{vocab.SH}ValidationResult> ."
        marks = [line.split(" ", 1)[0] + f' {_PENDING} "1" .' for line in result_lines if line.endswith(typed)]
        db.load("\n".join(result_lines + marks).encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=graph)
        db.update(_LINK.replace("#G#", g).replace("#P#", _PENDING))
    db.update(_CONFORMS.replace("#G#", g))
    counts = {name: 0 for name in vocab.SEVERITY_NAMES.values()}
    for row in db.query(_COUNTS.replace("#G#", g)):  # type: ignore[union-attr]
        counts[vocab.SEVERITY_NAMES[row["severity"]]] = int(row["n"].value)
    return counts
