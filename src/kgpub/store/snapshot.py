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
LOAD_BYTES = 64 << 20  # N-Quads per bulk_load call (see SnapshotWriter._bulk)


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


def _load(db: ox.Store, path: Path, graphs: Mapping[str, str]) -> None:
    try:
        db.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:
        raise _culprit(graphs, str(exc)) from None


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
        # the build's spool: named like the snapshot, so a killed build's is removed with it
        self.scratch = self.path.with_suffix(".spool")
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
        """Large batches (a first build) go through ``bulk_load``: safe here because this copy is
        private until published, and about 1.5x faster than transactional loads. A mapping that
        can give its texts in blocks (a build's spool) is read one block at a time."""
        db = self._open()
        for graph in graphs:
            node = ox.NamedNode(graph)
            if db.contains_named_graph(node):
                db.remove_graph(node)
        size = getattr(graphs, "size", None)
        total = sum(size(g) for g in graphs) if size else sum(map(len, graphs.values()))
        rest = self._bulk(db, graphs) if total >= BULK_BYTES else list(graphs)
        for graph in rest:
            ntriples = graphs[graph]
            if not ntriples.strip():
                continue
            try:
                db.load(ntriples.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
            except SyntaxError as exc:
                raise _not_ntriples(graph, exc) from None
        for graph in graphs:
            self.digests[graph] = digests[graph]
            self.changed = True

    def _bulk(self, db: ox.Store, graphs: Mapping[str, str]) -> list[str]:
        """Bulk-load the graphs whose text is one plain statement per line (as serialisers write
        it: the graph IRI can be put before each final `` .``) and return the others. Loaded in
        pieces of LOAD_BYTES: ``bulk_load``'s memory follows the size of its input (1.75 GB for
        the 970 MB of a 100,000-work build in one piece)."""
        rest: list[str] = []
        spool = self.path.with_suffix(".load.nq")
        blocks = getattr(graphs, "blocks", None)
        default_before = _default_graph_size(db)
        try:
            f = open(spool, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - reopened per piece
            try:
                for graph in graphs:
                    start, suffix = f.tell(), f" {ox.NamedNode(graph)} .\n"
                    for block in blocks(graph) if blocks else (graphs[graph],):
                        if not _plain_lines(block):  # loaded whole by the caller; a piece already
                            f.seek(start)  # bulk-loaded is loaded again, which changes nothing
                            f.truncate()
                            rest.append(graph)
                            break
                        f.write(block.replace(" .\n", suffix))
                        if f.tell() >= LOAD_BYTES:
                            f.close()
                            _load(db, spool, graphs)
                            f = open(spool, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
                            start = 0
                f.close()
                if spool.stat().st_size:
                    _load(db, spool, graphs)
            finally:
                f.close()
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
        shutil.rmtree(self.scratch, ignore_errors=True)

    def publish(self) -> None:
        """flush, record digests, swap ``current`` atomically (rename of a new symlink)."""
        db = self._open()
        if not self.changed:
            self.discard()
            return
        shutil.rmtree(self.scratch, ignore_errors=True)  # files named <snapshot>.* stay with it
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
