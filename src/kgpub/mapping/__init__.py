"""Records → RDF: the public entry point of the mapping stage.

``map_dataset(results, base)`` reconciles the records, then writes one named graph per source
document (exactly what that document said, with survivor IRIs), the provenance graph and the
reconciliation graph. Graphs are N-Triples text keyed by graph IRI — the fastest input
``Store.load`` takes — and :meth:`MappedDataset.nquads` gives the whole dataset as one N-Quads text.
How record fields become triples is data: ``mappings/records.toml``.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from kgpub.errors import ConfigError, SourceError
from kgpub.identity import graph_iri, hash_key
from kgpub.mapping import ntriples as nt
from kgpub.mapping.engine import SourceMapper
from kgpub.mapping.provenance import (
    provenance_head,
    provenance_source_lines,
    reconciliation_lines,
    source_graph_iri,
)
from kgpub.mapping.spool import GraphSpool
from kgpub.mapping.table import MappingTable, load_table
from kgpub.reconcile import Reconciled, Reconciler
from kgpub.records import ParseResult, RdfPayload, SourceDoc

__all__ = ["MappedDataset", "map_dataset", "map_sources", "source_graph_iri"]


@dataclass
class MappedDataset:
    lines: dict[str, list[str]]  # graph IRI → statements without the final " ." (internal form)
    reconciled: Reconciled
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # values that could not be written, with where

    @cached_property
    def graphs(self) -> dict[str, str]:
        """Graph IRI → N-Triples text (what ``Store.load(..., to_graph=)`` takes)."""
        return {g: _join(lines, " .\n") for g, lines in self.lines.items()}

    def pop_graphs(self) -> dict[str, str]:
        """``graphs``, but each graph's lines are dropped as soon as its text is made, leaving this
        dataset without lines: a build never holds a graph both as lines and as text (at 30,000
        works the lines alone are some 200 MB)."""
        out: dict[str, str] = {}
        for g in list(self.lines):
            out[g] = _join(self.lines.pop(g), " .\n")
        return out

    def entity_counts(self) -> dict[str, int]:
        return dict(self.counts)

    def nquads(self) -> str:
        """The whole dataset as N-Quads text (for ``Store.bulk_load`` and dumps)."""
        return "".join(_join(lines, f" <{g}> .\n") for g, lines in self.lines.items())

    def quads(self) -> Iterator[ox.Quad]:
        for g, text in self.graphs.items():
            graph = ox.NamedNode(g)
            for t in ox.parse(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    def redirects(self, base: str) -> dict[str, str]:
        """Merged-away IRI → survivor IRI (for 301s)."""
        return {f"{base}id/{kind}/{k}": f"{base}id/{kind}/{v}" for (kind, k), v in self.reconciled.redirects.items()}


def _join(lines: list[str], end: str) -> str:
    return end.join(lines) + end if lines else ""


def map_dataset(
    results: Sequence[ParseResult], base: str, *, table: MappingTable | None = None, spool: GraphSpool | None = None
) -> MappedDataset:
    """Reconcile and map records already in memory; base must end with '/'."""
    ordered = sorted(results, key=lambda r: r.source.name)
    return map_sources(lambda: iter(ordered), base, table=table, spool=spool)


def map_sources(
    read: Callable[[], Iterable[ParseResult]], base: str, *, table: MappingTable | None = None,
    spool: GraphSpool | None = None,
) -> MappedDataset:
    """Two passes over the sources, each source in memory only while it is read: ``read()`` is
    called once to reconcile and once to map, and must give the sources in order of their names
    the second time (the graphs' text follows it). With a ``spool`` each source's lines go to
    disk as soon as it is mapped, and the dataset returned has no lines of its own. A source whose
    bytes changed between the two passes stops the build: it was reconciled as something else."""
    if not base.endswith("/"):
        base += "/"
    try:  # checked once here: the engine writes minted IRIs without escaping them
        ox.NamedNode(base + "id/x")
    except ValueError:
        raise ConfigError(
            f"base IRI {base!r} is not an absolute IRI", hint='e.g. base = "https://kg.example.org/"'
        ) from None
    table = table or load_table()
    with _no_cyclic_gc():
        reconciler = Reconciler()
        docs: dict[str, SourceDoc] = {}
        for r in read():
            reconciler.add(r)
            docs[r.source.name] = r.source
        rec = reconciler.finish()
    with _no_cyclic_gc():
        return _map_pass(read(), docs, base, table, rec, spool)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """A build allocates millions of small containers and frees few of them until the end; the
    cyclic collector would rescan them all again and again (a third of the mapping time at 50k
    works). Reference counting still frees everything; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _map_pass(
    results: Iterable[ParseResult], docs: dict[str, SourceDoc], base: str, table: MappingTable, rec: Reconciled,
    spool: GraphSpool | None,
) -> MappedDataset:
    graphs: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    notes: list[str] = list(rec.notes)
    provenance, activity = provenance_head(table, base, docs.values())
    for r in results:
        first = docs.get(r.source.name)
        if first is None or first.sha256 != r.source.sha256:
            raise SourceError(
                f"{r.source.name} changed while the build was reading it",
                hint="build again once the sources are no longer being written to",
            )
        rec.collect(r)
        mapper = SourceMapper(table, base, rec, r)
        lines = graphs.setdefault(source_graph_iri(base, r), [])
        lines.extend(mapper.run())
        for payload in r.rdf:
            target = payload.graph or source_graph_iri(base, r)
            graphs.setdefault(target, []).extend(rdf_payload_lines(payload, r.source.name, notes, table))
        provenance.extend(provenance_source_lines(table, base, r, activity))
        notes.extend(mapper.notes)
        counts.update(mapper.counts)
        counts["profiles"] += len(r.profiles)
        counts["listings"] += len(r.listings)
        if spool is not None:
            for graph, lines in graphs.items():
                spool.add(graph, lines)
            graphs.clear()
    graphs[graph_iri(base, "provenance")] = provenance
    graphs[graph_iri(base, "reconciliation")] = reconciliation_lines(table, base, rec)
    if spool is not None:
        for graph, lines in graphs.items():
            spool.add(graph, lines)
        graphs.clear()
    counts["works"] = len(rec.works)
    counts["persons"] = len(rec.persons.entities)
    counts["sources"] = len(docs)
    counts["conflicts"] = len(rec.conflicts)
    counts["merge candidates"] = len(rec.candidates)
    counts["person ambiguities"] = len(rec.ambiguities)
    counts = +counts
    return MappedDataset(graphs, rec, counts, notes)


def rdf_payload_lines(payload: RdfPayload, source: str, notes: list[str], table: MappingTable) -> list[str]:
    """An RDF document's triples as they are; blank nodes relabelled deterministically (and apart
    from every other document's) so a rebuild writes identical text. Each IRI subject gets the
    line span of its statements (``kgpub:sourceLine``/``sourceLineEnd``, as mapped records do), so
    validation results name the lines a curator edits."""
    try:
        fmt = ox.RdfFormat.from_media_type(payload.media_type)
    except ValueError:
        fmt = None
    if fmt is None:
        notes.append(f"{source}: media type {payload.media_type!r} is not an RDF format pyoxigraph reads")
        return []
    prefix = "b" + hash_key(f"rdf:{source}#{payload.local_id}")
    labels: dict[str, str] = {}

    def term(t: object) -> str:
        if isinstance(t, ox.BlankNode):
            return "_:" + labels.setdefault(t.value, f"{prefix}x{len(labels)}")
        return str(t)

    out: list[str] = []
    try:
        for q in ox.parse(payload.data, fmt, base_iri=payload.graph):
            out.append(f"{term(q.subject)} {term(q.predicate)} {term(q.object)}")
    except (SyntaxError, ValueError) as exc:
        notes.append(f"{source}: RDF payload {payload.local_id} does not parse: {exc}")
        return []
    st = table.records["work"].structure
    for subject, start, end in payload.spans:
        s = nt.iri(subject)
        out.append(f"{s} {st['source_line']} {nt.integer(start)}")
        out.append(f"{s} {st['source_line_end']} {nt.integer(end)}")
    return out
