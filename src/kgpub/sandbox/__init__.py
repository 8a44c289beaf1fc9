"""Running untrusted SPARQL: a guard that refuses before evaluation, and worker processes that
evaluate under a time limit, a memory limit and without network.

Call :func:`kgpub.sandbox.guard.check` on every query text that came from outside, then
:meth:`WorkerPool.run` with the checked text (embedded store), or the store's own
``query_serialized`` (remote store: the remote server evaluates).
"""

from __future__ import annotations

from kgpub.sandbox.guard import CheckedQuery, check, decode_escapes
from kgpub.sandbox.pool import Answer, WorkerPool

__all__ = ["Answer", "CheckedQuery", "WorkerPool", "check", "decode_escapes"]
