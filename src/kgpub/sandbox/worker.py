"""The query worker: a child process that evaluates one untrusted query at a time.

Why a process: pyoxigraph cannot cancel a running query, a deeply nested query can crash the
interpreter, and one query can allocate gigabytes. A separate process can be SIGKILLed at the time
limit, its address space is capped (``RLIMIT_AS``), and its crash costs one answer, not the server.

Before it reads its first request the worker caps its memory and result-file size, starts a
watchdog that ends it when its parent is gone (PR_SET_PDEATHSIG would fire when the *thread* that
started it exits, and web servers start workers from short-lived request threads), and moves itself
into an empty network namespace where that is allowed (best effort: the guard's SERVICE/LOAD
refusal is the real protection; this only makes an outbound connection impossible if the guard
were ever wrong).

It speaks length-prefixed JSON frames over its stdin/stdout (see :mod:`kgpub.sandbox.frames`) and
writes each result with pyoxigraph's native serializer into a file the parent named, so rows never
pass through Python and memory does not grow with the number of rows.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import threading
import time
from typing import Any, BinaryIO

# Nothing here may start a thread before _harden: unshare(CLONE_NEWUSER) needs a single-threaded
# process, so pyoxigraph and the store are imported inside main(), after it.
from kgpub.sandbox.frames import read_frame, write_frame

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def _harden(memory_mb: int, file_mb: int) -> bool:
    """Limits that hold for the life of the process. Returns True when the network is cut off."""
    libc = ctypes.CDLL(None, use_errno=True)
    offline = libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an over-long result fails with EFBIG instead
    limit = file_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return offline


def _watch_parent(parent: int) -> None:
    """End this worker as soon as the web process that started it has gone, even mid-query."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _serialize(result: Any, out: BinaryIO, results_type: str, graph_type: str) -> tuple[str, str]:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
        fmt = ox.QueryResultsFormat.from_media_type(results_type)
        assert fmt is not None
        result.serialize(out, format=fmt)
        return ("ASK" if isinstance(result, ox.QueryBoolean) else "SELECT"), results_type
    rdf = ox.RdfFormat.from_media_type(graph_type)
    assert rdf is not None
    result.serialize(out, format=rdf)
    return "CONSTRUCT", graph_type


def answer(store: Any, req: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one request and write its serialised result to ``req['out']``."""
    from kgpub.errors import KgpubError, QuerySyntaxError
    from kgpub.store.base import Dataset
    from kgpub.store.embedded import run_query

    dataset = Dataset(tuple(req.get("default", ())), tuple(req.get("named", ())))
    try:
        result = run_query(store.db(), req["query"], dataset=dataset, base_iri=req.get("base"))
        with open(req["out"], "wb") as out:
            form, media = _serialize(result, out, req["results_type"], req["graph_type"])
        return {"ok": True, "form": form, "media_type": media}
    except QuerySyntaxError as exc:
        return {"ok": False, "kind": "syntax", "message": exc.message}
    except KgpubError as exc:
        return {"ok": False, "kind": "store", "message": exc.message}
    except MemoryError:
        return {"ok": False, "kind": "memory", "message": "the query needed more memory than allowed"}
    except OSError as exc:
        message = f"the result could not be written: {exc.strerror or exc}"
        return {"ok": False, "kind": "resource", "message": message}
    except (ValueError, RuntimeError) as exc:
        # evaluation errors pyoxigraph reports (e.g. a dataset it cannot build)
        return {"ok": False, "kind": "query", "message": str(exc)}


def main(argv: list[str]) -> int:
    location, memory_mb, file_mb = argv[0], int(argv[1]), int(argv[2])
    # the protocol owns the real stdout; anything a library prints goes to stderr
    channel_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    channel_in = os.fdopen(os.dup(0), "rb", buffering=0)
    parent = os.getppid()
    offline = _harden(memory_mb, file_mb)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from kgpub.errors import KgpubError
    from kgpub.store.embedded import EmbeddedStore

    store = EmbeddedStore(location)
    try:
        store.db().query("ASK { ?s ?p ?o }")  # warm: open the snapshot and touch its first block
    except KgpubError as exc:
        print(f"kgpub query worker: {exc}", file=sys.stderr)
    write_frame(channel_out, {"ready": True, "pid": os.getpid(), "offline": offline})
    while True:
        req = read_frame(channel_in)
        if req is None:
            return 0
        write_frame(channel_out, answer(store, req))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
