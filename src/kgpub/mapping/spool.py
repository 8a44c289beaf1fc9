"""The mapped dataset on disk: one N-Triples file per named graph, written as each source is mapped.

A build used to hold every graph as one Python string until the store had it (at 100,000 works
the texts and the lines they were joined from took over 2 GB). A spool keeps only one source's
lines in memory at a time; the store, the validation copy and the digests read the files back one
graph (or one block) at a time. It is a ``Mapping[str, str]`` of graph IRI → text, so a writer that
knows nothing of spools (the remote store's Graph Store PUT per graph) still works, paying for one
graph's text at a time; the embedded writer streams :meth:`blocks` instead.

Digests are the same as :func:`kgpub.pipeline.digest` of the whole text (sorted lines), so stores
built before spools existed are not rewritten: a graph written by one source is digested from the
lines already in memory; a graph several sources add to (an RDF payload naming a shared graph) is
digested from its file once mapping has finished.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

BLOCK_BYTES = 8 << 20  # what :meth:`GraphSpool.blocks` reads at a time


def lines_digest(lines: Iterable[str]) -> str:
    """:func:`kgpub.pipeline.digest` of the text these lines make, without making it whole: sha256
    of the sorted statements, each ending in `` .``, joined by newlines. Sorting the lines without
    their `` .`` gives the same order: where one statement is a prefix of another, the longer one
    goes on with a character above the space (``@``, ``^``, a label's next character)."""
    ordered = sorted(lines)
    h = hashlib.sha256()
    for i in range(0, len(ordered), 10_000):
        if i:
            h.update(b"\n")
        h.update((" .\n".join(ordered[i : i + 10_000]) + " .").encode("utf-8"))
    return h.hexdigest()


class GraphSpool(Mapping[str, str]):
    """Graph IRI → N-Triples text, kept in files under ``directory`` (which it owns and removes)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, Path] = {}
        self._digests: dict[str, str | None] = {}  # None: several adds, digest from the file
        self._statements: dict[str, int] = {}
        self._bytes: dict[str, int] = {}

    # -- writing -------------------------------------------------------------------------------
    def add(self, graph: str, lines: list[str]) -> None:
        """Append statements (N-Triples lines without the final `` .``) to ``graph``."""
        path = self._files.get(graph)
        if path is None:
            path = self._files[graph] = self.directory / f"{len(self._files):06d}.nt"
            self._digests[graph] = lines_digest(lines)
            self._statements[graph] = 0
            self._bytes[graph] = 0
        else:
            self._digests[graph] = None
        if not lines:
            path.touch()
            return
        written = 0
        with open(path, "ab") as f:  # in pieces: one text of a 100,000-work source is 400 MB
            for i in range(0, len(lines), 10_000):
                data = (" .\n".join(lines[i : i + 10_000]) + " .\n").encode("utf-8")
                f.write(data)
                written += len(data)
        self._statements[graph] += len(lines)
        self._bytes[graph] += written

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- reading -------------------------------------------------------------------------------
    def __getitem__(self, graph: str) -> str:
        return self._files[graph].read_text(encoding="utf-8") if self._bytes[graph] else ""

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def path(self, graph: str) -> Path:
        return self._files[graph]

    def size(self, graph: str) -> int:
        """Bytes of the graph's text."""
        return self._bytes[graph]

    @property
    def statements(self) -> int:
        return sum(self._statements.values())

    def blocks(self, graph: str, size: int = BLOCK_BYTES) -> Iterator[str]:
        """The graph's text in pieces of about ``size`` bytes, each ending at a line end."""
        if not self._bytes[graph]:
            return
        with open(self._files[graph], encoding="utf-8", newline="\n") as f:
            while True:
                block = f.read(size)
                if not block:
                    return
                if not block.endswith("\n"):
                    block += f.readline()
                yield block

    def digest(self, graph: str) -> str:
        known = self._digests[graph]
        if known is None:
            known = self._digests[graph] = lines_digest(line[:-2] for line in self[graph].split("\n") if line)
        return known

    def digests(self) -> dict[str, str]:
        return {g: self.digest(g) for g in self._files}

    def subset(self, graphs: Iterable[str]) -> SpoolView:
        return SpoolView(self, list(graphs))


class SpoolView(Mapping[str, str]):
    """Some of a spool's graphs (the changed ones), still read from disk one at a time."""

    def __init__(self, spool: GraphSpool, graphs: list[str]) -> None:
        self.spool, self._graphs = spool, graphs
        self._set = set(graphs)

    def __getitem__(self, graph: str) -> str:
        if graph not in self._set:
            raise KeyError(graph)
        return self.spool[graph]

    def __iter__(self) -> Iterator[str]:
        return iter(self._graphs)

    def __len__(self) -> int:
        return len(self._graphs)

    def blocks(self, graph: str, size: int = BLOCK_BYTES) -> Iterator[str]:
        return self.spool.blocks(graph, size)

    def size(self, graph: str) -> int:
        return self.spool.size(graph)


def spooled(directory: Path, graphs: Mapping[str, list[str]]) -> GraphSpool:
    """A spool of already-made lines (tests, and callers with a small dataset)."""
    spool = GraphSpool(directory)
    for graph, lines in graphs.items():
        spool.add(graph, lines)
    return spool
