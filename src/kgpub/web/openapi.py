"""An OpenAPI 3.0 description of the named-query API, generated from the ``.rq`` headers."""

from __future__ import annotations

from typing import Any

from kgpub.queries import NamedQuery, Param

_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "uri", "pattern": "^https?://[^\\s<>\"{}|\\\\^`]+$", "maxLength": 500},
    "integer": {"type": "integer"},
    "year": {"type": "integer", "minimum": 1000, "maximum": 9999},
    "date": {"type": "string", "format": "date"},
    "string": {"type": "string", "maxLength": 500, "pattern": "^[^\\x00-\\x1f]*$"},
    "category": {"type": "string", "pattern": "^[a-z-]{2,10}(\\.[A-Za-z-]{2,10})?$"},
}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "hint": {"type": "string"},
            },
        }
    },
}


def _param(p: Param) -> dict[str, Any]:
    schema = dict(_SCHEMAS[p.type])
    if p.minimum is not None:
        schema["minimum"] = p.minimum
    if p.maximum is not None:
        schema["maximum"] = p.maximum
    if p.default is not None:
        schema["default"] = int(p.default) if p.type in ("integer", "year") else p.default
    desc = p.help or p.name
    if p.cls:
        desc += f" (an entity of class {p.cls})"
    return {"name": p.name, "in": "query", "required": p.required, "description": desc, "schema": schema}


def _operation(q: NamedQuery) -> dict[str, Any]:
    params = [_param(p) for p in q.params]
    params += [
        {"name": "limit", "in": "query", "required": False, "description": "page size",
         "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
        {"name": "offset", "in": "query", "required": False, "description": "rows to skip",
         "schema": {"type": "integer", "minimum": 0, "maximum": 10_000_000}},
    ]
    content: dict[str, Any] = {}
    if "json" in q.formats:
        content["application/json"] = {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "variables": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "object"}}, "limit": {"type": "integer"},
            "offset": {"type": "integer"}, "next": {"type": "string", "nullable": True}}}}
    if "csv" in q.formats:
        content["text/csv"] = {"schema": {"type": "string"}}
    if "html" in q.formats:
        content["text/html"] = {"schema": {"type": "string"}}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "operationId": q.name.replace("-", "_"),
        "summary": q.title,
        "description": q.description or q.title,
        "parameters": params,
        "responses": {
            "200": {"description": "one page of results", "content": content},
            "400": {"description": "a parameter is missing, of the wrong type, or names no such entity",
                    "content": error},
            "406": {"description": "no offered format matches Accept", "content": error},
        },
    }


def openapi_document(queries: list[NamedQuery], server: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "kgpub named queries", "version": "1",
                 "description": "Named SPARQL queries with typed parameters bound as RDF terms."},
        "servers": [{"url": server}],
        "paths": {f"/queries/{q.name}": {"get": _operation(q)} for q in queries},
        "components": {"schemas": {"Error": _ERROR}},
    }
