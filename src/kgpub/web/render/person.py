"""The person page: works (paged, sortable), co-authors with counts, topics, profile snapshots."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import request

from kgpub.queries import bind, get_named_query, paged_text
from kgpub.store import Store
from kgpub.web import iris, settings
from kgpub.web.describe import Description
from kgpub.web.render.values import Link, date_value, entity_link

_P = "PREFIX schema: <http://schema.org/> PREFIX kgpub: <https://w3id.org/kgpub/ns#>\n"
# schema:author is the model's plain link beside every resolved authorship; a UNION with the
# authorship path here makes pyoxigraph's planner scan every author link (1.5 s at 2k works)
_WORKS = """{ SELECT DISTINCT $e ?w WHERE { ?w schema:author $e } }"""
WORK_COUNT = _P + "SELECT $e (COUNT(?w) AS ?n) WHERE " + _WORKS + " GROUP BY $e"
WORKS = (
    _P
    + """SELECT $e ?w (SAMPLE(?t) AS ?title) (MAX(STR(?d)) AS ?date) WHERE { """
    + _WORKS
    + """
  OPTIONAL { ?w schema:name ?t }
  OPTIONAL { { ?w schema:datePublished ?d } UNION { ?w schema:dateCreated ?d } UNION { ?w kgpub:dateListed ?d } } }
GROUP BY $e ?w """
)
# fixed orderings: the client picks a key, never SPARQL text
SORTS = {
    "date": ("newest first", "ORDER BY DESC(?date) ?title ?w"),
    "date-asc": ("oldest first", "ORDER BY ?date ?title ?w"),
    "title": ("title", "ORDER BY LCASE(?title) ?w"),
}
# from the person outwards (LATERAL): a plain join starts from every ProfileSnapshot in the graph
PROFILES = (
    _P
    + """SELECT $e ?pr ?p ?o (SAMPLE(?l) AS ?label) WHERE {
  { { ?pr ?x $e } UNION { $e ?x ?pr } } LATERAL { ?pr a kgpub:ProfileSnapshot . ?pr ?p ?o FILTER(!isBlank(?o))
  LATERAL { OPTIONAL { { ?o schema:name ?l } UNION { ?o kgpub:fileName ?l } } } } }
