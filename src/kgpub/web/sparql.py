"""The SPARQL 1.1 Protocol endpoint (read-only)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from kgpub.errors import QueryRefusedError, UsageError
from kgpub.store import Dataset
from kgpub.web import get_store
from kgpub.web.negotiation import choose, rdf_media_types, result_media_types

bp = Blueprint("sparql", __name__)


def _query_text() -> str:
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        if ctype == "application/sparql-query":
            return request.get_data(as_text=True)
        if ctype == "application/x-www-form-urlencoded":
            if "update" in request.form:
                raise QueryRefusedError("this endpoint is read-only: SPARQL Update is not accepted")
            values = request.form.getlist("query")
        else:
            raise UsageError(
                f"unsupported Content-Type {request.mimetype!r}",
                hint="POST application/x-www-form-urlencoded or application/sparql-query",
            )
    else:
        if "update" in request.args:
            raise QueryRefusedError("this endpoint is read-only: SPARQL Update is not accepted")
        values = request.args.getlist("query")
    if len(values) != 1:
        raise UsageError("exactly one 'query' parameter is required" if values else "missing 'query' parameter")
    return values[0]


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    query = _query_text()
    dataset = Dataset(
        tuple(request.values.getlist("default-graph-uri")), tuple(request.values.getlist("named-graph-uri"))
    )
    upper = query.upper()
    is_graph = "CONSTRUCT" in upper or "DESCRIBE" in upper
    offered = rdf_media_types() if is_graph else result_media_types()
    media = choose(offered, offered[0])
    _form, body = get_store().query_serialized(query, media, dataset=dataset)
    resp = Response(body, mimetype=media)
    resp.headers["Vary"] = "Accept"
    return resp
