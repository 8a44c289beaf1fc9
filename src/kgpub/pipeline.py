"""Orchestration only: sources → records → reconcile → RDF → validate → store.

Each stage lives in its own module; this one wires them, times them, shows progress and sums up.
A build writes a private snapshot of the store and publishes it only when everything succeeded
(see :mod:`kgpub.store.embedded`), so a failed or killed build leaves the store as it was.
A source whose mapped graph is unchanged (same digest) is not written again.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgpub.config import Config
from kgpub.errors import StoreError, UsageError
from kgpub.mapping.spool import GraphSpool
from kgpub.records import SEVERITIES, ParseResult
from kgpub.store import open_store


@dataclass
class BuildSummary:
    sources: int = 0
    records: Counter[str] = field(default_factory=Counter)
    diagnostics: Counter[str] = field(default_factory=Counter)
    diagnostic_lines: list[str] = field(default_factory=list)
    entities: Counter[str] = field(default_factory=Counter)
    quads: int = 0
    graphs_written: int = 0
    graphs_unchanged: int = 0
    graphs_removed: int = 0
    validation: Counter[str] = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    store: str = ""
    notes: list[str] = field(default_factory=list)
    # what reconcile and mapping could not do (a value not written, a name not usable), with where
    mapping_notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when the published data has SHACL Violations (it is still published and reported)."""
        return 1 if self.validation.get("Violation", 0) else 0

    def to_text(self, max_diagnostics: int = 40) -> str:
        out = [f"kgpub build → {self.store}"]
        out.append(f"  sources read: {self.sources}")
        out.append("  records: " + (", ".join(f"{k} {v}" for k, v in sorted(self.records.items())) or "none"))
        out.append("  diagnostics: " + ", ".join(f"{s} {self.diagnostics.get(s, 0)}" for s in SEVERITIES))
        for line in self.diagnostic_lines[:max_diagnostics]:
            out.append(f"    {line}")
        if len(self.diagnostic_lines) > max_diagnostics:
            more = len(self.diagnostic_lines) - max_diagnostics
            out.append(f"    … {more} more (kgpub validate, or the /validation/diagnostics page)")
        if self.entities:
            out.append("  entities: " + ", ".join(f"{k} {v}" for k, v in sorted(self.entities.items())))
        out.append(
            f"  quads: {self.quads}; graphs written {self.graphs_written}, unchanged {self.graphs_unchanged}, "
            f"removed {self.graphs_removed}"
        )
        out.append("  validation: " + ", ".join(f"{k} {v}" for k, v in sorted(self.validation.items())))
        out.extend(f"  note: {n}" for n in self.mapping_notes[:max_diagnostics])
        if len(self.mapping_notes) > max_diagnostics:
            out.append(f"  … {len(self.mapping_notes) - max_diagnostics} more notes from reconcile and mapping")
        out.extend(f"  note: {n}" for n in self.notes)
        out.append("  time: " + ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items()))
        return "\n".join(out)


