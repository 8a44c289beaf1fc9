"""A time budget for everything one caller waits on a remote store: every request, retry and backoff.

``remote_timeout`` and ``remote_retries`` bound *one* request to the server, and httpx's timeouts
bound each socket operation, not an answer: a page that sends several queries, a server that
answers 5xx slowly (each retry waits in full) or one that trickles its body a byte at a time can
hold a web request for minutes while the client and any proxy in front have long given up. So the
web front gives every request one deadline (:func:`within`, from ``remote_page_timeout``, or the
query's own time limit for ``/sparql``) and the protocol client (:mod:`kgpub.store.protocol`)
shortens each attempt's timeouts to what is left, skips a backoff that would not fit, and stops
reading a body that is still arriving when the time is up.

The deadline lives in a context variable: each request thread (or task) has its own, code outside
a web request (``kgpub build``, ``kgpub query``) has none and keeps the per-request bounds only.
This module imports nothing of kgpub, so the store may use it without knowing Flask.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Deadline:
    """When the caller stops waiting (``time.monotonic()`` seconds) and which setting set it, so
    an answer that ran out of time can say what bounds it."""

    at: float
    setting: str

    def remaining(self) -> float:
        return self.at - time.monotonic()


_current: ContextVar[Deadline | None] = ContextVar("kgpub_store_deadline", default=None)


def current() -> Deadline | None:
    """The deadline in force here, or None (no overall bound)."""
    return _current.get()


@contextmanager
def within(seconds: float, setting: str) -> Iterator[Deadline]:
    """Bound everything in the block to ``seconds`` from now; an enclosing, earlier deadline still
    wins (a block can only shorten the wait, never lengthen it)."""
    wanted = Deadline(time.monotonic() + max(0.0, seconds), setting)
    outer = _current.get()
    chosen = outer if outer is not None and outer.at <= wanted.at else wanted
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


@contextmanager
def lifted() -> Iterator[None]:
    """No overall deadline in the block (each request to the store keeps its own bounds): for work
    done once on behalf of every later request, such as a dataset summary's full scans, which
    one page's budget must not cut short again and again."""
    token = _current.set(None)
    try:
        yield
    finally:
        _current.reset(token)


def start(seconds: float, setting: str) -> object:
    """Set a deadline until :func:`end` (for frameworks whose hooks cannot wrap a ``with``
    block, like Flask's ``before_request`` / ``teardown_request``); returns the token to end it."""
    return _current.set(Deadline(time.monotonic() + max(0.0, seconds), setting))


def end(token: object) -> None:
    """Lift the deadline :func:`start` set (in whatever context this runs: no deadline outlives
    its request, not even in a thread that a server reuses for the next one)."""
    try:
        _current.reset(token)  # type: ignore[arg-type]
    except ValueError:  # set in another context (a copied one): clear this one's
        _current.set(None)
