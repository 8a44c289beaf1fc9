"""Topic, organisation and source-document pages."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

import pyoxigraph as ox

from kgpub import summary
from kgpub.store import Store
from kgpub.web import iris
from kgpub.web.describe import Description, graph_of_source
from kgpub.web.listings import summary_part
from kgpub.web.render.values import Link, date_value, entity_link, literal_text

_P = "PREFIX schema: <http://schema.org/> PREFIX kgpub: <https://w3id.org/kgpub/ns#>\n"
MEMBERS = (
    _P
    + """SELECT DISTINCT $e ?m (SAMPLE(?n) AS ?label) WHERE {
  { ?m schema:affiliation $e } UNION { ?m schema:memberOf $e } UNION { ?m schema:worksFor $e }
  FILTER(isIRI(?m)) OPTIONAL { ?m schema:name ?n } } GROUP BY $e ?m ORDER BY ?label LIMIT 200"""
)
ORG_WORKS = (
    _P
    + """SELECT DISTINCT $e ?w (SAMPLE(?t) AS ?title) WHERE {
  ?l ?tag $e FILTER(?tag IN (kgpub:organisation, kgpub:organization))
  ?l kgpub:listedWork ?w FILTER(isIRI(?w)) OPTIONAL { ?w schema:name ?t } }
GROUP BY $e ?w ORDER BY ?title LIMIT 200"""
)
SOURCE_ENTITIES = """SELECT $g ?s (SAMPLE(?t) AS ?type) (SAMPLE(?n) AS ?label) WHERE { GRAPH $g { ?s a ?t }
  FILTER(isIRI(?s)) OPTIONAL { ?s <http://schema.org/name>|<https://w3id.org/kgpub/ns#printedName> ?n } }
GROUP BY $g ?s ORDER BY ?type ?label ?s LIMIT 500"""
SOURCE_COUNT = "SELECT $g (COUNT(*) AS ?n) WHERE { GRAPH $g { ?s ?p ?o } } GROUP BY $g"


def _rows(store: Store, query: str, subs: dict[str, ox.NamedNode]) -> list[Any]:
    return list(store.query(query, substitutions=subs))


def _count(store: Store, query: str, subs: dict[str, ox.NamedNode]) -> int:
    """A grouped COUNT: no row at all means zero."""
    rows = _rows(store, query, subs)
    return int(rows[0]["n"].value) if rows else 0


def _topic_rows(store: Store, topic: str, start: int, stop: int) -> tuple[int, list[tuple[str, str, str]]]:
    """(number of works, the rows [start:stop] as (IRI, title, date)) of a topic, newest first,
    from the snapshot's topic lists (:func:`kgpub.summary.topics`; computed once per snapshot
    where the store keeps no files beside it)."""
    part = summary_part(store, "topics", lambda: summary.topics(store))
    names = part["topics"]
    at = bisect_left(names, topic)
    if at == len(names) or names[at] != topic:
        return 0, []
    first, last = (part["ends"][at - 1] if at else 0), part["ends"][at]
    shown = part["members"][first + start : min(last, first + stop)]
    works, titles, dates = part["works"], part["titles"], part["dates"]
    return last - first, [(works[i], titles[i], dates[i]) for i in shown]


def topic_context(store: Store, desc: Description) -> dict[str, Any]:
    from kgpub.web.render import page_number

    e = desc.iri
    size = 50
    total, _ = _topic_rows(store, e, 0, 0)
    pages = max(1, -(-total // size))
    page = min(page_number(), pages)
    _, rows = _topic_rows(store, e, (page - 1) * size, page * size)
    works = [
        {"link": Link(title or "(untitled work)", iris.link_for(w), w, "work"),
         "date": date_value(ox.Literal(d)) if d else None}
        for w, title, d in rows
    ]  # fmt: skip
    label = desc.label(e) or iris.compact(e)
    broader = [entity_link(desc, b.value) for b in desc.objects(e, iris.SKOS + "broader")]
    return {
        "title": label,
        "notation": literal_text(desc.first(e, iris.SKOS + "notation")),
        "definition": literal_text(desc.first(e, iris.SKOS + "definition")),
        "broader": broader,
        "works": {"items": works, "total": total, "page": page, "pages": pages},
        "neighbours": [w["link"] for w in works[:12]] + broader,
    }


def organization_context(store: Store, desc: Description) -> dict[str, Any]:
    node = {"e": ox.NamedNode(desc.iri)}
    members = [
        Link(r["label"].value if r["label"] is not None else iris.compact(r["m"].value),
             iris.link_for(r["m"].value), r["m"].value, "person")
        for r in _rows(store, MEMBERS, node)
    ]  # fmt: skip
    works = [
        Link(r["title"].value if r["title"] is not None else iris.compact(r["w"].value),
             iris.link_for(r["w"].value), r["w"].value, "work")
        for r in _rows(store, ORG_WORKS, node)
    ]  # fmt: skip
    return {"members": members, "org_works": works, "neighbours": members[:12] + works[:8]}


def source_context(store: Store, desc: Description) -> dict[str, Any]:
    e = desc.iri
    graph = graph_of_source(store, e)
    entities: list[tuple[str, Link]] = []
    quads = 0
    if graph is not None:
        subs = {"g": ox.NamedNode(graph)}
        quads = _count(store, SOURCE_COUNT, subs)
        for row in _rows(store, SOURCE_ENTITIES, subs):
            s = row["s"].value
            label = row["label"].value if row["label"] is not None else iris.compact(s)
            kind = iris.compact(row["type"].value) if row["type"] is not None else ""
            entities.append((kind, Link(label, iris.link_for(s), s, iris.kind_of(s))))
    captured = None
    for pred in (iris.PROV + "generatedAtTime", iris.DCT + "created", iris.KGPUB + "capturedOn"):
        value = desc.first(e, pred)
        if value is not None:
            captured = date_value(value)
            break
    return {
        "file_name": desc.label(e) or e.rsplit("/", 1)[-1],
        "sha256": literal_text(desc.first(e, iris.KGPUB + "sha256")),
        "captured": captured,
        "graph": graph,
        "quads": quads,
        "document": literal_text(desc.first(e, iris.KGPUB + "fileName")),
        "diagnostics": int(literal_text(desc.first(e, iris.KGPUB + "diagnosticCount")) or 0),
        "entities": entities,
        "neighbours": [link for _, link in entities if link.kind not in ("authorship", None)][:16],
    }