class _Progress:
    """A tqdm bar per stage on a terminal, plain log lines otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = enabled and sys.stderr.isatty()

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Any]:
        if self.tty:
            from tqdm import tqdm

            with tqdm(total=total, desc=f"{name:<10}", unit="item", file=sys.stderr, leave=True) as bar:
                yield bar
            return
        if self.enabled:
            print(f"kgpub: {name}…", file=sys.stderr, flush=True)

        class _Null:
            def update(self, n: int = 1) -> None:
                pass

        yield _Null()


def digest(text: str) -> str:
    """Order-independent digest of N-Triples text: a rewrite with the same triples writes nothing."""
    lines = sorted(line for line in text.split("\n") if line)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def build(
    paths: Sequence[Path],
    *,
    manifest: Path | None = None,
    config: Config,
    progress: bool = True,
) -> BuildSummary:
    """Run every stage. The store's one writer lock is taken first, so a second build on the same
    store fails at once instead of after parsing; nothing is visible to readers until publish."""
    from kgpub import sources
    from kgpub import summary as dataset_summary

    summary = BuildSummary(store=config.store)
    bar = _Progress(progress)
    t0 = time.perf_counter()
    found = sources.collect(paths, manifest)
    if not found.sources:
        raise UsageError("no source files found in " + ", ".join(str(p) for p in paths))
    base = config.base if config.origin("base") != "default" or not found.base else found.base
    _check_base(base)
    store = open_store(config.store, config)
    try:
        with store.writer() as writer:
            spool = GraphSpool(_scratch(writer))
            try:
                _map(sorted(found.sources, key=lambda s: s.name), base, summary, bar, spool)
                _validate_write(spool, base, store, writer, summary, bar, config.validation_memory_statements)
            finally:
                spool.remove()
        t_summary = time.perf_counter()  # home figures, search index, sitemap: once per snapshot
        dataset_summary.write(store, base if base.endswith("/") else base + "/")
        summary.timings["summary"] = time.perf_counter() - t_summary
    except OSError as exc:  # disk full, read-only file system: the writer has discarded its copy
        raise StoreError(
            f"cannot write to the store {config.store}: {exc}",
            hint="free space or fix permissions there and build again; the previously published data is unchanged",
        ) from None
    summary.validation = +summary.validation
    summary.timings["total"] = time.perf_counter() - t0
    return summary


def _parse(specs: Sequence[Any], summary: BuildSummary, bar: _Progress) -> Iterator[ParseResult]:
    """The first pass: every source parsed, counted and reported, then let go."""
    from kgpub import sources

    with bar.stage("parse", len(specs)) as b:
        for spec in specs:
            result = sources.load(spec)
            summary.records.update(
                {"works": len(result.works), "persons": len(result.persons), "profiles": len(result.profiles),
                 "listings": len(result.listings), "rdf documents": len(result.rdf)}
            )
            for d in result.diagnostics:
                summary.diagnostics[d.severity] += 1
                if d.severity != "info" or d.code == "source.kind.detected":
                    summary.diagnostic_lines.append(str(d))
            b.update(1)
            yield result
    summary.sources = len(specs)
    summary.records = +summary.records


def _reread(specs: Sequence[Any], bar: _Progress) -> Iterator[ParseResult]:
    """The second pass: each source parsed again for the mapping (parsing is a few per cent of a
    build; holding every record in memory until the mapping was most of its memory)."""
    from kgpub import sources

    with bar.stage("map", len(specs)) as b:
        for spec in specs:
            yield sources.load(spec)
            b.update(1)


def _scratch(writer: Any) -> Path:
    """Where the spool goes: beside the writer's private snapshot (removed with it, also after a
    kill), else a new temporary directory."""
    scratch = getattr(writer, "scratch", None)
    return Path(scratch) if scratch is not None else Path(tempfile.mkdtemp(prefix="kgpub-spool-"))


def _map(specs: Sequence[Any], base: str, summary: BuildSummary, bar: _Progress, spool: GraphSpool) -> None:
    """Reconcile and map into ``spool`` (graph IRI → N-Triples file), the taxonomy included, one
    source in memory at a time. Timings: ``parse`` is the first pass (parse, index for
    reconciliation), ``reconcile+map`` the rest (reconcile, parse again, map, spool)."""
    from kgpub.mapping import map_sources
    from kgpub.mapping.taxonomy import taxonomy_graph

    t0 = time.perf_counter()
    passes: list[float] = []

    def read() -> Iterator[ParseResult]:
        passes.append(time.perf_counter())
        return _parse(specs, summary, bar) if len(passes) == 1 else _reread(specs, bar)

    mapped = map_sources(read, base, spool=spool)
    summary.timings["parse"] = passes[1] - t0  # up to the second pass (reconcile's finish included)
    summary.entities.update(mapped.entity_counts())
    summary.mapping_notes.extend(mapped.notes)
    tax_iri, tax_text = taxonomy_graph(base)
    spool.add(tax_iri, [line[:-2] for line in tax_text.split("\n") if line])
    summary.quads = spool.statements
    summary.timings["reconcile+map"] = time.perf_counter() - passes[1]


def _validate_write(
    graphs: GraphSpool, base: str, store: Any, writer: Any, summary: BuildSummary, bar: _Progress,
    memory_statements: int,
) -> None:
    from kgpub.validation import validate_store as run_validation
    from kgpub.validation import validation_graph
    from kgpub.validation.incremental import TooWide, Unbounded, changed_statements, revalidate_for_build
    from kgpub.validation.published import digest_line, published_counts, recorded_digest, shapes_digest, why_full

    vgraph = validation_graph(base)
    digests = graphs.digests()
    published_digests = store.graph_digests()
    changed = graphs.subset(g for g in graphs if published_digests.get(g) != digests[g])
    published = store.graphs()
    stale = [g for g in published if g not in graphs and g != vgraph]
    summary.graphs_written, summary.graphs_unchanged = len(changed), len(graphs) - len(changed)
    summary.graphs_removed = len(stale)
    shapes_key = shapes_digest()
    shapes_same = vgraph in published and recorded_digest(store, vgraph) == shapes_key
    if not (changed or stale or not shapes_same):
        summary.validation.update(published_counts(store, vgraph))
        summary.notes.append("no source changed: nothing written (validation results as published)")
        return
    t2 = time.perf_counter()
    reason = why_full(vgraph, published, shapes_same)
    report, counts, written = None, None, False
    if not reason:
        # Incremental: the statements that changed bound the focus; validated on the build's own
        # snapshot once the changed graphs are in it (no copy of the whole graph in memory).
        statements = changed_statements(store, changed, stale)
        summary.timings["validate"] = time.perf_counter() - t2
        _write_sources(writer, changed, stale, digests, summary, bar)
        written, t2 = True, time.perf_counter()
        with bar.stage("validate", 1) as b:
            try:
                max_focus = max(500, summary.quads // 1500)  # see kgpub.validation.incremental.check_width
                counts, report, change = revalidate_for_build(store, writer, vgraph, statements, max_focus)
                marks = getattr(writer, "digests", None)
                if report is None and isinstance(marks, dict):  # changed in place: a version mark,
                    # not a digest of text never written whole
                    marks[vgraph] = digest(f"{marks.get(vgraph)}\n{change.statements}\n{sorted(counts.items())}")
                summary.notes.append("validation: incremental, " + change.describe())
            except TooWide as exc:
                reason = str(exc)
            except Unbounded as exc:
                reason = f"the change cannot be bounded: {exc}"
            b.update(1)
    on_disk = counts is None and graphs.statements > memory_statements and hasattr(writer, "db")
    if counts is None and not on_disk:
        # validate what is about to be published in memory, where SHACL-as-SPARQL runs several
        # times faster than on the on-disk store (a first build, new shapes, an unbounded change)
        with bar.stage("validate", 1) as b:
            report = run_validation(_in_memory(graphs))
            b.update(1)
        summary.notes.append(f"validation: full ({reason})")
        counts = report.counts()
    if on_disk:
        # too large for a copy in memory: validate the build's own snapshot once the sources are in
        # it, without the old report (2.3x slower at 100,000 works, in a few hundred MB)
        _write_sources(writer, changed, stale, digests, summary, bar)
        written, t2 = True, time.perf_counter()
        writer.remove_graphs([vgraph])
        with bar.stage("validate", 1) as b:
            report = run_validation(writer.db)
            b.update(1)
        summary.notes.append(
            f"validation: full, on disk ({reason}; {graphs.statements} statements > "
            f"validation_memory_statements = {memory_statements})"
        )
        counts = report.counts()
    text = report.to_ntriples() + digest_line(vgraph, shapes_key) if report is not None else ""
    summary.validation.update(counts)
    summary.timings["validate"] = summary.timings.get("validate", 0.0) + time.perf_counter() - t2
    if not written:
        _write_sources(writer, changed, stale, digests, summary, bar)
    if report is not None:  # else the report graph was changed in place
        t3 = time.perf_counter()
        writer.replace_graphs({vgraph: text}, {vgraph: digest(text)})
        summary.timings["store"] = summary.timings.get("store", 0.0) + time.perf_counter() - t3


def _write_sources(
    writer: Any, changed: Mapping[str, str], stale: list[str], digests: dict[str, str], summary: BuildSummary,
    bar: _Progress,
) -> None:
    t3 = time.perf_counter()
    with bar.stage("store", len(changed) + 1) as b:
        # two writes, as before: data and report in one bulk load measured no faster (CPU time
        # within 3 % at 30,000 works) and its peak memory was 110 MB higher
        writer.replace_graphs(changed, {g: digests[g] for g in changed})
        writer.remove_graphs(stale)
        b.update(len(changed) + 1)
    summary.timings["store"] = summary.timings.get("store", 0.0) + time.perf_counter() - t3


def _in_memory(graphs: GraphSpool) -> Any:
    import pyoxigraph as ox

    mem = ox.Store()
    for graph in graphs:
        if graphs.size(graph):
            mem.load(path=str(graphs.path(graph)), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    return mem


def _check_base(base: str) -> None:
    """Entity IRIs are minted under the base: a bad one would fail deep in the store stage."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(base + "id/x")
    except ValueError as exc:
        raise UsageError(
            f"base {base!r} is not an absolute IRI ({exc})", hint="e.g. --base https://example.org/"
        ) from None
    if not base.endswith("/"):
        raise UsageError(f"base {base!r} must end with '/'", hint="e.g. --base https://example.org/")


