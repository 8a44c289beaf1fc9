"""Real servers for tests: the app in a thread on a loopback port, or `kgpub serve` as a process."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from flask import Flask
from werkzeug.serving import make_server

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@contextmanager
def thread_server(app: Flask) -> Iterator[str]:
    """The Flask app behind werkzeug's threaded server on 127.0.0.1:<free port>."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@contextmanager
def kgpub_serve(store: Path | str, *extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`kgpub serve` (gunicorn) as a real process; yields its base URL.

    Its log goes to an unlinked temporary file, never to a pipe nobody reads: a full pipe (64 KiB of
    access log) would block the server's logging and so the server."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the server
    proc = subprocess.Popen(
        [str(BIN / "kgpub"), "serve", "--store", str(store), "--port", str(port), *extra],
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/health", proc=proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def raw_exchange(url: str, payload: bytes, *, timeout: float = 30.0) -> bytes:
    """Send raw bytes to the server at ``url`` (http://host:port…) and return what it answers until it
    closes or goes quiet (b"" when it hung up first): for requests no HTTP client will send."""
    host, _, port = url.split("://", 1)[1].split("/", 1)[0].partition(":")
    with socket.create_connection((host, int(port or 80)), timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # refused part-way: what it said before closing is readable
            sock.sendall(payload)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except OSError:
            pass
        return b"".join(chunks)


def follow_next(url: str, key: str, params: dict[str, str]) -> list[dict[str, object]]:
    """Every row of a paged JSON listing (``key`` holds the rows, ``next`` the next page's path)."""
    origin = url.split("/", 3)
    root = "/".join(origin[:3])
    out: list[dict[str, object]] = []
    page: str | None = url
    query: dict[str, str] | None = params
    with httpx.Client() as http:
        while page:
            body = http.get(page, params=query).json()
            out += body[key]
            page, query = (root + body["next"], None) if body["next"] else (None, None)
    return out
