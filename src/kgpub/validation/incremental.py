"""Re-validating only what a changed source can affect, with the result a full run would give.

A build that changes a few graphs compares each changed graph's published statements with its new
ones (and takes every statement of a removed graph): those changed statements, not the graphs, bound
the work. :mod:`kgpub.validation.dependencies` turns them into the focus nodes whose results they
can alter, on the data about to be published (the build's own snapshot, not a copy in memory). The
focus is then closed under the previous report's cross-record links: a result of an unchanged node
that names a re-validated node as its value is dropped by :meth:`Report.updated_with`, so that node
is re-validated too. Whatever cannot be bounded raises :class:`Unbounded` with the reason, and the
build validates everything.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kgpub.validation import vocab
from kgpub.validation.dependencies import Unbounded, analyse
from kgpub.validation.engine import compile_shapes, runner_for, validate_store
from kgpub.validation.report import Report
from kgpub.validation.report_graph import close_focus, merge_in_place
from kgpub.validation.shapes import Shape, load_shapes

__all__ = ["Change", "TooWide", "Unbounded", "changed_statements", "revalidate", "revalidate_in_place"]


class TooWide(Unbounded):
    """The change reaches so many focus nodes that validating everything is faster."""


def check_width(focus: set[ox.NamedNode], max_focus: int | None) -> None:
    """Raise :class:`TooWide` past ``max_focus`` nodes. Measured at 10,000 works (load 6-12): the
    focus checks on the on-disk snapshot cost ≈ 33 ms a node at 3,881 nodes (128 s), a full
    validation in memory 9.3 s, so past a few hundred nodes the full run is the faster one."""
    if max_focus is not None and len(focus) > max_focus:
        raise TooWide(
            f"the change reaches {len(focus)} focus nodes, more than {max_focus}: a full validation is faster"
        )

_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH #G# { ?s ?p ?o } }"  # the IRI inline (from the store)
_SPARQL = vocab.sh("SPARQLConstraintComponent")
_NTRIPLES = "application/n-triples"


@dataclass
class Change:
    """What an incremental run did, for the build summary and the bench."""

    statements: int = 0
    focus: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        seconds = ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items())
        return f"{self.focus} focus nodes re-validated for {self.statements} changed statements ({seconds})"


def changed_statements(store: Any, changed: Mapping[str, str], removed: Iterable[str]) -> list[ox.Triple]:
    """Statements added to or removed from a changed graph, and every statement of a removed graph:
    the published side read from ``store`` (before anything is written), the new side parsed from
    the N-Triples about to be written. Cost: the size of those graphs. Lines are compared first
    (the store writes N-Triples as the mapping does); only lines that differ are parsed, so a term
    spelled two ways costs time, never a wrong answer."""
    out: list[ox.Triple] = []
    for graph, text in changed.items():
        old = _lines(store, graph)
        new = {line for line in text.split("\n") if line}
        out.extend(_triples(old - new) ^ _triples(new - old))
    for graph in removed:
        out.extend(_triples(_lines(store, graph)))
    return out


def _lines(store: Any, graph: str) -> set[str]:
    # The graph's IRI is written into the query, not bound: bound by VALUES, the store scanned
    # every graph before joining (5.8 s for one 28,000-statement graph at 10,000 works).
    _form, body = store.query_serialized(_GRAPH.replace("#G#", str(ox.NamedNode(graph))), _NTRIPLES)
    return {line for line in body.decode("utf-8").split("\n") if line}


def _triples(lines: set[str]) -> set[ox.Triple]:
    if not lines:
        return set()
    return {q.triple for q in ox.parse("\n".join(lines).encode("utf-8"), ox.RdfFormat.N_TRIPLES)}


def _closed(focus: set[ox.NamedNode], previous: Report) -> set[ox.NamedNode]:
    """``focus`` plus, transitively, every node with a previous cross-record result naming one of
    them as its value (the merge drops those results, so they must be made again)."""
    naming: dict[Any, set[Any]] = {}
    for r in previous.results:
        if r.component == _SPARQL and r.value is not None and isinstance(r.focus, ox.NamedNode):
            naming.setdefault(r.value, set()).add(r.focus)
    out, todo = set(focus), list(focus)
    while todo:
        for other in naming.get(todo.pop(), ()):
            if other not in out:
                out.add(other)
                todo.append(other)
    return out


def _validate(target: Any, shapes: list[Shape], focus: set[ox.NamedNode]) -> Report:
    """The focus's results; no query at all for an empty focus (a change no check reads)."""
    if not focus:
        return Report([], frozenset())
    return validate_store(
        target, shapes=shapes, focus_nodes=sorted(n.value for n in focus), sources=False, partners=False
    )


