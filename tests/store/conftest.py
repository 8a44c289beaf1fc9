"""Store fixtures: a real ``oxigraph serve`` for the remote store, and one parametrised ``any_store``
so that the embedded and the remote implementation run the same contract tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kgpub.config import load_config
from kgpub.store import EmbeddedStore, Store
from kgpub.store.remote import RemoteStore


def oxigraph_executable() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OxigraphServer:
    """A real ``oxigraph serve`` on a loopback port; can be stopped and started again (same data)."""

    location: Path
    port: int
    extra: tuple[str, ...] = ()
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        exe = oxigraph_executable()
        if exe is None:
            pytest.skip("oxigraph executable not installed (pip install -e '.[test]')")
        args = [exe, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            [*args, "--union-default-graph", *self.extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"oxigraph serve exited: {err}")
            try:
                httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not become ready in 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "oxigraph", free_port())
    server.start()
    yield server
    server.stop()


def remote_config(**overrides: object):  # type: ignore[no-untyped-def]
    """Settings for tests: no config file, no environment, short retries."""
    return load_config(environ={}, overrides={"remote_retries": 3, "remote_timeout": 20.0, **overrides})


@pytest.fixture(params=["embedded", pytest.param("remote", marks=pytest.mark.remote)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "embedded":
        store: Store = EmbeddedStore(tmp_path / "store")
    else:
        server = request.getfixturevalue("oxigraph_server")
        store = RemoteStore(server.url, remote_config())
    yield store
    store.close()


REPO = Path(__file__).resolve().parents[2]


def spawn(*args: str) -> subprocess.Popen[str]:
    """Start ``python -m tests.store.workers ARGS`` importing kgpub and the tests from this checkout."""
    path = os.pathsep.join([str(REPO / "src"), str(REPO), os.environ.get("PYTHONPATH", "")])
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.workers", *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.PIPE,
        text=True,
    )


def wait_for(proc: subprocess.Popen[str], word: str) -> str:
    """Read the child's lines until one starts with ``word``; return it."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(word):
            return line.strip()
    raise AssertionError(f"child exited ({proc.wait()}) before saying {word!r}")
