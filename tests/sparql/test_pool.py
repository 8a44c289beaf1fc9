"""The worker pool without the guard in front: what the process boundary alone guarantees.

These tests send the pool queries the guard would refuse, to check the second line of defence:
a crashing query costs one error and a replaced worker, and a worker cannot open connections.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgpub.errors import QueryError, QueryResourceError, QuerySyntaxError
from kgpub.sandbox import WorkerPool
from kgpub.store import EmbeddedStore

JSON = "application/sparql-results+json"
TURTLE = "text/turtle"


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerPool]:
    location = tmp_path_factory.mktemp("store")
    with EmbeddedStore(location).writer() as w:
        w.replace_graphs(
            {"http://example.org/g": '<http://example.org/s> <http://example.org/p> "o" .\n'},
            {"http://example.org/g": "test"},
        )
    workers = WorkerPool(str(location), 1, 1024)
    yield workers
    workers.close()


def _ask(pool: WorkerPool, query: str) -> bytes:
    answer = pool.run(query, results_type=JSON, graph_type=TURTLE, timeout=10)
    with answer.body:
        return answer.body.read()


def test_a_crashing_query_costs_one_error_and_the_pool_recovers(pool: WorkerPool) -> None:
    first = pool._all[0].proc.pid
    deep = "SELECT * WHERE " + "{" * 3000 + "}" * 3000  # overflows pyoxigraph's stack: a segfault
    with pytest.raises(QueryResourceError, match="stopped"):
        _ask(pool, deep)
    assert b'"boolean":true' in _ask(pool, "ASK { ?s ?p ?o }")
    assert pool._all[0].proc.pid != first  # replaced
    assert pool._all[0].proc.poll() is None


def test_a_worker_has_no_network(pool: WorkerPool) -> None:
    _ask(pool, "ASK {}")
    if not pool._all[0].offline:
        pytest.skip("this kernel does not allow an unprivileged network namespace")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.getsockname()[1]}/> {{ ?s ?p ?o }} }}"
        with pytest.raises(QueryError):
            _ask(pool, query)
        with pytest.raises(BlockingIOError):
            listener.accept()
    finally:
        listener.close()
    assert b'"boolean":true' in _ask(pool, "ASK { ?s ?p ?o }")


def test_result_files_do_not_stay_on_disk(pool: WorkerPool) -> None:
    _ask(pool, "SELECT * { ?s ?p ?o }")
    with pytest.raises(QuerySyntaxError):
        _ask(pool, "SELECT {")
    assert list(Path(pool.tmp).iterdir()) == []


def test_a_worker_that_died_while_idle_is_replaced_before_use(pool: WorkerPool) -> None:
    _ask(pool, "ASK {}")
    victim = pool._all[0].proc
    victim.kill()  # our own child, as the kernel's OOM killer would
    victim.wait()
    assert b'"boolean":true' in _ask(pool, "ASK { ?s ?p ?o }")
    assert pool._all[0].proc.pid != victim.pid


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def test_an_idle_worker_leaves_most_of_its_memory_limit_to_the_query(pool: WorkerPool) -> None:
    """RLIMIT_AS counts reserved address space, not memory in use: glibc's per-thread malloc
    arenas once took 447 MiB of a 1,024 MiB limit before any query ran (580 MiB in all), and a
    query that then needed one more thread aborted the worker (seen in CI as a 503)."""
    _ask(pool, "ASK { ?s ?p ?o }")
    pid = pool._all[0].proc.pid
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert b"MALLOC_ARENA_MAX=2" in environ
    size_mib = _status_kib(pid, "VmSize") / 1024
    assert size_mib < 1024 * 0.4, f"an idle worker reserves {size_mib:.0f} MiB of its 1,024 MiB"
