"""An overall deadline (kgpub.store.deadline) ends every wait on a remote store, against real servers
on loopback ports that misbehave in the ways per-request timeouts do not bound: a body trickling in a
byte at a time (each read is quick, the answer never ends) and 5xx answers that each take a while
(every retry waits in full, backoff doubling between them)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kgpub.errors import QueryTimeoutError, StoreError
from kgpub.store import deadline
from kgpub.store.remote import RemoteStore
from tests.store.conftest import remote_config

TRICKLE_FOR_S = 15.0  # the trickle ends by itself, so a missing deadline fails the test, not hangs it
WITHIN_S = 6.0  # generous: "ends near the deadline", far below remote_timeout (30 s) and the trickle


@contextmanager
def misbehaving(answer: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[tuple[str, list[float]]]:
    """A real HTTP server answering every request with ``answer``; yields its URL and the times
    requests arrived."""
    arrivals: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            arrivals.append(time.monotonic())
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with contextlib.suppress(OSError):  # the client gave up: what the deadline is for
                answer(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", arrivals
    finally:
        server.shutdown()
        server.server_close()


def trickle(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b'{"head":{"vars":[]},"boolean":')
    ends = time.monotonic() + TRICKLE_FOR_S
    while time.monotonic() < ends:
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


def slow_503(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(0.7)
    handler.send_response(503)
    handler.send_header("Content-Length", "4")
    handler.end_headers()
    handler.wfile.write(b"busy")


def test_a_body_trickling_in_ends_at_the_deadline_not_when_the_server_stops() -> None:
    with misbehaving(trickle) as (url, arrivals):
        store = RemoteStore(url, remote_config(remote_timeout=30.0, remote_retries=3))
        started = time.monotonic()
        with deadline.within(1.0, "remote_page_timeout"), pytest.raises(QueryTimeoutError) as info:
            store.query("ASK {}")
        took = time.monotonic() - started
        store.close()
    assert took < WITHIN_S, took
    assert len(arrivals) == 1
    assert info.value.hint and "remote_page_timeout" in info.value.hint
    assert "127.0.0.1" not in info.value.message  # a query's error never names the server


def test_slow_5xx_answers_stop_being_retried_at_the_deadline() -> None:
    with misbehaving(slow_503) as (url, arrivals):
        # without a deadline: 10 attempts of 0.7 s, and 0.2 × (2**9 - 1) s ≈ 100 s of backoff between
        store = RemoteStore(url, remote_config(remote_timeout=30.0, remote_retries=10))
        started = time.monotonic()
        # the last attempt may be cut short (a timeout) or not started (the 503 seen is reported)
        with deadline.within(1.5, "remote_page_timeout"), pytest.raises((StoreError, QueryTimeoutError)) as info:
            store.query("ASK {}")
        took = time.monotonic() - started
        store.close()
    assert took < WITHIN_S, took
    assert 1 <= len(arrivals) <= 3, arrivals
    assert info.value.hint and "remote_page_timeout" in info.value.hint


def test_a_deadline_only_shortens_and_ends_with_its_block() -> None:
    assert deadline.current() is None
    with deadline.within(5.0, "outer") as outer:
        with deadline.within(60.0, "inner") as inner:
            assert inner is outer  # a block cannot lengthen the wait it is part of
        with deadline.within(1.0, "inner") as inner:
            assert inner.setting == "inner" and inner.remaining() <= 1.0
        assert deadline.current() is outer
        with deadline.lifted():
            assert deadline.current() is None
        assert deadline.current() is outer
    assert deadline.current() is None
