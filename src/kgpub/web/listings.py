"""Dataset-wide listings that cost a full-graph scan (statistics, latest works, examples, the search
index, the sitemap, a topic's works) and the per-snapshot memo that keeps them off the request path.

A full-graph aggregate costs about a second at 100k works, so it must not run per request. An
:class:`~kgpub.store.EmbeddedStore` publishes immutable snapshots with an id that changes on every
build: a value computed for one snapshot id stays right until the id changes, so it is computed
once. Stores without snapshot ids (a remote server) fall back to a time-to-live. One lock per key:
concurrent first requests wait for one computation instead of all running it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app

from kgpub.store import Store
from kgpub.web import iris

T = TypeVar("T")

REMOTE_TTL_SECONDS = 300.0


def snapshot_key(store: Store) -> str | None:
    """The store's snapshot id, or None when it has none (then a TTL applies)."""
    snap = getattr(store, "snapshot_id", None)
    return str(snap) if snap is not None else None


@dataclass
class _Entry:
    key: tuple[str | None, float]
    value: Any


@dataclass
class SnapshotCache:
    ttl: float = REMOTE_TTL_SECONDS
    entries: dict[str, _Entry] = field(default_factory=dict)
    locks: dict[str, threading.Lock] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)
    computations: int = 0  # how many values were computed (tests check reuse with it)

    def _version(self, store: Store) -> tuple[str | None, float]:
        snap = snapshot_key(store)
        if snap is not None:
            return (snap, 0.0)
        return (None, float(int(time.monotonic() // self.ttl)))

    def get(self, name: str, store: Store, compute: Callable[[], T]) -> T:
        version = self._version(store)
        entry = self.entries.get(name)
        if entry is not None and entry.key == version:
            return entry.value
        with self.guard:
            lock = self.locks.setdefault(name, threading.Lock())
        with lock:
            entry = self.entries.get(name)
            if entry is not None and entry.key == version:
                return entry.value
            value = compute()
            self.entries[name] = _Entry(version, value)
            self.computations += 1
            return value

    def clear(self) -> None:
        self.entries.clear()


def cache_of(app: Flask | None = None) -> SnapshotCache:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.get("kgpub.cache")
    if cache is None:
        cache = app.extensions.setdefault("kgpub.cache", SnapshotCache())
    return cache


def cached(name: str, store: Store, compute: Callable[[], T]) -> T:
    """Compute ``name`` once per store snapshot (or per TTL period for stores without snapshots)."""
    return cache_of().get(name, store, compute)


# -- the listings --------------------------------------------------------------------------------
_P = "PREFIX schema: <http://schema.org/> PREFIX kgpub: <https://w3id.org/kgpub/ns#> " \
     "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"  # fmt: skip

LATEST = (
    _P
    + """SELECT ?w (SAMPLE(?t) AS ?title) (MAX(STR(?d)) AS ?date) WHERE {
  ?w a schema:ScholarlyArticle . { ?w schema:datePublished ?d } UNION { ?w schema:dateCreated ?d }
  OPTIONAL { ?w schema:name ?t } } GROUP BY ?w ORDER BY DESC(?date) ?w LIMIT 10"""
)
EXAMPLES = _P + """SELECT ?c (MIN(STR(?s)) AS ?ex) WHERE { ?s a ?c FILTER(isIRI(?s)) } GROUP BY ?c"""
LABELLED = (
    _P
    + """SELECT ?s ?l ?c WHERE {
  { ?s schema:name ?l } UNION { ?s skos:prefLabel ?l } UNION { ?s kgpub:fileName ?l }
  OPTIONAL { ?s a ?c } FILTER(isIRI(?s)) }"""
)
TYPED = """SELECT DISTINCT ?s WHERE { ?s a ?c FILTER(isIRI(?s)) }"""

# classes shown on the home page, in this order, with the names people use
SHOWN_CLASSES = [
    (iris.SCHEMA + "ScholarlyArticle", "works"),
    (iris.SCHEMA + "Person", "people"),
    (iris.SCHEMA + "Organization", "organisations"),
    (iris.SKOS + "Concept", "topics"),
    (iris.KGPUB + "Authorship", "authorships"),
    (iris.KGPUB + "ProfileSnapshot", "profile snapshots"),
    (iris.KGPUB + "FeedListing", "feed listings"),
    (iris.KGPUB + "SourceDocument", "source documents"),
]


@dataclass(frozen=True)
class Stats:
    quads: int
    graphs: dict[str, int]
    classes: dict[str, int]

    @property
    def shown(self) -> list[tuple[str, int]]:
        return [(name, self.classes.get(cls, 0)) for cls, name in SHOWN_CLASSES]


@dataclass(frozen=True)
class Entry:
    """One searchable entity."""

    folded: str
    label: str
    iri: str
    kind: str


def stats(store: Store) -> Stats:
    def compute() -> Stats:
        s = store.stats()
        return Stats(s.quads, dict(s.graphs), dict(s.classes))

    return cached("stats", store, compute)


def latest_works(store: Store) -> list[tuple[str, str, str]]:
    """(IRI, title, date) of the ten most recent works."""

    def compute() -> list[tuple[str, str, str]]:
        return [
            (r["w"].value, r["title"].value if r["title"] is not None else "(untitled work)", r["date"].value)
            for r in store.query(LATEST)
        ]

    return cached("latest", store, compute)


def examples(store: Store) -> dict[str, str]:
    """One example entity per class (the smallest IRI, so it is stable across requests)."""

    def compute() -> dict[str, str]:
        return {r["c"].value: r["ex"].value for r in store.query(EXAMPLES)}

    return cached("examples", store, compute)


def _kind(iri: str, cls: str | None) -> str:
    kind = iris.kind_of(iri)
    if kind:
        return kind
    return {iris.SKOS + "Concept": "topic", iris.SCHEMA + "Person": "person"}.get(cls or "", "other")


def search_index(store: Store) -> list[Entry]:
    """Every named entity with its folded label; searched in memory, built once per snapshot."""

    def compute() -> list[Entry]:
        seen: dict[tuple[str, str], Entry] = {}
        for r in store.query(LABELLED):
            iri, label = r["s"].value, r["l"].value
            cls = r["c"].value if r["c"] is not None else None
            if (iri, label) not in seen and iris.link_for(iri) is not None:
                seen[(iri, label)] = Entry(label.casefold(), label, iri, _kind(iri, cls))
        return sorted(seen.values(), key=lambda e: (e.folded, e.iri))

    return cached("search-index", store, compute)


def search(store: Store, query: str, limit: int = 50) -> tuple[list[Entry], int]:
    """Entities whose name or title contains every word of the query; prefix matches first."""
    words = query.casefold().split()
    if not words:
        return [], 0
    hits = [e for e in search_index(store) if all(w in e.folded for w in words)]
    hits.sort(key=lambda e: (not e.folded.startswith(words[0]), e.kind != "person", e.folded))
    unique: dict[str, Entry] = {}
    for e in hits:
        unique.setdefault(e.iri, e)
    found = list(unique.values())
    return found[:limit], len(found)


def entity_paths(store: Store) -> list[str]:
    """App paths of every typed entity we serve (the sitemap's content), sorted."""

    def compute() -> list[str]:
        paths = set()
        for r in store.query(TYPED):
            path = iris.local_path(r["s"].value)
            if path is not None and iris.kind_of(r["s"].value) != "authorship":
                paths.add(path)
        return sorted(paths)

    return cached("entity-paths", store, compute)
