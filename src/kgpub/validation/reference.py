"""A reference run of the same shapes with pyshacl, and result keys both engines can be compared on.

kgpub's engine is a compiler of its own; the only way to trust it is to check it against an
independent SHACL implementation. pyshacl validates each graph of a dataset separately, so the
data is given to it as one merged graph (cross-record rules need to see every source).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgpub.validation.report import ValidationResult
from kgpub.validation.shapes import ShapePath

ResultKey = tuple[str, str, str, str, str]  # focus, path, value, severity, component (N-Triples terms)
# Blank nodes have no name two stores share: every blank node is written as "_:".

_SH = "http://www.w3.org/ns/shacl#"


def shapes_turtle(shapes_dir: str | Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(shapes_dir).glob("*.ttl")))


def _term(term: object) -> str:
    if term is None:
        return ""
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def kgpub_keys(results: Iterable[ValidationResult]) -> set[ResultKey]:
    return {
        (
            _term(r.focus),
            r.path.sparql() if r.path else "",
            _term(r.value),
            r.severity.value,
            r.component.value,
        )
        for r in results
    }


def _rdflib_term(term: Any) -> str:
    """An rdflib term written as pyoxigraph writes it, so keys compare as text."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        literal = ox.Literal(str(term), datatype=datatype)
        # a pyoxigraph store keeps some datatypes in canonical form ("1.0"^^xsd:decimal is "1")
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), literal))
        return str(next(iter(store)).object)
    raise TypeError(term)


def _rdflib_path(graph: Any, node: Any) -> ShapePath:
    from rdflib import RDF, URIRef
    from rdflib.collection import Collection

    sh = {
        k: URIRef(_SH + k)
        for k in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath")
    }
    if isinstance(node, URIRef):
        return ShapePath("predicate", str(node))
    if (node, RDF.first, None) in graph:
        return ShapePath("sequence", items=tuple(_rdflib_path(graph, i) for i in Collection(graph, node)))
    for local, pred in sh.items():
        target = graph.value(node, pred)
        if target is None:
            continue
        if local == "alternativePath":
            return ShapePath(
                "alternative", items=tuple(_rdflib_path(graph, i) for i in Collection(graph, target))
            )
        kind = "inverse" if local == "inversePath" else local[: -len("Path")]
        return ShapePath(kind, items=(_rdflib_path(graph, target),))
    raise ValueError(f"unreadable path {node}")


def rdflib_graph(ntriples: bytes | str) -> Any:
    """The merged view as one rdflib graph, lexical forms kept as written (as pyoxigraph keeps them)."""
    import rdflib

    rdflib.NORMALIZE_LITERALS = False
    graph = rdflib.Graph()
    graph.parse(data=ntriples, format="nt")
    return graph


def pyshacl_report(data: Any, shapes_dir: str | Path) -> Any:
    """One pyshacl call over ``data`` with every shape in ``shapes_dir``; the results graph."""
    from pyshacl import validate
    from rdflib import Graph

    shapes = Graph()
    shapes.parse(data=shapes_turtle(shapes_dir), format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    return report


def report_keys(report: Any) -> set[ResultKey]:
    from rdflib import URIRef

    sh = {
        k: URIRef(_SH + k)
        for k in ("result", "focusNode", "resultPath", "value", "resultSeverity", "sourceConstraintComponent")
    }
    keys: set[ResultKey] = set()
    for result in report.objects(None, sh["result"]):
        path = report.value(result, sh["resultPath"])
        value = report.value(result, sh["value"])
        keys.add(
            (
                _rdflib_term(report.value(result, sh["focusNode"])),
                _rdflib_path(report, path).sparql() if path is not None else "",
                _rdflib_term(value) if value is not None else "",
                str(report.value(result, sh["resultSeverity"])),
                str(report.value(result, sh["sourceConstraintComponent"])),
            )
        )
    return keys


def pyshacl_keys(data_ntriples: bytes | str, shapes_dir: str | Path) -> set[ResultKey]:
    """Validate N-Triples (the merged view) with one pyshacl call; the results as comparable keys."""
    return report_keys(pyshacl_report(rdflib_graph(data_ntriples), shapes_dir))
