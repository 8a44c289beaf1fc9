"""HTML entity pages: one view per entity type over the same description, plus what every page shows.

Every page carries: the statements grouped by property, provenance (which source document said
what, from ``GRAPH ?g`` queries, conflicting values highlighted), the entity's SHACL results, the
neighbourhood picture (SVG drawn here, no JavaScript), schema.org JSON-LD matching the RDF, and
links to every data format. The per-type modules add what that type needs (ordered authors,
paged works, …); all of them tolerate missing properties.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import render_template, request
from markupsafe import Markup

from kgpub.store import Store
from kgpub.web import get_store, iris, settings
from kgpub.web.describe import Description
from kgpub.web.headers import FORMATS
from kgpub.web.listings import cached
from kgpub.web.render import others, person, svg, work
from kgpub.web.render.values import Link, entity_link, term_display
from kgpub.web.security import script_json

__all__ = ["render_page"]

# properties with one true value: several values across sources are a conflict worth showing
SINGLE_VALUED = {
    iris.SCHEMA + "name", iris.SCHEMA + "abstract", iris.SCHEMA + "datePublished",
    iris.SCHEMA + "dateCreated", iris.SCHEMA + "givenName", iris.SCHEMA + "familyName",
    iris.KGPUB + "position", iris.KGPUB + "printedName",
    iris.KGPUB + "venue", iris.KGPUB + "bylineTruncated", iris.SKOS + "prefLabel",
}  # fmt: skip

PROVENANCE_LIMIT = 1000
PROVENANCE = (
    """SELECT $e ?g ?p ?o WHERE { GRAPH ?g { $e ?p ?o } FILTER(!isBlank(?o)) } ORDER BY ?p ?g ?o LIMIT 1000"""
)
# the same rows unordered, sorted in Python when that order is plain (see _provenance_rows)
PROVENANCE_UNORDERED = """SELECT $e ?g ?p ?o WHERE { GRAPH ?g { $e ?p ?o } FILTER(!isBlank(?o)) } LIMIT 5001"""
VALIDATION = """PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT $vg $e ?sev ?msg ?path ?value WHERE { GRAPH $vg { ?r sh:focusNode $e
  OPTIONAL { ?r sh:resultSeverity ?sev } OPTIONAL { ?r sh:resultMessage ?msg }
  OPTIONAL { ?r sh:resultPath ?path FILTER(isIRI(?path)) } OPTIONAL { ?r sh:value ?value } } }
ORDER BY ?sev ?msg LIMIT 200"""
SOURCE_NAME = """PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kgpub: <https://w3id.org/kgpub/ns#>
SELECT $s ?n WHERE { { $s kgpub:fileName ?n } UNION { $s schema:name ?n } UNION { $s rdfs:label ?n } }
LIMIT 1"""
CONFLICTS = """PREFIX kgpub: <https://w3id.org/kgpub/ns#>
SELECT $e ?c ?field ?value ?src WHERE { ?c kgpub:conflictAbout $e . OPTIONAL { ?c kgpub:conflictField ?field }
  ?c kgpub:claim ?claim . ?claim kgpub:claimedValue ?value
  OPTIONAL { ?claim kgpub:statedIn ?src FILTER(isIRI(?src)) } }
