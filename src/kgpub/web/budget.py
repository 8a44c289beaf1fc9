"""Each web request's time budget against a remote store (:mod:`kgpub.store.deadline`).

Without it a page's wait has no bound of its own: ``remote_timeout`` (60 s) bounds one request to the
store and ``remote_retries`` (3) multiplies it, so with the defaults a page over a store that accepts
connections but never answers waits 60 s for its first query, one over a store that answers 5xx
slowly 3 × 60 s + backoff, one over a server trickling its body for as long as the trickle lasts —
far past what a browser user waits, or a proxy in front allows (nginx and most load balancers give
up at 60 s). So every request starts with a deadline of ``remote_page_timeout`` seconds (10 s by
default, ``query_timeout``'s default), and ``/sparql`` with the longer of that and ``query_timeout``
— the query itself is then bounded by its own time limit (``query_timeout``, lowered by a
``timeout`` parameter), as on the embedded store. When it runs out the answer is a 503 with
``Retry-After``.

Only remote stores: the embedded store's queries run in-process or in the query sandbox, which has
its own kill timer.
"""

from __future__ import annotations

from flask import Flask, g, request

from kgpub.store import deadline, is_remote
from kgpub.web import settings

SPARQL_ENDPOINT = "sparql.endpoint"


def register(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        cfg = settings()
        if not is_remote(str(cfg.store)):
            return
        seconds, setting = float(cfg.remote_page_timeout), "remote_page_timeout"
        if request.endpoint == SPARQL_ENDPOINT and float(cfg.query_timeout) >= seconds:
            seconds, setting = float(cfg.query_timeout), "query_timeout"
        g.kgpub_deadline = deadline.start(seconds, setting)

    @app.teardown_request
    def _end(_exc: BaseException | None) -> None:
        token = g.pop("kgpub_deadline", None)
        if token is not None:
            deadline.end(token)
