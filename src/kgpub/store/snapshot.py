"""A private copy of a store snapshot that one build changes and then publishes.

Kept apart from :mod:`kgpub.store.embedded` (which decides *when* a writer may exist) because this is
where the on-disk protocol lives: copy with ``backup`` (hard links), change, ``flush``, write the
digest file, then swap the ``previous`` and ``current`` symlinks, each by renaming a new link over
the old one, and fsync the directory. Every step before the last rename is invisible to readers.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from kgpub.errors import StoreError

BULK_BYTES = 4 << 20  # below this, transactional loads are as fast (bulk_load has a fixed cost)


def _plain_lines(text: str) -> bool:
    """Every line ends with `` .`` and there are no comments or blank lines."""
    lines = text.count("\n")
    return (
        text.endswith(" .\n")
        and text.count(" .\n") == lines
        and " #" not in text
        and "\n#" not in text
        and not text.startswith("#")
    )


def _default_graph_size(db: ox.Store) -> int:
    return sum(1 for _ in db.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _culprit(graphs: Mapping[str, str], problem: str) -> StoreError:
    """Name the graph whose text is not N-Triples (checked only once a bulk load has failed)."""
    for graph, text in graphs.items():
        try:
            deque(ox.parse(text, ox.RdfFormat.N_TRIPLES), maxlen=0)
        except SyntaxError as exc:
            return _not_ntriples(graph, exc)
    return StoreError(f"internal error: mapped data does not load: {problem}")


def _not_ntriples(graph: str, exc: Exception) -> StoreError:
    return StoreError(f"internal error: mapped data for {graph} is not N-Triples: {exc}")


def read_digests(snapshot: Path) -> dict[str, str]:
    """Graph digests recorded beside a snapshot (none for a snapshot of a killed build)."""
    try:
        return dict(json.loads(snapshot.with_suffix(".json").read_text())["digests"])
    except (FileNotFoundError, ValueError, KeyError):
        return {}


def _swap_link(root: Path, name: str, target: Path) -> None:
    """Point ``root/name`` at ``target`` atomically (a new symlink renamed over the old one)."""
    tmp = root / f".{name}-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, root), tmp)
    os.replace(tmp, root / name)


class SnapshotWriter:
    """Changes a private copy of the current snapshot; nothing is visible until ``publish``."""

    def __init__(self, root: Path, base: Path | None) -> None:
        self.root = root
        self.base = base
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        self.path = root / "snapshots" / name
        self.digests = read_digests(base) if base else {}
        self.changed = False
        try:
            if base is not None:
                ox.Store.read_only(str(base)).backup(str(self.path))
            self.db: ox.Store | None = ox.Store(str(self.path))
        except OSError as exc:
            shutil.rmtree(self.path, ignore_errors=True)
            raise StoreError(f"cannot prepare a new snapshot in {self.path.parent}: {exc}") from None

    def _open(self) -> ox.Store:
        if self.db is None:
            raise StoreError("this snapshot writer is closed (already published or discarded)")
        return self.db

    def replace_graphs(self, graphs: Mapping[str, str], digests: Mapping[str, str]) -> None:
        """Large batches (a first build) go through one ``bulk_load``: safe here because this copy
        is private until published, and about 1.5x faster than transactional loads."""
        db = self._open()
        for graph in graphs:
            node = ox.NamedNode(graph)
            if db.contains_named_graph(node):
                db.remove_graph(node)
        pending = {g: t for g, t in graphs.items() if t.strip()}
        if sum(map(len, pending.values())) >= BULK_BYTES:
            pending = self._bulk(db, pending)
        for graph, ntriples in pending.items():
            try:
                db.load(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
            except SyntaxError as exc:
                raise _not_ntriples(graph, exc) from None
        for graph in graphs:
            self.digests[graph] = digests[graph]
            self.changed = True

    def _bulk(self, db: ox.Store, graphs: Mapping[str, str]) -> dict[str, str]:
        """Bulk-load the graphs whose text is one plain statement per line (as serialisers write
        it: the graph IRI can be put before each final `` .``); return the others."""
        rest: dict[str, str] = {}
        spool = self.path.with_suffix(".load.nq")
        try:
            with open(spool, "w", encoding="utf-8") as f:
                for graph, text in graphs.items():
                    if not _plain_lines(text):
                        rest[graph] = text
                        continue
                    f.write(text.replace(" .\n", f" {ox.NamedNode(graph)} .\n"))
            default_before = _default_graph_size(db)
            try:
                db.bulk_load(path=str(spool), format=ox.RdfFormat.N_QUADS)
            except SyntaxError as exc:
                raise _culprit(graphs, str(exc)) from None
            if _default_graph_size(db) != default_before:  # a two-term line read as a triple + graph
                raise _culprit(graphs, "a statement with a missing term")
        finally:
            spool.unlink(missing_ok=True)
        return rest

    def bulk_load_nquads(self, path: Path) -> None:
        """First builds: the fastest path pyoxigraph has (atomic; a kill leaves only orphan files)."""
        self._open().bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        self.changed = True

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        db = self._open()
        for graph in graphs:
            node = ox.NamedNode(graph)
            if db.contains_named_graph(node):
                db.remove_graph(node)
                self.changed = True
            if self.digests.pop(graph, None) is not None:
                self.changed = True

    def discard(self) -> None:
        """Forget the private copy (a failed build): ``current`` never pointed at it."""
        self.db = None
        shutil.rmtree(self.path, ignore_errors=True)

    def publish(self) -> None:
        """flush, record digests, swap ``current`` atomically (rename of a new symlink)."""
        db = self._open()
        if not self.changed:
            self.discard()
            return
        db.flush()
        db.optimize()
        self.db = None
        del db
        meta = self.path.with_suffix(".json")
        tmp = meta.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"digests": self.digests}, sort_keys=True))
        os.replace(tmp, meta)
        root = self.root
        if self.base is not None:
            _swap_link(root, "previous", self.base)
        _swap_link(root, "current", self.path)
        dir_fd = os.open(root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
