"""Embedded store: pyoxigraph on disk, published as immutable snapshots.

pyoxigraph 0.5.13 facts that shape this module: concurrent writers silently lose updates, and
``Store.read_only`` beside a live writer is undefined behaviour. So a store directory holds
snapshots, and readers never share a directory with the writer::

    STORE/
      write.lock            flock held by the one writer (a second build fails at once)
      current -> snapshots/S2   symlink swapped atomically when a build is published
      snapshots/S1/         older snapshot, removed once no longer current
      snapshots/S2/         pyoxigraph database
      snapshots/S2.json     graph digests recorded by the build that wrote S2

A build copies the current snapshot (``backup``: hard links, cheap), changes the copy, ``flush()``es
it and swaps ``current``. A build killed at any point leaves ``current`` untouched; the next writer
deletes the orphan directory (including bulk-load ``.sst`` leftovers). Readers (web workers) open the
current snapshot read-only and reopen when ``current`` changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgpub.errors import QuerySyntaxError, StoreError, StoreLockedError
from kgpub.store.base import Dataset, QueryResult, Store, StoreStats, Term

_LOCK = "write.lock"
_CURRENT = "current"
_SNAPSHOTS = "snapshots"


def _ox_dataset(dataset: Dataset | None) -> dict[str, object]:
    if dataset is None or not dataset.given:
        return {"use_default_graph_as_union": True}
    kwargs: dict[str, object] = {}
    if dataset.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
    else:
        kwargs["default_graph"] = [ox.DefaultGraph()]
    kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
    return kwargs


def run_query(
    store: ox.Store,
    sparql: str,
    substitutions: Mapping[str, Term] | None = None,
    dataset: Dataset | None = None,
    base_iri: str | None = None,
) -> QueryResult:
    """Evaluate on a pyoxigraph store with kgpub's dataset rules; translate syntax errors.
    ``base_iri`` resolves relative IRIs of a query without BASE (the SPARQL endpoint's URL)."""
    subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
    try:
        return store.query(  # type: ignore[arg-type]
            sparql, substitutions=subs or None, base_iri=base_iri, **_ox_dataset(dataset)
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    except OSError as exc:
        raise StoreError(f"store read failed: {exc}") from None


def serialize_result(result: QueryResult, media_type: str) -> tuple[str, bytes]:
    """Serialise with pyoxigraph's native serializers (one call, no per-row Python)."""
    if isinstance(result, ox.QueryBoolean):
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        return "ASK", result.serialize(format=fmt)  # type: ignore[arg-type]
    if isinstance(result, ox.QuerySolutions):
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        return "SELECT", result.serialize(format=fmt)  # type: ignore[arg-type]
    rdf = ox.RdfFormat.from_media_type(media_type)
    return "CONSTRUCT", result.serialize(format=rdf)  # type: ignore[arg-type]


class EmbeddedStore(Store):
    """Read access to the current snapshot; ``writer()`` for builds."""

    def __init__(self, location: str | os.PathLike[str]) -> None:
        self.location = str(location)
        self.root = Path(location)
        self._db: ox.Store | None = None
        self._snapshot: str | None = None
        self._digests: dict[str, str] = {}

    # -- reading ---------------------------------------------------------------------------
    def current_snapshot(self) -> Path | None:
        link = self.root / _CURRENT
        try:
            return self.root / os.readlink(link)
        except FileNotFoundError:
            return None

    def db(self) -> ox.Store:
        """The current snapshot, reopened when a build has published a new one."""
        snap = self.current_snapshot()
        if snap is None:
            if self._db is None:
                self._db, self._snapshot = ox.Store(), None  # empty, nothing built yet
            return self._db
        if self._snapshot != snap.name or self._db is None:
            try:
                self._db = ox.Store.read_only(str(snap))
            except OSError as exc:
                raise StoreError(f"cannot open store snapshot {snap}: {exc}") from None
            self._snapshot = snap.name
            self._digests = _read_digests(snap)
        return self._db

    @property
    def snapshot_id(self) -> str | None:
        """Changes whenever a build publishes; caches key on it."""
        snap = self.current_snapshot()
        return snap.name if snap else None

    def query(self, sparql, *, substitutions=None, dataset=None):  # type: ignore[no-untyped-def]
        return run_query(self.db(), sparql, substitutions, dataset)

    def query_serialized(self, sparql, media_type, *, substitutions=None, dataset=None):  # type: ignore[no-untyped-def]
        return serialize_result(run_query(self.db(), sparql, substitutions, dataset), media_type)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.db().named_graphs() if isinstance(g, ox.NamedNode))

    def graph_digest(self, graph: str) -> str | None:
        self.db()
        return self._digests.get(graph)

    def dump(self, out: BinaryIO, media_type: str) -> None:
        self.db().dump(out, format=ox.RdfFormat.from_media_type(media_type))

    def stats(self) -> StoreStats:
        db = self.db()
        stats = StoreStats(quads=len(db))
        q = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        for row in db.query(q):
            stats.graphs[row["g"].value] = int(row["n"].value)
        q = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c"
        for row in db.query(q, use_default_graph_as_union=True):
            stats.classes[row["c"].value] = int(row["n"].value)
        return stats

    # -- writing ---------------------------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[str, str], digests: Mapping[str, str]) -> None:
        with self.writer() as w:
            w.replace_graphs(graphs, digests)

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        with self.writer() as w:
            w.remove_graphs(graphs)

    @contextlib.contextmanager
    def writer(self) -> Iterator[SnapshotWriter]:
        """The one writer: locks the store, yields a private copy, publishes it on success."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / _SNAPSHOTS).mkdir(exist_ok=True)
        lock = open(self.root / _LOCK, "a+")  # noqa: SIM115 - held for the writer's lifetime
        try:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreLockedError(
                    f"another kgpub build is writing to {self.root}",
                    hint="wait for it to finish; only one build may write to a store at a time",
                ) from None
            self._remove_orphans()
            writer = SnapshotWriter(self, self.current_snapshot())
            yield writer
            writer.publish()
            self._remove_orphans()
        finally:
            lock.close()

    def _remove_orphans(self) -> None:
        """Delete snapshots that are not current: earlier ones, and leftovers of killed builds."""
        current = self.current_snapshot()
        keep = {current.name, current.name + ".json"} if current else set()
        for entry in (self.root / _SNAPSHOTS).iterdir():
            if entry.name not in keep:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)


def _read_digests(snapshot: Path) -> dict[str, str]:
    try:
        return dict(json.loads(snapshot.with_suffix(".json").read_text())["digests"])
    except (FileNotFoundError, ValueError, KeyError):
        return {}


class SnapshotWriter:
    """Changes a private copy of the current snapshot; nothing is visible until ``publish``."""

    def __init__(self, owner: EmbeddedStore, base: Path | None) -> None:
        self.owner = owner
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        self.path = owner.root / _SNAPSHOTS / name
        self.digests = _read_digests(base) if base else {}
        self.changed = False
        if base is not None:
            ox.Store.read_only(str(base)).backup(str(self.path))
        self.db = ox.Store(str(self.path))

    def replace_graphs(self, graphs: Mapping[str, str], digests: Mapping[str, str]) -> None:
        for graph, ntriples in graphs.items():
            node = ox.NamedNode(graph)
            if self.db.contains_named_graph(node):
                self.db.remove_graph(node)
            try:
                self.db.load(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=node)
            except SyntaxError as exc:
                raise StoreError(f"internal error: mapped data for {graph} is not valid N-Triples: {exc}") from None
            self.digests[graph] = digests[graph]
            self.changed = True

    def bulk_load_nquads(self, path: Path) -> None:
        """First builds: the fastest path pyoxigraph has."""
        self.db.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        self.changed = True

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        for graph in graphs:
            node = ox.NamedNode(graph)
            if self.db.contains_named_graph(node):
                self.db.remove_graph(node)
                self.changed = True
            self.digests.pop(graph, None)

    def publish(self) -> None:
        """flush, record digests, swap ``current`` atomically (rename of a new symlink)."""
        if not self.changed:
            del self.db
            shutil.rmtree(self.path, ignore_errors=True)
            return
        self.db.flush()
        self.db.optimize()
        del self.db
        self.path.with_suffix(".json").write_text(json.dumps({"digests": self.digests}, sort_keys=True))
        tmp = self.owner.root / f".current-{os.getpid()}"
        tmp.unlink(missing_ok=True)
        os.symlink(os.path.relpath(self.path, self.owner.root), tmp)
        os.replace(tmp, self.owner.root / _CURRENT)
        dir_fd = os.open(self.owner.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