GROUP BY $e ?pr ?p ?o ORDER BY ?pr ?p ?o LIMIT 500"""
)

def _page_size() -> int:
    try:
        size = int(request.args.get("size", settings().page_size))
    except ValueError:
        size = settings().page_size
    return max(1, min(size, settings().max_page_size))


def works_page(store: Store, iri: str) -> dict[str, Any]:
    from kgpub.web.render import page_number

    node = {"e": ox.NamedNode(iri)}
    total = 0
    for row in store.query(WORK_COUNT, substitutions=node):
        total = int(row["n"].value)
    sort = request.args.get("sort", "date")
    if sort not in SORTS:
        sort = "date"
    size, page = _page_size(), page_number()
    pages = max(1, -(-total // size))
    page = min(page, pages)
    query = WORKS + SORTS[sort][1] + f" LIMIT {size:d} OFFSET {(page - 1) * size:d}"
    items = []
    for row in store.query(query, substitutions=node):
        w = row["w"].value
        title = row["title"].value if row["title"] is not None else "(untitled work)"
        when = date_value(ox.Literal(row["date"].value)) if row["date"] is not None else None
        items.append({"link": Link(title, iris.link_for(w), w, "work"), "date": when})
    return {
        "items": items, "total": total, "page": page, "pages": pages, "size": size, "sort": sort,
        "sorts": [(k, v[0]) for k, v in SORTS.items()],
    }  # fmt: skip


def _may_have_profiles(desc: Description) -> bool:
    """False when the description shows every neighbour and none is a profile snapshot (most
    people): the profiles query is then skipped. Snapshots are IRIs in the model, as are the
    neighbours a description holds (with their types), so nothing is missed."""
    if not desc.neighbours_complete():
        return True
    snapshot = iris.KGPUB + "ProfileSnapshot"
    return any(
        t.predicate.value == iris.RDF + "type" and t.object.value == snapshot  # type: ignore[union-attr]
        for t in desc.triples
    )


def profiles(store: Store, desc: Description) -> list[dict[str, Any]]:
    found: dict[str, list[tuple[str, Any, Any]]] = {}
    if not _may_have_profiles(desc):
        return []
    for row in store.query(PROFILES, substitutions={"e": ox.NamedNode(desc.iri)}):
        found.setdefault(row["pr"].value, []).append((row["p"].value, row["o"], row["label"]))
    out = []
    for pr, props in found.items():
        dated, facts = None, []
        for pred, obj, label in props:
            if pred == iris.RDF + "type" or (isinstance(obj, ox.NamedNode) and obj.value == desc.iri):
                continue
            if pred in (
                iris.KGPUB + "capturedOn",
                iris.DCT + "date",
                iris.PROV + "generatedAtTime",
                iris.DCT + "created",
            ):
                dated = date_value(obj)
                continue
            if isinstance(obj, ox.NamedNode):
                shown = label.value if label is not None else iris.compact(obj.value)
                value = Link(shown, iris.link_for(obj.value), obj.value, iris.kind_of(obj.value))
            else:
                value = Link(obj.value, None)
            facts.append((iris.compact(pred).split(":", 1)[-1], value))
        out.append({"link": Link("profile snapshot", iris.link_for(pr), pr, "profile"), "date": dated,
                    "facts": facts})  # fmt: skip
    return out


def _named(store: Store, name: str, iri: str, limit: int) -> list[Any]:
    """Rows of a shipped named query (sparql/NAME.rq): the page shows what the API answers."""
    query = get_named_query(name)
    subs = bind(query, {"person": iri})
    return list(store.query(paged_text(query, limit, 0), substitutions=subs))[:limit]


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def named_counts(
    store: Store, name: str, iri: str, var: str, count: str, label_var: str, kind: str
) -> list[tuple[Link, int]]:
    out = []
    for row in _named(store, name, iri, 60):
        target = row[var].value
        label = _text(row[label_var])
        out.append((Link(label or iris.compact(target), iris.link_for(target), target, kind), int(row[count].value)))
    return out


_CLAIMS = (
    ("works", "stated_works", "graph_works",
     "works the graph links to this person as an author, from every source"),
    ("topics", "stated_topics", "graph_topics", "distinct arXiv categories of those works"),
    ("close collaborators", "stated_collaborators", "graph_coauthors", "distinct co-authors of those works"),
)


def claims(store: Store, iri: str) -> list[dict[str, Any]]:
    """What each profile snapshot stated beside what the graph computes (named query profile-claims)."""
    out = []
    for row in _named(store, "profile-claims", iri, 20):
        lines = []
        for label, stated_var, graph_var, how in _CLAIMS:
            stated = row[stated_var]
            computed = row[graph_var]
            s_val = int(stated.value) if stated is not None else None
            g_val = int(computed.value) if computed is not None else 0
            if s_val is None:
                why = "the profile states no figure"
            elif s_val == g_val:
                why = "the profile and the graph agree"
            elif s_val < g_val:
                why = "the graph knows more: other sources add to what the profile page lists"
            else:
                why = "the profile states more than the graph holds: some of them are in no source read"
            lines.append({"label": label, "stated": s_val, "computed": g_val, "how": how, "why": why})
        out.append({"profile": row["profile"].value, "person": iri, "captured": _text(row["captured"]),
                    "lines": lines})
    return out


def context(store: Store, desc: Description) -> dict[str, Any]:
    e = desc.iri
    coauthors = named_counts(store, "person-coauthors", e, "coauthor", "shared", "name", "person")
    topics = named_counts(store, "person-topics", e, "topic", "works", "label", "topic")
    affiliations = [entity_link(desc, o.value) for o in desc.objects(e, iris.SCHEMA + "affiliation")]
    works = works_page(store, e)
    snapshots = profiles(store, desc)
    return {
        "name": desc.label(e) or "(unnamed person)",
        "title": desc.label(e) or "(unnamed person)",
        "works": works,
        "coauthors": coauthors,
        "topics": topics,
        "affiliations": affiliations,
        "same_as": [
            Link(o.value, iris.safe_href(o.value), o.value) for o in desc.objects(e, iris.SCHEMA + "sameAs")
        ],
        "profiles": snapshots,
        # a claim needs a profile snapshot of this person, which ``profiles`` lists: without one the
        # named query (whose per-person counts cover the whole graph) cannot answer anything
        "claims": claims(store, e) if snapshots else [],
        "neighbours": [c for c, _ in coauthors[:12]] + [t for t, _ in topics[:6]] + affiliations[:3],
    }