ORDER BY ?field ?value ?src LIMIT 500"""

_VIEWS = {
    "work": work.context,
    "person": person.context,
    "topic": others.topic_context,
    "organization": others.organization_context,
    "source": others.source_context,
}


def render_page(kind: str, desc: Description) -> str:
    store = get_store()
    view = _VIEWS.get(kind)
    if view is None and iris.SKOS + "Concept" in desc.types(desc.iri):
        view = others.topic_context
    ctx: dict[str, Any] = view(store, desc) if view else {}
    ctx.setdefault("title", desc.label(desc.iri) or iris.compact(desc.iri))
    if not ctx.get("neighbours"):
        ctx["neighbours"] = linked(desc)
    path = iris.local_path(desc.iri) or ""
    ctx.update(
        kind=kind,
        iri=desc.iri,
        types=[entity_link(desc, t) for t in desc.types(desc.iri)],
        statements=statements(desc),
        provenance=provenance(store, desc),
        validation=validation(store, desc.iri),
        conflicts=conflicts(store, desc.iri),
        picture=svg.neighbourhood(ctx["title"], kind, ctx["neighbours"]),
        jsonld=jsonld_embed(desc),
        formats=[(ext, media, f"{path}.{ext}") for ext, media in FORMATS.items() if ext != "html"],
        canonical=iris.document_iri(desc.iri, "html"),
        dataset_title=settings().title,
    )
    ctx["ctx"] = ctx
    template = f"{kind}.html" if kind in _VIEWS else "entity.html"
    return render_template(template, **ctx)


def linked(desc: Description) -> list[Link]:
    """Every entity the description links to or from, for pages without a tailored neighbourhood."""
    out: dict[str, Link] = {}
    for t in desc.triples:
        other = None
        if (
            t.subject.value == desc.iri  # type: ignore[union-attr]
            and isinstance(t.object, ox.NamedNode)
            and t.predicate.value != iris.RDF + "type"
        ):
            other = t.object.value
        elif t.object == ox.NamedNode(desc.iri) and isinstance(t.subject, ox.NamedNode):
            other = t.subject.value
        if other and other != desc.iri and iris.local_path(other):
            out.setdefault(other, entity_link(desc, other))
    return list(out.values())


def statements(desc: Description) -> list[tuple[Link, list[Link]]]:
    """The entity's own statements, grouped by property (the generic table every page has)."""
    grouped: dict[str, list[Link]] = {}
    for triple in desc.triples:
        if triple.subject.value == desc.iri and triple.predicate.value != iris.RDF + "type":  # type: ignore[union-attr]
            grouped.setdefault(triple.predicate.value, []).append(term_display(desc, triple.object))  # type: ignore[arg-type]
    return [(Link(iris.compact(p), iris.safe_href(p), p), vals) for p, vals in sorted(grouped.items())]


def _source_label(store: Store, source: str | None, graph: str) -> Link:
    if source is None:
        return Link(iris.compact(graph.removeprefix(iris.base())), None, graph)
    # memoised per snapshot: sources are few (one per file read), pages name them over and over
    names: dict[str, str | None] = cached("source-names", store, dict)
    if source not in names:
        found = None
        for row in store.query(SOURCE_NAME, substitutions={"s": ox.NamedNode(source)}):
            found = row["n"].value
        names[source] = found
    name = names[source]
    return Link(name if name is not None else source.rsplit("/", 1)[-1], iris.link_for(source), source, "source")


def _provenance_rows(store: Store, iri: str) -> list[tuple[str, str, Any]]:
    """PROVENANCE's (graph, property, value) rows in its order. pyoxigraph's ORDER BY costs more
    than the lookup itself (0.4 of 0.65 ms for a work's 20 rows), so the rows are sorted here
    when SPARQL's order is plain string order: graphs and properties are IRIs, and the values
    of one (property, graph) are IRIs (compared as strings) and at most one literal (after the
    IRIs). Otherwise, or for a very large entity, the engine sorts."""
    subs = {"e": ox.NamedNode(iri)}
    rows = [(r["g"], r["p"], r["o"]) for r in store.query(PROVENANCE_UNORDERED, substitutions=subs)]
    literals: set[tuple[str, str]] = set()
    plain = len(rows) <= 5000
    for g, p, o in rows if plain else ():
        if not isinstance(g, ox.NamedNode):
            plain = False
        elif isinstance(o, ox.Literal):
            if (p.value, g.value) in literals:
                plain = False
            literals.add((p.value, g.value))
        elif not isinstance(o, ox.NamedNode):
            plain = False
        if not plain:
            break
    if not plain:
        return [(r["g"].value, r["p"].value, r["o"]) for r in store.query(PROVENANCE, substitutions=subs)]
    rows.sort(key=lambda r: (r[1].value, r[0].value, isinstance(r[2], ox.Literal), r[2].value))
    return [(g.value, p.value, o) for g, p, o in rows[:PROVENANCE_LIMIT]]


def provenance(store: Store, desc: Description) -> list[dict[str, Any]]:
    """Per property: each value with the sources that stated it; ``conflict`` when they disagree."""
    sources = {g: _source_label(store, s, g) for g, s in desc.sources}
    rows: dict[str, dict[str, list[Link]]] = {}
    shown: dict[tuple[str, str], Link] = {}
    for graph, pred, obj in _provenance_rows(store, desc.iri):
        key = (pred, str(obj))
        shown.setdefault(key, term_display(desc, obj))
        label = sources.get(graph) or _source_label(store, None, graph)
        rows.setdefault(pred, {}).setdefault(str(obj), []).append(label)
    out = []
    for pred, values in rows.items():
        items = [{"value": shown[(pred, v)], "sources": s} for v, s in values.items()]
        # values differing only in whitespace are one value (the model normalises them the same way)
        distinct = {" ".join(shown[(pred, v)].label.split()) for v in values}
        conflict = pred in SINGLE_VALUED and len(distinct) > 1
        out.append({"property": Link(iris.compact(pred), None, pred), "values": items, "conflict": conflict})
    out.sort(key=lambda r: (not r["conflict"], r["property"].label))  # type: ignore[attr-defined]
    return out


