"""The store interface every stage above talks to.

Two implementations: :mod:`kgpub.store.embedded` (pyoxigraph on disk) and :mod:`kgpub.store.remote`
(any SPARQL 1.1 Protocol + Graph Store Protocol server). Queries see the *merged view*: the union of
all named graphs is the default graph, so a plain query needs no ``GRAPH``.

Results come back as pyoxigraph objects in both cases (a remote answer is parsed with
``pyoxigraph.parse_query_results``), or as bytes already serialised in a standard format, so that
large results never pass through Python row by row.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol, TypeAlias

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# pyoxigraph's QuerySolutions | QueryBoolean | QueryTriples. Typed loosely on purpose: every caller
# knows the query form it asked for, and the union would force a cast at each of them.
QueryResult: TypeAlias = Any


@dataclass(frozen=True, slots=True)
class Dataset:
    """A SPARQL protocol dataset: ``default-graph-uri`` / ``named-graph-uri`` (override FROM)."""

    default_graphs: Sequence[str] = ()
    named_graphs: Sequence[str] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(slots=True)
class StoreStats:
    quads: int = 0
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI -> quad count
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> instances (merged view)


class StoreWriter(Protocol):
    """What a build writes through while it holds the store's one writer lock.

    Replacing a graph with empty text removes it (its digest is still recorded, so an empty source
    is not rewritten on every build)."""

    def replace_graphs(self, graphs: Mapping[str, str], digests: Mapping[str, str]) -> None: ...

    def remove_graphs(self, graphs: Iterable[str]) -> None: ...


class Store(ABC):
    """A read/write RDF dataset. Writers are exclusive (see ``writer()``)."""

    location: str

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        dataset: Dataset | None = None,
    ) -> QueryResult:
        """Evaluate a *trusted* query (kgpub's own). Untrusted text goes through kgpub.sandbox."""

    @abstractmethod
    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        dataset: Dataset | None = None,
    ) -> tuple[str, bytes]:
        """Evaluate and serialise in one native call. Returns (query form, body)."""

    def ping(self) -> None:
        """Raise (``StoreError``, or ``QueryTimeoutError`` for a server that does not answer) unless
        the store answers right now: the cheapest query there is, for a page that has what it shows
        already and only needs to know whether the store is there."""
        self.query("ASK {}")

    @abstractmethod
    def graphs(self) -> list[str]:
        """Named graph IRIs."""

    @abstractmethod
    def graph_digest(self, graph: str) -> str | None:
        """The content digest recorded for a graph when it was last replaced (None: absent)."""

    def graph_digests(self) -> dict[str, str]:
        """Every recorded digest at once (one round trip for a remote store)."""
        return {g: d for g in self.graphs() if (d := self.graph_digest(g)) is not None}

    @abstractmethod
    def writer(self) -> AbstractContextManager[StoreWriter]:
        """The one writer: exclusive (``StoreLockedError`` if held); changes are published on exit
        without an exception, and abandoned otherwise (embedded) or kept per graph (remote)."""

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, str], digests: Mapping[str, str]) -> None:
        """Atomically replace each named graph with the given N-Triples text; record its digest."""

    @abstractmethod
    def remove_graphs(self, graphs: Iterable[str]) -> None:
        """Drop named graphs (a source that is no longer part of the build)."""

    @abstractmethod
    def dump(self, out: BinaryIO, media_type: str) -> None:
        """Stream the whole dataset (N-Quads or TriG) to ``out``."""

    @abstractmethod
    def stats(self) -> StoreStats: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
