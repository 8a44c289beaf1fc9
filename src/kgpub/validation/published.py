"""Reading the published validation report back from the store, and what it was made with.

An incremental build merges new results into the report the last build published, so that report
has to come back as a :class:`Report` whose result keys equal the ones a fresh run would make. The
report graph also records a digest of the shapes and of the engine that made it: results made by
other shapes (or another engine) cannot be merged, and the build validates everything instead.
Source attribution is not stored in the graph (readers join it from the store when they show a
result), so results come back without ``sources``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kgpub.validation import vocab
from kgpub.validation.report import Report, ValidationResult
from kgpub.validation.shapes import ShapePath

SHAPES_DIGEST = ox.NamedNode("https://w3id.org/kgpub/ns#shapesDigest")
ENGINE_VERSION = "1"  # raise when results of the same shapes would come out differently
_PATH_KINDS = {"inversePath": "inverse", "alternativePath": "alternative", "zeroOrMorePath": "zeroOrMore",
               "oneOrMorePath": "oneOrMore", "zeroOrOnePath": "zeroOrOne"}


def shapes_digest(shapes_dir: str | Path | None = None) -> str:
    """sha256 over the shapes files, the engine version and the engine's own code."""
    if shapes_dir is None:
        from kgpub.project import data_dir

        shapes_dir = data_dir("shapes")
    h = hashlib.sha256(f"engine {ENGINE_VERSION}\n".encode())
    files = sorted(Path(shapes_dir).glob("*.ttl")) + sorted(Path(__file__).parent.glob("*.py"))
    for path in files:
        h.update(f"{path.name}\n".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def recorded_digest(store: Any, vgraph: str) -> str | None:
    """The shapes digest recorded with the published report (None: none recorded)."""
    graph = str(ox.NamedNode(vgraph))  # inline, not bound: a bound graph was found by scanning every graph
    rows = list(store.query(f"SELECT ?d WHERE {{ GRAPH {graph} {{ {graph} {SHAPES_DIGEST} ?d }} }}"))
    return rows[0]["d"].value if len(rows) == 1 else None


_COUNTS = """SELECT ?severity ?g (COUNT(?r) AS ?n) WHERE {
  GRAPH ?g { ?r <http://www.w3.org/ns/shacl#resultSeverity> ?severity } } GROUP BY ?severity ?g"""


def published_counts(store: Any, vgraph: str) -> dict[str, int]:
    """Results per severity in the published validation graph (an unchanged build re-validates nothing)."""
    rows = store.query(_COUNTS, substitutions={"g": ox.NamedNode(vgraph)})
    return {row["severity"].value.rsplit("#", 1)[-1]: int(row["n"].value) for row in rows}


def why_full(vgraph: str, graphs: list[str], shapes_same: bool) -> str:
    """Why a build over a store holding ``graphs`` must validate everything ('' when it may
    validate only what changed)."""
    if vgraph not in graphs:
        return "no validation report published yet"
    if not shapes_same:
        return "the shapes or the validation engine changed since the published report, or it records none"
    return ""


def digest_line(vgraph: str, digest: str) -> str:
    """The N-Triples statement recording ``digest`` in the report graph."""
    return f"{ox.NamedNode(vgraph)} {SHAPES_DIGEST} {ox.Literal(digest)} .\n"


@dataclass
class Published:
    report: Report | None  # None: the graph holds results that cannot be read back exactly
    digest: str | None
    problem: str = ""


def read_published(store: object, vgraph: str) -> Published:
    """The report in graph ``vgraph`` of ``store`` (a kgpub store), with its shapes digest. One
    pass over the graph's statements (a per-result query cost ~0.25 ms a result)."""
    rows = store.query(  # type: ignore[attr-defined]
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(vgraph)} {{ ?s ?p ?o }} }}"  # inline: see incremental
    )
    graph: Graph = {}
    results = []
    for t in rows:
        graph.setdefault(t.subject, {}).setdefault(t.predicate, []).append(t.object)
        if t.predicate == vocab.RDF_TYPE and t.object == _RESULT:
            results.append(t.subject)
    found = graph.get(ox.NamedNode(vgraph), {}).get(SHAPES_DIGEST, [])
    digest = found[0].value if len(found) == 1 and isinstance(found[0], ox.Literal) else None
    out: list[ValidationResult] = []
    for node in results:
        result = _result(graph, node)
        if isinstance(result, str):
            return Published(None, digest, result)
        out.append(result)
    from kgpub.validation.report import _sorted

    return Published(Report(_sorted(out)), digest)