def validate_store(config: Config) -> Any:
    """The report of `kgpub validate`: the shapes' results and the parsers' diagnostics the
    build kept in the store."""
    from kgpub.validation import validate_store as run
    from kgpub.validation.diagnostics import stored_diagnostics
    from kgpub.validation.engine import runner_for

    store = open_store(config.store, config)
    report = run(store)
    report.diagnostics = stored_diagnostics(runner_for(store))
    return report


def run_query(config: Config, text: str, fmt: str | None) -> bytes:
    """The operator's own queries, evaluated directly on the store; read-only like the endpoint
    (the same guard refuses updates and SERVICE, and tells the query form)."""
    from kgpub.formats import RESULT_FORMATS, media_type_for_name, rdf_media_types
    from kgpub.sandbox.guard import check

    checked = check(text, max_length=config.query_max_length, max_depth=config.query_max_depth)
    graph_form = checked.form in ("CONSTRUCT", "DESCRIBE")
    media = media_type_for_name(fmt) if fmt else None
    if media is None or (graph_form and media not in rdf_media_types()):
        media = "text/turtle" if graph_form else RESULT_FORMATS[0].media_type
    _form, body = open_store(config.store, config).query_serialized(checked.text, media)
    return body


def run_named_query(config: Config, name: str, params: dict[str, str], fmt: str | None) -> bytes:
    """A named query from sparql/ with typed, bound parameters (the same path the web API takes)."""
    from kgpub.formats import RESULT_FORMATS, media_type_for_name
    from kgpub.queries import bind, get_named_query

    store = open_store(config.store, config)
    query = get_named_query(name)
    media = media_type_for_name(fmt) if fmt else RESULT_FORMATS[0].media_type
    _form, body = store.query_serialized(query.text, media, substitutions=bind(query, params, store))
    return body


def dump_store(config: Config, out: Path, fmt: str) -> Path:
    from kgpub.store.dump import write_dump

    return write_dump(open_store(config.store, config), out, fmt)


def store_stats(config: Config) -> dict[str, Any]:
    """`kgpub stats`: counts per class and graph, the published report's results per severity and
    the parsers' diagnostics per severity (what a curator has left to look at)."""
    from kgpub.validation.diagnostics import stored_counts
    from kgpub.validation.engine import runner_for
    from kgpub.validation.published import published_counts

    store = open_store(config.store, config)
    stats = store.stats()
    validation = dict.fromkeys(("Violation", "Warning", "Info"), 0)
    for graph in stats.graphs:
        if graph.endswith("graph/validation"):
            for severity, n in published_counts(store, graph).items():
                validation[severity] = validation.get(severity, 0) + n
    return {
        "quads": stats.quads,
        "classes": stats.classes,
        "graphs": stats.graphs,
        "validation results": validation,
        "source diagnostics": stored_counts(runner_for(store)),
    }
