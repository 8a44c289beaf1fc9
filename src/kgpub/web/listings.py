"""Dataset-wide listings that cost a full-graph scan (statistics, latest works, examples, the
sitemap, a topic's works; the search index is in :mod:`kgpub.web.search`) and the per-snapshot
memo that keeps them off the request path.

The values themselves are a snapshot's summary (:mod:`kgpub.summary`): read from the files a build
wrote beside its snapshot, or computed here once and written there for the other workers.

A full-graph aggregate costs about a second at 100k works, so it must not run per request. An
:class:`~kgpub.store.EmbeddedStore` publishes immutable snapshots with an id that changes on every
build: a value computed for one snapshot id stays right until the id changes, so it is computed
once. Stores without snapshot ids (a remote server) fall back to a time-to-live. One lock per key:
concurrent first requests wait for one computation instead of all running it.

While a remote store is away the home page keeps the figures this process counted last
(:func:`home_figures`), marked as kept: they are still what was published, the dumps it links to are
still served, and the page says that the store is not reachable. A process that never counted
them answers 503, as every page that needs the store does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app, request

from kgpub import summary, summary_files
from kgpub.errors import QueryTimeoutError, StoreError
from kgpub.store import Store, deadline
from kgpub.summary import SHOWN_CLASSES, served
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
    computed_at: float = field(default_factory=time.time)  # wall clock, shown with kept figures


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

    def peek(self, name: str, store: Store) -> Any | None:
        """The value of ``name`` for the store's current snapshot if one was computed, else None."""
        entry = self.entries.get(name)
        return entry.value if entry is not None and entry.key == self._version(store) else None

    def last(self, name: str) -> _Entry | None:
        """The last value computed for ``name``, whatever its version (for showing kept figures)."""
        return self.entries.get(name)

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
__all__ = ["SHOWN_CLASSES", "HomeFigures", "Stats", "cached", "home_figures", "served", "stats"]


@dataclass(frozen=True)
class Stats:
    quads: int
    graphs: dict[str, int]
    classes: dict[str, int]

    @property
    def shown(self) -> list[tuple[str, int]]:
        return [(name, self.classes.get(cls, 0)) for cls, name in SHOWN_CLASSES]


def summary_part(store: Store, part: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One part of the snapshot's summary: memoised per snapshot in this process, read from the
    snapshot's file when a build (or another worker) wrote it, computed and written otherwise."""

    def read_or_compute() -> dict[str, Any]:
        snapshot, base = snapshot_key(store), iris.base()
        found = summary_files.load(store, snapshot, part, base)
        if found is None:
            store.ping()  # within the request's budget: a store that is away fails here, fast
            with deadline.lifted():  # full scans done once for every later request, not one page's wait
                found = compute()
            summary_files.save(store, snapshot, part, base, found)
        return found

    return cached(f"summary-{part}", store, read_or_compute)


def built_part(store: Store, part: str) -> dict[str, Any] | None:
    """A part of the summary that only a build computes (every work's related works: seconds at
    100,000 works, far too long for a request), memoised per snapshot; None while there is none (a
    remote store, a snapshot built before the part existed, or one whose build is still writing
    it): then the caller asks the store, and the file is looked for again on the next request."""
    name = f"summary-{part}"
    found = cache_of().peek(name, store)
    if found is not None:
        return found
    loaded = summary_files.load(store, snapshot_key(store), part, iris.base())
    return None if loaded is None else cached(name, store, lambda: loaded)


def _home(store: Store) -> dict[str, Any]:
    return summary_part(store, "home", lambda: summary.home(store))


def _stats(home: dict[str, Any]) -> Stats:
    s = home["stats"]
    return Stats(int(s["quads"]), dict(s["graphs"]), dict(s["classes"]))


def stats(store: Store) -> Stats:
    return _stats(_home(store))


@dataclass(frozen=True)
class HomeFigures:
    """What the home page shows; ``kept_since`` (seconds since the epoch) when the store is away
    and these are the figures counted then, None when the store answered just now."""

    stats: Stats
    latest: list[tuple[str, str, str]]  # (IRI, title, date) of the ten most recent works
    examples: dict[str, str]  # one example entity per shown class
    labels: dict[str, str]  # their display names
    kept_since: float | None = None


PROBE_S = 2.0  # how long the home page waits to learn whether the store is there


def home_figures(store: Store) -> HomeFigures:
    """The home page's figures, and whether they are current: the store is asked a trivial query
    first (at most :data:`PROBE_S`), so a store that is away is noticed even though the figures
    need no query; when it is away the last figures counted here are kept, marked as such, or the
    failure is raised when there are none."""
    try:
        with deadline.within(PROBE_S, "remote_page_timeout"):
            store.ping()
        home, kept_since = _home(store), None
    except (StoreError, QueryTimeoutError) as exc:
        kept = cache_of().last("summary-home")
        if kept is None:
            raise
        current_app.logger.warning("store unavailable, home page shows the figures kept: %s", exc)
        home, kept_since = kept.value, kept.computed_at
    return HomeFigures(
        _stats(home),
        [(w, title, d) for w, title, d in home["latest"]],
        dict(home["examples"]),
        dict(home["labels"]),
        kept_since,
    )


def latest_works(store: Store) -> list[tuple[str, str, str]]:
    """(IRI, title, date) of the ten most recent works."""
    return [(w, title, d) for w, title, d in _home(store)["latest"]]


def examples(store: Store) -> dict[str, str]:
    """One example entity per shown class."""
    return dict(_home(store)["examples"])


def example_labels(store: Store) -> dict[str, str]:
    """Display names of the example entities."""
    return dict(_home(store)["labels"])


def entity_paths(store: Store) -> list[str]:
    """App paths of every typed entity we serve except authorship slots (the sitemap), sorted."""
    found = summary_part(store, "paths", lambda: {"paths": summary.paths(store, iris.base(), stats(store).classes)})
    root = request.script_root if request else ""
    return [root + path for path in found["paths"]] if root else list(found["paths"])
