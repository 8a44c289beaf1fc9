"""The SPARQL 1.1 Protocol endpoint: read-only, and safe to expose.

The web process never evaluates a query it received: it checks the request against the protocol,
runs the guard (:mod:`kgpub.sandbox.guard`), and hands the checked text to a worker process
(embedded store) or to the configured remote server (remote store). The answer is streamed from the
worker's finished result file, so a time limit can never turn into a truncated 200.

GET without a query answers the service description (RDF) or, for a browser, the query page
(:mod:`kgpub.web.sparql_service`).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.datastructures import MultiDict

from kgpub.errors import NotAcceptableError, QueryError, QueryRefusedError, UsageError
from kgpub.sandbox import Answer, CheckedQuery, WorkerPool, check
from kgpub.store import Dataset, deadline, is_remote
from kgpub.web import get_store, settings
from kgpub.web.errors import error_response
from kgpub.web.negotiation import HTML, choose, rdf_media_types, result_media_types

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
FORM_TYPE = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"
METHODS = "GET, POST, HEAD, OPTIONS"
CHUNK = 64 * 1024
READ_ONLY_HINT = "this endpoint is read-only; it answers SELECT, ASK, CONSTRUCT and DESCRIBE"


# -- the protocol request ------------------------------------------------------------------------
def _refuse_update(params: MultiDict[str, str]) -> None:
    if "update" in params or request.mimetype == UPDATE_TYPE:
        raise QueryRefusedError("SPARQL Update is not accepted here", hint=READ_ONLY_HINT)


def _check_charset() -> None:
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.strip().lower() not in ("utf-8", "utf8"):
        raise UsageError(f"charset {charset!r} is not supported", hint="send the query encoded as UTF-8")


def protocol_request() -> tuple[str | None, MultiDict[str, str]]:
    """The query text (None: no query, e.g. a service-description GET) and the other parameters."""
    if request.method == "POST":
        if not request.mimetype:
            raise UsageError(
                "a POST needs a Content-Type",
                hint=f"send {FORM_TYPE} (query=...) or {QUERY_TYPE} (the query as the body)",
            )
        _check_charset()
        _refuse_update(MultiDict(request.args))
        if request.mimetype == QUERY_TYPE:
            try:
                body = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UsageError(f"the query is not valid UTF-8 (byte {exc.start})") from None
            params = MultiDict(request.args)
            if "query" in params:
                raise UsageError("the query is the body; a 'query' parameter is not allowed beside it")
            return body, params
        if request.mimetype != FORM_TYPE:
            raise UsageError(
                f"unsupported Content-Type {request.mimetype!r}",
                hint=f"POST {FORM_TYPE} or {QUERY_TYPE}",
            )
        params = MultiDict(request.args)
        params.update(request.form)
    else:
        params = MultiDict(request.args)
    _refuse_update(params)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise UsageError("exactly one 'query' parameter is allowed", hint="send one query per request")
    return (queries[0] if queries else None), params


def _timeout(params: MultiDict[str, str]) -> float:
    """The request's time limit: the ``timeout`` parameter may lower the setting, never raise it."""
    limit = float(settings().query_timeout)
    asked = params.get("timeout")
    if not asked:
        return limit
    try:
        value = float(asked)
    except ValueError:
        raise UsageError(f"timeout must be a number of seconds, got {asked!r}") from None
    if not value > 0:
        raise UsageError("timeout must be more than 0 seconds")
    return min(value, limit)


def _wants_page(params: MultiDict[str, str]) -> bool:
    if "format" in params:
        return params["format"].strip().lower() == "html"
    accept = request.accept_mimetypes
    return accept.quality(HTML) > max(accept.quality(m) for m in (*result_media_types(), *rdf_media_types()))


def _asks_other_family(is_graph: bool) -> bool:
    """Accept names only the other query form's formats (results types for a CONSTRUCT, as rdflib
    sends): answer in this form's default rather than 406, as generic clients expect."""
    other = set(result_media_types() if is_graph else rdf_media_types())
    return any(q > 0 and value.lower() in other for value, q in request.accept_mimetypes)


# -- per-client concurrency ----------------------------------------------------------------------
_running: dict[str, int] = {}
_running_lock = threading.Lock()


