"""The production server as `kgpub serve` runs it (gunicorn, src/kgpub/serving.py) against abusive
HTTP: oversized request lines, headers and bodies are refused by status, and clients that send half
a request and then nothing (slow-loris) are dropped after ``client_io_timeout``, so the server
answers everyone again by itself while those connections are still open on the client's side."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import kgpub_serve, raw_exchange

IO_TIMEOUT_S = 1.0
SLOW_CLIENTS = 60  # well over gunicorn's 2 workers × 4 threads


@pytest.fixture(scope="module")
def server(web_store_dir: Path) -> Iterator[str]:
    with kgpub_serve(web_store_dir, "--workers", "2", env={"KGPUB_CLIENT_IO_TIMEOUT": str(IO_TIMEOUT_S)}) as url:
        yield url


def status_of(answer: bytes) -> int | None:
    m = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return int(m.group(1)) if m else None


@pytest.mark.parametrize(
    ("request_bytes", "expected"),
    [
        (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n", 431),
        (b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: a\r\n" % i for i in range(500)) + b"\r\n", 431),
        (b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400),
        (b"GET /he\x00alth HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ],
    ids=["huge-header", "500-headers", "20k-request-line", "smuggling", "nul-in-path"],
)
def test_malformed_and_oversized_requests_are_refused(server: str, request_bytes: bytes, expected: int) -> None:
    assert status_of(raw_exchange(server, request_bytes, timeout=10)) == expected
    assert httpx.get(server + "/health", timeout=10).status_code == 200


def test_an_oversized_body_is_413(server: str) -> None:
    body = b"query=" + b"x" * 3_000_000
    try:
        resp = httpx.post(server + "/sparql", content=body, timeout=30,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert resp.status_code == 413
    except httpx.TransportError:
        pass  # the server answered 413 and closed before the upload finished
    assert httpx.get(server + "/health", timeout=10).status_code == 200


@pytest.mark.slow
def test_slow_loris_clients_are_dropped_and_the_server_answers_again_by_itself(server: str) -> None:
    host, port = server.split("//")[1].split(":")
    slow = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection((host, int(port)), timeout=5)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # half a request, then silence
        slow.append(sock)
    try:
        # each thread spends about IO_TIMEOUT_S on one slow client: all of them are gone after
        # SLOW_CLIENTS / 8 threads × IO_TIMEOUT_S, plus room for a loaded machine. Without the
        # limit they would hold every thread for as long as they stay connected.
        deadline = time.monotonic() + SLOW_CLIENTS / 8 * IO_TIMEOUT_S * 3 + 30
        open_ = list(slow)
        while open_ and time.monotonic() < deadline:
            still = []
            for sock in open_:
                sock.settimeout(0.01)
                try:
                    if sock.recv(1024) != b"":
                        still.append(sock)
                except TimeoutError:
                    still.append(sock)
                except OSError:
                    pass  # reset: dropped
            open_ = still
            time.sleep(0.5)
        assert not open_, f"{len(open_)} of {SLOW_CLIENTS} slow clients still hold the server"
        resp = httpx.get(server + "/health", timeout=10)  # while the slow sockets are still open here
        assert resp.status_code == 200
    finally:
        for sock in slow:
            sock.close()
