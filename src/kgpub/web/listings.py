"""Dataset-wide listings that cost a full-graph scan (statistics, latest works, examples, the
sitemap, a topic's works; the search index is in :mod:`kgpub.web.search`) and the per-snapshot
memo that keeps them off the request path.

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

import pyoxigraph as ox
from flask import Flask, current_app, request

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

# top-k over one date property at a time (no GROUP BY over every work): far cheaper at 100k works
# no secondary sort key: "ORDER BY DESC(STR(?d)) ?w" costs 8 s at 100k works against 1.5 s without
LATEST = _P + "SELECT $datep ?w ?d WHERE { ?w $datep ?d } ORDER BY DESC(STR(?d)) LIMIT 30"
TITLES = (
    _P
    + "SELECT ?w (SAMPLE(?t) AS ?title) WHERE { VALUES ?w { %s } OPTIONAL { ?w schema:name ?t } } GROUP BY ?w"
)
EXAMPLE = "SELECT $c ?s WHERE { ?s a $c FILTER(isIRI(?s)) } LIMIT 1"
TYPED = "SELECT DISTINCT $c ?s WHERE { ?s a $c FILTER(isIRI(?s)) }"

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


def stats(store: Store) -> Stats:
    def compute() -> Stats:
        s = store.stats()
        return Stats(s.quads, dict(s.graphs), dict(s.classes))

    return cached("stats", store, compute)


def latest_works(store: Store) -> list[tuple[str, str, str]]:
    """(IRI, title, date) of the ten most recent works."""

    def compute() -> list[tuple[str, str, str]]:
        best: dict[str, str] = {}
        for prop in ("http://schema.org/datePublished", "http://schema.org/dateCreated",
                     "https://w3id.org/kgpub/ns#dateListed"):
            subs = {"datep": ox.NamedNode(prop)}
            for r in store.query(LATEST, substitutions=subs):
                w, d = r["w"].value, r["d"].value
                if d > best.get(w, ""):
                    best[w] = d
        top = sorted(best.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:10]
        if not top:
            return []
        values = " ".join(
            str(ox.NamedNode(w)) for w, _ in top
        )  # IRIs from the store, serialised by pyoxigraph
        titles = {r["w"].value: r["title"] for r in store.query(TITLES % values)}
        return [(w, titles[w].value if titles.get(w) is not None else "(untitled work)", d) for w, d in top]

    return cached("latest", store, compute)


def examples(store: Store) -> dict[str, str]:
    """One example entity per shown class (an index lookup each, not a scan)."""

    def compute() -> dict[str, str]:
        found = {}
        for cls, _ in SHOWN_CLASSES:
            for r in store.query(EXAMPLE, substitutions={"c": ox.NamedNode(cls)}):
                found[cls] = r["s"].value
        return found

    return cached("examples", store, compute)


LABEL = (
    _P
    + """SELECT $s ?l WHERE { { $s schema:name ?l } UNION { $s skos:prefLabel ?l }
  UNION { $s kgpub:fileName ?l } UNION { $s kgpub:printedName ?l } } LIMIT 1"""
)


def example_labels(store: Store) -> dict[str, str]:
    """Display names of the example entities (a handful of lookups, once per snapshot)."""

    def compute() -> dict[str, str]:
        out = {}
        for iri in examples(store).values():
            for r in store.query(LABEL, substitutions={"s": ox.NamedNode(iri)}):
                out[iri] = r["l"].value
        return out

    return cached("example-labels", store, compute)


def served(iri: str, own: str) -> tuple[str, str] | None:
    """(path relative to the app root, kind) of an IRI we serve; plain string work, no request lookups
    (these loops run over every entity of a snapshot)."""
    if iri.startswith(own):
        rest = iri[len(own) :]
        kind, slash, key = rest.partition("/")
        if slash and key and "/" not in key and "#" not in key and "?" not in key:
            return f"/id/{rest}", kind
        return None
    if iri.startswith(iris.ARXIV):
        key = iri[len(iris.ARXIV) :]
        return (f"/id/topic/{key}", "topic") if key and "/" not in key and "#" not in key else None
    return None


def entity_paths(store: Store) -> list[str]:
    """App paths of every typed entity we serve except authorship slots (the sitemap), sorted."""

    def compute() -> list[str]:
        own, root = iris.base() + "id/", request.script_root if request else ""
        paths = set()
        for cls in stats(store).classes:
            if cls == iris.KGPUB + "Authorship":
                continue
            for r in store.query(TYPED, substitutions={"c": ox.NamedNode(cls)}):
                found = served(r["s"].value, own)
                if found is not None:
                    paths.add(root + found[0])
        return sorted(paths)

    return cached("entity-paths", store, compute)
