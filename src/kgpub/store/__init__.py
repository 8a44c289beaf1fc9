"""Store layer: one interface, an embedded and a remote implementation.

``open_store`` is the only way the rest of kgpub gets a store: a directory means embedded
pyoxigraph, an ``http(s)://`` URL a remote SPARQL 1.1 server.
"""

from __future__ import annotations

from kgpub.config import Config
from kgpub.store.base import Dataset, QueryResult, Store, StoreStats, StoreWriter, Term
from kgpub.store.embedded import EmbeddedStore

__all__ = [
    "Dataset",
    "EmbeddedStore",
    "QueryResult",
    "Store",
    "StoreStats",
    "StoreWriter",
    "Term",
    "is_remote",
    "open_store",
]


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def open_store(location: str, config: Config | None = None) -> Store:
    if is_remote(location):
        from kgpub.store.remote import RemoteStore

        return RemoteStore(location, config)
    return EmbeddedStore(location)