Graph = dict[Any, dict[Any, list[Any]]]
_RESULT = vocab.sh("ValidationResult")


def _objects(graph: Graph, node: object, predicate: ox.NamedNode) -> list[Any]:
    return graph.get(node, {}).get(predicate, [])


def _one(graph: Graph, node: object, local: str) -> Any:
    found = _objects(graph, node, vocab.sh(local))
    return found[0] if len(found) == 1 else None


def _result(mem: Graph, node: object) -> ValidationResult | str:
    focus, severity = _one(mem, node, "focusNode"), _one(mem, node, "resultSeverity")
    component, shape = _one(mem, node, "sourceConstraintComponent"), _one(mem, node, "sourceShape")
    message, value = _one(mem, node, "resultMessage"), _one(mem, node, "value")
    constraint, path_node = _one(mem, node, "sourceConstraint"), _one(mem, node, "resultPath")
    if not isinstance(shape, ox.NamedNode):
        return "a published result names no shape IRI (a blank-node shape cannot be matched again)"
    if isinstance(focus, ox.BlankNode) or isinstance(value, ox.BlankNode):
        return "a published result has a blank node as its focus or value"
    if not isinstance(component, ox.NamedNode) or severity not in vocab.SEVERITY_NAMES:
        return "a published result lacks its severity or constraint component"
    if component == vocab.sh("SPARQLConstraintComponent") and not isinstance(constraint, ox.NamedNode):
        return "a published SPARQL result names no constraint IRI"
    path = _path(mem, path_node) if path_node is not None else None
    if isinstance(path, str):
        return path
    return ValidationResult(
        focus=focus,
        path=path,
        value=value,
        severity=severity,
        shape=shape,
        shape_label=vocab.compact(shape.value),
        component=component,
        message=message.value if isinstance(message, ox.Literal) else "",
        constraint=constraint,
    )


def _list(mem: Graph, head: object) -> list[object] | None:
    items: list[object] = []
    while head != vocab.RDF_NIL:
        first, rest = _objects(mem, head, vocab.RDF_FIRST), _objects(mem, head, vocab.RDF_REST)
        if len(first) != 1 or len(rest) != 1:
            return None
        items.append(first[0])
        head = rest[0]
    return items


def _path(mem: Graph, node: object) -> ShapePath | str:
    if isinstance(node, ox.NamedNode):
        return ShapePath("predicate", node.value)
    if _objects(mem, node, vocab.RDF_FIRST):
        items = _list(mem, node)
        parts = [_path(mem, i) for i in items or []]
        if items is None or any(isinstance(p, str) for p in parts):
            return "a published sequence path cannot be read"
        return ShapePath("sequence", items=tuple(parts))  # type: ignore[arg-type]
    for local, kind in _PATH_KINDS.items():
        target = _one(mem, node, local)
        if target is None:
            continue
        if kind == "alternative":
            items = _list(mem, target)
            parts = [_path(mem, i) for i in items or []]
        else:
            parts = [_path(mem, target)]
        if any(isinstance(p, str) for p in parts):
            return "a published path cannot be read"
        return ShapePath(kind, items=tuple(parts))  # type: ignore[arg-type]
    return "a published result path is neither an IRI nor a SHACL path expression"
