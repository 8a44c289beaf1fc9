"""``/validation/diagnostics``: what the parsers reported about the published sources.

A value a parser could not read (a malformed DOI, an impossible date, an ORCID failing its check
digit) never reaches the graph, so the SHACL report cannot show it; the build keeps each diagnostic
in the provenance graph (:mod:`kgpub.validation.diagnostics`) and this page lists them for curators,
by document and line, filtered by severity and source document. They are read once per published
snapshot; filter values are compared in Python and never reach a query.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request

from kgpub.errors import UsageError
from kgpub.records import SEVERITIES, Diagnostic
from kgpub.validation.diagnostics import as_dict, counts, stored_diagnostics
from kgpub.web import get_store
from kgpub.web.listings import cache_of
from kgpub.web.negotiation import HTML, choose
from kgpub.web.queries import page_args

bp = Blueprint("diagnostics", __name__)

_FORMATS = {"html": HTML, "json": "application/json"}


def all_diagnostics() -> list[Diagnostic]:
    store = get_store()
    return cache_of().get("diagnostics", store, lambda: stored_diagnostics(lambda q: store.query(q)))


def _filters() -> dict[str, str]:
    args = {k: request.args[k] for k in ("severity", "document") if request.args.get(k)}
    if "severity" in args and args["severity"] not in SEVERITIES:
        raise UsageError(f"severity must be one of {', '.join(SEVERITIES)}, not {args['severity']!r}")
    return args


@bp.route("/validation/diagnostics", methods=["GET", "HEAD"])
@bp.route("/validation/diagnostics.<ext>", methods=["GET", "HEAD"])
def listing(ext: str | None = None) -> Response:
    if ext is not None and ext not in _FORMATS:
        raise UsageError(f"no format {ext!r} here", hint="use .html or .json")
    media = _FORMATS[ext] if ext else choose(list(_FORMATS.values()), HTML)
    args = _filters()
    limit, offset = page_args()
    every = all_diagnostics()
    chosen = [
        d
        for d in every
        if d.severity == args.get("severity", d.severity) and d.file == args.get("document", d.file)
    ]
    rows = [as_dict(d) for d in chosen[offset : offset + limit]]
    more = offset + limit < len(chosen)
    next_url = request.path + "?" + urlencode({**args, "limit": limit, "offset": offset + limit}) if more else None
    if media == HTML:
        resp = Response(
            render_template(
                "diagnostics.html", rows=rows, counts=counts(every), matched=len(chosen), args=args,
                documents=sorted({d.file for d in every}), severities=SEVERITIES, offset=offset, limit=limit,
                next_url=next_url,
            ),
            mimetype=HTML,
        )
    else:
        body: dict[str, Any] = {"filters": args, "limit": limit, "offset": offset, "next": next_url,
                                "counts": counts(every), "matched": len(chosen), "diagnostics": rows}
        resp = jsonify(body)
    if next_url:
        resp.headers["Link"] = f'<{next_url}>; rel="next"'
    resp.headers["Vary"] = "Accept"
    return resp
