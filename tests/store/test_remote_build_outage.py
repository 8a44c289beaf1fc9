"""`kgpub build` into a real `oxigraph serve` that is killed while the build writes: the build exits 2
with a message naming the store (no traceback), the store holds each graph old or new once it is
back, and the next build completes — with the lock the failed build left behind taken over."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.hardening.harness import write_corpus
from tests.live import BIN
from tests.store.conftest import OxigraphServer, free_port

pytestmark = [pytest.mark.remote, pytest.mark.slow]

ENV = {**os.environ, "KGPUB_REMOTE_TIMEOUT": "3", "KGPUB_REMOTE_RETRIES": "2"}
STATE_PREFIX = "https://w3id.org/kgpub/store"
_BLANK = re.compile(r"_:[A-Za-z0-9]+")
# seconds after the build says "store…" at which the server dies: before its first request, and
# while it writes graphs
DELAYS = (0.0, 0.15, 0.4)


def fingerprint(server: OxigraphServer) -> dict[str, str]:
    """Per named graph (kgpub's own state graph left out): a digest of its triples, blank nodes erased."""
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    resp = httpx.post(server.url + "/query", data={"query": query}, timeout=60,
                      headers={"Accept": "application/sparql-results+json"})
    resp.raise_for_status()
    by_graph: dict[str, list[str]] = {}
    for row in resp.json()["results"]["bindings"]:
        graph = row["g"]["value"]
        if not graph.startswith(STATE_PREFIX):
            line = " ".join(f"{row[v]['type']}:{row[v]['value']}" for v in "spo")
            by_graph.setdefault(graph, []).append(_BLANK.sub("_:b", line))
    return {g: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest() for g, lines in by_graph.items()}


def build(corpus: Path, server: OxigraphServer) -> subprocess.CompletedProcess[str]:
    run = subprocess.run([str(BIN / "kgpub"), "build", "-q", str(corpus), "--store", server.url],
                         capture_output=True, text=True, timeout=300, env=ENV)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    return run


def build_killing_the_store(corpus: Path, server: OxigraphServer, delay: float) -> tuple[int, str]:
    """Run a build; ``delay`` s after it reaches its store stage, kill the server. Exit code, stderr."""
    proc = subprocess.Popen([str(BIN / "kgpub"), "build", str(corpus), "--store", server.url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    assert proc.stderr is not None
    err = []
    for line in proc.stderr:
        err.append(line)
        if "store…" in line:
            time.sleep(delay)
            server.stop()
            break
    err.append(proc.stderr.read())
    return proc.wait(timeout=120), "".join(err)


def test_the_store_dying_during_a_build_is_exit_2_and_the_next_build_completes(tmp_path: Path) -> None:
    server = OxigraphServer(tmp_path / "oxigraph", free_port())
    server.start()
    try:
        variants = [write_corpus(tmp_path / f"v{v}", 300, variant=v) for v in (0, 1)]
        build(variants[0], server)
        expected = {0: fingerprint(server)}
        failed = 0
        for round_, delay in enumerate(DELAYS):
            target = (round_ + 1) % 2
            old = expected[1 - target]
            code, err = build_killing_the_store(variants[target], server, delay)
            server.start()  # same port and location
            if code == 2:
                failed += 1
                assert "remote store" in err and "Traceback" not in err, err[-2000:]
            else:  # the build got everything written before the server died
                assert code in (0, 1), err[-2000:]
            state = fingerprint(server)
            build(variants[target], server)  # the rerun completes, the stale lock notwithstanding
            expected[target] = fingerprint(server)
            new = expected[target]
            for graph, digest in state.items():
                assert digest in (old.get(graph), new.get(graph)), f"{graph} is neither old nor new"
            assert expected[target] != old
        assert failed >= 1, "the server never died before a build finished: nothing was tried"
    finally:
        server.stop()
