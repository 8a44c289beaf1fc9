"""Named queries as a web API: ``/queries``, ``/queries/{name}``, ``/queries/openapi.json``."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from kgpub.errors import UsageError
from kgpub.queries import NamedQuery, bind, get_named_query, named_queries, paged_text
from kgpub.web import get_store, settings
from kgpub.web.negotiation import HTML, choose
from kgpub.web.openapi import openapi_document

bp = Blueprint("queries", __name__)

_FORMATS = {"json": "application/json", "csv": "text/csv", "html": HTML}


def term_value(term: Any) -> Any:
    """A JSON-friendly value: numbers as numbers, everything else as its lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else ""
        if dtype.endswith(("#integer", "#int", "#long")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dtype.endswith(("#decimal", "#double", "#float")):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if dtype.endswith("#boolean"):
            return term.value == "true"
    return term.value


def page_args() -> tuple[int, int]:
    cfg = settings()
    try:
        limit = int(request.args.get("limit", cfg.page_size))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        raise UsageError("limit and offset must be integers") from None
    if not 1 <= limit <= cfg.max_page_size:
        raise UsageError(f"limit must be between 1 and {cfg.max_page_size} (setting max_page_size)")
    if offset < 0 or offset > 10_000_000:
        raise UsageError("offset must be between 0 and 10000000")
    return limit, offset


def run_named(query: NamedQuery, args: dict[str, str], limit: int, offset: int) -> tuple[list[str], list[dict], bool]:
    store = get_store()
    subs = bind(query, args, store)
    result = store.query(paged_text(query, limit, offset), substitutions=subs)
    if not isinstance(result, ox.QuerySolutions):
        raise UsageError(f"named query {query.name!r} is not a SELECT query")
    params = {p.name for p in query.params}
    variables = [v.value for v in result.variables if v.value not in params]
    rows = [{v: term_value(sol[v]) for v in variables} for sol in result]
    more = len(rows) > limit
    return variables, rows[:limit], more


@bp.route("/queries", methods=["GET", "HEAD"])
def index() -> Response:
    queries = list(named_queries().values())
    media = choose([HTML, "application/json"], HTML)
    if media == HTML:
        return Response(render_template("queries.html", queries=queries), mimetype=HTML)
    return jsonify(
        {
            "queries": [
                {
                    "name": q.name, "title": q.title, "description": q.description, "formats": list(q.formats),
                    "url": url_for("queries.run", name=q.name, _external=True),
                    "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                                "class": p.cls, "description": p.help} for p in q.params],
                }
                for q in queries
            ],
            "openapi": url_for("queries.openapi", _external=True),
        }
    )


@bp.route("/queries/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(list(named_queries().values()), request.host_url.rstrip("/")))


@bp.route("/queries/<name>.rq")
def source(name: str) -> Response:
    return Response(get_named_query(name).text, mimetype="application/sparql-query")


@bp.route("/queries/<name>", methods=["GET", "HEAD"])
@bp.route("/queries/<name>.<ext>", methods=["GET", "HEAD"])
def run(name: str, ext: str | None = None) -> BaseResponse:
    query = get_named_query(name)
    if ext is not None:
        if ext not in _FORMATS or ext not in query.formats:
            abort(404)
        media = _FORMATS[ext]
    else:
        media = choose([_FORMATS[f] for f in query.formats if f in _FORMATS], _FORMATS[query.formats[0]])
    limit, offset = page_args()
    args = {k: v for k, v in request.args.items() if k not in ("limit", "offset", "format")}
    variables, rows, more = run_named(query, args, limit, offset)
    next_url = None
    if more:
        next_url = request.path + "?" + urlencode({**args, "limit": limit, "offset": offset + limit})
    if media == HTML:
        resp = Response(render_template("query_result.html", query=query, variables=variables, rows=rows,
                                        args=args, next_url=next_url, offset=offset), mimetype=HTML)
    elif media == "text/csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if row[v] is None else row[v] for v in variables])
        resp = Response(buf.getvalue(), mimetype="text/csv")
    else:
        resp = jsonify({"query": query.name, "variables": variables, "rows": rows, "limit": limit,
                        "offset": offset, "next": next_url})
    if next_url:
        resp.headers["Link"] = f'<{next_url}>; rel="next"'
    resp.headers["Vary"] = "Accept"
    return resp
