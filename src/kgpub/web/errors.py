"""One JSON error shape for every error the web front answers, and HTML for browsers.

Shape: ``{"error": {"status": 400, "code": "query-syntax", "message": "...", "hint": "..."}}``.
A test walks the error paths and checks every answer against this shape.

A store that cannot be reached is the operator's problem, not the client's: its message names the
store's internal URL or path, so the client gets a fixed message (the log keeps the real one). Any
other message (a remote server's words about a query, a timeout) has every spelling of the remote
store's address taken out before a client sees it — the remote store's own messages avoid naming it,
this is the net below them. Every 503 carries ``Retry-After`` (the store coming back, or load
passing, is what makes a retry succeed) and ``Cache-Control: no-store`` with no validator: an HTTP
cache in front must not keep an outage, nor revalidate into one, once the store is back.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kgpub.errors import KgpubError, NotAcceptableError, StoreError
from kgpub.store import is_remote
from kgpub.store.protocol import scrub

RETRY_AFTER_S = "5"
STORE_AWAY = "the data store is not reachable right now"
STORE_AWAY_HINT = "try again in a few seconds"


def public(exc: KgpubError) -> tuple[str, str | None]:
    """The message and hint a client may see for ``exc``; a store failure is logged here instead."""
    if isinstance(exc, StoreError):
        current_app.logger.warning("store unavailable: %s", exc)
        return STORE_AWAY, STORE_AWAY_HINT
    location = str(current_app.extensions["kgpub.config"].store)
    if not is_remote(location):
        return exc.message, exc.hint
    client = getattr(current_app.extensions.get("kgpub.store"), "http", None)
    endpoints = getattr(client, "endpoints", None)
    hint = scrub(exc.hint, location, endpoints) if exc.hint else None
    return scrub(exc.message, location, endpoints), hint


def uncacheable(resp: Response) -> Response:
    """Nothing a cache may keep or revalidate: for answers that stop being true when the store is
    back (503s, a home page showing that the store is away)."""
    for validator in ("ETag", "Last-Modified", "Expires"):
        resp.headers.pop(validator, None)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def error_body(status: int, code: str, message: str, hint: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if hint:
        body["hint"] = hint
    body.update(extra)
    return {"error": body}


def error_response(status: int, code: str, message: str, hint: str | None = None, **extra: Any) -> Response:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"], default="application/json")
    wants_html = best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes[
        "application/json"
    ]
    if wants_html and request.method != "HEAD":
        html = render_template("error.html", status=status, code=code, message=message, hint=hint, extra=extra)
        resp = Response(html, status=status, mimetype="text/html")
    else:
        resp = jsonify(error_body(status, code, message, hint, **extra))
        resp.status_code = status
    return resp


def register(app: Flask) -> None:
    @app.errorhandler(KgpubError)
    def _kgpub(exc: KgpubError) -> Response:
        extra: dict[str, Any] = {}
        if isinstance(exc, NotAcceptableError):
            extra["offered"] = exc.offered
        message, hint = public(exc)
        return error_response(exc.http_status, exc.code, message, hint, **extra)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = (exc.name or "error").lower().replace(" ", "-")
        resp = error_response(status, code, exc.description or exc.name or "error")
        headers = dict(exc.get_headers())
        for key in ("Allow", "Retry-After"):
            if key in headers:
                resp.headers[key] = headers[key]
        return resp

    @app.after_request
    def _unavailable(resp: Response) -> Response:
        if resp.status_code == 503:
            resp.headers.setdefault("Retry-After", RETRY_AFTER_S)
            uncacheable(resp)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response(500, "internal-error", "internal error; the server log has the details")
