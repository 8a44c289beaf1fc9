"""Per-snapshot memo of heavy listings (counts, latest works, search index, sitemap).

A full-graph aggregate costs about a second at 100k works, so it must not run per request. An
:class:`~kgpub.store.EmbeddedStore` publishes immutable snapshots with an id that changes on every
build: a value computed for one snapshot id stays right until the id changes, so it is computed
once. Stores without snapshot ids (a remote server) fall back to a time-to-live.

One lock per key: concurrent first requests wait for one computation instead of all running it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app

from kgpub.store import Store

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