class TooManyQueries(Exception):
    pass


@contextmanager
def client_slot() -> Iterator[None]:
    """At most ``query_max_per_client`` queries of one client address at a time (per web process)."""
    client = request.remote_addr or "?"
    with _running_lock:
        if _running.get(client, 0) >= int(settings().query_max_per_client):
            raise TooManyQueries
        _running[client] = _running.get(client, 0) + 1
    try:
        yield
    finally:
        with _running_lock:
            _running[client] -= 1
            if not _running[client]:
                del _running[client]


# -- evaluation ---------------------------------------------------------------------------------
def pool(app: Flask | None = None) -> WorkerPool:
    """This web process's worker pool (started on first use; a forked WSGI worker starts its own)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    existing: WorkerPool | None = app.extensions.get("kgpub.sandbox")
    if existing is None or existing.pid != os.getpid():
        cfg = settings(app)
        existing = WorkerPool(cfg.store, int(cfg.query_workers), int(cfg.query_memory_mb))
        app.extensions["kgpub.sandbox"] = existing
    return existing


def evaluate(
    checked: CheckedQuery, params: MultiDict[str, str], results_type: str, graph_type: str
) -> Answer:
    """Evaluate a checked query where it is safe to: a worker, or the remote store."""
    dataset = Dataset(tuple(params.getlist("default-graph-uri")), tuple(params.getlist("named-graph-uri")))
    timeout = _timeout(params)
    if is_remote(settings().store):  # the same time limit as in the sandbox (see kgpub.web.budget)
        media = graph_type if checked.form in ("CONSTRUCT", "DESCRIBE") else results_type
        with deadline.within(timeout, "query_timeout"):
            form, body = get_store().query_serialized(checked.text, media, dataset=dataset)
        return Answer(form, media, io.BytesIO(body), len(body))
    return pool().run(
        checked.text,
        results_type=results_type,
        graph_type=graph_type,
        default_graphs=dataset.default_graphs,
        named_graphs=dataset.named_graphs,
        base_iri=request.base_url,
        timeout=timeout,
    )


def _stream(body: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := body.read(CHUNK):
            yield chunk
    finally:
        body.close()


def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Vary"] = "Accept"
    return resp


# -- the route ----------------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST", "HEAD", "OPTIONS"])
@bp.route("/sparql/", methods=["GET", "POST", "HEAD", "OPTIONS"])
def endpoint() -> Response:
    from kgpub.web import sparql_service

    if request.method == "OPTIONS":
        resp = Response(status=204)
        resp.headers["Allow"] = METHODS
        resp.headers["Access-Control-Allow-Methods"] = METHODS
        resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        resp.headers["Access-Control-Max-Age"] = "86400"
        return _cors(resp)
    query, params = protocol_request()
    if query is None:
        return _cors(sparql_service.describe_or_page(params))
    cfg = settings()
    try:
        checked = check(query, max_length=int(cfg.query_max_length), max_depth=int(cfg.query_max_depth))
    except QueryError as exc:
        if _wants_page(params):  # a browser's form: show the refusal beside the query
            return sparql_service.error_page(query, exc)
        raise
    is_graph = checked.form in ("CONSTRUCT", "DESCRIBE")
    offered = rdf_media_types() if is_graph else result_media_types()
    try:
        media = choose([*offered, HTML], offered[0])
    except NotAcceptableError:
        if "format" in params or not _asks_other_family(is_graph):
            raise
        media = offered[0]
    try:
        with client_slot():
            if media == HTML:
                return sparql_service.result_page(query, checked, params)
            results_type = media if not is_graph else result_media_types()[0]
            graph_type = media if is_graph else rdf_media_types()[0]
            answer = evaluate(checked, params, results_type, graph_type)
    except TooManyQueries:
        resp = error_response(
            429,
            "too-many-queries",
            f"this client already has {cfg.query_max_per_client} queries running",
            hint="wait for one to finish; the limit is the setting query_max_per_client",
        )
        resp.headers["Retry-After"] = "1"
        return _cors(resp)
    resp = Response(_stream(answer.body), mimetype=answer.media_type, direct_passthrough=True)
    resp.content_length = answer.size
    return _cors(resp)