def conflicts(store: Store, iri: str) -> list[dict[str, Any]]:
    """Disagreements reconciliation recorded (kgpub:Conflict): each claimed value with its sources."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.query(CONFLICTS, substitutions={"e": ox.NamedNode(iri)}):
        field = row["field"].value if row["field"] is not None else "(field)"
        first = {"field": field, "link": iris.link_for(row["c"].value), "claims": {}}  # type: ignore[var-annotated]
        item = found.setdefault((row["c"].value, field), first)
        sources = item["claims"].setdefault(row["value"].value, [])
        if row["src"] is not None:
            sources.append(_source_label(store, row["src"].value, row["src"].value))
    return [
        {"field": v["field"], "link": v["link"], "claims": sorted(v["claims"].items())}
        for _, v in sorted(found.items())
    ]


def validation(store: Store, iri: str) -> list[dict[str, str]]:
    graph = ox.NamedNode(iris.base() + "graph/validation")
    subs = {"vg": graph, "e": ox.NamedNode(iri)}
    out = []
    for row in store.query(VALIDATION, substitutions=subs):
        sev = row["sev"].value.rsplit("#", 1)[-1] if row["sev"] is not None else "Violation"
        out.append(
            {
                "severity": sev,
                "message": row["msg"].value if row["msg"] is not None else "(no message)",
                "path": iris.compact(row["path"].value) if row["path"] is not None else "",
                "value": row["value"].value if row["value"] is not None else "",
            }
        )
    return out


def page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


# -- schema.org JSON-LD ----------------------------------------------------------------------------
# Generated from the same triples as the RDF document: schema.org statements (and types) about the
# entity, and names and types of what it links to. The context is inline (@vocab), so a JSON-LD
# processor needs no network; <, > and & are escaped so no literal can close the <script>.
_LABELS = {iris.SCHEMA + "name"}


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        dtype = term.datatype.value if term.datatype else iris.XSD + "string"
        if dtype == iris.XSD + "string":
            return term.value
        return {"@value": term.value, "@type": dtype}
    return None


def _key(predicate: str) -> str:
    return predicate[len(iris.SCHEMA) :] if predicate.startswith(iris.SCHEMA) else predicate


def _type(iri: str) -> str:
    return iri[len(iris.SCHEMA) :] if iri.startswith(iris.SCHEMA) else iri


def jsonld_selected(desc: Description) -> list[ox.Triple]:
    """The triples the JSON-LD holds (tests compare them with the RDF document)."""
    out = []
    for t in desc.triples:
        pred, subj = t.predicate.value, t.subject.value  # type: ignore[union-attr]
        if isinstance(t.object, ox.BlankNode) or not isinstance(t.subject, ox.NamedNode):
            continue
        is_type = pred == iris.RDF + "type" and t.object.value.startswith(iris.SCHEMA)  # type: ignore[union-attr]
        if (subj == desc.iri and (pred.startswith(iris.SCHEMA) or is_type)) or (
            subj != desc.iri and (pred in _LABELS or is_type)
        ):
            out.append(t)
    return out


def jsonld_document(desc: Description) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    for t in jsonld_selected(desc):
        subject = str(t.subject.value)  # type: ignore[union-attr]
        node = nodes.setdefault(subject, {"@id": subject})
        if t.predicate.value == iris.RDF + "type":
            node.setdefault("@type", []).append(_type(t.object.value))  # type: ignore[union-attr]
        else:
            node.setdefault(_key(t.predicate.value), []).append(_value(t.object))  # type: ignore[arg-type]
    main = nodes.pop(desc.iri, {"@id": desc.iri})
    return {"@context": {"@vocab": iris.SCHEMA}, "@graph": [main, *nodes.values()]}


def jsonld_embed(desc: Description) -> Markup:
    return script_json(jsonld_document(desc), indent=1)