def revalidate(
    target: Any,
    previous: Report,
    statements: list[ox.Triple],
    shapes: list[Shape] | None = None,
    max_focus: int | None = None,
) -> tuple[Report, Change]:
    """The report for ``target`` (store or pyoxigraph store holding the new data), made by
    re-validating only what ``statements`` can affect and merging into ``previous``. Raises
    :class:`Unbounded` when that cannot be bounded."""
    change = Change(statements=len(statements))
    t0 = time.perf_counter()
    shapes = shapes if shapes is not None else load_shapes()
    run = runner_for(target)
    focus = analyse(compile_shapes(shapes, subclasses=True)).affected(statements, run)
    focus = _closed(focus, previous)
    check_width(focus, max_focus)
    change.focus = len(focus)
    t1 = time.perf_counter()
    change.seconds["focus"] = t1 - t0
    newer = _validate(target, shapes, focus)
    change.seconds["validate"] = time.perf_counter() - t1
    return previous.updated_with(newer), change


def revalidate_in_place(
    db: ox.Store,
    published: Any,
    vgraph: str,
    statements: list[ox.Triple],
    shapes: list[Shape] | None = None,
    max_focus: int | None = None,
) -> tuple[dict[str, int], Change]:
    """As :func:`revalidate`, for the build's own snapshot ``db`` (the new data, and the published
    report in graph ``vgraph``): the report there is changed in place; ``published`` is the store
    as published, for the cross-record links. Returns the results per severity afterwards. Nothing
    is changed when it raises :class:`Unbounded`."""
    change = Change(statements=len(statements))
    t0 = time.perf_counter()
    shapes = shapes if shapes is not None else load_shapes()
    deps = analyse(compile_shapes(shapes, subclasses=True))
    why = deps.reads_report()
    if why:
        raise Unbounded(f"a check could read the report graph's own statements ({why})")
    focus = deps.affected(statements, runner_for(db))
    focus = close_focus(lambda q: published.query(q), vgraph, focus)
    check_width(focus, max_focus)
    change.focus = len(focus)
    t1 = time.perf_counter()
    change.seconds["focus"] = t1 - t0
    newer = _validate(db, shapes, focus)
    t2 = time.perf_counter()
    change.seconds["validate"] = t2 - t1
    counts = merge_in_place(db, vgraph, focus, newer)
    change.seconds["merge"] = time.perf_counter() - t2
    return counts, change


def revalidate_for_build(
    store: Any, writer: Any, vgraph: str, statements: list[ox.Triple], max_focus: int
) -> tuple[dict[str, int], Report | None, Change]:
    """(counts, report to write or None, what was done) for a build: in the embedded writer's
    snapshot the report graph is changed in place (None to write); elsewhere (a remote store, which
    holds the new graphs by now) the published report is read back, merged and returned whole."""
    from kgpub.validation.published import read_published

    own = getattr(writer, "db", None)  # the embedded writer's private snapshot
    if own is not None:
        counts, change = revalidate_in_place(own, store, vgraph, statements, max_focus=max_focus)
        return counts, None, change
    found = read_published(store, vgraph)
    if found.report is None:
        raise Unbounded(found.problem)
    writer.remove_graphs([vgraph])  # validate the data alone, as a full run does
    report, change = revalidate(store, found.report, statements, max_focus=max_focus)
    return report.counts(), report, change
