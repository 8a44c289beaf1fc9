"""Read the W3C protocol manifest (Turtle, the authoritative form) into plain dicts.

The flat ``protocol-tests.json`` view has the same shape but is not trusted blindly: at least one
of its request bodies is cut short (``query_dataset_full``), so the tests are built from the
Turtle and :func:`differences` reports where the two disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
CNT = "http://www.w3.org/2011/content#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _one(g: ox.Store, s: Any, p: str) -> Any:
    return next((q.object for q in g.quads_for_pattern(s, ox.NamedNode(p), None)), None)


def _all(g: ox.Store, s: Any, p: str) -> list[Any]:
    return [q.object for q in g.quads_for_pattern(s, ox.NamedNode(p), None)]


def _list(g: ox.Store, head: Any) -> list[Any]:
    items = []
    while head is not None and head != ox.NamedNode(RDF + "nil"):
        items.append(_one(g, head, RDF + "first"))
        head = _one(g, head, RDF + "rest")
    return items


def _request(g: ox.Store, node: Any) -> dict[str, Any]:
    body = _one(g, node, HT + "body")
    resp = _one(g, node, HT + "resp")
    boolean = _one(g, resp, MF + "expectedBoolean")
    fmt = _one(g, resp, MF + "expectedFormat")
    return {
        "method": _one(g, node, HT + "methodName").value,
        "path": _one(g, node, HT + "absolutePath").value,
        "headers": [
            [_one(g, h, HT + "fieldName").value, _one(g, h, HT + "fieldValue").value]
            for h in _list(g, _one(g, node, HT + "headers"))
        ],
        "body": _one(g, body, CNT + "chars").value if body is not None else "",
        "expectedStatus": sorted(s.value.rsplit("#", 1)[-1] for s in _all(g, resp, MF + "expectedStatus")),
        "expectedFormat": fmt.value if fmt is not None else None,
        "expectedBoolean": (boolean.value == "true") if boolean is not None else None,
    }


def protocol_tests(manifest: Path) -> list[dict[str, Any]]:
    g = ox.Store()
    g.load(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=manifest.resolve().as_uri())
    root = next(iter(g.quads_for_pattern(None, ox.NamedNode(MF + "entries"), None)))
    tests = []
    for test in _list(g, root.object):
        graph_data = [
            {
                "file": _one(g, d, UT + "graph").value.rsplit("/", 1)[-1],
                "graph": _one(g, d, RDFS + "label").value,
            }
            for d in _all(g, test, UT + "graphData")
        ]
        action = _one(g, test, MF + "action")
        tests.append(
            {
                "id": test.value.rsplit("#", 1)[-1],
                "name": _one(g, test, MF + "name").value,
                "graphData": sorted(graph_data, key=lambda d: d["graph"]),
                "requests": [_request(g, r) for r in _list(g, _one(g, action, HT + "requests"))],
            }
        )
    return tests


def differences(manifest: Path, flat: Path) -> list[str]:
    """Where the JSON view disagrees with the Turtle manifest (test id and field)."""
    by_id = {t["id"]: t for t in json.loads(flat.read_text())["protocol"]}
    found = []
    for test in protocol_tests(manifest):
        other = by_id.get(test["id"])
        if other is None:
            found.append(f"{test['id']}: missing from the JSON view")
            continue
        for i, (a, b) in enumerate(zip(test["requests"], other["requests"], strict=False)):
            for key in ("method", "path", "body", "headers"):
                if a[key] != b[key]:
                    found.append(f"{test['id']} request {i}: {key}")
    return found
