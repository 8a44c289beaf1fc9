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
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgpub.errors import QueryError, QuerySyntaxError, StoreError, StoreLockedError
from kgpub.store.base import Dataset, QueryResult, Store, StoreStats, Term
from kgpub.store.snapshot import SnapshotWriter, read_digests

_LOCK = "write.lock"
_CURRENT = "current"
_PREVIOUS = "previous"
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
        return store.query(
            sparql, substitutions=subs or None, base_iri=base_iri, **_ox_dataset(dataset)  # type: ignore[arg-type]
        )
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from None
    except OSError as exc:
        raise StoreError(f"store read failed: {exc}") from None
    except RuntimeError as exc:
        raise QueryError(f"query evaluation failed: {exc}") from None


def serialize_result(result: QueryResult, media_type: str) -> tuple[str, bytes]:
    """Serialise with pyoxigraph's native serializers (one call, no per-row Python)."""
    body: bytes | None
    if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        if fmt is None:
            raise ValueError(f"not a query results media type: {media_type}")
        form = "ASK" if isinstance(result, ox.QueryBoolean) else "SELECT"
        body = result.serialize(format=fmt)
    else:
        rdf = ox.RdfFormat.from_media_type(media_type)
        if rdf is None:
            raise ValueError(f"not an RDF media type: {media_type}")
        form, body = "CONSTRUCT", result.serialize(format=rdf)
    return form, body or b""


class EmbeddedStore(Store):
    """Read access to the current snapshot; ``writer()`` for builds."""

    def __init__(self, location: str | os.PathLike[str]) -> None:
        self.location = str(location)
        self.root = Path(location)
        self._db: ox.Store | None = None
        self._snapshot: str | None = None
        self._link: str | None = None  # the text of ``current`` when ``_db`` was opened
        self._current = os.path.join(self.location, _CURRENT)
        self._digests: dict[str, str] = {}

    # -- reading ---------------------------------------------------------------------------
    def _current_text(self) -> str | None:
        try:
            return os.readlink(self._current)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def current_snapshot(self) -> Path | None:
        text = self._current_text()
        return None if text is None else self.root / text

    def db(self) -> ox.Store:
        """The current snapshot, reopened when a build has published a new one. Every query
        passes here (a page asks a dozen): an unchanged link costs one ``readlink``, nothing more."""
        for attempt in range(3):
            text = self._current_text()
            if text is not None and text == self._link and self._db is not None:
                return self._db
            if text is None:
                if self._db is None or self._snapshot is not None:
                    self._db, self._snapshot, self._link = ox.Store(), None, None  # empty, nothing built yet
                return self._db
            snap = self.root / text
            if self._snapshot == snap.name and self._db is not None:
                self._link = text
                return self._db
            try:
                db = ox.Store.read_only(str(snap))
            except OSError as exc:
                if attempt < 2:  # published and removed between readlink and open: look again
                    continue
                raise StoreError(f"cannot open store snapshot {snap}: {exc}") from None
            self._db, self._snapshot, self._digests, self._link = db, snap.name, read_digests(snap), text
            return db
        raise AssertionError("unreachable")

    @property
    def snapshot_id(self) -> str | None:
        """Changes whenever a build publishes; caches key on it (asked several times a page)."""
        text = self._current_text()
        if text is None:
            return None
        if text == self._link and self._snapshot is not None:
            return self._snapshot
        return (self.root / text).name

    def query(self, sparql, *, substitutions=None, dataset=None):  # type: ignore[no-untyped-def]
        return run_query(self.db(), sparql, substitutions, dataset)

    def query_serialized(self, sparql, media_type, *, substitutions=None, dataset=None):  # type: ignore[no-untyped-def]
        return serialize_result(run_query(self.db(), sparql, substitutions, dataset), media_type)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.db().named_graphs() if isinstance(g, ox.NamedNode))

    def graph_digest(self, graph: str) -> str | None:
        self.db()
        return self._digests.get(graph)

    def graph_digests(self) -> dict[str, str]:
        self.db()
        return dict(self._digests)

    def dump(self, out: BinaryIO, media_type: str) -> None:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None or not fmt.supports_datasets:
            raise ValueError(f"not an RDF dataset media type: {media_type}")
        self.db().dump(out, format=fmt)

    def stats(self) -> StoreStats:
        db = self.db()
        stats = StoreStats(quads=len(db))
        q = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        for row in db.query(q):  # type: ignore[union-attr]
            stats.graphs[row["g"].value] = int(row["n"].value)
        q = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c"
        for row in db.query(q, use_default_graph_as_union=True):  # type: ignore[union-attr]
            stats.classes[row["c"].value] = int(row["n"].value)
        return stats

    def close(self) -> None:
        self._db, self._snapshot, self._link = None, None, None

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
        (self.root / _SNAPSHOTS).mkdir(parents=True, exist_ok=True)
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
            writer = SnapshotWriter(self.root, self.current_snapshot())
            try:
                yield writer
            except BaseException:
                writer.discard()
                raise
            writer.publish()
            self._remove_orphans()
        finally:
            lock.close()

    def _remove_orphans(self) -> None:
        """Delete snapshots neither current nor previous: older ones, and leftovers of killed builds.
        Files named ``<snapshot>.*`` (its digests, its summary) live and go with their snapshot."""
        keep: set[str] = set()
        for name in (_CURRENT, _PREVIOUS):
            snap = _link_target(self.root, name)
            if snap is not None:
                keep.add(snap.name)
        for entry in (self.root / _SNAPSHOTS).iterdir():
            if entry.name.partition(".")[0] not in keep:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)


def _link_target(root: Path, name: str) -> Path | None:
    try:
        return root / os.readlink(root / name)
    except (FileNotFoundError, NotADirectoryError):
        return None
