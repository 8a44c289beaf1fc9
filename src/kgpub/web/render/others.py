"""Topic, organisation and source-document pages."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kgpub.store import Store
from kgpub.web import iris
from kgpub.web.describe import Description, graph_of_source
from kgpub.web.listings import cached
from kgpub.web.render.values import Link, date_value, entity_link, literal_text

_P = "PREFIX schema: <http://schema.org/> PREFIX kgpub: <https://w3id.org/kgpub/ns#>\n"
TOPIC_WORKS = (
    _P
    + """SELECT $e ?w (SAMPLE(?t) AS ?title) (MAX(STR(?d)) AS ?date) WHERE { ?w schema:about $e
  OPTIONAL { ?w schema:name ?t }
  OPTIONAL { { ?w schema:datePublished ?d } UNION { ?w schema:dateCreated ?d } UNION { ?w kgpub:dateListed ?d } } }
GROUP BY $e ?w ORDER BY DESC(?date) ?w"""
)
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


def _topic_works(store: Store, node: dict[str, ox.NamedNode]) -> list[tuple[str, str, str | None]]:
    """All works of a topic, newest first (a topic may hold a tenth of the graph: cached per snapshot)."""
    return [
        (r["w"].value, r["title"].value if r["title"] is not None else "(untitled work)",
         r["date"].value if r["date"] is not None else None)
        for r in _rows(store, TOPIC_WORKS, node)
    ]  # fmt: skip


def topic_context(store: Store, desc: Description) -> dict[str, Any]:
    from kgpub.web.render import page_number

    e = desc.iri
    node = {"e": ox.NamedNode(e)}
    everything = cached(f"topic-works:{e}", store, lambda: _topic_works(store, node))
    total, size = len(everything), 50
    pages = max(1, -(-total // size))
    page = min(page_number(), pages)
    works = [
        {"link": Link(title, iris.link_for(w), w, "work"), "date": date_value(ox.Literal(d)) if d else None}
        for w, title, d in everything[(page - 1) * size : page * size]
    ]
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
        "entities": entities,
        "neighbours": [link for _, link in entities if link.kind not in ("authorship", None)][:16],
    }
