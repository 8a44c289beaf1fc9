"""A small pool of warm query worker processes, owned by one web process.

Each worker (:mod:`kgpub.sandbox.worker`) is started with ``python -m`` rather than forked, because
the web process may be multi-threaded and may hold an open store; a fresh interpreter inherits
neither. Workers are started ahead of need so a query does not pay for interpreter start-up and
the first store lookup. A worker that times out is SIGKILLed (pyoxigraph cannot be interrupted any
other way) and replaced; a worker that crashes (segfault, out of memory) is replaced the same way.

The parent only ever sees a finished result: the worker writes the whole serialised answer to a
file, reports success, and only then does the parent open it for streaming. A timeout therefore
never becomes a partial 200.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, cast

from kgpub.errors import QueryError, QueryResourceError, QuerySyntaxError, QueryTimeoutError, StoreError
from kgpub.sandbox.frames import FrameEOF, FrameTimeout, read_frame_until, write_frame

START_TIMEOUT = 30.0
RESULT_FILE_MB = 4096  # no answer file grows past this (the worker gets EFBIG, the client a 503)
# glibc reserves 64 MiB of address space per malloc arena, one arena per thread: with RocksDB's
# three background threads that was 447 MiB of PROT_NONE reservations in an idle worker (580 MiB
# VmSize, 187 MiB with two arenas), all counted against RLIMIT_AS. A query near the limit then
# failed to start a thread ("std::system_error: Resource temporarily unavailable") and the worker
# aborted. The worker evaluates one query at a time, so two arenas lose nothing.
WORKER_ENV = {"MALLOC_ARENA_MAX": "2"}


@dataclass(frozen=True, slots=True)
class Answer:
    """A finished result: its query form, media type and an open, already-unlinked file."""

    form: str
    media_type: str
    body: IO[bytes]
    size: int


class _Worker:
    def __init__(self, location: str, memory_mb: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kgpub.sandbox.worker", location, str(memory_mb), str(RESULT_FILE_MB)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
            env={**os.environ, **WORKER_ENV},
        )
        self.ready = False
        self.offline = False

    def wait_ready(self) -> None:
        if self.ready:
            return
        assert self.proc.stdout is not None
        hello = read_frame_until(self.proc.stdout.fileno(), time.monotonic() + START_TIMEOUT)
        self.ready, self.offline = True, bool(hello.get("offline"))

    def ask(self, request: dict[str, Any], deadline: float) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        write_frame(cast(BinaryIO, self.proc.stdin), request)
        return read_frame_until(self.proc.stdout.fileno(), deadline)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # unflushed input to a dead worker
                    pipe.close()


class WorkerPool:
    """``size`` warm workers over one embedded store; ``run`` evaluates one checked query."""

    def __init__(self, location: str, size: int, memory_mb: int) -> None:
        self.location, self.memory_mb = location, memory_mb
        self.pid = os.getpid()
        self.tmp = tempfile.mkdtemp(prefix="kgpub-sparql-")
        self._idle: list[_Worker] = [_Worker(location, memory_mb) for _ in range(max(1, size))]
        self._all = list(self._idle)
        self._cond = threading.Condition()
        atexit.register(self.close)

    def _acquire(self, deadline: float) -> _Worker:
        with self._cond:
            while not self._idle:
                left = deadline - time.monotonic()
                if left <= 0 or not self._cond.wait(left):
                    raise QueryResourceError(
                        "all query workers are busy",
                        hint="retry shortly; the setting query_workers (KGPUB_QUERY_WORKERS) sets how many",
                    )
            worker = self._idle.pop()
        if worker.proc.poll() is not None:  # died while idle (e.g. the OOM killer): replace it quietly
            fresh = _Worker(self.location, self.memory_mb)
            with self._cond:
                self._all = [w for w in self._all if w is not worker] + [fresh]
            worker.kill()
            worker = fresh
        return worker

    def _release(self, worker: _Worker, healthy: bool) -> None:
        if not healthy:
            worker.kill()
            fresh = _Worker(self.location, self.memory_mb)
        with self._cond:
            if not healthy:
                self._all = [w for w in self._all if w is not worker] + [fresh]
                worker = fresh
            self._idle.append(worker)
            self._cond.notify()

    def run(
        self,
        query: str,
        *,
        results_type: str,
        graph_type: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
        timeout: float,
    ) -> Answer:
        """Evaluate in a worker within ``timeout`` seconds, or raise the matching QueryError."""
        worker = self._acquire(time.monotonic() + timeout)
        out = os.path.join(self.tmp, uuid.uuid4().hex)
        healthy = False
        try:
            try:
                worker.wait_ready()
            except (FrameTimeout, FrameEOF):
                raise StoreError("a query worker failed to start; the server log has its error") from None
            request = {
                "query": query,
                "results_type": results_type,
                "graph_type": graph_type,
                "default": list(default_graphs),
                "named": list(named_graphs),
                "base": base_iri,
                "out": out,
            }
            try:
                reply = worker.ask(request, time.monotonic() + timeout)
            except FrameTimeout:
                raise QueryTimeoutError(
                    f"the query was stopped after {timeout:g} s",
                    hint="simplify the query; the limit is the setting query_timeout (KGPUB_QUERY_TIMEOUT)",
                ) from None
            except (FrameEOF, BrokenPipeError):
                raise QueryResourceError(
                    "the query worker stopped while evaluating this query (memory limit or crash)",
                    hint="simplify the query; the limit is query_memory_mb (KGPUB_QUERY_MEMORY_MB)",
                ) from None
            healthy = True
            return self._answer(reply, out)
        finally:
            self._release(worker, healthy)  # kills an unhealthy worker before its file is removed
            _unlink(out)

    def _answer(self, reply: dict[str, Any], out: str) -> Answer:
        if not reply.get("ok"):
            kind, message = reply.get("kind"), str(reply.get("message", "query failed"))
            _unlink(out)
            if kind == "syntax":
                raise QuerySyntaxError(message, hint="the position is line:column in the query text")
            if kind in ("memory", "resource"):
                raise QueryResourceError(message, hint="simplify the query or narrow its results")
            if kind == "store":
                raise StoreError(message)
            raise QueryError(message)
        body = open(out, "rb")  # noqa: SIM115 - handed to the response, closed when streamed
        _unlink(out)  # the open handle keeps the data; nothing is left behind on disk
        return Answer(reply["form"], reply["media_type"], body, os.fstat(body.fileno()).st_size)

    def close(self) -> None:
        if os.getpid() != self.pid:
            return  # a forked child must not kill its parent's workers
        with self._cond:
            workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            worker.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
