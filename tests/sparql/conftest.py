"""A live kgpub endpoint over real HTTP for the SPARQL tests.

One werkzeug server (threaded, on a free loopback port) per test module, over a store whose
contents each test replaces through the store's one writer: the query workers reopen the new
snapshot by themselves, as they do in production when a build publishes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from kgpub.store import EmbeddedStore
from kgpub.web import create_app

CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "sparql11"
TEST_SETTINGS = {
    "query_timeout": 2.0,
    "query_memory_mb": 1024,
    "query_workers": 2,
    "query_max_per_client": 4,
    "base": "http://localhost:8080/",
}


@dataclass
class Live:
    app: Flask
    server: BaseWSGIServer
    store: EmbeddedStore
    url: str  # the endpoint, e.g. http://127.0.0.1:PORT/sparql

    def load(self, graphs: Mapping[str, str]) -> None:
        """Make the store hold exactly these named graphs (N-Triples text each)."""
        with self.store.writer() as w:
            old = [g for g in self.store.graphs() if g not in graphs]
            w.remove_graphs(old)
            w.replace_graphs(graphs, {g: str(hash(text)) for g, text in graphs.items()})

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(timeout=30, **kwargs)  # type: ignore[arg-type]


def start_live(store_dir: Path, **overrides: object) -> Live:
    settings = {**TEST_SETTINGS, **overrides, "store": str(store_dir)}
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return Live(app, server, EmbeddedStore(store_dir), f"http://127.0.0.1:{server.server_port}/sparql")


def stop_live(live: Live) -> None:
    live.server.shutdown()
    live.server.server_close()
    pool = live.app.extensions.get("kgpub.sandbox")
    if pool is not None:
        pool.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = start_live(tmp_path_factory.mktemp("store"))
    yield server
    stop_live(server)
